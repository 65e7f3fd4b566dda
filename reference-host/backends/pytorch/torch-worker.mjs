// The pytorch backend's go-between (plain JS, see torch-child.mjs). It runs in a worker thread and
// owns the engine process: the host's thread posts a request on `port` and sleeps in Atomics.wait
// on ctrl[0]; we forward the request to the child, and when the child answers, dies or runs past
// the time limit we post the response on `port`, set ctrl[0] = 1 and Atomics.notify. The host
// thread then takes the response with receiveMessageOnPort. Nothing busy-waits.
//
// A dead child is restarted at the next request; `generation` counts the children started, so
// the host knows when the graphs it loaded are gone and must be loaded again (a request carrying
// an older `expectGeneration` is answered `stale`, never run against another graph).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

// The engine process's memory is watched while it works: libtorch allocates what a crafted
// model's pickle or shapes ask for (one corrupt byte made it peak at ~4 GB), so past this many MiB
// of resident memory it is killed and the call gets an errno (WASI_NN_TORCH_MAX_RSS_MB).
function maxRssMb() {
  return Number(workerData.env?.WASI_NN_TORCH_MAX_RSS_MB ?? process.env.WASI_NN_TORCH_MAX_RSS_MB ?? 2048);
}

function rssMb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const { ctrl, port, childScript, addonPath, timeoutMs, env, generationBase } = workerData;
const flag = new Int32Array(ctrl);
let child;
let generation = generationBase;
let ready;
let pending;
let stderrTail = '';
let nextId = 1;

function reply(response) {
  port.postMessage({ generation, ...response });
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function start() {
  generation += 1;
  stderrTail = '';
  const proc = spawn(process.execPath, [childScript, addonPath], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: { ...process.env, ...env },
  });
  child = proc;
  ready = new Promise((resolve) => {
    proc.on('message', (msg) => {
      if (msg.ready) return resolve({ ok: true, version: msg.version, sandbox: msg.sandbox });
      if (msg.fatal) return resolve({ ok: false, message: msg.fatal });
      if (pending && msg.id === pending.id) {
        const p = pending;
        pending = undefined;
        clearTimeout(p.timer);
        clearInterval(p.watch);
        reply(msg.ok ? { ok: true, result: msg.result } : { ok: false, message: msg.message });
      }
    });
    proc.on('error', (e) => resolve({ ok: false, message: `cannot start the engine process: ${e.message}` }));
    proc.on('exit', (code, signal) => {
      if (child === proc) child = undefined;
      const how = signal ? `signal ${signal}` : `exit status ${code}`;
      const tail = stderrTail.trim() ? `; its stderr ends: ${stderrTail.trim().slice(-500)}` : '';
      resolve({ ok: false, message: `the engine process ended (${how}) before it was ready${tail}` });
      if (pending) {
        const p = pending;
        pending = undefined;
        clearTimeout(p.timer);
        clearInterval(p.watch);
        const why = p.overMemory ? `passed its memory limit (${p.overMemory} MiB resident, WASI_NN_TORCH_MAX_RSS_MB=${maxRssMb()}) and was killed` : `died (${how})`;
        reply({ ok: false, crashed: true, timedOut: p.timedOut === true, message: `the libtorch engine process ${why} during ${p.op}${tail}` });
      }
    });
  });
  proc.stderr.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4096);
  });
}

port.on('message', async ({ op, args, expectGeneration }) => {
  if (!child) start();
  const proc = child;
  const started = await ready;
  if (!started.ok) return reply({ ok: false, unavailable: true, message: started.message });
  if (op === 'start') return reply({ ok: true, result: started.version });
  if (op === 'sandbox') return reply({ ok: true, result: started.sandbox });
  // Graph ids belong to one engine process: a request naming a graph of an earlier one is refused.
  if (expectGeneration !== undefined && expectGeneration !== generation) {
    return reply({ ok: false, stale: true, message: `graph of engine process ${expectGeneration}, now ${generation}` });
  }
  const id = nextId++;
  pending = { id, op };
  pending.timer = setTimeout(() => {
    if (pending && pending.id === id) {
      pending.timedOut = true;
      proc.kill('SIGKILL');
    }
  }, timeoutMs);
  const watch = () => {
    if (!pending || pending.id !== id) return;
    const mb = rssMb(proc.pid);
    if (mb > maxRssMb()) {
      pending.overMemory = Math.round(mb);
      proc.kill('SIGKILL');
    }
  };
  pending.watch = setInterval(watch, 20);
  watch();
  proc.send({ id, op, args });
});
