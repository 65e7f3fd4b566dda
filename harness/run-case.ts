/** Runs one loaded case on one runtime: requirements → compile → guest job → judge. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../reference-host/abi/dialects.js';
import type { Capabilities, RuntimeAdapter } from '../runtimes/adapter.js';
import type { LoadedCase } from './case-types.js';
import { GUEST_CASE_DIR, GUEST_FIXTURES_DIR, compileCase } from './compile.js';
import { judge, type CaseVerdict } from './judge.js';
import { guestWasm } from './repo-paths.js';

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
  if (req.dialects && !req.dialects.includes(runtime.dialect)) return `needs dialect ${req.dialects.join(' or ')}, the run uses ${runtime.dialect}`;
  const missing = (req.encodings ?? []).filter((e) => !caps.encodings.includes(e));
  if (missing.length > 0) return `needs encoding(s) ${missing.join(', ')}, which ${runtime.name} does not have here`;
  return undefined;
}

export async function runCase(loaded: LoadedCase, runtime: RuntimeAdapter, caps: Capabilities, options: RunCaseOptions): Promise<CaseResult> {
  const started = performance.now();
  const c = loaded.case;
  const base = { id: c.id, suite: loaded.suite, title: c.title, spec: c.spec };
  const done = (verdict: CaseVerdict): CaseResult => ({ ...base, ...verdict, duration_ms: Math.round(performance.now() - started) });
  const unmet = unmetRequirement(loaded, runtime, caps);
  if (unmet) return done({ status: 'UNSUPPORTED', message: unmet, checks: [], calls: [] });

  const compiled = compileCase(c, { fixturesDir: options.fixturesDir, dialect: runtime.dialect });
  const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-case-'));
  try {
    writeFileSync(join(dir, 'steps.txt'), compiled.script);
    const outcome = await runtime.execute({
      wasm: guestWasm(compiled.guest),
      args: [`${GUEST_CASE_DIR}/steps.txt`],
      preopens: { [GUEST_FIXTURES_DIR]: options.fixturesDir, [GUEST_CASE_DIR]: dir },
      preloads: compiled.preloads.map((p) => ({ ...p, paths: p.fixtures.map((f) => join(options.fixturesDir, f)) })),
      timeoutMs: options.timeoutMs ?? 30_000,
    });
    return done(judge(compiled, outcome, DIALECTS[runtime.dialect]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
