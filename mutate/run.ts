/**
 * `npm run mutate`: applies each mutant of mutants.ts to a private copy of the reference host and
 * runs every dialect's suites against it in process (`wasi-nn-conformance run --runtime
 * reference`), comparing each case's status with the unmutated host's. A mutant is killed by the
 * first dialect where a case differs and still gives the unmutated host's status when the
 * unmutated host runs it again (else the case is flaky, listed, and kills nothing); it survives
 * when every dialect matches. Prints one line
 * per mutant, the equivalent ones apart with their reasons, and exits 1 if any mutant survives.
 *
 *   npm run mutate [-- --jobs N] [--only ID[,ID...]] [--sample N --seed S] [--dialects D[,D...]]
 *
 * --sample N --seed S runs N mutants chosen by a seeded shuffle (CI's budget); --jobs runs that
 * many mutants at once (default 2).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECT_NAMES, isDialectName, type DialectName } from '../reference-host/abi/dialects.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { MUTANTS, type Mutant } from './mutants.js';
import { makeMutantRoot, removeMutantRoot } from './mutant-root.js';

/** A run of one dialect that takes longer than this counts as killed (the mutant hangs). */
const RUN_TIMEOUT_MS = 10 * 60 * 1000;
/** The dialects, the ones that kill most mutants first. */
const ORDER: readonly DialectName[] = ['witx', 'wit-2024-10-28', 'wamr-legacy', 'wasmedge', 'witx-2020', 'wamr', 'wamr-2.1', 'wit-2024-08-19'];

interface Options {
  jobs: number;
  only: string[] | undefined;
  sample: number | undefined;
  seed: number;
  dialects: DialectName[];
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { jobs: 2, only: undefined, sample: undefined, seed: 1, dialects: [...ORDER] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (): number => {
      const v = value();
      if (!/^[1-9][0-9]*$/.test(v)) throw new Error(`${flag} ${v}: expected a whole number >= 1`);
      return Number(v);
    };
    switch (flag) {
      case '--jobs':
        o.jobs = count();
        break;
      case '--only':
        o.only = value().split(',');
        break;
      case '--sample':
        o.sample = count();
        break;
      case '--seed':
        o.seed = count();
        break;
      case '--dialects': {
        const ds = value().split(',');
        const bad = ds.find((d) => !isDialectName(d));
        if (bad !== undefined) throw new Error(`--dialects: ${bad} is not one of ${DIALECT_NAMES.join(', ')}`);
        o.dialects = ds as DialectName[];
        break;
      }
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return o;
}

/** A seeded shuffle (mulberry32), so a CI sample is the same on every run with the same seed. */
export function seededSample<T>(items: readonly T[], n: number, seed: number): T[] {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j] as T, a[i] as T];
  }
  return a.slice(0, n);
}

type Statuses = Map<string, string>;

/** Runs one dialect's suites (or only `cases`) on the harness copy at `root`; the case statuses, or why the run failed. */
function runSuites(root: string, dialect: DialectName, out: string, cases: readonly string[] = []): Promise<Statuses | { failed: string }> {
  return new Promise((resolve) => {
    const only = cases.flatMap((id) => ['--case', id]);
    const child = spawn(process.execPath, [join(root, 'bin', 'wasi-nn-conformance.js'), 'run', '--runtime', 'reference', '--dialect', dialect, ...only, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        const report = JSON.parse(readFileSync(out, 'utf8')) as { results: { id: string; status: string }[] };
        resolve(new Map(report.results.map((r) => [r.id, r.status])));
      } catch {
        resolve({ failed: signal === 'SIGKILL' ? `the ${dialect} run passed ${RUN_TIMEOUT_MS / 60000} minutes` : `the ${dialect} run wrote no report (exit ${code ?? signal}): ${stderr.trim().split('\n').slice(-2).join(' | ')}` });
      }
    });
  });
}

interface Verdict {
  mutant: Mutant;
  killedBy: string | undefined;
  evidence: string[];
  seconds: number;
}

/** How many differing cases a kill re-runs on the unmutated host to rule out a flaky case. */
const CONFIRM_CASES = 8;

/**
 * A mutant is killed by the first dialect where a case's status differs from the unmutated
 * host's, and the unmutated host, run again on those cases, still gives its own status: a case
 * that differs on the unmutated host too is flaky (listed, never a kill).
 */
async function judgeMutant(m: Mutant, dialects: readonly DialectName[], baseline: ReadonlyMap<DialectName, Statuses>, flaky: Set<string>): Promise<Verdict> {
  const started = performance.now();
  const root = makeMutantRoot(REPO_ROOT, m);
  const seconds = () => (performance.now() - started) / 1000;
  try {
    for (const d of dialects) {
      const got = await runSuites(root, d, join(root, `report-${d}.json`));
      if ('failed' in got) return { mutant: m, killedBy: d, evidence: [got.failed], seconds: seconds() };
      const base = baseline.get(d) as Statuses;
      let differ = [...base].filter(([id, s]) => got.get(id) !== s).map(([id]) => id);
      if (differ.length === 0) continue;
      const confirm = await runSuites(baseRoot(), d, join(root, `confirm-${d}.json`), differ.slice(0, CONFIRM_CASES));
      if (!('failed' in confirm)) {
        const unsteady = differ.slice(0, CONFIRM_CASES).filter((id) => confirm.get(id) !== base.get(id));
        for (const id of unsteady) flaky.add(`${id} (${d})`);
        differ = differ.filter((id) => !unsteady.includes(id));
      }
      if (differ.length > 0) return { mutant: m, killedBy: d, evidence: differ.map((id) => `${id}: ${base.get(id)} → ${got.get(id) ?? 'missing'}`), seconds: seconds() };
    }
    return { mutant: m, killedBy: undefined, evidence: [], seconds: seconds() };
  } finally {
    removeMutantRoot(root);
  }
}

let unmutatedRoot: string | undefined;
/** The unmutated copy, kept for the whole run (the baseline, and confirming kills). */
function baseRoot(): string {
  unmutatedRoot ??= makeMutantRoot(REPO_ROOT, undefined);
  return unmutatedRoot;
}

/** Runs `work` over `items`, `jobs` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>, done: (r: R) => void): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      const r = await work(item);
      results.push(r);
      done(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

export async function main(argv: readonly string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`mutate: ${(e as Error).message}\n`);
    return 2;
  }
  const unknown = o.only?.filter((id) => !MUTANTS.some((m) => m.id === id)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`mutate: no mutant ${unknown.join(', ')}\n`);
    return 2;
  }
  const started = performance.now();
  const equivalent = MUTANTS.filter((m) => m.equivalent !== undefined);
  let chosen = MUTANTS.filter((m) => m.equivalent === undefined && (o.only === undefined || o.only.includes(m.id)));
  if (o.sample !== undefined) chosen = seededSample(chosen, o.sample, o.seed);
  // applying every chosen mutant to a fresh copy first: a mutant whose text rotted stops the run before any suite runs
  for (const m of chosen) removeMutantRoot(makeMutantRoot(REPO_ROOT, m));

  process.stdout.write(`mutate: the unmutated host, ${o.dialects.length} dialect(s)\n`);
  const baseline = new Map<DialectName, Statuses>();
  const flaky = new Set<string>();
  try {
    await pool(o.dialects, o.jobs, async (d) => ({ d, r: await runSuites(baseRoot(), d, join(baseRoot(), `report-${d}.json`)) }), ({ d, r }) => {
      if ('failed' in r) throw new Error(`the unmutated host: ${r.failed}`);
      const bad = [...r].filter(([, s]) => s !== 'PASS' && s !== 'UNSUPPORTED');
      if (bad.length > 0) throw new Error(`the unmutated host does not pass its own suites under ${d}: ${bad.slice(0, 3).map(([id, s]) => `${id} ${s}`).join(', ')}`);
      baseline.set(d, r);
    });
  } catch (e) {
    removeMutantRoot(baseRoot());
    throw e;
  }

  process.stdout.write(`mutate: ${chosen.length} mutant(s)${o.sample !== undefined ? ` (a sample of ${o.sample}, seed ${o.seed})` : ''}, ${o.jobs} at a time\n`);
  const verdicts = await pool(chosen, o.jobs, (m) => judgeMutant(m, o.dialects, baseline, flaky), (v) => {
    const what = v.killedBy ? `killed by ${v.killedBy}: ${v.evidence.slice(0, 2).join('; ')}${v.evidence.length > 2 ? ` (+${v.evidence.length - 2} more)` : ''}` : 'SURVIVED';
    process.stdout.write(`  ${v.killedBy ? 'killed  ' : 'SURVIVED'} ${v.mutant.id} (${v.seconds.toFixed(0)} s): ${v.killedBy ? what : v.mutant.fault}\n`);
  });
  removeMutantRoot(baseRoot());
  const survivors = verdicts.filter((v) => !v.killedBy);
  if (flaky.size > 0) process.stdout.write(`flaky (differed on the unmutated host too, so they killed nothing): ${[...flaky].join(', ')}\n`);
  if (equivalent.length > 0) {
    process.stdout.write(`equivalent (not run): ${equivalent.length}\n`);
    for (const m of equivalent) process.stdout.write(`  ${m.id}: ${m.fault}; ${m.equivalent}\n`);
  }
  process.stdout.write(`mutate: ${verdicts.length} run, ${verdicts.length - survivors.length} killed, ${survivors.length} survived, ${equivalent.length} equivalent; ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  for (const v of survivors) process.stdout.write(`  survivor ${v.mutant.id} (${v.mutant.file}): ${v.mutant.fault}\n`);
  return survivors.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
