/**
 * `wasi-nn-conformance`: runs suites on a runtime and judges them.
 *   wasi-nn-conformance run [--runtime reference] [--dialect witx|wamr] [--suite GLOB] [--out FILE] [--json]
 */
import { writeFileSync, renameSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { DIALECT_NAMES, isDialectName, type DialectName } from '../reference-host/abi/dialects.js';
import type { RuntimeAdapter } from '../runtimes/adapter.js';
import { ReferenceAdapter } from '../runtimes/reference/reference-adapter.js';
import { FIXTURES_DIR, SUITES_DIR, harnessVersion } from './repo-paths.js';
import { runCase, type CaseResult } from './run-case.js';
import { SuiteError, loadSuites } from './suite-loader.js';
import { STATUSES, type Status } from './judge.js';

export const USAGE = `usage: wasi-nn-conformance run [--runtime reference] [--dialect ${DIALECT_NAMES.join('|')}] [--suite GLOB] [--out FILE] [--json]`;

const RUNTIMES: Record<string, (dialect: DialectName) => RuntimeAdapter> = {
  reference: (dialect) => new ReferenceAdapter(dialect),
};

interface RunArgs {
  runtime: string;
  dialect: DialectName;
  suite?: string;
  out?: string;
  json: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): RunArgs {
  const args: RunArgs = { runtime: 'reference', dialect: 'witx', json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = () => {
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
      case '--json':
        args.json = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
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

async function run(args: RunArgs): Promise<number> {
  const cases = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR, ...(args.suite ? { filter: args.suite } : {}) });
  if (cases.length === 0) throw new UsageError(`no case matches --suite ${args.suite}`);
  const runtime = (RUNTIMES[args.runtime] as (d: DialectName) => RuntimeAdapter)(args.dialect);
  const detection = await runtime.detect();
  if (!detection.available) {
    process.stderr.write(`wasi-nn-conformance: runtime ${runtime.name} unavailable: ${detection.reason}\n  fix: ${detection.fix}\n`);
    return 2;
  }
  const caps = await runtime.capabilities();
  const startedAt = new Date().toISOString();
  const results: CaseResult[] = [];
  for (const c of cases) {
    const result = await runCase(c, runtime, caps, { fixturesDir: FIXTURES_DIR });
    results.push(result);
    if (!args.json && result.status !== 'PASS') process.stdout.write(`${result.status.padEnd(11)} ${result.id}${result.message ? `: ${result.message}` : ''}\n`);
  }
  const counts = countByStatus(results);
  const report = {
    run_info: {
      harness_version: harnessVersion(),
      runtime: { name: runtime.name, version: detection.version, dialect: runtime.dialect },
      encodings: caps.encodings,
      os: `${platform()} ${release()} ${arch()}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      started_at: startedAt,
      finished_at: new Date().toISOString(),
    },
    counts,
    results,
  };
  if (args.out) {
    const tmp = `${args.out}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
    renameSync(tmp, args.out);
  }
  if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const failed = results.filter((r) => BAD_STATUSES.has(r.status)).length;
    const summary = STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ');
    process.stdout.write(`${runtime.name} (${runtime.dialect}): ${results.length} cases: ${summary}\n`);
    process.stdout.write(`${counts.PASS} passed, ${failed} failed, ${counts.UNSUPPORTED} skipped\n`);
  }
  return results.some((r) => BAD_STATUSES.has(r.status)) ? 1 : 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (command !== 'run') throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
    return await run(parseArgs(rest));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasi-nn-conformance: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof SuiteError) {
      process.stderr.write(`wasi-nn-conformance: bad suite file: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
