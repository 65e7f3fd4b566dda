/**
 * What one case costs on wasmtime, by how the driver guest reaches machine code: the per-process
 * wall time of `wasmtime run` on one real case (openvino.golden.affine_relu.default: load an IR,
 * compute, read the output through real OpenVINO), interleaved round by round, three ways:
 *   precompiled  `wasmtime compile` once, then `run --allow-precompiled X.cwasm` (what the adapter does)
 *   cached       `run X.wasm` with wasmtime's own compilation cache (its default config; warm)
 *   cranelift    `run -C cache=n X.wasm`: Cranelift compiles the 51 KB driver in every process
 * The binary is the one `--runtime wasmtime` finds (WASI_NN_WASMTIME, PATH, or `setup wasmtime`).
 *
 *   npm run bench:wasmtime-startup [-- --rounds N]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCase, GUEST_CASE_DIR, GUEST_FIXTURES_DIR } from '../harness/compile.js';
import { FIXTURES_DIR, SUITES_DIR, driverWasm } from '../harness/repo-paths.js';
import { loadSuites } from '../harness/suite-loader.js';
import { readManifest } from '../setup/manifest.js';
import { WasmtimeAdapter, libraryDirsFor } from '../runtimes/wasmtime/wasmtime-adapter.js';
import { withLibraryDirs } from '../runtimes/wasmtime/wasmtime-probe.js';
import { median, option } from './mlp-bench.js';

const ROUNDS = option('--rounds', 30);
const CASE = 'openvino.golden.affine_relu.default';

const adapter = new WasmtimeAdapter();
const found = await adapter.detect();
if (!found.available || !found.path) {
  process.stdout.write(`wasmtime-startup: skipped: ${found.available ? 'no binary path' : `${found.reason}; fix: ${found.fix}`}\n`);
  process.exit(0);
}
const binary = found.path;
const env = { ...process.env, ...withLibraryDirs(libraryDirsFor(binary, readManifest())) };
const loaded = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR }).find((c) => c.case.id === CASE);
if (!loaded) throw new Error(`no case ${CASE}`);
const compiled = compileCase(loaded.case, { fixturesDir: FIXTURES_DIR, dialect: 'witx' });
const dir = mkdtempSync(join(tmpdir(), 'wasmtime-startup-'));
writeFileSync(join(dir, 'steps.txt'), compiled.script);
const wasm = driverWasm('witx');
const cwasm = join(dir, 'witx.cwasm');
execFileSync(binary, ['compile', '-o', cwasm, wasm]);

const common = ['-S', 'nn', '--dir', `${FIXTURES_DIR}::${GUEST_FIXTURES_DIR}`, '--dir', `${dir}::${GUEST_CASE_DIR}`];
const modes: Record<string, string[]> = {
  precompiled: ['run', ...common, '--allow-precompiled', cwasm, `${GUEST_CASE_DIR}/steps.txt`],
  cached: ['run', ...common, wasm, `${GUEST_CASE_DIR}/steps.txt`],
  cranelift: ['run', '-C', 'cache=n', ...common, wasm, `${GUEST_CASE_DIR}/steps.txt`],
};
const times: Record<string, number[]> = { precompiled: [], cached: [], cranelift: [] };
const once = (args: string[]): number => {
  const t = process.hrtime.bigint();
  const r = spawnSync(binary, args, { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 || !r.stdout.includes('"done":true')) throw new Error(`wasmtime ${args.join(' ')} failed: ${r.status} ${r.stderr.slice(0, 300)}`);
  return ms;
};
for (const args of Object.values(modes)) once(args); // warm the page cache and wasmtime's own cache
for (let i = 0; i < ROUNDS; i++) for (const [mode, args] of Object.entries(modes)) times[mode]?.push(once(args));
rmSync(dir, { recursive: true, force: true });

const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
process.stdout.write(`wasmtime-startup: ${found.version} (${binary}), case ${CASE}, ${ROUNDS} interleaved rounds, median wall per process:\n`);
for (const k of Object.keys(modes)) process.stdout.write(`  ${k.padEnd(12)} ${(m[k] as number).toFixed(1)} ms\n`);
process.stdout.write(`  cranelift / precompiled = ${((m.cranelift as number) / (m.precompiled as number)).toFixed(2)}x, cached / precompiled = ${((m.cached as number) / (m.precompiled as number)).toFixed(2)}x\n`);
