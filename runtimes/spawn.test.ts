/**
 * The runner against real child processes: our own CLI running guests/examples/wasi-basics.wasm,
 * and small node scripts that die of a signal, hang, print garbage or stop early, used as fake
 * runtimes through the same adapter code. Needs `npm run build` first (npm test does it).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DialectName } from '../reference-host/abi/dialects.js';
import { FIXTURES_DIR, REPO_ROOT, SUITES_DIR } from '../harness/repo-paths.js';
import { runCase } from '../harness/run-case.js';
import { loadSuites } from '../harness/suite-loader.js';
import type { RunOutcome } from '../harness/judge.js';
import { ALL_FUNCTIONS, type Capabilities, type GuestJob } from './adapter.js';
import { ChildProcessAdapter, type BinarySpec, type CommandContext, type CommandPlan, type Resolution } from './child-process-adapter.js';
import { HOST_BIN, interpretReferenceCli } from './reference-cli/reference-cli-adapter.js';
import { spawnRuntime, type SpawnResult } from './spawn.js';

const BASICS = join(REPO_ROOT, 'guests', 'examples', 'wasi-basics.wasm');
/** A process that still runs: it exists and is no zombie (one waiting to be reaped is dead). */
async function stillRunning(pid: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    let state: string;
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0] ?? '';
    } catch {
      return false;
    }
    if (state === 'Z' || state === 'X') return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const node = (script: string, timeoutMs = 10_000, maxOutputBytes?: number) =>
  spawnRuntime({ file: process.execPath, args: ['-e', script], env: {} }, { timeoutMs, ...(maxOutputBytes ? { maxOutputBytes } : {}) });

describe('spawnRuntime', () => {
  it('captures stdout, stderr and the exit status; stdin is closed', async () => {
    const r = await node("process.stdout.write('out'); process.stderr.write('err'); process.stdin.on('data', () => process.exit(9)); process.stdin.on('end', () => process.exit(7));");
    expect(r).toMatchObject({ exitCode: 7, signal: null, stdout: 'out', stderr: 'err', timedOut: false, truncated: false });
  });

  it.each(['SIGABRT', 'SIGSEGV', 'SIGKILL'])('reports death by %s as a signal, not an exit code', async (sig) => {
    const r = await node(`process.stdout.write('{"step":1}\\n'); process.kill(process.pid, '${sig}')`);
    expect(r.signal).toBe(sig);
    expect(r.exitCode).toBeNull();
    expect(r.stdout).toBe('{"step":1}\n');
  });

  it('kills a hang at the timeout and says so', async () => {
    const started = Date.now();
    const r = await node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)", 500);
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('caps the output and kills a runtime that floods it', async () => {
    const r = await node("const s = 'x'.repeat(65536); for (;;) require('node:fs').writeSync(1, s)", 20_000, 1024 * 1024);
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBeLessThanOrEqual(1024 * 1024);
  });

  it('kills the whole process group at the timeout: a wrapper whose child hangs cannot hold the run', async () => {
    const started = Date.now();
    const r = await spawnRuntime({ file: '/bin/sh', args: ['-c', 'sleep 1000 & echo $! ; wait'], env: {} }, { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(r.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    expect(await stillRunning(grandchild)).toBe(false);
  });

  it('a child that exits while its own child keeps the output pipe open ends the run at once, and the leftover is killed', async () => {
    const started = Date.now();
    const r = await spawnRuntime({ file: '/bin/sh', args: ['-c', '(sleep 1000; echo late) & echo $!; exit 3'], env: {} }, { timeoutMs: 20_000 });
    expect(r).toMatchObject({ exitCode: 3, timedOut: false });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await stillRunning(Number(r.stdout.trim()))).toBe(false);
  });

  it('a 64 MiB flood is cut at the 4 MiB cap: the result keeps exactly the cap, and the harness never holds the flood (RSS grows by less than 256 MiB)', async () => {
    const before = process.memoryUsage().rss;
    const r = await node("const s = 'x'.repeat(1 << 20); for (let i = 0; i < 64; i++) require('node:fs').writeSync(1, s)", 20_000, 4 * 1024 * 1024);
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(4 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('reports a binary that cannot start', async () => {
    const r = await spawnRuntime({ file: '/no/such/runtime', args: [], env: {} }, { timeoutMs: 1000 });
    expect(r.spawnError).toMatch(/cannot start \/no\/such\/runtime: ENOENT/);
    expect(r.exitCode).toBeNull();
  });
});

describe('the reference CLI as a runtime: trap text is parsed, exit statuses pass through', () => {
  const cli = (...args: string[]) => spawnRuntime({ file: process.execPath, args: [HOST_BIN, 'run', BASICS, ...args], env: {} }, { timeoutMs: 30_000 });

  it.each([
    ['trap', 'wasm trap: unreachable (in function trap_here)'],
    ['oob', 'wasm trap: memory access out of bounds (in function read_out_of_bounds)'],
  ])('%s → a trap the runtime reported, exit 134', async (cmd, trap) => {
    const outcome = interpretReferenceCli(await cli(cmd));
    expect(outcome).toMatchObject({ exitCode: 134, signal: null, trap });
    expect(outcome.stderr).toBe('');
  });

  it('exit 42 → exit status 42, no trap', async () => {
    const outcome = interpretReferenceCli(await cli('exit', '42'));
    expect(outcome.exitCode).toBe(42);
    expect(outcome.trap).toBeUndefined();
    expect(outcome.startError).toBeUndefined();
  });

  it('a guest that cannot start → startError with the CLI message', async () => {
    const r = await spawnRuntime({ file: process.execPath, args: [HOST_BIN, 'run', join(REPO_ROOT, 'package.json')], env: {} }, { timeoutMs: 30_000 });
    expect(interpretReferenceCli(r).startError).toMatch(/package\.json is not a valid WebAssembly module/);
  });
});

/** A fake runtime: a node script that ignores the job; its output is read like our CLI's. */
class ScriptRuntime extends ChildProcessAdapter {
  readonly name = 'script';
  readonly binary: BinarySpec = { envVar: 'UNUSED', defaultName: 'node', howToGet: '' };
  script = '';
  constructor(dialect: DialectName = 'witx') {
    super(dialect);
  }
  protected override resolve(): Resolution {
    return { ok: true, path: process.execPath };
  }
  async capabilities(): Promise<Capabilities> {
    return { dialects: ['witx'], encodings: ['onnx'], targets: ['cpu'], preload: 'embedder', functions: ALL_FUNCTIONS, missingImports: 'refuse' };
  }
  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    // the job's arguments follow the script: process.argv[2] is the run token
    return { ok: true, command: { file: ctx.file, args: ['-e', this.script, ...job.args], env: {}, stage: [] } };
  }
  interpret(r: SpawnResult): RunOutcome {
    return interpretReferenceCli(r);
  }
}

describe('a run goes on after crashes, hangs, garbage and early exits, and judges each', async () => {
  const loaded = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR }).find((c) => c.case.id === 'abi.load.builders_array.ptr_past_end');
  if (!loaded) throw new Error('case abi.load.builders_array.ptr_past_end is gone');
  const runtime = new ScriptRuntime();
  const caps = await runtime.capabilities();
  // a fake driver: frames its records with the run token, as guests/driver does
  const rec = 'const rec = (o) => { const j = JSON.stringify(o); return `wasi-nn-obs ${process.argv[2]} ${j.length} ${j}\\n`; };';
  const first = `${rec} process.stdout.write(rec({step:1,op:"alloc",name:"m",addr:1024,size:4}));`;

  it.each([
    ['SIGSEGV', `${first} process.kill(process.pid, 'SIGSEGV')`, 'CRASH', /died of SIGSEGV/],
    ['SIGABRT', `${first} process.kill(process.pid, 'SIGABRT')`, 'CRASH', /died of SIGABRT/],
    ['exit 134 without a trap message (an abort)', `${first} process.exit(134)`, 'CRASH', /exit 134/],
    ['a hang', `${first} setInterval(() => {}, 1000)`, 'TIMEOUT', /did not finish in time/],
    ['an early exit', `${first} process.exit(0)`, 'CRASH', /without its done line \(exit 0\)/],
    ['a trap reported by the runtime', `${first} process.stderr.write('wasi-nn-host: wasm trap: unreachable (in function f)\\n'); process.exit(134)`, 'TRAP', /wasm trap: unreachable \(in function f\)/],
    ['a guest record that is no driver record', `${rec} process.stdout.write(rec("hello") + rec({done:true,steps:0}))`, 'ERROR', /the guest printed 1 unexpected line\(s\), first: "hello"/],
    ['runtime garbage and a clean exit, no guest record', `process.stdout.write('\\x00\\xff garbage\\n')`, 'ERROR', /the runtime exited 0 but the guest printed no record; the runtime printed: \u0000/],
    ['a runtime panic before any guest output', `process.stderr.write("thread 'main' panicked at crates/wasi-nn/src/witx.rs:12:5:\\nnot implemented\\n"); process.exit(101)`, 'CRASH', /the runtime panicked \(exit 101\): thread 'main' panicked at crates\/wasi-nn\/src\/witx\.rs:12:5: not implemented/],
    ['a runtime that cannot start the guest', `process.stderr.write('wasi-nn-host: cannot read x.wasm: ENOENT\\n'); process.exit(2)`, 'ERROR', /cannot read x\.wasm/],
  ])('%s', async (_what, script, status, message) => {
    runtime.script = script;
    const result = await runCase(loaded, runtime, caps, { fixturesDir: FIXTURES_DIR, timeoutMs: 1500 });
    expect(result.status).toBe(status);
    expect(result.message ?? '').toMatch(message);
  });
});
