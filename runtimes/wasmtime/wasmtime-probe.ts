/**
 * What a wasmtime binary's wasi-nn can do, asked of the binary itself: wasmtime has no flag that
 * lists its wasi-nn backends (cargo features decide them, and OpenVINO's library is looked for
 * only when a graph is loaded), so the example guest `affine-any` loads the tiny affine_relu
 * fixture of each encoding and the outcome says which backends work. With
 * WASMTIME_LOG=wasmtime_wasi_nn=debug wasmtime logs the host error behind a failed load:
 * `UsageError(InvalidEncoding(..))` for a backend not built in, openvino-rs's
 * "Unable to find the `openvino_c` library" when OpenVINO is not found.
 */
import { join } from 'node:path';
import { findRepoRoot } from '../../reference-host/repo-root.js';
import type { Encoding } from '../../reference-host/core/types.js';
import { spawnRuntime } from '../spawn.js';

export type BackendState =
  | { state: 'works'; printed: string }
  | { state: 'not-built' | 'library-missing' | 'no-wasi-nn' | 'fails'; detail: string };

/** The encodings wasmtime's source has a backend for (crates/wasi-nn/src/backend; winml is Windows-only). */
export const WASMTIME_BACKENDS = ['openvino', 'onnx', 'pytorch'] as const satisfies readonly Encoding[];
type ProbedEncoding = (typeof WASMTIME_BACKENDS)[number];

const PROBE: Record<ProbedEncoding, { number: string; dir: string; files: string }> = {
  openvino: { number: '0', dir: 'openvino', files: '/m/affine_relu.xml+/m/affine_relu.bin' },
  onnx: { number: '1', dir: 'onnx', files: '/m/affine_relu.onnx' },
  pytorch: { number: '5', dir: 'pytorch', files: '/m/affine_relu.pt' },
};

/** LD_LIBRARY_PATH with `dirs` in front of the inherited one. */
export function withLibraryDirs(dirs: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (dirs.length === 0) return {};
  return { LD_LIBRARY_PATH: [...dirs, env.LD_LIBRARY_PATH ?? ''].filter((d) => d !== '').join(':') };
}

export function classifyProbe(exitCode: number | null, stdout: string, stderr: string): BackendState {
  const out = stdout.trim();
  if (exitCode === 0 && out.startsWith('output: ')) return { state: 'works', printed: out };
  if (/unknown import: `wasi_ephemeral_nn::/.test(stderr)) return { state: 'no-wasi-nn', detail: 'the binary has no wasi-nn: the guest\'s wasi_ephemeral_nn imports are unknown to it (a build without the wasi-nn feature)' };
  if (/support for compiling modules was disabled/.test(stderr)) return { state: 'fails', detail: 'this build cannot compile wasm (no Cranelift or Winch, as wasmtime-min)' };
  if (/InvalidEncoding/.test(stderr)) return { state: 'not-built', detail: 'not built in (cargo feature off)' };
  if (/Unable to find the `openvino_c` library/.test(stderr)) return { state: 'library-missing', detail: 'OpenVINO\'s libopenvino_c.so was not found (OPENVINO_INSTALL_DIR, INTEL_OPENVINO_DIR, LD_LIBRARY_PATH)' };
  const line = stderr.split('\n').find((l) => /error/i.test(l))?.trim() ?? '';
  return { state: 'fails', detail: `exit ${exitCode}: ${out} ${line}`.trim().slice(0, 300) };
}

/** Loads and runs the affine_relu fixture of `encoding` on `binary`. */
export async function probeBackend(binary: string, encoding: ProbedEncoding, extraEnv: Record<string, string>): Promise<BackendState> {
  const root = findRepoRoot();
  const p = PROBE[encoding];
  const r = await spawnRuntime(
    {
      file: binary,
      args: ['run', '-S', 'nn', '--dir', `${join(root, 'fixtures', p.dir)}::/m`, join(root, 'guests', 'examples', 'affine-any.wasm'), p.number, p.files, '1', '2', '3', '4'],
      env: { ...extraEnv, WASMTIME_LOG: 'wasmtime_wasi_nn=debug', RUST_BACKTRACE: '0' },
    },
    { timeoutMs: 60_000, maxOutputBytes: 4 * 1024 * 1024 },
  );
  if (r.spawnError) return { state: 'fails', detail: r.spawnError };
  if (r.timedOut) return { state: 'fails', detail: 'timed out after 60 s' };
  return classifyProbe(r.exitCode, r.stdout, r.stderr);
}
