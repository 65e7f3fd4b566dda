/** Runs one loaded case on one runtime: requirements → compile → guest job → judge. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, WASI_EPHEMERAL_NN, WASI_NN_LEGACY } from '../reference-host/abi/dialects.js';
import type { Capabilities, GuestJob, RuntimeAdapter } from '../runtimes/adapter.js';
import type { LoadedCase } from './case-types.js';
import { DialectUnsupported, GUEST_CASE_DIR, GUEST_FIXTURES_DIR, compileCase, type CompiledCase } from './compile.js';
import { judge, type CaseVerdict } from './judge.js';
import { driverWasm } from './repo-paths.js';
import { wasmKind } from '../reference-host/component/load-component.js';

export interface CaseResult extends CaseVerdict {
  id: string;
  suite: string;
  title: string;
  spec: string;
  duration_ms: number;
}

export interface RunCaseOptions {
  fixturesDir: string;
  timeoutMs?: number;
}

function unmetRequirement(loaded: LoadedCase, runtime: RuntimeAdapter, caps: Capabilities): string | undefined {
  const req = loaded.case.requires ?? {};
  if (!caps.dialects.includes(runtime.dialect)) return `${runtime.name} speaks the ${caps.dialects.join(', ')} dialect(s), the run uses ${runtime.dialect}`;
  if (req.dialects && !req.dialects.includes(runtime.dialect)) return `needs dialect ${req.dialects.join(' or ')}, the run uses ${runtime.dialect}`;
  const missing = (req.encodings ?? []).filter((e) => !caps.encodings.includes(e));
  if (missing.length > 0) return `needs encoding(s) ${missing.join(', ')}, which ${runtime.name} does not have here`;
  return undefined;
}

const nnImportsCache = new Map<string, string[]>();

/**
 * The wasi-nn functions a guest .wasm imports (from `wasi_ephemeral_nn` or WAMR's legacy
 * `wasi_nn`); none for a component, whose WIT imports the runtime checks at instantiation.
 */
export function nnImports(wasm: string): string[] {
  let names = nnImportsCache.get(wasm);
  if (!names) {
    const bytes = readFileSync(wasm);
    if (wasmKind(bytes) === 'component') {
      nnImportsCache.set(wasm, []);
      return [];
    }
    const module = new WebAssembly.Module(bytes);
    names = WebAssembly.Module.imports(module).filter((i) => i.module === WASI_EPHEMERAL_NN || i.module === WASI_NN_LEGACY).map((i) => i.name);
    nnImportsCache.set(wasm, names);
  }
  return names;
}

/** A guest the runtime would refuse to instantiate: it imports functions the runtime lacks. */
function missingImports(wasm: string, runtime: RuntimeAdapter, caps: Capabilities): string | undefined {
  if (caps.missingImports !== 'refuse') return undefined;
  const missing = nnImports(wasm).filter((f) => !caps.functions.includes(f));
  return missing.length > 0 ? `the guest imports ${missing.join(', ')}, which ${runtime.name} does not provide (it refuses to instantiate such a module)` : undefined;
}

/** The per-case timeout when none is given (`--timeout`). */
export const DEFAULT_CASE_TIMEOUT_MS = 30_000;

/**
 * The driver's arguments: the step script and this run's token, with which it frames every
 * record (harness/observations.ts): a runtime's own output can never pass for an observation.
 */
function guestJob(compiled: CompiledCase, caseDir: string, options: RunCaseOptions, token: string): GuestJob {
  return {
    wasm: driverWasm(compiled.guest),
    args: [`${GUEST_CASE_DIR}/steps.txt`, token],
    preopens: { [GUEST_FIXTURES_DIR]: options.fixturesDir, [GUEST_CASE_DIR]: caseDir },
    preloads: compiled.preloads.map((p) => ({ name: p.name, encoding: p.encoding, target: p.target, paths: p.fixtures.map((f) => join(options.fixturesDir, f)) })),
    timeoutMs: options.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS,
  };
}

type Plan = { unsupported: string } | { compiled: CompiledCase };

function plan(loaded: LoadedCase, runtime: RuntimeAdapter, caps: Capabilities, options: RunCaseOptions): Plan {
  const unmet = unmetRequirement(loaded, runtime, caps);
  if (unmet) return { unsupported: unmet };
  try {
    return { compiled: compileCase(loaded.case, { fixturesDir: options.fixturesDir, dialect: runtime.dialect }) };
  } catch (e) {
    if (e instanceof DialectUnsupported) return { unsupported: e.message };
    throw e;
  }
}

/**
 * Why the case would be UNSUPPORTED on this runtime (requirements, dialect, the guest's imports,
 * what the runtime's flags cannot express), or undefined when it would run: `run --list`.
 */
export function whyUnsupported(loaded: LoadedCase, runtime: RuntimeAdapter, caps: Capabilities, options: RunCaseOptions): string | undefined {
  const p = plan(loaded, runtime, caps, options);
  if ('unsupported' in p) return p.unsupported;
  const job = guestJob(p.compiled, join(tmpdir(), 'wasi-nn-case-planned'), options, '0'.repeat(16));
  return missingImports(job.wasm, runtime, caps) ?? runtime.cannotRun(job);
}

export async function runCase(loaded: LoadedCase, runtime: RuntimeAdapter, caps: Capabilities, options: RunCaseOptions): Promise<CaseResult> {
  const started = performance.now();
  const c = loaded.case;
  const base = { id: c.id, suite: loaded.suite, title: c.title, spec: c.spec };
  const done = (verdict: CaseVerdict): CaseResult => ({ ...base, ...verdict, duration_ms: Math.round(performance.now() - started) });
  const p = plan(loaded, runtime, caps, options);
  if ('unsupported' in p) return done({ status: 'UNSUPPORTED', message: p.unsupported, checks: [], calls: [] });
  const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-case-'));
  try {
    const token = randomBytes(8).toString('hex');
    const job = guestJob(p.compiled, dir, options, token);
    const cannot = missingImports(job.wasm, runtime, caps) ?? runtime.cannotRun(job);
    if (cannot) return done({ status: 'UNSUPPORTED', message: cannot, checks: [], calls: [] });
    writeFileSync(join(dir, 'steps.txt'), p.compiled.script);
    // entries the case wants in its folder (a symlink leading out of it, ...)
    for (const l of loaded.case.case_dir?.symlinks ?? []) symlinkSync(l.target, join(dir, l.name));
    const outcome = await runtime.execute(job);
    return done(judge(p.compiled, outcome, DIALECTS[runtime.dialect], token));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
