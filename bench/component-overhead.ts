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
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeValues } from '../fixtures/gen/evaluator.js';
import { mlpInput, mlpModel } from '../fixtures/gen/families.js';
import { writeOnnx } from '../fixtures/gen/onnx-writer.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { SESSION_OPTIONS, loadOrtSync } from '../reference-host/backends/onnx/ort-binding.js';
import { ReferenceHost } from '../reference-host/reference-host.js';

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
};
const ITERATIONS = option('--iterations', 300);
const ROUNDS = option('--rounds', 5);
const DIM = option('--dim', 1024);
const WARMUP = 30;
const CORE_GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-bench.wasm');
const COMPONENT_GUEST = join(REPO_ROOT, 'guests', 'examples', 'wit-bench.wasm');

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

  async function guestRound(wasm: string): Promise<number[]> {
    const host = new ReferenceHost();
    const stdoutPath = join(dir, 'stdout');
    const stdout = openSync(stdoutPath, 'w');
    let result;
    try {
      result = await host.run({ wasm, args: ['/b/mlp.onnx', '/b/input.f32', String(WARMUP + ITERATIONS)], preopens: { '/b': dir }, stdout });
    } finally {
      closeSync(stdout);
      host.dispose();
    }
    if (result.exitCode !== 0) throw new Error(`${wasm} exited ${result.exitCode}`);
    const { ns, output_bytes } = JSON.parse(readFileSync(stdoutPath, 'utf8')) as { ns: number[]; output_bytes: number };
    if (output_bytes !== DIM * 4) throw new Error(`${wasm} got ${output_bytes} output bytes`);
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

  // the first component run transpiles (then cached): keep it out of the timed rounds
  await guestRound(COMPONENT_GUEST);
  const component: number[] = [];
  const core: number[] = [];
  const sync: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    component.push(...(await guestRound(COMPONENT_GUEST)));
    core.push(...(await guestRound(CORE_GUEST)));
    sync.push(...directSyncRound());
  }
  const c = median(component);
  const k = median(core);
  const s = median(sync);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  process.stdout.write(
    [
      `component-overhead: MLP ${DIM}x${DIM} f32 (${(modelBytes.byteLength / 2 ** 20).toFixed(1)} MiB of weights), ${ROUNDS} interleaved rounds x ${ITERATIONS} inferences, medians`,
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
  rmSync(dir, { recursive: true, force: true });
}
