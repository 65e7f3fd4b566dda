/**
 * Per-inference overhead of the reference host: guest → wasi_ephemeral_nn → onnxruntime-node,
 * against calling onnxruntime-node directly in the same process and, when WASI_NN_IWASM names
 * one, against WAMR's native C host (iwasm with its ONNX backend) running the same guest. The
 * model is a generated f32 MLP, by default 4 dense layers of 1024×1024 (16 MiB of weights).
 * Prints the medians and their ratios.
 *
 *   npm run bench:host-overhead [-- --iterations N] [--rounds R] [--dim D] [--layers L]
 *   WASI_NN_IWASM=/path/to/iwasm npm run bench:host-overhead
 *
 * The guest (guests/examples/onnx-bench.c) times set_input → compute → get_output itself with
 * the WASI monotonic clock, as an application would, on both hosts. The direct baselines are the
 * synchronous ORT binding the host uses, with the host's session options, and ORT's public async
 * InferenceSession.run with its default options. Everything runs in interleaved rounds, so drift
 * in machine load hits them alike. iwasm must load the same libonnxruntime for the comparison to
 * mean anything (WAMR's backend links the libonnxruntime.so.1 it was built against): the script
 * prints which one onnxruntime-node has, for the reader to check.
 */
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { directSyncRound, guestRound, iwasmRound, median, mlpBench, option, us } from './mlp-bench.js';

const DIM = option('--dim', 1024);
const LAYERS = option('--layers', 4);
const ITERATIONS = option('--iterations', 300);
const ROUNDS = option('--rounds', 5);
const WARMUP = 30;
const BENCH_GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-bench.wasm');
const IWASM = process.env.WASI_NN_IWASM;

const iwasmSkip = IWASM === undefined || IWASM === '' ? 'WASI_NN_IWASM is not set (point it at an iwasm built with WAMR_BUILD_WASI_NN_ONNX=1)' : !existsSync(IWASM) ? `WASI_NN_IWASM=${IWASM} does not exist` : undefined;

const bench = mlpBench(DIM, ITERATIONS, WARMUP, LAYERS);
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
  const iwasm: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    guest.push(...(await guestRound(bench, BENCH_GUEST)));
    sync.push(...directSyncRound(bench));
    async_.push(...(await directAsyncRound()));
    if (!iwasmSkip) iwasm.push(...iwasmRound(bench, BENCH_GUEST, IWASM!));
  }
  const g = median(guest);
  const s = median(sync);
  const a = median(async_);
  const ortLib = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json')), 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime.so.1');
  const lines = [
    `host-overhead: MLP ${LAYERS} x ${DIM}x${DIM} f32 (${(modelBytes.byteLength / 2 ** 20).toFixed(1)} MiB of weights), ${ROUNDS} interleaved rounds x ${ITERATIONS} inferences, medians`,
    `  guest -> reference host -> ORT  : ${us(g)}`,
    `  direct ORT, sync binding        : ${us(s)}`,
    `  direct ORT, public async run    : ${us(a)}`,
    iwasmSkip ? `  guest -> WAMR iwasm -> ORT      : skipped: ${iwasmSkip}` : `  guest -> WAMR iwasm -> ORT      : ${us(median(iwasm))} (${IWASM})`,
    `  ratio host / direct sync        : ${(g / s).toFixed(3)}x   (goal <= 1.05x: ${g / s <= 1.05 ? 'met' : 'NOT met'})`,
    `  ratio host / direct async       : ${(g / a).toFixed(3)}x`,
  ];
  if (!iwasmSkip) {
    const w = median(iwasm);
    lines.push(`  ratio host / WAMR iwasm         : ${(g / w).toFixed(3)}x   (goal <= 1.0x: ${g / w <= 1.0 ? 'met' : 'NOT met'})`);
    lines.push(`  (onnxruntime-node's library: ${ortLib}; iwasm's backend must link the same build)`);
  }
  process.stdout.write([...lines, ''].join('\n'));
} finally {
  rmSync(bench.dir, { recursive: true, force: true });
}
