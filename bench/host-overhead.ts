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
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { directSyncRound, guestRound, median, mlpBench, option, us } from './mlp-bench.js';

const DIM = 2048;
const ITERATIONS = option('--iterations', 300);
const ROUNDS = option('--rounds', 5);
const WARMUP = 30;
const BENCH_GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-bench.wasm');

const bench = mlpBench(DIM, ITERATIONS, WARMUP);
const { modelBytes, inputF32 } = bench;
try {
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
    guest.push(...(await guestRound(bench, BENCH_GUEST)));
    sync.push(...directSyncRound(bench));
    async_.push(...(await directAsyncRound()));
  }
  const g = median(guest);
  const s = median(sync);
  const a = median(async_);
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
  rmSync(bench.dir, { recursive: true, force: true });
}
