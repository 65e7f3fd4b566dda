/**
 * The reference host in process and the same host as a child process (`wasi-nn-host run`) must
 * judge every case alike: same status, same errno for every call. A diverse subset, hostile
 * cases included. Needs `npm run build` first (npm test does it).
 */
import { describe, expect, it } from 'vitest';
import { ReferenceCliAdapter } from '../runtimes/reference-cli/reference-cli-adapter.js';
import { ReferenceAdapter } from '../runtimes/reference/reference-adapter.js';
import { FIXTURES_DIR, SUITES_DIR } from './repo-paths.js';
import { runCase, type CaseResult } from './run-case.js';
import { loadSuites } from './suite-loader.js';

const PICKS = [
  /^abi\.load\.builders_array\.ptr_past_end$/,
  /^abi\.load\.builder_bytes\.wraps_u32$/,
  /^abi\.load\.builders_array\.huge_len$/,
  /^abi\.load\.builders_len\.count_times_8_wraps$/,
  /^abi\.load\.graph_out\.max$/,
  /^abi\.load\.encoding\.255$/,
  /^abi\.load\.target\./,
  /^abi\.load_by_name\.preloaded$/,
  /^abi\.load_by_name\.twice_new_handles$/,
  /^abi\.load_by_name\.not_found\.absolute_host_path$/,
  /^abi\.load_by_name\.nul_inside$/,
  /^abi\.load_by_name\.name\.max_ptr$/,
  /^abi\.load_by_name_with_config\./,
  /^abi\.set_input\.type\./,
  /^abi\.set_input\.dims\.product/,
  /^abi\.get_output\.out_max_past_end$/,
  /^abi\.unload\./,
  /_single\.not_an_llm$/,
  /^onnx\.output_size\./,
  /^onnx\.set_input\.copies/,
  /^onnx\.dynamic_dims\./,
  /^onnx\.order\./,
];

const all = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR });
const picked = PICKS.map((re) => all.find((c) => re.test(c.case.id))).filter((c) => c !== undefined);
const badModel = all.find((c) => c.suite.startsWith('bad_models'));
if (badModel) picked.push(badModel);

const summary = (r: CaseResult) => ({ id: r.id, status: r.status, calls: r.calls.map((c) => `${c.step} ${c.fn} → ${c.errno}`) });

describe('reference vs reference-cli', () => {
  it('picks at least 20 diverse cases', () => {
    expect(picked.length).toBeGreaterThanOrEqual(20);
  });

  it('judges every picked case alike, errno for errno', async () => {
    const inProcess = new ReferenceAdapter('witx');
    const cli = new ReferenceCliAdapter('witx');
    expect(await cli.detect()).toMatchObject({ available: true });
    const [capsA, capsB] = [await inProcess.capabilities(), await cli.capabilities()];
    const a = [];
    for (const c of picked) a.push(summary(await runCase(c, inProcess, capsA, { fixturesDir: FIXTURES_DIR })));
    const b = await Promise.all(picked.map(async (c) => summary(await runCase(c, cli, capsB, { fixturesDir: FIXTURES_DIR }))));
    expect(b).toEqual(a);
    // the subset really exercises calls and more than one errno
    expect(new Set(a.flatMap((r) => r.calls.map((c) => c.split(' → ')[1]))).size).toBeGreaterThan(2);
    expect(a.filter((r) => r.status === 'PASS').length).toBeGreaterThanOrEqual(18);
  }, 120_000);
});
