/**
 * Runs a WASI 0.2 command component (`wasi:cli/run`) on the reference host: jco's transpiled
 * JavaScript (load-component.ts), WASI 0.2 from @bytecodealliance/preview2-shim sandboxed to
 * the run's preopens, args and env (no network), and our `wasi:nn` (wasi-nn-wit.ts) over one
 * NnHost. Exit status, and a trap report when the guest trapped, out: as runGuest for a core
 * module, whose GuestRun and GuestEnvironment it takes.
 */
import { writeSync } from 'node:fs';
import { WASIShim } from '@bytecodealliance/preview2-shim/instantiation';
import { DIALECTS, witDialect, type Dialect } from '../abi/dialects.js';
import type { DialectChoice } from '../abi/select-dialect.js';
import { NnHost } from '../core/nn-host.js';
import { TRAP_EXIT_CODE, trapReport, type TrapReport } from '../wasi/trap.js';
import { ComponentLoadError, loadComponent } from './load-component.js';
import { createWasiNnWit, type WitCallTrace } from './wasi-nn-wit.js';
import type { GuestEnvironment, GuestResult, GuestRun } from '../wasi/run-guest.js';

/** The guest called wasi:cli/exit: unwinds the component's stack to runComponent. */
class ComponentExit {
  constructor(readonly code: number) {}
}

/** Thrown for a component that cannot start (the caller turns it into its GuestLoadError). */
export class ComponentStartError extends Error {
  override name = 'ComponentStartError';
}

type OutputStreamClass = new () => object;

/** An output stream writing synchronously to a file descriptor (the run's stdout or stderr). */
function fdOutputStream(Base: OutputStreamClass, fd: number): object {
  class FdOutputStream extends Base {
    checkWrite(): bigint {
      return 1n << 20n;
    }
    write(buf: Uint8Array): void {
      writeAll(fd, buf);
    }
    blockingWriteAndFlush(buf: Uint8Array): void {
      writeAll(fd, buf);
    }
    flush(): void {}
    blockingFlush(): void {}
    [Symbol.dispose](): void {}
  }
  return new FdOutputStream();
}

function writeAll(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.byteLength) off += writeSync(fd, buf, off, buf.byteLength - off);
}

/** Which component dialect serves it: the explicit one (which must match its wasi:nn version), else its import's version. */
function chooseComponentDialect(explicit: Dialect | undefined, nnVersion: string | undefined): DialectChoice {
  if (explicit) {
    if (explicit.layout !== 'component') {
      throw new ComponentStartError(`the ${explicit.name} dialect is for core modules; this is a component (its dialects: ${Object.values(DIALECTS).filter((d) => d.layout === 'component').map((d) => d.name).join(', ')})`);
    }
    if (nnVersion !== undefined && explicit.witVersion !== nnVersion) {
      throw new ComponentStartError(`it imports wasi:nn@${nnVersion}, but the ${explicit.name} dialect serves wasi:nn@${explicit.witVersion}`);
    }
    return { dialect: explicit, source: 'flag', reason: 'as asked', hints: [] };
  }
  if (nnVersion === undefined) return { dialect: DIALECTS['wit-2024-10-28'], source: 'default', reason: 'the default (the component imports no wasi:nn)', hints: [] };
  const dialect = witDialect(nnVersion);
  if (!dialect) throw new ComponentStartError(`it imports wasi:nn@${nnVersion}, which no dialect serves`);
  return { dialect, source: 'imports', reason: `from the component's imports: wasi:nn@${nnVersion}`, hints: [] };
}

export interface ComponentRunOptions {
  onWitCall?: (trace: WitCallTrace) => void;
  onHostBug?: (fn: string, message: string) => void;
}

export async function runComponent(bytes: Uint8Array, run: GuestRun, environment: GuestEnvironment, options: ComponentRunOptions = {}): Promise<GuestResult> {
  let loaded;
  try {
    loaded = await loadComponent(bytes);
  } catch (e) {
    if (e instanceof ComponentLoadError) throw new ComponentStartError(e.message);
    throw e;
  }
  const choice = chooseComponentDialect(run.dialect === undefined ? undefined : DIALECTS[run.dialect], loaded.nnVersion);
  run.onDialect?.(choice);
  const version = choice.dialect.witVersion ?? '0.2.0-rc-2024-10-28';

  const shim = new WASIShim({ sandbox: { preopens: { ...(run.preopens ?? {}) }, env: { ...(run.env ?? {}) }, args: [run.wasm, ...(run.args ?? [])], enableNetwork: false } });
  const wasi = shim.getImportObject() as Record<string, Record<string, unknown>>;
  const streams = wasi['wasi:io/streams'] as { OutputStream: OutputStreamClass };
  const stdout = fdOutputStream(streams.OutputStream, run.stdout ?? 1);
  const stderr = fdOutputStream(streams.OutputStream, run.stderr ?? 2);
  const host = new NnHost(environment);
  const imports: Record<string, unknown> = {
    ...wasi,
    'wasi:cli/exit': {
      exit(status: { tag: 'ok' | 'err' }): never {
        throw new ComponentExit(status.tag === 'err' ? 1 : 0);
      },
      exitWithCode(code: number): never {
        throw new ComponentExit(code);
      },
    },
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stderr': { getStderr: () => stderr },
    ...createWasiNnWit({ host, version, ...(options.onWitCall ? { onCall: options.onWitCall } : {}), ...(options.onHostBug ? { onHostBug: options.onHostBug } : {}) }),
  };

  try {
    let exports: Record<string, unknown>;
    try {
      exports = loaded.instantiate(loaded.getCoreModule, imports);
    } catch (e) {
      if (e instanceof ComponentExit) return { exitCode: e.code, dialect: choice };
      const trap = trapReport(e);
      if (trap) return { exitCode: TRAP_EXIT_CODE, trap, dialect: choice };
      throw new ComponentStartError(`cannot instantiate it: ${(e as Error).message}`);
    }
    const runExport = Object.entries(exports).find(([k]) => k === 'run' || /^wasi:cli\/run@/.test(k))?.[1] as { run?: () => void } | undefined;
    if (typeof runExport?.run !== 'function') throw new ComponentStartError('it exports no wasi:cli/run function');
    try {
      runExport.run();
      return { exitCode: 0, dialect: choice };
    } catch (e) {
      if (e instanceof ComponentExit) return { exitCode: e.code, dialect: choice };
      // run() -> result<_, _>: jco throws its ComponentError for the err case
      if (e instanceof Error && e.name === 'ComponentError') return { exitCode: 1, dialect: choice };
      return { exitCode: TRAP_EXIT_CODE, trap: componentTrap(e), dialect: choice };
    }
  } finally {
    host.dispose();
  }
}

/**
 * What stopped the component: a wasm trap, or a canonical-ABI rule the lifting and lowering
 * enforce (a handle the guest does not hold, an enum value out of range, an out-of-bounds
 * list): the component model makes both a trap.
 */
function componentTrap(e: unknown): TrapReport {
  const wasm = trapReport(e);
  if (wasm) return wasm;
  const message = e instanceof Error ? e.message : String(e);
  return { reason: `canonical ABI: ${message.split('\n')[0]}` };
}
