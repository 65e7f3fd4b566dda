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
 * Emscripten's instantiation is asynchronous (the factory awaits WebAssembly.instantiate), so an
 * instance is created by an async call; everything after that (loadModel, compileModel, run) is
 * synchronous embind calls into wasm.
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

let factory: Factory | undefined;

/** The emscripten ModuleFactory of the compat build, evaluated once in a private CommonJS scope. */
function loadFactory(): Factory {
  if (factory) return factory;
  const file = join(litertPackageDir(), 'wasm', `${LITERT_WASM_BASENAME}.js`);
  const source = readFileSync(file, 'utf8');
  const fn = vm.compileFunction(source, ['exports', 'module', 'require', '__filename', '__dirname'], { filename: file });
  const mod: { exports: unknown } = { exports: {} };
  fn(mod.exports, mod, createRequire(file), file, dirname(file));
  if (typeof mod.exports !== 'function') throw new Error(`${file} did not export its ModuleFactory`);
  factory = mod.exports as Factory;
  return factory;
}

const LOG_LINES = 20;

/** A fresh LiteRT instance (about 150 ms). Rejects with the reason when LiteRT cannot start here. */
export async function createLiteRtInstance(): Promise<LiteRtInstance> {
  const make = loadFactory();
  const wasmBinary = readFileSync(join(litertPackageDir(), 'wasm', `${LITERT_WASM_BASENAME}.wasm`));
  const lines: string[] = [];
  const push = (s: string): void => {
    lines.push(s);
    if (lines.length > LOG_LINES) lines.shift();
  };
  const instance: { aborted: string | undefined } = { aborted: undefined };
  const module = await make({
    wasmBinary,
    print: push,
    printErr: push,
    onAbort: (what: unknown) => {
      instance.aborted = String(what);
    },
  });
  module.setupLogging?.();
  const env = module.LiteRtEnvironment.create(null);
  lines.length = 0;
  return Object.assign(instance, { module, env, log: () => [...lines], clearLog: () => void (lines.length = 0) });
}
