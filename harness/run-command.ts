/**
 * `wasi-nn-conformance run`: selects cases (built-in and brought suites, --suite, --case,
 * --shard), runs them on one runtime, applies expectations, writes the report, prints failures
 * and a counts table, and optionally reviews the run against a baseline.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { RUNTIMES } from '../runtimes/index.js';
import type { RuntimeAdapter } from '../runtimes/adapter.js';
import { applyExpectations, loadExpectationFile, loadExpectations, unmatchedExpectations, type LoadedExpectations } from '../reports/expectations.js';
import { ReportWriter, prepareOutputPath, readReport } from '../reports/report-io.js';
import type { Report } from '../reports/report-types.js';
import { formatReview, review } from '../reports/review.js';
import { EXIT_FOUND, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { FIXTURES_DIR, SUITES_DIR } from './repo-paths.js';
import { UsageError, parseRunArgs, type RunArgs } from './run-args.js';
import { DEFAULT_CASE_TIMEOUT_MS, runCase, whyUnsupported, type CaseResult } from './run-case.js';
import { BAD_STATUSES, Progress, caseLine, shouldPrint, summaryTable } from './run-output.js';
import { selectShard } from './shard.js';
import { selectCases } from './suite-loader.js';
import type { LoadedCase } from './case-types.js';
import type { ShardInfo } from '../reports/report-types.js';

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

interface Selection {
  cases: LoadedCase[];
  shard?: ShardInfo;
}

function select(args: RunArgs): Selection {
  const all = selectCases({
    builtinSuitesDir: SUITES_DIR,
    fixturesDir: FIXTURES_DIR,
    extraSuiteDirs: args.suites.map((d) => resolve(d)),
    builtin: args.builtinSuites,
    ...(args.suite ? { filter: args.suite } : {}),
    caseGlobs: args.cases,
  });
  if (all.length === 0) {
    const what = [args.suite ? `--suite ${args.suite}` : '', ...args.cases.map((c) => `--case ${c}`)].filter(Boolean).join(' ');
    throw new UsageError(what ? `no case matches ${what}` : 'the selected suite folders hold no case');
  }
  if (!args.shard) return { cases: all };
  const { cases, positions } = selectShard(all, args.shard);
  return { cases, shard: { index: args.shard.index, total: args.shard.total, plan_size: all.length, positions } };
}

/** Reads the baseline now, so a bad file stops the run before it starts; only the selected cases count. */
function loadBaseline(path: string, ids: ReadonlySet<string>): Report {
  const base = readReport(path);
  const results = base.results.filter((r) => ids.has(r.id));
  return { ...base, results, findings: base.findings.filter((f) => ids.has(f.case)) };
}

async function openRuntime(args: RunArgs): Promise<RuntimeAdapter> {
  const entry = RUNTIMES[args.runtime];
  if (!entry) throw new UsageError(`unknown runtime ${args.runtime}`);
  const runtime = entry.create(args.dialect ?? entry.defaultDialect);
  if (args.binary !== undefined) {
    if (!runtime.binaryEnvVar) throw new UsageError(`--binary: runtime ${runtime.name} runs in this process and has no binary`);
    process.env[runtime.binaryEnvVar] = resolve(args.binary);
  }
  return runtime;
}

function list(cases: readonly LoadedCase[], reasons: readonly (string | undefined)[], header: string): number {
  for (const [i, c] of cases.entries()) {
    const why = reasons[i];
    process.stdout.write(why === undefined ? `RUN         ${c.case.id}\n` : `UNSUPPORTED ${c.case.id}: ${why}\n`);
  }
  const unsupported = reasons.filter((r) => r !== undefined).length;
  process.stdout.write(`${header}: ${cases.length} cases: ${cases.length - unsupported} would run, ${unsupported} UNSUPPORTED\n`);
  return EXIT_OK;
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  const args = parseRunArgs(argv);
  const selection = select(args);
  const { cases } = selection;
  const baseline = args.baseline ? loadBaseline(args.baseline, new Set(cases.map((c) => c.case.id))) : undefined;
  if (args.out) prepareOutputPath(args.out);
  const runtime = await openRuntime(args);
  const detection = await runtime.detect();
  if (!detection.available) {
    process.stderr.write(`wasi-nn-conformance: runtime ${runtime.name} unavailable: ${detection.reason}; fix: ${detection.fix}\n`);
    return EXIT_USAGE;
  }
  // the start-up line: which binary, and what it was found able to do
  if (detection.path) process.stderr.write(`${runtime.name}: ${detection.path} (${detection.version})${detection.details ? `; ${detection.details}` : ''}\n`);
  const caps = await runtime.capabilities();
  if (!caps.dialects.includes(runtime.dialect)) {
    throw new UsageError(`runtime ${runtime.name} speaks the ${caps.dialects.join(', ')} dialect(s), not ${runtime.dialect}`);
  }
  const expectations: LoadedExpectations = args.expectations ? loadExpectationFile(args.expectations, runtime.name) : loadExpectations(runtime.name);
  const timeoutMs = args.timeoutMs ?? DEFAULT_CASE_TIMEOUT_MS;
  const options = { fixturesDir: FIXTURES_DIR, timeoutMs };
  const label = `${runtime.name} (${runtime.dialect})${selection.shard ? ` shard ${selection.shard.index}/${selection.shard.total}` : ''}`;
  if (args.list) return list(cases, cases.map((c) => whyUnsupported(c, runtime, caps, options)), label);

  const entry = RUNTIMES[args.runtime];
  const jobs = entry?.inProcess ? 1 : (args.jobs ?? Math.max(1, availableParallelism()));
  const progress = new Progress(cases.length);
  const finished: (CaseResult | undefined)[] = new Array(cases.length);
  let printed = 0;
  let doneCount = 0;
  let badCount = 0;
  // plain output stays in case order whatever --jobs is: print the finished prefix
  const flush = () => {
    while (printed < cases.length && finished[printed]) {
      const r = finished[printed++] as CaseResult;
      if (!args.json && shouldPrint(r.status, args.verbose)) process.stdout.write(caseLine(r));
    }
  };
  // the report file is valid from here on: complete:false with the cases so far, also after Ctrl-C
  const writer = new ReportWriter(
    args.out,
    {
      runtime: { name: runtime.name, version: detection.version, dialect: runtime.dialect, ...(detection.path ? { path: detection.path } : {}), ...(args.runtimeBuild ? { build: args.runtimeBuild } : detection.build ? { build: detection.build } : {}) },
      encodings: caps.encodings,
      ...(caps.engines ? { engines: caps.engines } : {}),
      jobs,
      planned_cases: cases.length,
      timeout_ms: timeoutMs,
      ...(args.suite ? { suite_filter: args.suite } : {}),
      ...(args.cases.length > 0 ? { case_filter: args.cases } : {}),
      suite_dirs: [...(args.builtinSuites ? ['builtin'] : []), ...args.suites],
      ...(expectations.path ? { expectations: expectations.path } : {}),
      ...(selection.shard ? { shard: selection.shard } : {}),
    },
    { order: cases.map((c) => c.case.id) },
  );
  const runOne = async (c: LoadedCase) => {
    const r = applyExpectations(await runCase(c, runtime, caps, options), expectations, runtime.dialect);
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
  const report = writer.finish();
  const failed = results.filter((r) => BAD_STATUSES.has(r.status)).length;
  const out = args.json ? process.stderr : process.stdout;
  if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    process.stdout.write(`\n${label}: ${results.length} cases\n${summaryTable(results)}`);
    if (args.verbose) {
      for (const e of unmatchedExpectations(expectations, cases.map((c) => c.case.id), runtime.dialect)) {
        process.stdout.write(`expectation matched no case of this run: ${e.id} (${e.reason})\n`);
      }
    }
    process.stdout.write(`${report.counts.PASS} passed, ${failed} failed, ${report.counts.UNSUPPORTED} skipped\n`);
  }
  if (baseline) {
    const r = review(baseline, report);
    out.write(`\n${formatReview(r, { baseline: args.baseline as string, report: args.out ?? '(this run)' }, { baseline, report })}`);
    return r.ok ? EXIT_OK : EXIT_FOUND;
  }
  return failed > 0 ? EXIT_FOUND : EXIT_OK;
}
