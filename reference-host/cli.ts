/**
 * `wasi-nn-host`: the reference host as a standalone runtime, like `iwasm` or `wasmtime run`.
 *   wasi-nn-host run [--dir HOST[::GUEST]]... [--env K=V]... [--nn-preload SPEC]...
 *                    [--nn-dialect DIALECT] [--nn-trace] [--target-policy strict|fallback] GUEST.wasm [ARGS...]
 *   wasi-nn-host doctor [--json]
 * Guest stdio and exit status pass through. A usage error is one line on stderr and exit 2.
 * Without --nn-dialect the guest is served the dialect of its `wasi-nn.dialect` custom section,
 * else the one its imports point at, else witx (abi/select-dialect.ts); hints that it may have
 * been built for another dialect go to stderr as `wasi-nn-host: hint: ...`.
 */
import { existsSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import { DIALECT_NAMES, isDialectName, type DialectName } from './abi/dialects.js';
import type { DialectChoice } from './abi/select-dialect.js';
import { parsePreloadSpec, type NamedGraphSpec } from './core/named-graphs.js';
import { TARGET_POLICIES, type GraphInfo, type TargetPolicy } from './core/nn-host.js';
import type { NnLimits } from './core/limits.js';
import { say } from './say.js';

export const USAGE = `usage: wasi-nn-host run [--dir HOST[::GUEST]]... [--env K=V]... [--nn-preload NAME:ENCODING:TARGET:PATH[:PATH...]]... [--nn-preload-strict] [--nn-dialect ${DIALECT_NAMES.join('|')}] [--nn-trace] [--target-policy ${TARGET_POLICIES.join('|')}] [--nn-max-graphs N] [--nn-max-contexts N] [--nn-max-builders N] [--nn-max-model-bytes N] [--nn-max-total-model-bytes N] [--nn-max-heap-mb N] GUEST.wasm [ARGS...]
       wasi-nn-host doctor [--json]

What a guest can reach: only the folders given with --dir (symlinks inside them are resolved on
the host and may not lead out: notcapable), the --env variables, and the models given with
--nn-preload. Models are bytes: no engine opens a file on a model's behalf (ONNX external data
is refused at load). Not guaranteed: a folder swapped for a symlink by another host process
between the check and the open; see reference-host/README.md "Sandbox".`;

export class UsageError extends Error {}

export interface RunCommand {
  wasm: string;
  args: string[];
  preopens: Record<string, string>;
  env: Record<string, string>;
  preloads: NamedGraphSpec[];
  /** undefined: chosen per guest (custom section, imports, witx) */
  dialect: DialectName | undefined;
  /** print every wasi-nn call's result and reason on stderr */
  trace: boolean;
  /** a target the engine or machine lacks: strict → unsupported_operation, fallback → cpu */
  targetPolicy: TargetPolicy;
  limits: Partial<NnLimits>;
  /** the V8 heap the guest's run may use, MiB (--nn-max-heap-mb) */
  maxHeapMb: number;
  /** --nn-preload-strict: a preload naming a missing file is a usage error, not a warning */
  preloadStrict: boolean;
  /** printed on stderr before the guest starts (a preload whose file is missing, as WasmEdge starts anyway) */
  warnings: string[];
}

/** The default V8 old-generation limit of a guest run (Node's own default on a 64-bit machine with enough memory). */
export const DEFAULT_MAX_HEAP_MB = 4096;
/** Exit status of a host failure (out of memory, a host bug): never a guest's own status or a trap's 134. */
export const HOST_FAILURE_EXIT_CODE = 70;
/** `wasi-nn-host: host bug in FN: MESSAGE` on stderr: a wasi-nn call failed inside the host for a reason of its own (the guest saw runtime_error). */
export const HOST_BUG_MARK = 'host bug';

/** --nn-max-* flag → the limit it sets (core/limits.ts). */
const LIMIT_FLAGS: Readonly<Record<string, keyof NnLimits>> = {
  '--nn-max-graphs': 'maxGraphs',
  '--nn-max-contexts': 'maxContexts',
  '--nn-max-builders': 'maxBuilders',
  '--nn-max-model-bytes': 'maxModelBytes',
  '--nn-max-total-model-bytes': 'maxTotalModelBytes',
};

/** The --nn-trace line for the dialect a guest is served: `wasi-nn: dialect wamr-legacy (from the guest's imports: module wasi_nn)`. */
export function formatDialectTrace(choice: DialectChoice): string {
  return `wasi-nn: dialect ${choice.dialect.name} (${choice.reason})`;
}

/** The --nn-trace line for a new graph handle: engine, detection, and the device it really runs on. */
export function formatGraphTrace(handle: number, info: GraphInfo): string {
  const detected = info.detection ? ` (autodetected: ${info.detection.variant}, confidence ${info.detection.confidence})` : '';
  const moved = info.fellBack ? ` (requested ${info.target}; fallback policy)` : info.target !== info.device ? ` (requested ${info.target})` : '';
  return `wasi-nn: graph ${handle}: ${info.encoding}${detected} on ${info.device}${moved}`;
}

/** Parses the arguments after `run`. Options stop at the first non-option (the guest). */
export function parseRunArgs(argv: readonly string[]): RunCommand {
  const cmd: RunCommand = { wasm: '', args: [], preopens: {}, env: {}, preloads: [], dialect: undefined, trace: false, targetPolicy: 'strict', limits: {}, maxHeapMb: DEFAULT_MAX_HEAP_MB, preloadStrict: false, warnings: [] };
  let i = 0;
  const value = (flag: string, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    const eq = arg.indexOf('=');
    const flag = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const inline = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : undefined;
    switch (flag) {
      case '--dir': {
        const spec = value(flag, inline);
        const [host, guest] = spec.includes('::') ? (spec.split('::', 2) as [string, string]) : [spec, spec];
        if (!existsSync(host) || !statSync(host).isDirectory()) throw new UsageError(`--dir ${spec}: ${host} is not a directory`);
        if (guest === '') throw new UsageError(`--dir ${spec}: the guest path is empty`);
        cmd.preopens[guest] = resolve(host);
        break;
      }
      case '--env': {
        const kv = value(flag, inline);
        const at = kv.indexOf('=');
        if (at <= 0) throw new UsageError(`--env ${kv}: expected K=V`);
        cmd.env[kv.slice(0, at)] = kv.slice(at + 1);
        break;
      }
      case '--nn-preload': {
        let spec: NamedGraphSpec;
        try {
          spec = parsePreloadSpec(value(flag, inline));
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        if (cmd.preloads.some((p) => p.name === spec.name)) throw new UsageError(`--nn-preload: the name ${spec.name} is given twice`);
        cmd.preloads.push(spec);
        break;
      }
      case '--nn-dialect': {
        const d = value(flag, inline);
        if (!isDialectName(d)) throw new UsageError(`--nn-dialect ${d}: expected one of ${DIALECT_NAMES.join(', ')}`);
        cmd.dialect = d;
        break;
      }
      case '--nn-trace':
        cmd.trace = true;
        break;
      case '--nn-preload-strict':
        cmd.preloadStrict = true;
        break;
      case '--target-policy': {
        const p = value(flag, inline);
        if (!(TARGET_POLICIES as readonly string[]).includes(p)) throw new UsageError(`--target-policy ${p}: expected one of ${TARGET_POLICIES.join(', ')}`);
        cmd.targetPolicy = p as TargetPolicy;
        break;
      }
      case '--nn-max-heap-mb': {
        const v = value(flag, inline);
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 8) throw new UsageError(`${flag} ${v}: expected a whole number of MiB >= 8`);
        cmd.maxHeapMb = n;
        break;
      }
      case '--nn-max-graphs':
      case '--nn-max-contexts':
      case '--nn-max-builders':
      case '--nn-max-model-bytes':
      case '--nn-max-total-model-bytes': {
        const v = value(flag, inline);
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1 || !Number.isSafeInteger(n)) throw new UsageError(`${flag} ${v}: expected a whole number >= 1`);
        cmd.limits[LIMIT_FLAGS[flag] as keyof NnLimits] = n;
        break;
      }
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  // WasmEdge starts with a preload whose file is missing and answers load_by_name of it with
  // model-not-found; --nn-preload-strict refuses it at start-up instead
  for (const spec of cmd.preloads) {
    const missing = spec.paths.find((p) => !existsSync(p));
    if (missing === undefined) continue;
    if (cmd.preloadStrict) throw new UsageError(`--nn-preload ${spec.name}: no such file ${missing}`);
    cmd.warnings.push(`--nn-preload ${spec.name}: no such file ${missing}; load_by_name(${JSON.stringify(spec.name)}) will answer model_not_found (--nn-preload-strict refuses to start)`);
  }
  const wasm = argv[i];
  if (wasm === undefined) throw new UsageError('no guest .wasm given');
  if (!existsSync(wasm) || !statSync(wasm).isFile()) throw new UsageError(`no such file: ${wasm}`);
  cmd.wasm = wasm;
  cmd.args = argv.slice(i + 1) as string[];
  return cmd;
}

/** Runs the CLI; returns the process exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'doctor') {
    const json = rest.length === 1 && rest[0] === '--json';
    if (rest.length > 0 && !json) {
      process.stderr.write(`wasi-nn-host: doctor takes only --json\n${USAGE}\n`);
      return 2;
    }
    const { doctor } = await import('./doctor.js');
    return doctor({ json });
  }
  if (command !== 'run') {
    process.stderr.write(`wasi-nn-host: ${command === undefined ? 'no command given' : `unknown command ${command}`}\n${USAGE}\n`);
    return 2;
  }
  let cmd: RunCommand;
  try {
    cmd = parseRunArgs(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasi-nn-host: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return runIsolated(cmd);
}

/**
 * Runs the guest in a worker thread (cli-worker.ts) whose V8 heap is capped (--nn-max-heap-mb): a
 * heap the host exhausts ends the worker, not the process, and the CLI says so and exits 70 — a
 * host failure never looks like a guest trap (134) or the guest's own status. This thread loads
 * no engine and no host: only the worker does, once.
 */
async function runIsolated(cmd: RunCommand): Promise<number> {
  // stdout/stderr: true keeps Node from piping the worker's streams into process.stdout, which
  // would make fd 1 non-blocking: the guest writes fd 1 and 2 itself and must never see EAGAIN.
  // Host messages are written to fd 2 directly (say), so the worker's streams stay empty.
  const worker = new Worker(new URL('./cli-worker.js', import.meta.url), {
    workerData: { cmd },
    resourceLimits: { maxOldGenerationSizeMb: cmd.maxHeapMb },
    stdin: false,
    stdout: true,
    stderr: true,
  });
  worker.stdout.on('data', (c: Buffer) => say(c.toString('utf8')));
  worker.stderr.on('data', (c: Buffer) => say(c.toString('utf8')));
  return new Promise<number>((resolveExit) => {
    let failed = false;
    worker.on('error', (e: Error & { code?: string }) => {
      failed = true;
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        say(`wasi-nn-host: host failure: the reference host ran out of memory (V8 heap limit ${cmd.maxHeapMb} MiB, --nn-max-heap-mb) while running the guest; this is not a guest trap\n`);
      } else say(`wasi-nn-host: host failure: ${e.message}\n`);
    });
    worker.on('exit', (code) => resolveExit(failed ? HOST_FAILURE_EXIT_CODE : code));
  });
}
