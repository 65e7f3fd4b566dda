/**
 * Synchronous calls into the asynchronous GGML engine. A wasm import must answer synchronously,
 * and node-llama-cpp only has promises, so:
 *
 *   main thread ──MessagePort──▶ relay worker thread ──fork IPC──▶ engine process (node-llama-cpp)
 *        ▲ Atomics.wait on a SharedArrayBuffer counter, with a timeout; the answer is then taken
 *          with receiveMessageOnPort (no event loop turn needed)
 *
 * The main thread sleeps in Atomics.wait (no busy-waiting) until the relay bumps the counter.
 * The engine is a process started once (lazily) and reused by every graph, not one per call; when
 * it dies (llama.cpp aborts on some corrupt models) the relay answers every pending request with
 * an error and the next request starts a fresh process. A call that outlives its timeout kills
 * the process and becomes runtime_error. Graphs and contexts live in one incarnation of the
 * process (`epoch`); after a restart the old ones answer runtime_error.
 */
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { NnError } from '../../core/types.js';
import type { EngineRequest, EngineResponse, EngineResult } from './protocol.js';

/** The relay, as CommonJS source for an `eval` worker (it needs no TypeScript and no loader). */
const RELAY_SOURCE = `
const { workerData } = require('node:worker_threads');
const { fork } = require('node:child_process');
const { port, shared, entry, execArgv, cwd } = workerData;
const counter = new Int32Array(shared);
let child;
let stderrTail = '';
const pending = new Set();
function answer(response) {
  pending.delete(response.id);
  port.postMessage(response);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}
function start() {
  stderrTail = '';
  const c = fork(entry, [], { execArgv, cwd, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  c.stderr.on('data', (d) => { stderrTail = (stderrTail + d.toString()).slice(-2000); });
  c.on('message', (m) => { if (c === child) answer(m); });
  c.on('error', () => {});
  c.on('exit', (code, signal) => {
    if (c !== child) return;
    child = undefined;
    const last = stderrTail.trim().split('\\n').filter((l) => /GGML_ASSERT|error|abort/i.test(l)).slice(-1)[0] || '';
    failPending('the engine process died (' + (signal || 'exit ' + code) + ')' + (last ? ': ' + last.trim() : ''));
  });
  child = c;
}
function failPending(message) {
  for (const id of [...pending]) answer({ id, ok: false, errno: 'runtime_error', message, crashed: true });
}
port.on('message', (m) => {
  if (m.kill) {
    // a timed-out request: stop that process now; the next request starts a fresh one
    const c = child;
    child = undefined;
    if (c) c.kill('SIGKILL');
    failPending('the engine process was stopped after a timeout');
    return;
  }
  if (!child) start();
  pending.add(m.id);
  child.send(m);
});
`;

interface Relay {
  worker: Worker;
  port: MessagePort;
  counter: Int32Array;
}

export interface EngineCall<R extends EngineResult> {
  result: R;
  /** the engine process incarnation that answered */
  epoch: number;
}

export class EngineClient {
  private relay: Relay | undefined;
  private nextId = 1;
  /** bumped whenever the engine process is known to have died or been killed */
  private epochCounter = 0;

  constructor(readonly timeoutMs: number) {}

  get epoch(): number {
    return this.epochCounter;
  }

  private start(): Relay {
    const here = fileURLToPath(import.meta.url);
    const ext = extname(here); // .ts under vitest/tsx, .js once built
    const shared = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(RELAY_SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        shared,
        entry: join(dirname(here), `engine-process${ext}`),
        execArgv: ext === '.ts' ? ['--import', 'tsx'] : [],
        // the repository (or package) root, so that `--import tsx` resolves
        cwd: resolve(dirname(here), ext === '.ts' ? '../../..' : '../../../..'),
      },
      transferList: [port2],
    });
    worker.unref();
    port1.unref();
    this.relay = { worker, port: port1, counter: new Int32Array(shared) };
    return this.relay;
  }

  /** Sends one request and blocks this thread until the engine answers or the timeout passes. */
  call<R extends EngineResult>(req: EngineRequest, timeoutMs = this.timeoutMs): EngineCall<R> {
    const relay = this.relay ?? this.start();
    const id = this.nextId++;
    const epoch = this.epochCounter;
    let seen = Atomics.load(relay.counter, 0);
    relay.port.postMessage({ id, req });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // drain answers: ours, or stale ones of requests that timed out earlier
      for (let m = receiveMessageOnPort(relay.port); m; m = receiveMessageOnPort(relay.port)) {
        const response = m.message as EngineResponse & { crashed?: boolean };
        if (response.id !== id) continue;
        if (response.crashed) this.epochCounter++;
        if (!response.ok) throw new NnError(response.errno, response.message);
        return { result: response.result as R, epoch };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        relay.port.postMessage({ kill: true });
        this.epochCounter++;
        throw new NnError('runtime_error', `the ggml engine did not answer ${req.op} within ${timeoutMs} ms; it was stopped`);
      }
      Atomics.wait(relay.counter, 0, seen, left);
      seen = Atomics.load(relay.counter, 0);
    }
  }
}

/** Per-call timeout: WASI_NN_GGML_TIMEOUT_MS, default 120 s. */
export function defaultTimeoutMs(): number {
  const fromEnv = Number(process.env.WASI_NN_GGML_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 120_000;
}

let shared: EngineClient | undefined;
/** The one engine client of this host process (graphs of every guest share its engine process). */
export function sharedEngineClient(): EngineClient {
  return (shared ??= new EngineClient(defaultTimeoutMs()));
}
