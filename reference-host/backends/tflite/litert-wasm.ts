/**
 * The one module that loads LiteRT (@litertjs/core 2.5.3) and the only one that knows its wasm
 * build. Node 20 lacks relaxed SIMD, so it loads `wasm/litert_wasm_compat_internal.{js,wasm}`.
 *
 * No global shims. The package's own loader (`loadLiteRt` → `createWasmLib`) wants `self`,
 * `importScripts` and `self.Module` so that it can run the emscripten glue as a browser script.
 * We run that same glue file as CommonJS in a private scope instead: `vm.compileFunction` gives it
 * its own `module`, `exports`, `require`, `__filename`, `__dirname`, and it hands back its
 * `ModuleFactory` through `module.exports` (its UMD footer). It then sees Node (`process.versions`)
 * and reads nothing from globalThis that it would have to be given (`self.navigator` is read
 * inside a try/catch). Nothing is written to globalThis; `litert-wasm.test.ts` checks that.
 *
 * LiteRT's C++ log lines (printErr) go to a small ring buffer, never to the host's stderr, so a
 * guest's stderr stays the guest's; the last lines explain load failures.
 *
 * Started synchronously, when a guest first needs it. The factory is an async function (it awaits
 * its own instantiation), so it runs inside a private vm context whose microtask queue is drained
 * when the evaluation that called it returns (`microtaskMode: 'afterEvaluate'`), and it is given
 * an `instantiateWasm` hook that instantiates the module compiled synchronously here: nothing it
 * awaits waits on I/O or a timer, so the instance is ready when createLiteRtInstance() returns
 * (about 60 ms; litert-wasm.test.ts checks it). Everything after that (loadModel, compileModel,
 * run) is synchronous embind calls into wasm. Objects the glue makes (its errors, its typed
 * arrays) belong to that context, so callers test them by shape, never with instanceof.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

export const LITERT_PACKAGE = '@litertjs/core';
export const LITERT_WASM_BASENAME = 'litert_wasm_compat_internal';

// ---------------------------------------------------------------- the embind surface we use

export interface Deletable {
  delete(): void;
}
export interface EmVector<T> extends Deletable {
  size(): number;
  get(i: number): T;
}
export interface EnumValue {
  value: number;
}
export interface LiteRtLayout extends Deletable {
  dimensions(): EmVector<number>;
}
export interface LiteRtRankedTensorType extends Deletable {
  elementType(): EnumValue;
  layout(): LiteRtLayout;
  bytes(): number;
}
export interface LiteRtTensorBuffer extends Deletable {
  tensorType(): LiteRtRankedTensorType;
  packedSize(): number;
  lock(mode: EnumValue): number;
  unlock(): void;
}
export interface LiteRtSimpleSignature extends Deletable {
  inputNames(): EmVector<string>;
  outputNames(): EmVector<string>;
}
export interface LiteRtModel extends Deletable {
  getNumSignatures(): number;
  getSignature(i: number): LiteRtSimpleSignature;
  getInputTensorType(signature: number, i: number): LiteRtRankedTensorType;
  getOutputTensorType(signature: number, i: number): LiteRtRankedTensorType;
}
export interface LiteRtCompiledModel extends Deletable {
  run(signature: number, inputs: LiteRtTensorBuffer[]): LiteRtTensorBuffer[];
}
export type LiteRtEnvironment = Deletable;

export interface LiteRtModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  setupLogging?(): void;
  LiteRtEnvironment: { create(gpu: null): LiteRtEnvironment };
  loadModel(env: LiteRtEnvironment, ptr: number, len: number): LiteRtModel;
  compileModel(env: LiteRtEnvironment, model: LiteRtModel, options: Record<string, unknown>): LiteRtCompiledModel;
  LiteRtTensorBuffer: { createManaged(env: LiteRtEnvironment, type: EnumValue, tensorType: LiteRtRankedTensorType, bytes: number): LiteRtTensorBuffer };
  LiteRtTensorBufferType: { HOST_MEMORY: EnumValue };
  LiteRtTensorBufferLockMode: { READ: EnumValue; WRITE: EnumValue };
}

/** One LiteRT wasm instance: its module, its default environment, its recent log lines. */
export interface LiteRtInstance {
  readonly module: LiteRtModule;
  readonly env: LiteRtEnvironment;
  /** set once emscripten has aborted (the instance is dead from then on) */
  aborted: string | undefined;
  /** the last log lines LiteRT printed since clearLog() */
  log(): string[];
  clearLog(): void;
}

export function litertPackageDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${LITERT_PACKAGE}/package.json`));
}

export function litertVersion(): string {
  return (JSON.parse(readFileSync(join(litertPackageDir(), 'package.json'), 'utf8')) as { version: string }).version;
}

type Factory = (moduleArg: Record<string, unknown>) => Promise<LiteRtModule>;

/** What the glue may read from its global scope: Node's, handed over explicitly (its context has only the language built-ins). */
function glueGlobals(): Record<string, unknown> {
  return { process, Buffer, TextDecoder, TextEncoder, URL, console, performance, crypto: globalThis.crypto, setTimeout, clearTimeout, WebAssembly };
}

let glue: { context: vm.Context; factory: Factory } | undefined;
let compiledWasm: WebAssembly.Module | undefined;

/**
 * The emscripten ModuleFactory of the compat build, evaluated once as CommonJS in a private vm
 * context whose microtasks run when each evaluation in it returns.
 */
function loadGlue(): { context: vm.Context; factory: Factory } {
  if (glue) return glue;
  const file = join(litertPackageDir(), 'wasm', `${LITERT_WASM_BASENAME}.js`);
  const source = readFileSync(file, 'utf8');
  const context = vm.createContext(glueGlobals(), { microtaskMode: 'afterEvaluate', name: 'litert-glue' });
  const fn = vm.compileFunction(source, ['exports', 'module', 'require', '__filename', '__dirname'], { filename: file, parsingContext: context });
  const mod: { exports: unknown } = { exports: {} };
  fn(mod.exports, mod, createRequire(file), file, dirname(file));
  if (typeof mod.exports !== 'function') throw new Error(`${file} did not export its ModuleFactory`);
  glue = { context, factory: mod.exports as Factory };
  return glue;
}

function litertWasmModule(): WebAssembly.Module {
  compiledWasm ??= new WebAssembly.Module(readFileSync(join(litertPackageDir(), 'wasm', `${LITERT_WASM_BASENAME}.wasm`)));
  return compiledWasm;
}

const LOG_LINES = 20;

/** A fresh LiteRT instance, made synchronously. Throws with the reason when LiteRT cannot start here. */
export function createLiteRtInstance(): LiteRtInstance {
  const { context, factory } = loadGlue();
  const wasm = litertWasmModule();
  const lines: string[] = [];
  const push = (s: string): void => {
    lines.push(s);
    if (lines.length > LOG_LINES) lines.shift();
  };
  const instance: { aborted: string | undefined } = { aborted: undefined };
  const moduleArg = {
    print: push,
    printErr: push,
    onAbort: (what: unknown) => {
      instance.aborted = String(what);
    },
    instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
      const inst = new WebAssembly.Instance(wasm, imports);
      receive(inst, wasm);
      return inst.exports;
    },
  };
  const settled: { module?: LiteRtModule; error?: unknown } = {};
  // the factory's awaits are drained when this evaluation returns (microtaskMode: 'afterEvaluate')
  const start = vm.runInContext('(factory, arg, settled) => factory(arg).then((m) => { settled.module = m; }, (e) => { settled.error = e; })', context) as (f: Factory, a: unknown, s: typeof settled) => void;
  context['__litertStart'] = () => start(factory, moduleArg, settled);
  try {
    vm.runInContext('__litertStart()', context);
  } finally {
    delete context['__litertStart'];
  }
  if (settled.error !== undefined) throw new Error(`LiteRT did not start: ${errorText(settled.error)}`);
  if (!settled.module) throw new Error(`LiteRT did not start synchronously${instance.aborted ? ` (aborted: ${instance.aborted})` : ''}; its glue awaited something other than its own instantiation`);
  const module = settled.module;
  module.setupLogging?.();
  const env = module.LiteRtEnvironment.create(null);
  lines.length = 0;
  return Object.assign(instance, { module, env, log: () => [...lines], clearLog: () => void (lines.length = 0) });
}

/** The message of an error from any realm (the glue's errors are its context's, not ours). */
export function errorText(e: unknown): string {
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}
