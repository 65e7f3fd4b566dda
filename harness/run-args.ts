/** The options of `wasi-nn-conformance run`, parsed and checked before anything runs. */
import { DIALECT_NAMES, isDialectName, type DialectName } from '../reference-host/abi/dialects.js';
import { RUNTIMES } from '../runtimes/index.js';
import { ShardSyntaxError, parseShard, type Shard } from './shard.js';

export class UsageError extends Error {}

export interface RunArgs {
  runtime: string;
  /** the runtime binary (else its env var, else PATH) */
  binary?: string;
  /** how the binary was built, recorded in run_info.runtime.build */
  runtimeBuild?: string;
  /** undefined: the runtime's own default */
  dialect?: DialectName;
  /** a glob on suite files / folders */
  suite?: string;
  /** extra suite folders */
  suites: string[];
  /** false: only the --suites folders */
  builtinSuites: boolean;
  /** globs on case ids */
  cases: string[];
  expectations?: string;
  baseline?: string;
  timeoutMs?: number;
  list: boolean;
  shard?: Shard;
  out?: string;
  /** cases at once, for runtimes run as child processes; undefined: the number of CPUs */
  jobs?: number;
  json: boolean;
  verbose: boolean;
}

export const RUN_USAGE = `usage: wasi-nn-conformance run [options]
  --runtime NAME        ${Object.keys(RUNTIMES).join(', ')} (default reference)
  --binary PATH         the runtime binary (default: its env var, e.g. WASI_NN_WASMTIME, else PATH)
  --runtime-build TEXT  how that binary was built (commit, flags), kept in the report's run_info
  --dialect NAME        ${DIALECT_NAMES.join(', ')} (default: the runtime's own)
  --suite GLOB          only suite files or folders matching GLOB (e.g. 'abi/*', onnx)
  --case GLOB           only cases whose id matches GLOB (e.g. 'onnx.*'); repeatable
  --suites DIR          also run the case files under DIR (validated by the same schema); repeatable
  --no-builtin-suites   run only the --suites folders
  --expectations FILE   this runtime's expected failures (same schema as reports/expectations),
                        instead of the built-in list
  --baseline FILE       review the run against an approved report: exit 1 only on a regression
  --timeout SECONDS     per case (default 30); a runtime still running then is killed with its children
  --shard K/N           run the K-th of N shards, split evenly by estimated cost; merge the reports
                        with \`wasi-nn-conformance merge\`
  --jobs N              cases at once on child-process runtimes (default: the number of CPUs)
  --list                print what would run (and why a case would be UNSUPPORTED); run nothing
  --out FILE            write the JSON report (missing folders are made; written atomically)
  --json                print the JSON report instead of text
  --verbose             also list UNSUPPORTED and XFAIL cases (they are always counted)`;

/** The value of `--opt=value` or of the next argument. */
function optionReader(argv: readonly string[]) {
  let i = 0;
  return {
    done: () => i >= argv.length,
    next(): { name: string; raw: string; value: () => string; flag: () => void } {
      const raw = argv[i++] as string;
      const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
      const name = eq > 0 ? raw.slice(0, eq) : raw;
      return {
        name,
        raw,
        value: () => {
          if (eq > 0) return raw.slice(eq + 1);
          const v = argv[i++];
          if (v === undefined) throw new UsageError(`${name} needs a value`);
          return v;
        },
        flag: () => {
          if (eq > 0) throw new UsageError(`${name} takes no value`);
        },
      };
    },
  };
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  const args: RunArgs = { runtime: 'reference', suites: [], builtinSuites: true, cases: [], list: false, json: false, verbose: false };
  const reader = optionReader(argv);
  while (!reader.done()) {
    const opt = reader.next();
    switch (opt.name) {
      case '--runtime':
        args.runtime = opt.value();
        if (!Object.hasOwn(RUNTIMES, args.runtime)) throw new UsageError(`unknown runtime ${args.runtime} (known: ${Object.keys(RUNTIMES).join(', ')})`);
        break;
      case '--binary':
        args.binary = opt.value();
        break;
      case '--runtime-build':
        args.runtimeBuild = opt.value();
        break;
      case '--dialect': {
        const d = opt.value();
        if (!isDialectName(d)) throw new UsageError(`--dialect ${d}: expected one of ${DIALECT_NAMES.join(', ')}`);
        args.dialect = d;
        break;
      }
      case '--suite':
        args.suite = opt.value();
        break;
      case '--suites':
        args.suites.push(opt.value());
        break;
      case '--no-builtin-suites':
        opt.flag();
        args.builtinSuites = false;
        break;
      case '--case':
        args.cases.push(opt.value());
        break;
      case '--expectations':
        args.expectations = opt.value();
        break;
      case '--baseline':
        args.baseline = opt.value();
        break;
      case '--timeout': {
        const v = opt.value();
        const seconds = Number(v);
        if (!/^\d+(\.\d+)?$/.test(v) || !(seconds > 0) || seconds > 86_400) throw new UsageError(`--timeout ${v}: expected seconds, a number > 0 and at most 86400`);
        args.timeoutMs = Math.max(1, Math.round(seconds * 1000));
        break;
      }
      case '--shard':
        try {
          args.shard = parseShard(opt.value());
        } catch (e) {
          if (e instanceof ShardSyntaxError) throw new UsageError(e.message);
          throw e;
        }
        break;
      case '--jobs': {
        const v = opt.value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1) throw new UsageError(`--jobs ${v}: expected a whole number >= 1`);
        args.jobs = n;
        break;
      }
      case '--list':
        opt.flag();
        args.list = true;
        break;
      case '--out':
        args.out = opt.value();
        break;
      case '--json':
        opt.flag();
        args.json = true;
        break;
      case '--verbose':
      case '-v':
        opt.flag();
        args.verbose = true;
        break;
      default:
        throw new UsageError(`unknown option ${opt.raw}`);
    }
  }
  if (!args.builtinSuites && args.suites.length === 0) throw new UsageError('--no-builtin-suites needs at least one --suites DIR');
  if (args.list && (args.out || args.baseline)) throw new UsageError('--list runs nothing: it takes no --out or --baseline');
  return args;
}
