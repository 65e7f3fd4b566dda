/**
 * Peak memory of the reference host when a guest passes one large input: `wasi-nn-host run`
 * (a child process, as users run it) runs guests/examples/onnx-bench.wasm once on an ONNX model
 * whose output is small (ReduceMax over the input), with an input of --mib MiB (default 256) that
 * the guest reads from a file into its own memory and hands to set_input. GNU time's maximum
 * resident set size is the figure; the ratio is peak RSS / tensor size. The guest's memory alone
 * holds the tensor once, so 1× is the floor; the goal is ≤ 2.5×. A baseline run on a 1 MiB input
 * shows what the process costs without the tensor.
 *
 *   npm run bench:large-input-rss [-- --mib N]
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOnnx } from '../fixtures/gen/onnx-writer.js';
import type { Model } from '../fixtures/gen/model-ir.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { option } from './mlp-bench.js';

const MIB = option('--mib', 256);
const TIME = '/usr/bin/time';
const HOST = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-bench.wasm');

if (!existsSync(TIME)) {
  process.stdout.write(`large-input-rss: skipped: ${TIME} (GNU time) is not installed: apt-get install time\n`);
  process.exit(0);
}

function reduceMaxModel(n: number): Uint8Array {
  const model: Model = {
    name: 'reduce_max_large',
    inputs: [{ name: 'X', type: 'f32', dims: [1, n] }],
    outputs: [{ name: 'Y', type: 'f32', dims: [1, 1] }],
    initializers: [],
    nodes: [{ op: 'ReduceMax', inputs: ['X'], outputs: ['Y'], attrs: { axes: [1], keepdims: 1 } }],
  };
  return writeOnnx(model);
}

/** Peak RSS in KiB of one host run on an input of `mib` MiB, and the value the guest printed. */
function run(dir: string, mib: number): { kib: number; stdout: string } {
  const n = (mib * 2 ** 20) / 4;
  writeFileSync(join(dir, 'm.onnx'), reduceMaxModel(n));
  // the input: mib MiB of f32 written in 1 MiB chunks (1.0 everywhere, 2.0 in the last element)
  const fd = openSync(join(dir, 'input.f32'), 'w');
  const chunk = new Float32Array(2 ** 18).fill(1);
  for (let i = 0; i < mib; i++) {
    if (i === mib - 1) chunk[chunk.length - 1] = 2;
    writeSync(fd, new Uint8Array(chunk.buffer));
  }
  closeSync(fd);
  const r = spawnSync(TIME, ['-f', 'maxrss_kib=%M', process.execPath, HOST, 'run', '--dir', `${dir}::/b`, GUEST, '/b/m.onnx', '/b/input.f32', '1'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`wasi-nn-host exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
  const m = /maxrss_kib=(\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no maxrss in ${r.stderr.slice(-500)}`);
  return { kib: Number(m[1]), stdout: r.stdout.trim() };
}

const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-rss-'));
try {
  const base = run(dir, 1);
  const big = run(dir, MIB);
  const out = JSON.parse(big.stdout) as { output_bytes: number };
  if (out.output_bytes !== 4) throw new Error(`the guest got ${out.output_bytes} output bytes`);
  const tensor = MIB * 1024;
  process.stdout.write(
    [
      `large-input-rss: one ${MIB} MiB f32 input through wasi-nn-host run (onnx-bench.wasm, ReduceMax model), GNU time max RSS`,
      `  peak RSS, 1 MiB input (the process alone)  : ${(base.kib / 1024).toFixed(0)} MiB`,
      `  peak RSS, ${MIB} MiB input                     : ${(big.kib / 1024).toFixed(0)} MiB`,
      `  ratio peak RSS / tensor                   : ${(big.kib / tensor).toFixed(2)}x   (goal <= 2.5x: ${big.kib / tensor <= 2.5 ? 'met' : 'NOT met'})`,
      `  ratio (peak RSS - process) / tensor       : ${((big.kib - base.kib) / tensor).toFixed(2)}x`,
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
