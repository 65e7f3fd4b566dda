/**
 * `wasi-nn-conformance`: runs suites on a runtime and judges them.
 *   wasi-nn-conformance run [--runtime NAME] [--dialect DIALECT] [--suite GLOB] [--out FILE] [--jobs N] [--json]
 * Subcommands live in COMMANDS; each takes the arguments after its name and returns an exit status.
 */
import { availableParallelism } from 'node:os';
import { DIALECT_NAMES, isDialectName, type DialectName } from '../reference-host/abi/dialects.js';
import { RUNTIMES } from '../runtimes/index.js';
import { detectMain } from './detect-cli.js';
import { FIXTURES_DIR, SUITES_DIR } from './repo-paths.js';
import { runCase, type CaseResult } from './run-case.js';
import { SuiteError, loadSuites } from './suite-loader.js';
import { STATUSES, type Status } from './judge.js';
import { REPORTS_USAGE, reportsMain } from '../reports/cli.js';
import { applyExpectations, loadExpectations } from '../reports/expectations.js';
import { ReportFileError, ReportWriter } from '../reports/report-io.js';

export const USAGE = `usage: wasi-nn-conformance run [--runtime ${Object.keys(RUNTIMES).join('|')}] [--dialect ${DIALECT_NAMES.join('|')}] [--suite GLOB] [--out FILE] [--jobs N] [--json]`;

interface RunArgs {
  runtime: string;
  /** undefined: the runtime's own default */
  dialect?: DialectName;
  suite?: string;
  out?: string;
  /** cases at once, for runtimes run as child processes; undefined: the number of CPUs */
  jobs?: number;
  json: boolean;
}

export class UsageError extends Error {}

function parseArgs(argv: readonly string[]): RunArgs {
  const args: RunArgs = { runtime: 'reference', json: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const arg = eq > 0 ? raw.slice(0, eq) : raw;
    const next = () => {
      if (eq > 0) return raw.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--runtime':
        args.runtime = next();
        if (!RUNTIMES[args.runtime]) throw new UsageError(`unknown runtime ${args.runtime} (known: ${Object.keys(RUNTIMES).join(', ')})`);
        break;
      case '--dialect': {
        const d = next();
        if (!isDialectName(d)) throw new UsageError(`--dialect ${d}: expected one of ${DIALECT_NAMES.join(', ')}`);
        args.dialect = d;
        break;
      }
      case '--suite':
        args.suite = next();
        break;
      case '--out':
        args.out = next();
        break;
      case '--jobs': {
        const v = next();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1) throw new UsageError(`--jobs ${v}: expected a whole number >= 1`);
        args.jobs = n;
        break;
      }
      case '--json':
        if (eq > 0) throw new UsageError('--json takes no value');
        args.json = true;
        break;
      default:
        throw new UsageError(`unknown option ${raw}`);
    }
  }
  return args;
}

export function countByStatus(results: readonly CaseResult[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Statuses that make a run fail. */
export const BAD_STATUSES: ReadonlySet<Status> = new Set(['FAIL', 'ERROR', 'TRAP', 'CRASH', 'TIMEOUT', 'XPASS']);

/** One updating line on stderr when it is a terminal; nothing otherwise. */
class Progress {
  private readonly on = process.stderr.isTTY === true;
  private shown = false;
  constructor(private readonly total: number) {}
  update(done: number, bad: number, last: string) {
    if (!this.on) return;
    const width = Math.max(20, (process.stderr.columns ?? 80) - 1);
    const line = `[${done}/${this.total}] ${bad} not passing  ${last}`.slice(0, width);
    process.stderr.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }
  clear() {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}

/** Runs fn over items with at most `jobs` in flight; onDone sees each result as it lands. */
async function pool<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>, onDone: (index: number, result: R) => void): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const result = await fn(items[index] as T);
      results[index] = result;
      onDone(index, result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

async function run(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const entry = RUNTIMES[args.runtime];
  if (!entry) throw new UsageError(`unknown runtime ${args.runtime}`);
  const cases = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR, ...(args.suite ? { filter: args.suite } : {}) });
  if (cases.length === 0) throw new UsageError(`no case matches --suite ${args.suite}`);
  const runtime = entry.create(args.dialect ?? entry.defaultDialect);
  const detection = await runtime.detect();
  if (!detection.available) {
    process.stderr.write(`wasi-nn-conformance: runtime ${runtime.name} unavailable: ${detection.reason}; fix: ${detection.fix}\n`);
    return 2;
  }
  const caps = await runtime.capabilities();
  if (!caps.dialects.includes(runtime.dialect)) {
    throw new UsageError(`runtime ${runtime.name} speaks the ${caps.dialects.join(', ')} dialect(s), not ${runtime.dialect}`);
  }
  const jobs = entry.inProcess ? 1 : (args.jobs ?? Math.max(1, availableParallelism()));
  const startedAt = new Date().toISOString();
  const progress = new Progress(cases.length);
  const finished: (CaseResult | undefined)[] = new Array(cases.length);
  let printed = 0;
  let doneCount = 0;
  let badCount = 0;
  // plain output stays in case order whatever --jobs is: print the finished prefix
  const flush = () => {
    while (printed < cases.length && finished[printed]) {
      const r = finished[printed++] as CaseResult;
      if (!args.json && r.status !== 'PASS') process.stdout.write(`${r.status.padEnd(11)} ${r.id}${r.message ? `: ${r.message}` : ''}\n`);
    }
  };
  // the report file is valid from here on: complete:false with the cases so far, also after Ctrl-C
  const expectations = loadExpectations(runtime.name);
  const writer = new ReportWriter(args.out, {
    runtime: { name: runtime.name, version: detection.version, dialect: runtime.dialect, ...(detection.path ? { path: detection.path } : {}) },
    encodings: caps.encodings,
    jobs,
    planned_cases: cases.length,
    started_at: startedAt,
    ...(args.suite ? { suite_filter: args.suite } : {}),
  }, { order: cases.map((c) => c.case.id) });
  const runOne = async (c: (typeof cases)[number]) => {
    const r = applyExpectations(await runCase(c, runtime, caps, { fixturesDir: FIXTURES_DIR }), expectations, runtime.dialect);
    await new Promise((resolve) => setImmediate(resolve)); // let Ctrl-C reach the report writer between in-process cases
    return r;
  };
  const results = await pool(cases, jobs, runOne, (index, r) => {
    writer.add(r);
    finished[index] = r;
    doneCount++;
    if (BAD_STATUSES.has(r.status)) badCount++;
    progress.clear();
    flush();
    progress.update(doneCount, badCount, r.id);
  });
  progress.clear();
  const counts = countByStatus(results);
  const report = writer.finish();
  if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const failed = results.filter((r) => BAD_STATUSES.has(r.status)).length;
    const summary = STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ');
    process.stdout.write(`${runtime.name} (${runtime.dialect}): ${results.length} cases: ${summary}\n`);
    process.stdout.write(`${counts.PASS} passed, ${failed} failed, ${counts.UNSUPPORTED} skipped\n`);
  }
  return results.some((r) => BAD_STATUSES.has(r.status)) ? 1 : 0;
}

/** Subcommands: name → handler of the arguments after the name. Add one line per subcommand. */
export const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  run,
  detect: detectMain,
  diff: (argv) => reportsMain('diff', argv),
  review: (argv) => reportsMain('review', argv),
  render: (argv) => reportsMain('render', argv),
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n${REPORTS_USAGE}\n`);
    return 0;
  }
  try {
    const handler = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!handler) throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
    return await handler(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasi-nn-conformance: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof SuiteError) {
      process.stderr.write(`wasi-nn-conformance: bad suite file: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ReportFileError) {
      process.stderr.write(`wasi-nn-conformance: bad report or expectation file: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
