/**
 * Per-inference cost of the component path against the core-module path on the reference host,
 * on the same model and input: guests/examples/wit-bench.wasm (a component: tensor constructor →
 * compute with named tensors → tensor.data(), through jco's canonical-ABI glue) against
 * guests/examples/onnx-bench.wasm (a core module: set_input → compute → get_output through
 * wasi_ephemeral_nn), both timing each inference with the WASI monotonic clock, in interleaved
 * rounds, plus onnxruntime's synchronous binding called directly for scale. Prints the medians
 * and the ratios.
 *
 *   npm run bench:component-overhead [-- --iterations N] [-- --rounds R] [-- --dim D]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { directSyncRound, guestRound, median, mlpBench, option, us } from './mlp-bench.js';

const ITERATIONS = option('--iterations', 300);
const ROUNDS = option('--rounds', 5);
const DIM = option('--dim', 1024);
const WARMUP = 30;
const CORE_GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-bench.wasm');
const COMPONENT_GUEST = join(REPO_ROOT, 'guests', 'examples', 'wit-bench.wasm');

const bench = mlpBench(DIM, ITERATIONS, WARMUP);
try {
  // the first component run transpiles (then cached): keep it out of the timed rounds
  await guestRound(bench, COMPONENT_GUEST);
  const component: number[] = [];
  const core: number[] = [];
  const sync: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    component.push(...(await guestRound(bench, COMPONENT_GUEST)));
    core.push(...(await guestRound(bench, CORE_GUEST)));
    sync.push(...directSyncRound(bench));
  }
  const c = median(component);
  const k = median(core);
  const s = median(sync);
  process.stdout.write(
    [
      `component-overhead: MLP ${DIM}x${DIM} f32 (${(bench.modelBytes.byteLength / 2 ** 20).toFixed(1)} MiB of weights), ${ROUNDS} interleaved rounds x ${ITERATIONS} inferences, medians`,
      `  component (wasi:nn WIT, jco) : ${us(c)}`,
      `  core module (witx)           : ${us(k)}`,
      `  direct ORT, sync binding     : ${us(s)}`,
      `  component - core             : ${us(c - k)} per inference`,
      `  ratio component / core       : ${(c / k).toFixed(3)}x`,
      `  ratio component / direct     : ${(c / s).toFixed(3)}x`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(bench.dir, { recursive: true, force: true });
}
