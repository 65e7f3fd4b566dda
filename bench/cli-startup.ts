/**
 * What one guest process costs: the wall time of `wasi-nn-host run` (the reference CLI, as
 * `--runtime reference-cli` starts it for every case) on a small guest and a tiny ONNX model,
 * against WAMR's iwasm (when WASI_NN_IWASM names one built with its ONNX backend) running the same
 * guest on the same model, and against `node -e ''` (Node's own start, the floor of any Node CLI);
 * interleaved, one of each per round, so drift in machine load hits them alike. Prints the medians
 * and the ratios.
 *
 *   npm run bench:cli-startup [-- --rounds N]
 *   WASI_NN_IWASM=/path/to/iwasm npm run bench:cli-startup
 *
 * The guest is guests/examples/onnx-affine.wasm on fixtures/onnx/affine_relu.onnx (1×4 → 1×3):
 * load, one compute, two get_output calls. Both hosts must print the same output.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, REPO_ROOT } from '../harness/repo-paths.js';
import { iwasmLibraryPath } from '../runtimes/wamr/wamr-adapter.js';
import { median, option } from './mlp-bench.js';

const ROUNDS = option('--rounds', 20);
const GUEST = join(REPO_ROOT, 'guests', 'examples', 'onnx-affine.wasm');
const HOST_BIN = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const MODEL_DIR = join(FIXTURES_DIR, 'onnx');
const GUEST_ARGS = ['/m/affine_relu.onnx', '1', '2', '3', '4'];
const EXPECTED = 'output (12 bytes): 0.000000 1.975719 1.834780';
const IWASM = process.env.WASI_NN_IWASM;
const iwasmSkip = IWASM === undefined || IWASM === '' ? 'WASI_NN_IWASM is not set (point it at an iwasm built with WAMR_BUILD_WASI_NN_ONNX=1)' : !existsSync(IWASM) ? `WASI_NN_IWASM=${IWASM} does not exist` : undefined;

interface Runner {
  name: string;
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** a text its stdout must contain */
  expect?: string;
}

const runners: Runner[] = [
  { name: 'wasi-nn-host run', file: process.execPath, args: [HOST_BIN, 'run', '--dir', `${MODEL_DIR}::/m`, GUEST, ...GUEST_ARGS], expect: EXPECTED },
  { name: "node -e ''", file: process.execPath, args: ['-e', ''] },
];
if (!iwasmSkip) {
  runners.push({ name: 'iwasm', file: IWASM!, args: [`--map-dir=/m::${MODEL_DIR}`, GUEST, ...GUEST_ARGS], env: { ...process.env, LD_LIBRARY_PATH: iwasmLibraryPath(IWASM!, process.env.LD_LIBRARY_PATH) }, expect: EXPECTED });
}

function once(r: Runner): number {
  const t = process.hrtime.bigint();
  const p = spawnSync(r.file, r.args, { env: r.env ?? process.env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (p.error) throw new Error(`${r.name}: ${p.error.message}`);
  if (p.status !== 0 || (r.expect && !p.stdout.includes(r.expect))) throw new Error(`${r.name} exited ${p.status ?? p.signal}: ${p.stdout.slice(-500)} ${p.stderr.slice(-500)}`);
  return ms;
}

for (const r of runners) once(r); // the page cache and onnxruntime's library, warm for all alike
const times = new Map<string, number[]>(runners.map((r) => [r.name, []]));
for (let i = 0; i < ROUNDS; i++) for (const r of runners) times.get(r.name)!.push(once(r));

const m = new Map([...times].map(([k, v]) => [k, median(v)]));
const host = m.get('wasi-nn-host run')!;
process.stdout.write(`cli-startup: ${ROUNDS} interleaved rounds, median wall per process (guest onnx-affine.wasm, model affine_relu.onnx):\n`);
for (const [k, v] of m) process.stdout.write(`  ${k.padEnd(18)} ${v.toFixed(1)} ms\n`);
process.stdout.write(`  wasi-nn-host run / node -e '' = ${(host / m.get("node -e ''")!).toFixed(2)}x\n`);
if (iwasmSkip) process.stdout.write(`  iwasm: skipped: ${iwasmSkip}\n`);
else process.stdout.write(`  wasi-nn-host run / iwasm = ${(host / m.get('iwasm')!).toFixed(2)}x\n`);
