/**
 * Runs a WASI preview1 command (`_start`) on node:wasi with our wasi-nn imports: args, env and
 * preopened dirs in; exit status, and a trap report when the guest trapped, out.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DIALECTS, WASI_EPHEMERAL_NN, WASI_NN_LEGACY, type DialectName } from '../abi/dialects.js';
import type { NnCallTrace, NnImportOptions, NnImports } from '../abi/nn-abi.js';
import { DialectSectionError, chooseDialect, moduleMismatch, type DialectChoice } from '../abi/select-dialect.js';
import { createWasiEphemeralNn } from '../abi/wasi-ephemeral-nn.js';
import { createWasiNnLegacy } from '../abi/wasi-nn-legacy.js';
import type { Backend } from '../backends/backend.js';
import type { NamedGraphRegistry } from '../core/named-graphs.js';
import { NnHost, type NnHostOptions } from '../core/nn-host.js';
import type { Encoding } from '../core/types.js';
import { TRAP_EXIT_CODE, formatTrap, trapReport, type TrapReport } from './trap.js';
import { silenceWasiExperimentalWarning } from './quiet-wasi-warning.js';
import { confinePaths } from './confine-paths.js';
import { wasmKind } from '../component/load-component.js';
import type { WitCallTrace } from '../component/wasi-nn-wit.js';

// node:wasi emits its ExperimentalWarning while it loads: a static import would load it before
// this module's body could filter the warning, so it is loaded here, after the filter.
silenceWasiExperimentalWarning();
const { WASI } = createRequire(import.meta.url)('node:wasi') as typeof import('node:wasi');

export { TRAP_EXIT_CODE };

export interface GuestRun {
  /** path of the .wasm file */
  wasm: string;
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** guest path → host path */
  preopens?: Readonly<Record<string, string>>;
  /** the explicit dialect; undefined: from the guest's custom section, else its imports, else witx (abi/select-dialect.ts) */
  dialect?: DialectName;
  /** file descriptors the guest's stdio goes to (default: this process's) */
  stdin?: number;
  stdout?: number;
  stderr?: number;
  onNnCall?: (trace: NnCallTrace) => void;
  /** a component's wasi:nn calls (the WIT interface has error codes, not errnos) */
  onWitCall?: (trace: WitCallTrace) => void;
  /** told the dialect chosen, before the guest starts */
  onDialect?: (choice: DialectChoice) => void;
  /** told each hint once: the choice or the guest's arguments suggest another dialect */
  onHint?: (hint: string) => void;
  /** a wasi-nn call failed inside the host for a reason that is not an NnError (a host bug): the guest saw runtime_error */
  onHostBug?: (fn: string, message: string) => void;
}

export interface GuestResult {
  exitCode: number;
  trap?: TrapReport;
  dialect: DialectChoice;
}

/** A guest that cannot start: unreadable or invalid module, or an import we do not provide. */
export class GuestLoadError extends Error {
  override name = 'GuestLoadError';
}

const SUPPORTED_MODULES = new Set(['wasi_snapshot_preview1', WASI_EPHEMERAL_NN, WASI_NN_LEGACY]);
const compiled = new Map<string, { mtimeMs: number; size: number; module: WebAssembly.Module }>();

/** A core module, compiled and checked (cached by path, size and mtime), or a component's bytes (load-component.ts caches those by hash). */
type Guest = { module: WebAssembly.Module } | { component: Uint8Array };

function compile(path: string): Guest {
  let stat;
  let bytes;
  try {
    stat = statSync(path);
    const hit = compiled.get(path);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return { module: hit.module };
    bytes = readFileSync(path);
  } catch (e) {
    throw new GuestLoadError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (wasmKind(bytes) === 'component') return { component: bytes };
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new GuestLoadError(`${path} is not a valid WebAssembly module: ${(e as Error).message}`);
  }
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!SUPPORTED_MODULES.has(imp.module)) {
      throw new GuestLoadError(`${path} imports ${imp.module}.${imp.name}, which this host does not provide`);
    }
  }
  if (!WebAssembly.Module.exports(module).some((e) => e.name === '_start' && e.kind === 'function')) {
    throw new GuestLoadError(`${path} is not a WASI command: it exports no _start function`);
  }
  compiled.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, module });
  return { module };
}

/**
 * node:wasi's imports are V8 "fast API calls"; on Node 20 a garbage collection inside one
 * crashes the process once guest memory has grown to tens of MiB (nodejs/node#46777).
 * Calling them through plain JS functions keeps V8 off the fast path.
 */
function viaJsWrappers(imports: Record<string, unknown>): WebAssembly.ModuleImports {
  const wrapped: WebAssembly.ModuleImports = {};
  for (const [name, value] of Object.entries(imports)) {
    if (typeof value !== 'function') continue;
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]) => fn(...args);
  }
  return wrapped;
}

export interface GuestEnvironment {
  backends: ReadonlyMap<Encoding, Backend>;
  registry: NamedGraphRegistry;
  /** NnHost's target policy (default strict) and graph observer */
  targetPolicy?: NnHostOptions['targetPolicy'];
  onGraph?: NnHostOptions['onGraph'];
  limits?: NnHostOptions['limits'];
}

export async function runGuest(run: GuestRun, environment: GuestEnvironment): Promise<GuestResult> {
  const guest = compile(run.wasm);
  if ('component' in guest) {
    // loaded only for components: preview2-shim starts I/O machinery a core guest must not pay for
    const { ComponentStartError, runComponent } = await import('../component/run-component.js');
    try {
      return await runComponent(guest.component, run, environment, { ...(run.onWitCall ? { onWitCall: run.onWitCall } : {}), ...(run.onHostBug ? { onHostBug: run.onHostBug } : {}) });
    } catch (e) {
      if (e instanceof ComponentStartError) throw new GuestLoadError(`${run.wasm}: ${e.message}`);
      throw e;
    }
  }
  const { module } = guest;
  if (run.dialect !== undefined && DIALECTS[run.dialect].layout === 'component') {
    throw new GuestLoadError(`${run.wasm} is a core module; the ${run.dialect} dialect is for components`);
  }
  let choice: DialectChoice;
  try {
    choice = chooseDialect(module, run.dialect);
  } catch (e) {
    if (e instanceof DialectSectionError) throw new GuestLoadError(`${run.wasm}: ${e.message}; pass a dialect (--nn-dialect) to run it anyway`);
    throw e;
  }
  run.onDialect?.(choice);
  for (const hint of choice.hints) run.onHint?.(hint);
  const mismatch = moduleMismatch(module, choice);
  if (mismatch) throw new GuestLoadError(`${run.wasm} cannot be served: ${mismatch}`);
  const wasi = new WASI({
    version: 'preview1',
    args: [run.wasm, ...(run.args ?? [])],
    env: { ...(run.env ?? {}) },
    preopens: { ...(run.preopens ?? {}) },
    returnOnExit: true,
    ...(run.stdin === undefined ? {} : { stdin: run.stdin }),
    ...(run.stdout === undefined ? {} : { stdout: run.stdout }),
    ...(run.stderr === undefined ? {} : { stderr: run.stderr }),
  });
  const host = new NnHost(environment);
  let memory: WebAssembly.Memory | undefined;
  const nnOptions: NnImportOptions = {
    host,
    dialect: choice.dialect,
    memory: () => {
      if (!memory) throw new Error('the guest exports no memory');
      return memory;
    },
    ...(run.onNnCall ? { onCall: run.onNnCall } : {}),
    ...(run.onHint ? { onHint: run.onHint } : {}),
    ...(run.onHostBug ? { onHostBug: run.onHostBug } : {}),
  };
  // one host (NnHost) behind either import module; only the layouts differ
  const nn: NnImports = choice.dialect.module === WASI_NN_LEGACY ? createWasiNnLegacy(nnOptions) : createWasiEphemeralNn(nnOptions);
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, {
      // symlinks inside a preopen cannot lead out of it (confine-paths.ts)
      wasi_snapshot_preview1: viaJsWrappers(confinePaths(wasi.wasiImport as Record<string, (...args: number[]) => number>, run.preopens ?? {}, nnOptions.memory)),
      [choice.dialect.module]: nn,
    });
  } catch (e) {
    host.dispose();
    throw new GuestLoadError(`cannot instantiate ${run.wasm}: ${(e as Error).message}`);
  }
  const exported = instance.exports.memory;
  if (exported instanceof WebAssembly.Memory) memory = exported;
  try {
    return { exitCode: wasi.start(instance), dialect: choice };
  } catch (e) {
    const trap = trapReport(e);
    if (!trap) throw e;
    return { exitCode: TRAP_EXIT_CODE, trap, dialect: choice };
  } finally {
    host.dispose();
  }
}

export { formatTrap };
