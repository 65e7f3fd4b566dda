/**
 * `run` as a runtime maintainer uses it: their own suites and expectations, case globs, --list,
 * --timeout against a runtime whose child hangs, --shard + merge equal to the whole run, a
 * baseline, --out into missing folders, and one exit status per situation.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './cli.js';
import { capture } from './test-capture.js';
import type { Report, ReportResult } from '../reports/report-types.js';


const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Report;
/** What must be equal between two runs of the same case: all but the time it took. */
const essence = (r: ReportResult) => ({ ...r, duration_ms: 0 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasi-nn-run-command-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('bring your own suites and expectations', () => {
  const userSuite = () => {
    const suites = join(dir, 'my-suites', 'mine');
    mkdirSync(suites, { recursive: true });
    writeFileSync(
      join(suites, 'compute.json'),
      JSON.stringify({
        suite: 'mine',
        cases: [
          {
            id: 'mine.compute_without_input',
            title: 'compute before set_input',
            spec: 'my runtime: compute with no input set → runtime_error',
            requires: { encodings: ['onnx'] },
            steps: [
              { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
              { buffer: 'b', builders: ['m'] },
              { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g' },
              { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
              { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'success' } },
            ],
          },
        ],
      }),
    );
    return join(dir, 'my-suites');
  };

  it('--suites DIR alone runs the user cases, validated by the built-in schema; the expectation file turns the failure into XFAIL', async () => {
    const suites = userSuite();
    let io = capture();
    expect(await main(['run', '--suites', suites, '--no-builtin-suites'])).toBe(1);
    expect(io.out()).toMatch(/^FAIL {8}mine\.compute_without_input: /m);
    vi.restoreAllMocks();
    const expectations = join(dir, 'reference-expect.json');
    writeFileSync(expectations, JSON.stringify({ runtime: 'reference', expectations: [{ id: 'mine.*', reason: 'compute without input is runtime_error here' }] }));
    io = capture();
    const out = join(dir, 'mine.json');
    expect(await main(['run', '--suites', suites, '--no-builtin-suites', '--expectations', expectations, '--out', out])).toBe(0);
    expect(io.out()).not.toContain('mine.compute_without_input'); // XFAIL is counted, listed only with --verbose
    expect(io.out()).toMatch(/^mine +1 +1$/m);
    const report = readJson(out);
    expect(report.results[0]).toMatchObject({ status: 'XFAIL', expected_failure: { actual_status: 'FAIL' } });
    expect(report.run_info).toMatchObject({ suite_dirs: [suites], expectations, timeout_ms: 30_000 });
  });

  it('--suites merges with the built-in suites; --case picks by id', async () => {
    const suites = userSuite();
    const io = capture();
    expect(await main(['run', '--suites', suites, '--case', 'mine.*', '--case', 'onnx.output_size.exact', '--list'])).toBe(0);
    expect(io.out()).toBe('RUN         onnx.output_size.exact\nRUN         mine.compute_without_input\nreference (witx): 2 cases: 2 would run, 0 UNSUPPORTED\n');
  });

  it('a malformed user suite, an expectation file for another runtime and a missing suite folder are exit 2 with the file named', async () => {
    const bad = join(dir, 'bad-suites');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'x.json'), JSON.stringify({ suite: 'x', cases: [{ id: 'x.y', title: 't', spec: 's', steps: [{ call: 'frobnicate' }] }] }));
    let io = capture();
    expect(await main(['run', '--suites', bad, '--no-builtin-suites'])).toBe(2);
    expect(io.err()).toMatch(/^wasi-nn-conformance: bad suite file: .*x\.json at \/cases\/0\/steps\/0/);
    vi.restoreAllMocks();
    const other = join(dir, 'wamr-expect.json');
    writeFileSync(other, JSON.stringify({ runtime: 'wamr', expectations: [] }));
    io = capture();
    expect(await main(['run', '--case', 'onnx.output_size.exact', '--expectations', other])).toBe(2);
    expect(io.err()).toMatch(/wamr-expect\.json at \/runtime: names runtime wamr, but this run is on reference/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['run', '--suites', join(dir, 'nope')])).toBe(2);
    expect(io.err()).toMatch(/nope: cannot read the suite folder: ENOENT/);
  });

  it('--list says why a case would be UNSUPPORTED', async () => {
    const io = capture();
    expect(await main(['run', '--dialect', 'witx-2020', '--case', 'pytorch.tensor_type.i64', '--list'])).toBe(0);
    expect(io.out()).toMatch(/^UNSUPPORTED pytorch\.tensor_type\.i64: (needs encoding\(s\) pytorch|the witx-2020 dialect cannot express this case: tensor type i64 has no number)/m);
  });
});

describe('--out, usage and exit statuses', () => {
  it('--out makes missing folders; a directory is refused before the run, exit 2', async () => {
    let io = capture();
    const out = join(dir, 'not', 'yet', 'there', 'r.json');
    expect(await main(['run', '--case', 'onnx.output_size.exact', '--out', out])).toBe(0);
    expect(readJson(out).results.map((r) => r.id)).toEqual(['onnx.output_size.exact']);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['run', '--case', 'onnx.output_size.exact', '--out', dir])).toBe(2);
    expect(io.err()).toBe(`wasi-nn-conformance: --out: ${dir} is a directory: give a file path, e.g. ${join(dir, 'report.json')}\n`);
  });

  it('--help gives the options and the exit status table', async () => {
    const io = capture();
    expect(await main(['--help'])).toBe(0);
    expect(io.out()).toContain('--shard K/N');
    expect(io.out()).toContain('exit status, the same for every command:');
  });
});

describe('a runtime whose child hangs', () => {
  it('with --timeout 3 every case is TIMEOUT, the process group is killed and the run ends', async () => {
    // a wrapper script like many runtime launchers: answers the version probe, then waits on a child that never ends
    const fake = join(dir, 'fake-runtime.sh');
    writeFileSync(fake, '#!/bin/sh\nif [ "$2" = "--help" ]; then exec node "$@"; fi\nsleep 1000 &\nwait\n');
    chmodSync(fake, 0o755);
    const io = capture();
    const started = Date.now();
    const out = join(dir, 'hang.json');
    expect(await main(['run', '--runtime', 'reference-cli', '--binary', fake, '--timeout', '3', '--case', 'onnx.output_size.*', '--jobs', '6', '--out', out])).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    const report = readJson(out);
    expect(report.results.length).toBe(6);
    expect(report.results.every((r) => r.status === 'TIMEOUT')).toBe(true);
    expect(report.run_info.timeout_ms).toBe(3000);
    expect(io.out()).toMatch(/^onnx +6 +6$/m);
  }, 60_000);
});

describe('--shard K/N and merge', () => {
  it('shard 1/2 + shard 2/2, merged, equal the unsharded run case for case, in the same order', async () => {
    const whole = join(dir, 'whole.json');
    const s1 = join(dir, 'shard1.json');
    const s2 = join(dir, 'shard2.json');
    const merged = join(dir, 'merged.json');
    capture();
    const sel = ['--case', 'onnx.*', '--case', 'abi.handles.*'];
    expect(await main(['run', ...sel, '--out', whole])).toBe(0);
    expect(await main(['run', ...sel, '--shard', '1/2', '--out', s1])).toBe(0);
    expect(await main(['run', ...sel, '--shard', '2/2', '--out', s2])).toBe(0);
    expect(await main(['merge', s2, s1, '--out', merged])).toBe(0);
    const [w, a, b, m] = [whole, s1, s2, merged].map(readJson) as [Report, Report, Report, Report];
    expect(a.results.length + b.results.length).toBe(w.results.length);
    expect(Math.abs(a.results.length - b.results.length)).toBeLessThanOrEqual(4);
    expect(a.results.filter((r) => b.results.some((x) => x.id === r.id))).toEqual([]);
    expect(m.results.map(essence)).toEqual(w.results.map(essence));
    expect(m.counts).toEqual(w.counts);
    expect(m.findings).toEqual(w.findings);
    expect(m.run_info.complete).toBe(true);
    expect(m.run_info.planned_cases).toBe(w.results.length);
    expect(m.run_info.merged_from?.map((r) => r.shard?.index)).toEqual([2, 1]);
    // diff and review take the merged report
    expect(await main(['diff', '--exit-code', whole, merged])).toBe(0);
    expect(await main(['review', '--baseline', whole, merged])).toBe(0);
  }, 120_000);

  it('a missing shard, a shard given twice and a case in two reports are refused, exit 2; --allow-gaps writes an incomplete report', async () => {
    const sel = ['--case', 'onnx.output_size.*'];
    const s1 = join(dir, 'g1.json');
    const s2 = join(dir, 'g2.json');
    const s1b = join(dir, 'g1b.json');
    capture();
    expect(await main(['run', ...sel, '--shard', '1/3', '--out', s1])).toBe(0);
    expect(await main(['run', ...sel, '--shard', '2/3', '--out', s2])).toBe(0);
    expect(await main(['run', ...sel, '--out', s1b])).toBe(0);
    vi.restoreAllMocks();
    let io = capture();
    expect(await main(['merge', s1, s2, '--out', join(dir, 'g.json')])).toBe(2);
    expect(io.err()).toMatch(/shard 3\/3 is missing .*--allow-gaps/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['merge', s1, s1, '--out', join(dir, 'g.json')])).toBe(2);
    expect(io.err()).toMatch(/shard 1\/3 is given twice/);
    vi.restoreAllMocks();
    io = capture();
    expect(await main(['merge', s1, s1b, '--out', join(dir, 'g.json')])).toBe(2);
    expect(io.err()).toMatch(/g1b\.json is not a shard/);
    vi.restoreAllMocks();
    capture();
    expect(await main(['merge', s1, s2, '--allow-gaps', '--out', join(dir, 'g.json')])).toBe(0);
    expect(readJson(join(dir, 'g.json')).run_info.complete).toBe(false);
  }, 60_000);
});

describe('--baseline on run', () => {
  it('a failure the baseline has already is no regression (exit 0); a new one is (exit 1)', async () => {
    const expectations = join(dir, 'none.json');
    writeFileSync(expectations, JSON.stringify({ runtime: 'reference', expectations: [] }));
    const base = join(dir, 'base.json');
    capture();
    expect(await main(['run', '--case', 'onnx.output_size.*', '--out', base])).toBe(0);
    const report = readJson(base);
    // the approved baseline says one case already failed; another passed
    const failing = { ...(report.results[0] as ReportResult), status: 'FAIL' as const };
    writeFileSync(base, JSON.stringify({ ...report, results: [failing, ...report.results.slice(1)], counts: { ...report.counts, PASS: report.counts.PASS - 1, FAIL: 1 } }));
    vi.restoreAllMocks();
    let io = capture();
    expect(await main(['run', '--case', 'onnx.output_size.*', '--baseline', base])).toBe(0);
    expect(io.out()).toContain('fixes: 1');
    vi.restoreAllMocks();
    // a user suite with a failing case the baseline does not have: a new failure
    const suites = join(dir, 'nf');
    mkdirSync(suites, { recursive: true });
    writeFileSync(join(suites, 'n.json'), JSON.stringify({ suite: 'nf', cases: [{ id: 'onnx.output_size.zzz', title: 't', spec: 's', requires: { encodings: ['onnx'] }, steps: [{ call: 'compute', args: { ctx: 77 }, expect: { errno: 'success' } }] }] }));
    io = capture();
    expect(await main(['run', '--suites', suites, '--case', 'onnx.output_size.*', '--baseline', base])).toBe(1);
    expect(io.out()).toMatch(/NEW FAILURES \(cases the baseline does not have\): 1/);
  }, 60_000);
});
