/**
 * Per-inference overhead of the reference host: guest → wasi_ephemeral_nn → onnxruntime-node,
 * against calling onnxruntime-node directly in the same process, on a generated MLP with 16 MiB
 * of weights (2048×2048 f32) and the same input. Prints the medians and their ratios.
 *
 *   npm run bench:host-overhead [-- --iterations N] [-- --rounds R]
 *
 * The guest (guests/examples/onnx-bench.c) times set_input → compute → get_output itself with
 * the WASI monotonic clock, as an application would. The direct baselines are the synchronous
 * ORT binding the host uses and ORT's public async InferenceSession.run. The three run in
 * interleaved rounds, so drift in machine load hits them alike.
 */
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeValues } from '../fixtures/gen/evaluator.js';
import { mlpInput, mlpModel } from '../fixtures/gen/families.js';
import { writeOnnx } from '../fixtures/gen/onnx-writer.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { SESSION_OPTIONS, loadOrtSync } from '../reference-host/backends/onnx/ort-binding.js';
import { ReferenceHost } from '../reference-host/reference-host.js';

const DIM = 2048;
const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
};
const ITERATIONS = option('--iterations', 300);
const ROUNDS = option('--rounds', 5);
const WARMUP = 30;
const BENCH_GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-bench.wasm');

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-bench-'));
try {
  const modelBytes = writeOnnx(mlpModel(DIM, DIM, 7));
  const inputBytes = encodeValues('f32', mlpInput(DIM, 11).data as number[]);
  const inputF32 = new Float32Array(inputBytes.buffer.slice(inputBytes.byteOffset, inputBytes.byteOffset + inputBytes.byteLength));
  writeFileSync(join(dir, 'mlp.onnx'), modelBytes);
  writeFileSync(join(dir, 'input.f32'), inputBytes);

  async function guestRound(): Promise<number[]> {
    const host = new ReferenceHost();
    const stdoutPath = join(dir, 'stdout');
    const stdout = openSync(stdoutPath, 'w');
    let result;
    try {
      result = await host.run({ wasm: BENCH_GUEST, args: ['/b/mlp.onnx', '/b/input.f32', String(WARMUP + ITERATIONS)], preopens: { '/b': dir }, stdout });
    } finally {
      closeSync(stdout);
      host.dispose();
    }
    if (result.exitCode !== 0) throw new Error(`bench guest exited ${result.exitCode}`);
    const { ns, output_bytes } = JSON.parse(readFileSync(stdoutPath, 'utf8')) as { ns: number[]; output_bytes: number };
    if (output_bytes !== DIM * 4) throw new Error(`bench guest got ${output_bytes} output bytes`);
    return ns.slice(WARMUP).map((n) => n / 1e6);
  }

  function directSyncRound(): number[] {
    const binding = loadOrtSync();
    const session = binding.createSession();
    const copy = modelBytes.slice();
    session.loadModel(copy.buffer, copy.byteOffset, copy.byteLength, { ...SESSION_OPTIONS });
    const times: number[] = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const t0 = performance.now();
      const out = session.run({ X: new binding.Tensor('float32', inputF32, [1, DIM]) }, { Y: null }, {});
      if (!out.Y) throw new Error('no output');
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    session.dispose();
    return times;
  }

  async function directAsyncRound(): Promise<number[]> {
    const session = await ort.InferenceSession.create(modelBytes);
    const times: number[] = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const t0 = performance.now();
      await session.run({ X: new ort.Tensor('float32', inputF32, [1, DIM]) });
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    await session.release();
    return times;
  }

  const guest: number[] = [];
  const sync: number[] = [];
  const async_: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    guest.push(...(await guestRound()));
    sync.push(...directSyncRound());
    async_.push(...(await directAsyncRound()));
  }
  const g = median(guest);
  const s = median(sync);
  const a = median(async_);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  process.stdout.write(
    [
      `host-overhead: MLP ${DIM}x${DIM} f32 (${(modelBytes.byteLength / 2 ** 20).toFixed(1)} MiB of weights), ${ROUNDS} interleaved rounds x ${ITERATIONS} inferences, medians`,
      `  guest -> reference host -> ORT : ${us(g)}`,
      `  direct ORT, sync binding       : ${us(s)}`,
      `  direct ORT, public async run   : ${us(a)}`,
      `  ratio guest / direct sync      : ${(g / s).toFixed(3)}x`,
      `  ratio guest / direct async     : ${(g / a).toFixed(3)}x`,
      `  goal <= 1.05x against the sync binding: ${g / s <= 1.05 ? 'met' : 'NOT met'}`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
