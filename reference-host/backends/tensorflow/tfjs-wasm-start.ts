/**
 * Starts @tensorflow/tfjs-backend-wasm 4.22.0 synchronously, so that tfjs can start when a guest
 * first loads a TensorFlow model, inside a synchronous wasi-nn call.
 *
 * The package registers its 'wasm' backend with an async factory (it awaits two async feature
 * flags, then its emscripten glue's instantiation). Its glue, `wasm-out/tfjs-backend-wasm.js`, is
 * the same file the package bundles, and it finishes synchronously when it is handed an
 * `instantiateWasm` hook that instantiates a module compiled here. This module does what the
 * package's own init() does after that (the `module.tfjs` cwraps) and re-registers 'wasm' with a
 * synchronous factory returning the package's own BackendWasm; the package's kernels stay
 * registered under 'wasm'. The binary is the one the package picks on Node.js: SIMD, no threads
 * (tfjs never uses threads on Node; WASM_HAS_MULTITHREAD_SUPPORT is false there).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Tf = typeof import('@tensorflow/tfjs-core');

const require = createRequire(import.meta.url);
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';
const GLUE = `${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm.js`;
/** the binary tfjs-backend-wasm loads on Node.js (SIMD, single-threaded) */
export const TFJS_WASM_BINARY = 'tfjs-backend-wasm-simd.wasm';
/** the priority tfjs-backend-wasm registers 'wasm' with */
const WASM_PRIORITY = 2;

interface EmscriptenModule {
  calledRun?: boolean;
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  tfjs?: Record<string, unknown>;
}

/** Makes 'wasm' tfjs's backend, synchronously; throws with the reason when it cannot. */
export function startWasmBackend(tf: Tf): void {
  const pkg = require(WASM_PACKAGE) as { BackendWasm: new (wasm: unknown) => unknown };
  const glue = require(GLUE) as (config: Record<string, unknown>) => unknown;
  const binary = join(dirname(require.resolve(GLUE)), TFJS_WASM_BINARY);
  const compiled = new WebAssembly.Module(readFileSync(binary));
  let aborted: string | undefined;
  const module: Record<string, unknown> = {
    instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      const instance = new WebAssembly.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
    onAbort: (what: unknown) => {
      aborted = String(what);
    },
    print: () => {},
    printErr: () => {},
  };
  const ready = glue(module) as { catch?: (f: () => void) => void } | undefined;
  ready?.catch?.(() => {}); // a failure is reported below, synchronously
  const m = module as unknown as EmscriptenModule;
  if (aborted !== undefined) throw new Error(`tfjs-backend-wasm aborted at start: ${aborted}`);
  if (m.calledRun !== true) throw new Error('tfjs-backend-wasm did not start synchronously');
  // what tfjs-backend-wasm's init() attaches once its module is ready
  m.tfjs = {
    init: m.cwrap('init', null, []),
    initWithThreadsCount: m.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: m.cwrap('get_threads_count', 'number', []),
    registerTensor: m.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: m.cwrap('dispose_data', null, ['number']),
    dispose: m.cwrap('dispose', null, []),
  };
  tf.removeBackend('wasm');
  if (!tf.registerBackend('wasm', () => new pkg.BackendWasm(m) as any, WASM_PRIORITY)) throw new Error('tf.registerBackend("wasm") refused');
  void tf.setBackend('wasm'); // synchronous: the factory returns the backend itself, not a promise
  if (tf.getBackend() !== 'wasm') throw new Error(`tfjs backend is ${tf.getBackend()} after setBackend("wasm")`);
}
