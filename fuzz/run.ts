/**
 * The fuzz driver: seeded, reproducible runs of the reference host's CLI against
 *  - ABI units: the driver guest making random wasi-nn calls with adversarial pointers, lengths,
 *    handles and enums, over real models and a mangled one (abi-scripts.ts);
 *  - model units: one structure-aware corrupt model per unit, per encoding (mutate.ts), loaded
 *    and, when it loads, run through init / set_input / compute / get_output.
 * Every unit is one `wasi-nn-host run` process in its own process group, classified as
 *   clean        the guest finished (its done line, exit 0);
 *   guest trap   a wasm trap the host reported (exit 134);
 *   HOST FAILURE anything else: a signal, exit 70 (out of memory, host bug), another status, a
 *                hang past the timeout, a stack trace or a "host bug" errno on stderr, a peak
 *                RSS over the limit.
 *
 *   npm run fuzz -- --seconds 60                     # as many units as fit, mixed
 *   npm run fuzz -- --seed 1 --calls 100000 --mutants 50   # CI's fixed budget
 *   npm run fuzz -- --seed 1 --unit abi:7            # reproduce one unit (printed on failure)
 * Exit status 1 when any unit is a host failure (its reproducing command is printed), else 0.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DIALECTS, errnoName } from '../reference-host/abi/dialects.js';
import { parseObservations } from '../harness/observations.js';
import { spawnRuntime } from '../runtimes/spawn.js';
import { FUZZ_DIALECT, MODEL_FIXTURES, abiScript } from './abi-scripts.js';
import { MUTATORS } from './mutate.js';
import { Rng } from './rng.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** the host under test: our CLI (WASI_NN_FUZZ_HOST names another script, for the fuzzer's own tests) */
const HOST_BIN = process.env.WASI_NN_FUZZ_HOST ?? join(ROOT, 'bin', 'wasi-nn-host.js');
const DRIVER = join(ROOT, 'guests', 'driver', `${FUZZ_DIALECT}.wasm`);
const FIXTURES = join(ROOT, 'fixtures');
const dialect = DIALECTS[FUZZ_DIALECT];
const encodingNumber = (name: string) => dialect.encodings.indexOf(name as never);

export type Verdict = 'clean' | 'trap' | 'host-failure';

export interface Options {
  seed: number;
  calls: number;
  mutants: number;
  seconds?: number;
  jobs: number;
  unit?: string;
  callsPerScript: number;
  timeoutMs: number;
  maxRssMb: number;
  keep?: string;
}

export interface Unit {
  id: string;
  seed: number;
  kind: 'abi' | 'model';
  encoding?: string;
}

export interface UnitResult {
  unit: Unit;
  verdict: Verdict;
  why: string;
  calls: number;
  errnos: Record<string, number>;
  how?: string;
  rssMb: number;
}

/** The seed of unit `index` of kind `kind` in a run seeded `seed`: independent of the other units. */
export function unitSeed(seed: number, kind: string, index: number): number {
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b9) ^ (kind === 'abi' ? 0 : 0x85ebca6b)) >>> 0);
  rng.next();
  return rng.next();
}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { seed: Date.now() >>> 0, calls: 0, mutants: 0, jobs: 2, callsPerScript: 2000, timeoutMs: 60_000, maxRssMb: 3072 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const v = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    const n = () => {
      const value = v();
      if (!/^\d+$/.test(value)) throw new Error(`${flag} ${value}: expected a whole number`);
      return Number(value);
    };
    switch (flag) {
      case '--seed': o.seed = n() >>> 0; break;
      case '--calls': o.calls = n(); break;
      case '--mutants': o.mutants = n(); break;
      case '--seconds': o.seconds = n(); break;
      case '--jobs': o.jobs = Math.max(1, n()); break;
      case '--unit': o.unit = v(); break;
      case '--calls-per-script': o.callsPerScript = Math.max(1, n()); break;
      case '--timeout': o.timeoutMs = n() * 1000; break;
      case '--max-rss-mb': o.maxRssMb = n(); break;
      case '--keep': o.keep = v(); break;
      default: throw new Error(`unknown option ${flag} (see fuzz/README.md)`);
    }
  }
  if (o.calls === 0 && o.mutants === 0 && o.seconds === undefined && o.unit === undefined) o.seconds = 60;
  return o;
}

/** The files and argv of one unit. */
export function prepare(unit: Unit, dir: string, callsPerScript: number): { script: string; how?: string } {
  const rng = new Rng(unit.seed);
  if (unit.kind === 'abi') {
    // a mangled model of a random encoding joins the real ones half of the time
    let mangled: { path: string; encoding: number } | undefined;
    let how: string | undefined;
    if (rng.chance(0.5)) {
      const m = rng.pick(MODEL_FIXTURES);
      const original = new Uint8Array(readFileSync(join(FIXTURES, m.files[0] as string)));
      const mutated = (MUTATORS[m.encoding] as NonNullable<(typeof MUTATORS)[string]>)(rng, original);
      writeFileSync(join(dir, 'mangled.bin'), mutated.bytes);
      mangled = { path: 'mangled.bin', encoding: encodingNumber(m.encoding) };
      how = `${m.encoding}: ${mutated.how}`;
    }
    return { script: abiScript(rng, callsPerScript, mangled).text, ...(how ? { how } : {}) };
  }
  const encoding = unit.encoding as string;
  const fixture = MODEL_FIXTURES.find((m) => m.encoding === encoding) as (typeof MODEL_FIXTURES)[number];
  const original = new Uint8Array(readFileSync(join(FIXTURES, fixture.files[0] as string)));
  const mutated = (MUTATORS[encoding] as NonNullable<(typeof MUTATORS)[string]>)(rng, original);
  writeFileSync(join(dir, 'model.bin'), mutated.bytes);
  const asAutodetect = rng.chance(0.25);
  const lines = ['file x /case/model.bin'];
  const extra = fixture.files.slice(1); // openvino: the weights stay as they were
  extra.forEach((f, i) => lines.push(`file w${i} /fixtures/${f}`));
  lines.push(`alloc b ${8 * (1 + extra.length)} 0`, 'u32 b 0 @x', 'u32 b 4 %x');
  extra.forEach((_, i) => lines.push(`u32 b ${8 + i * 8} @w${i}`, `u32 b ${12 + i * 8} %w${i}`));
  lines.push(
    'alloc g 4 170',
    `call load @b ${1 + extra.length} ${encodingNumber(asAutodetect ? 'autodetect' : encoding)} 0 @g`,
    'alloc c 4 170',
    'call init_execution_context $g @c',
    'alloc d 8 0',
    'u32 d 0 1',
    'u32 d 4 4',
    'alloc v 16 0',
    'alloc t 20 0',
    'u32 t 0 @d',
    'u32 t 4 2',
    'u32 t 8 1',
    'u32 t 12 @v',
    'u32 t 16 16',
    'call set_input $c 0 @t',
    'call compute $c',
    'alloc o 4096 170',
    'alloc w 4 170',
    'call get_output $c 0 @o %o @w',
  );
  return { script: `${lines.join('\n')}\n`, how: `${mutated.how}${asAutodetect ? ' (loaded as autodetect)' : ''}` };
}

export async function runUnit(unit: Unit, o: Options): Promise<UnitResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-fuzz-'));
  try {
    const { script, how } = prepare(unit, dir, o.callsPerScript);
    writeFileSync(join(dir, 'steps.txt'), script);
    const token = randomBytes(8).toString('hex');
    const args = [HOST_BIN, 'run', '--nn-dialect', FUZZ_DIALECT, '--nn-trace', '--dir', `${FIXTURES}::/fixtures`, '--dir', `${dir}::/case`, '--nn-preload', `affine:onnx:cpu:${join(FIXTURES, 'onnx', 'affine_relu.onnx')}`, DRIVER, '/case/steps.txt', token];
    // the runner every runtime goes through: own process group, timeout, output cap, peak RSS
    const r = await spawnRuntime({ file: process.execPath, args, env: {} }, { timeoutMs: o.timeoutMs, measurePeakRss: true });
    const { stdout, stderr, timedOut, signal } = r;
    const code = r.exitCode;
    const peak = r.peakRssKb ?? 0;
    const obs = parseObservations(stdout, token);
    const errnos: Record<string, number> = {};
    let calls = 0;
    for (const line of obs.steps.values()) {
      if (line.op !== 'call' || typeof line.errno !== 'number') continue;
      calls++;
      const name = errnoName(dialect, line.errno) ?? `unknown ${line.errno}`;
      errnos[name] = (errnos[name] ?? 0) + 1;
    }
    const rssMb = Math.round(peak / 1024);
    const base = { unit, calls, errnos, rssMb, ...(how ? { how } : {}) };
    const hostBug = /^wasi-nn: \S+ → runtime_error: host bug: (.*)$/m.exec(stderr);
    const stack = /^\s+at .+:\d+:\d+\)?$/m.exec(stderr);
    let failure: string | undefined;
    if (r.spawnError) failure = r.spawnError;
    else if (timedOut) failure = `hung past ${o.timeoutMs / 1000} s`;
    else if (r.truncated) failure = 'flooded its output past the cap';
    else if (signal) failure = `died of ${signal}`;
    else if (rssMb > o.maxRssMb) failure = `peak RSS ${rssMb} MiB over ${o.maxRssMb} MiB`;
    else if (hostBug) failure = `a call answered with a host bug: ${hostBug[1]}`;
    else if (stack) failure = `a stack trace on stderr: ${stack[0].trim()}`;
    else if (code === 134 && /wasi-nn-host: wasm trap/.test(stderr)) return { ...base, verdict: 'trap', why: /wasi-nn-host: (wasm trap: .*)/.exec(stderr)?.[1] ?? 'trap' };
    else if (code !== 0) failure = `exit ${code}: ${stderr.split('\n').filter((l) => l.startsWith('wasi-nn-host:')).slice(-1)[0] ?? stderr.slice(-300)}`;
    else if (!obs.done) failure = 'exit 0 without the guest\'s done line';
    if (failure) {
      if (o.keep) {
        const keep = join(o.keep, unit.id.replace(':', '-'));
        mkdirSync(keep, { recursive: true });
        writeFileSync(join(keep, 'steps.txt'), script);
        writeFileSync(join(keep, 'stderr.txt'), stderr);
      }
      return { ...base, verdict: 'host-failure', why: failure };
    }
    return { ...base, verdict: 'clean', why: 'done' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function* plan(o: Options): Generator<Unit> {
  if (o.unit) {
    const [kind, rest] = o.unit.split(':');
    if (kind === 'abi') yield { id: o.unit, kind: 'abi', seed: unitSeed(o.seed, 'abi', Number(rest)) };
    else {
      const [encoding, index] = (rest ?? '').split('#');
      if (!encoding || !MUTATORS[encoding]) throw new Error(`--unit ${o.unit}: expected abi:N or model:ENCODING#N`);
      yield { id: o.unit, kind: 'model', encoding, seed: unitSeed(o.seed, `model:${encoding}`, Number(index)) };
    }
    return;
  }
  const encodings = Object.keys(MUTATORS);
  const abiUnits = Math.ceil(o.calls / o.callsPerScript);
  const budgeted = abiUnits > 0 || o.mutants > 0;
  for (let i = 0; budgeted ? i < Math.max(abiUnits, o.mutants) : true; i++) {
    if (!budgeted || i < abiUnits) yield { id: `abi:${i}`, kind: 'abi', seed: unitSeed(o.seed, 'abi', i) };
    if (!budgeted || i < o.mutants) for (const e of encodings) yield { id: `model:${e}#${i}`, kind: 'model', encoding: e, seed: unitSeed(o.seed, `model:${e}`, i) };
  }
}

export async function fuzz(argv: readonly string[]): Promise<number> {
  const o = parseArgs(argv);
  const started = Date.now();
  const deadline = o.seconds === undefined ? Infinity : started + o.seconds * 1000;
  const units = plan(o);
  const results: UnitResult[] = [];
  let stop = false;
  const worker = async () => {
    for (;;) {
      if (stop || Date.now() > deadline) return;
      const next = units.next();
      if (next.done) return;
      const r = await runUnit(next.value, o);
      results.push(r);
      if (r.verdict === 'host-failure') process.stdout.write(`HOST FAILURE ${r.unit.id} (seed ${o.seed}): ${r.why}${r.how ? ` [${r.how}]` : ''}\n  reproduce: npm run fuzz -- --seed ${o.seed} --unit ${r.unit.id}\n`);
      if (results.length % 50 === 0) process.stderr.write(`fuzz: ${results.length} units, ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
  };
  const onSignal = () => (stop = true);
  process.on('SIGINT', onSignal);
  await Promise.all(Array.from({ length: o.jobs }, worker));
  process.off('SIGINT', onSignal);
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const errnos: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errnos)) errnos[k] = (errnos[k] ?? 0) + v;
  const byEncoding: Record<string, number> = {};
  for (const r of results) if (r.unit.kind === 'model') byEncoding[r.unit.encoding as string] = (byEncoding[r.unit.encoding as string] ?? 0) + 1;
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  const peak = Math.max(0, ...results.map((r) => r.rssMb));
  process.stdout.write(
    [
      `fuzz seed ${o.seed}: ${results.length} processes in ${Math.round((Date.now() - started) / 1000)} s`,
      `  wasi-nn calls made: ${calls}, ${results.filter((r) => r.unit.kind === 'abi').reduce((n, r) => n + r.calls, 0)} of them in ${results.filter((r) => r.unit.kind === 'abi').length} random ABI scripts`,
      `  errno by kind: ${Object.entries(errnos).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `  corrupt models per encoding: ${Object.entries(byEncoding).map(([k, v]) => `${k} ${v}`).join(', ')}`,
      `  clean ${count('clean')}, guest traps ${count('trap')}, host failures ${count('host-failure')}; peak RSS of one host ${peak} MiB`,
      '',
    ].join('\n'),
  );
  return count('host-failure') > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  fuzz(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`fuzz: ${e.message}\n`);
      process.exit(2);
    },
  );
}
