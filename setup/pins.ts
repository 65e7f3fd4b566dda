/**
 * The Python wheels `setup` installs for OpenVINO, pinned exactly, dependencies included (they
 * are installed with --no-deps, so two machines get the same files). A runtime's own pins live
 * in its folder (runtimes/wasmtime/wasmtime-setup.ts).
 */

/** OpenVINO's runtime libraries (libopenvino_c.so.<v>, the CPU plugin), headers and
 * OpenVINOConfig.cmake; wasmtime >= 48 (openvino-rs 0.11) needs OpenVINO >= 2025.1. */
export const OPENVINO_VERSION = '2026.4.1';
export const OPENVINO_WHEELS: readonly string[] = [`openvino==${OPENVINO_VERSION}`, 'numpy==2.4.6', 'openvino-telemetry==2025.2.0'];
