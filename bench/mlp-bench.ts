/**
 * What the bench scripts share: options, medians, the generated MLP and its input written to a
 * temp folder, a timed run of a bench guest on the reference host or on WAMR's iwasm (the guest
 * times each inference with the WASI monotonic clock and prints {"iterations","output_bytes","ns"}),
 * and the same inferences through onnxruntime's synchronous binding directly, with the session
 * options the reference host uses.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeValues } from '../fixtures/gen/evaluator.js';
import { mlpInput, mlpModel } from '../fixtures/gen/families.js';
import { writeOnnx } from '../fixtures/gen/onnx-writer.js';
import { loadOrtSync, threadedSessionOptions } from '../reference-host/backends/onnx/ort-binding.js';
import { ReferenceHost } from '../reference-host/reference-host.js';
import { iwasmLibraryPath } from '../runtimes/wamr/wamr-adapter.js';

/** A positive integer option `--name N` of the command line, else the fallback. */
export function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;

export interface MlpBench {
  dim: number;
  layers: number;
  /** holds mlp.onnx and input.f32, preopened as /b for the guests */
  dir: string;
  modelBytes: Uint8Array;
  inputF32: Float32Array;
  iterations: number;
  warmup: number;
}

/** A dim×dim f32 MLP of `layers` dense layers (fixtures/gen/families.ts) and its input, written to a fresh temp folder. */
export function mlpBench(dim: number, iterations: number, warmup: number, layers = 1): MlpBench {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-bench-'));
  const modelBytes = writeOnnx(mlpModel(dim, dim, 7, { layers }));
  const inputBytes = encodeValues('f32', mlpInput(dim, 11).data as number[]);
  const inputF32 = new Float32Array(inputBytes.buffer.slice(inputBytes.byteOffset, inputBytes.byteOffset + inputBytes.byteLength));
  writeFileSync(join(dir, 'mlp.onnx'), modelBytes);
  writeFileSync(join(dir, 'input.f32'), inputBytes);
  return { dim, layers, dir, modelBytes, inputF32, iterations, warmup };
}

/** One run of a bench guest (a core module or a component) on the in-process reference host: its per-inference times in ms, warm-up left out. */
export async function guestRound(b: MlpBench, wasm: string): Promise<number[]> {
  const host = new ReferenceHost();
  const stdoutPath = join(b.dir, 'stdout');
  const stdout = openSync(stdoutPath, 'w');
  let result;
  try {
    result = await host.run({ wasm, args: ['/b/mlp.onnx', '/b/input.f32', String(b.warmup + b.iterations)], preopens: { '/b': b.dir }, stdout });
  } finally {
    closeSync(stdout);
    host.dispose();
  }
  if (result.exitCode !== 0) throw new Error(`${wasm} exited ${result.exitCode}`);
  return guestTimes(b, wasm, readFileSync(stdoutPath, 'utf8'));
}

/** The per-inference times (ms, warm-up left out) a bench guest printed. */
function guestTimes(b: MlpBench, wasm: string, stdout: string): number[] {
  const { ns, output_bytes } = JSON.parse(stdout) as { ns: number[]; output_bytes: number };
  if (output_bytes !== b.dim * 4) throw new Error(`${wasm} got ${output_bytes} output bytes`);
  return ns.slice(b.warmup).map((n) => n / 1e6);
}

/**
 * One run of a core-module bench guest on WAMR's iwasm (a child process, its wasi-nn ONNX backend
 * found the way the wamr adapter finds it: the binary's dir and ../lib first on LD_LIBRARY_PATH).
 */
export function iwasmRound(b: MlpBench, wasm: string, iwasm: string): number[] {
  const args = [`--map-dir=/b::${b.dir}`, wasm, '/b/mlp.onnx', '/b/input.f32', String(b.warmup + b.iterations)];
  const r = spawnSync(iwasm, args, { env: { ...process.env, LD_LIBRARY_PATH: iwasmLibraryPath(iwasm, process.env.LD_LIBRARY_PATH) }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${iwasm}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${iwasm} ${wasm} exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
  // WAMR's backends log to stdout: the guest's JSON is its last line
  const line = r.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{"iterations"'));
  if (!line) throw new Error(`${iwasm} ${wasm} printed no timings: ${r.stdout.slice(-2000)}`);
  return guestTimes(b, wasm, line);
}

/** The same inferences through onnxruntime-node's synchronous binding (what the host calls, with the options of the host's first sessions), in ms. */
export function directSyncRound(b: MlpBench): number[] {
  const binding = loadOrtSync();
  const session = binding.createSession();
  const copy = b.modelBytes.slice();
  session.loadModel(copy.buffer, copy.byteOffset, copy.byteLength, { ...threadedSessionOptions() });
  const times: number[] = [];
  for (let i = 0; i < b.warmup + b.iterations; i++) {
    const t0 = performance.now();
    const out = session.run({ X: new binding.Tensor('float32', b.inputF32, [1, b.dim]) }, { Y: null }, {});
    if (!out.Y) throw new Error('no output');
    if (i >= b.warmup) times.push(performance.now() - t0);
  }
  session.dispose();
  return times;
}
