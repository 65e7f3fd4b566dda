import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportsMain } from './cli.js';
import { diffReports, formatDiff } from './diff.js';
import { writeReport } from './report-io.js';
import { review } from './review.js';
import { caseResult, report, twoRuntimes } from './test-reports.js';

/** Runs a report subcommand, capturing what it prints. */
async function cli(command: 'diff' | 'review' | 'render', argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await reportsMain(command, argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

function files() {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-diff-'));
  const { a, b } = twoRuntimes();
  const pa = join(dir, 'a.json');
  const pb = join(dir, 'b.json');
  writeReport(pa, a);
  writeReport(pb, b);
  return { dir, pa, pb, a, b };
}

afterEach(() => vi.restoreAllMocks());

describe('diff', () => {
  it('finds status, errno, tensor, load_by_name differences and cases on one side only', () => {
    const { a, b } = twoRuntimes();
    const d = diffReports(a, b);
    expect(d.compared).toBe(3);
    expect(d.counts).toEqual({ status: 2, errno: 1, tensor: 1, load_by_name: 1, only_a: 1, only_b: 1 });
    const byId = new Map(d.cases.map((c) => [c.id, c]));
    const lbn = byId.get('abi.load_by_name.not_found.absolute_host_path');
    expect(lbn?.kinds).toEqual(['status', 'load_by_name']);
    expect(lbn?.load_by_name).toEqual([{ step: 2, fn: 'load_by_name', a: 'not_found (6)', b: 'success (0)' }]);
    const compute = byId.get('abi.compute.bad_ctx');
    expect(compute?.kinds).toEqual(['status', 'errno']);
    expect(compute?.calls).toEqual([{ step: 3, fn: 'compute', a: 'invalid_argument (1)', b: 'runtime_error (5)' }]);
    expect(byId.get('onnx.affine')?.tensor).toEqual({ a: { max_abs: 0, max_rel: 0, max_ulp: 0 }, b: { max_abs: 2.5e-7, max_rel: 1e-7, max_ulp: 2 } });
    expect(byId.get('onnx.only_in_a')?.kinds).toEqual(['only_a']);
    expect(byId.get('onnx.only_in_b')?.kinds).toEqual(['only_b']);
    const text = formatDiff(d, { a: 'a.json', b: 'b.json' });
    expect(text).toContain('A: reference 1.2.3 (witx), 4 cases — a.json');
    expect(text).toMatch(/abi\.load_by_name\.not_found\.absolute_host_path\s+load_by_name\s+step 2 load_by_name\s+not_found \(6\)\s+success \(0\)/);
    expect(text).toMatch(/abi\.compute\.bad_ctx\s+errno\s+step 3 compute\s+invalid_argument \(1\)\s+runtime_error \(5\)/);
    expect(text).toMatch(/onnx\.affine\s+tensor error\s+abs 0 rel 0 ulp 0\s+abs 2\.5e-7 rel 1e-7 ulp 2/);
  });

  it('a call that one side never made is a difference; equal errno names with the same codes are not', () => {
    const a = report('x', [caseResult('s.c', 'PASS', { calls: [{ step: 1, fn: 'load', errno: 0, errno_name: 'success' }, { step: 2, fn: 'compute', errno: 0, errno_name: 'success' }] })]);
    const b = report('y', [caseResult('s.c', 'PASS', { calls: [{ step: 1, fn: 'load', errno: 0, errno_name: 'success' }] })]);
    expect(diffReports(a, b).cases[0]?.calls).toEqual([{ step: 2, fn: 'compute', a: 'success (0)', b: 'no call' }]);
    expect(diffReports(a, a).cases).toEqual([]);
  });

  it('the CLI prints the table and exits 0; --json is machine output; bad input exits 2', async () => {
    const { dir, pa, pb, a } = files();
    const text = await cli('diff', [pa, pb]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('3 cases in both; 5 differ');
    const json = await cli('diff', [pa, pb, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).counts.load_by_name).toBe(1);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...a, format_version: 3 }));
    const e = await cli('diff', [pa, bad]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/bad\.json at \/format_version: report format version 3 is newer than this harness reads \(1 to 2\): upgrade wasi-nn-conformance/);
    writeFileSync(bad, JSON.stringify({ ...a, format_version: 1 }));
    expect((await cli('diff', [pa, bad])).code).toBe(0); // a version-1 report still loads
    writeFileSync(bad, JSON.stringify({ results: [] }));
    expect((await cli('diff', [pa, bad])).err).toMatch(/not a wasi-nn-conformance report \(format is undefined\)/);
    expect((await cli('diff', [pa])).code).toBe(2);
    expect((await cli('render', ['--format', 'markdown', bad])).code).toBe(2);
    expect((await cli('render', ['--format', 'pdf', pa])).code).toBe(2);
  });

  it('--exit-code: 1 when the reports differ, 0 for a report against itself, 2 on bad input', async () => {
    const { pa, pb } = files();
    expect((await cli('diff', [pa, pb, '--exit-code'])).code).toBe(1);
    expect((await cli('diff', [pa, pa, '--exit-code'])).code).toBe(0);
    expect((await cli('diff', [pa, '--exit-code'])).code).toBe(2);
  });
});

describe('review', () => {
  it('a report against itself is clean: exit 0', async () => {
    const { pa } = files();
    const r = await cli('review', ['--baseline', pa, pa]);
    expect(r.out).toContain('review OK: no regression');
    expect(r.code).toBe(0);
  });

  it('PASS → FAIL and XFAIL → CRASH are regressions: exit 1', async () => {
    const base = report('wamr', [caseResult('s.a', 'PASS'), caseResult('s.b', 'XFAIL', { expected_failure: { reason: 'r', actual_status: 'FAIL' } }), caseResult('s.c', 'FAIL'), caseResult('s.d', 'PASS'), caseResult('s.gone', 'PASS')], 'wamr');
    const now = report('wamr', [caseResult('s.a', 'FAIL'), caseResult('s.b', 'CRASH'), caseResult('s.c', 'PASS'), caseResult('s.d', 'UNSUPPORTED'), caseResult('s.new', 'PASS')], 'wamr');
    const r = review(base, now);
    expect(r.regressions.map((c) => [c.id, c.was, c.now])).toEqual([['s.a', 'PASS', 'FAIL'], ['s.b', 'XFAIL', 'CRASH']]);
    expect(r.fixes.map((c) => c.id)).toEqual(['s.c']);
    expect(r.changed.map((c) => [c.id, c.now])).toEqual([['s.d', 'UNSUPPORTED']]);
    expect(r.new_cases).toEqual([{ id: 's.new', status: 'PASS' }]);
    expect(r.removed_cases).toEqual([{ id: 's.gone', status: 'PASS' }]);
    expect(r.new_findings.map((f) => f.case)).toEqual(['s.b']);
    expect(r.ok).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-review-'));
    writeReport(join(dir, 'base.json'), base);
    writeReport(join(dir, 'new.json'), now);
    const out = await cli('review', ['--baseline', join(dir, 'base.json'), join(dir, 'new.json')]);
    expect(out.code).toBe(1);
    expect(out.out).toContain('REGRESSIONS: 2');
    expect(out.out).toMatch(/s\.a\s+PASS\s+FAIL/);
    const json = await cli('review', ['--baseline', join(dir, 'base.json'), join(dir, 'new.json'), '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).fixes[0].id).toBe('s.c');
  });

  it('a fix alone passes; an incomplete new report fails; bad input exits 2', async () => {
    const base = report('x', [caseResult('s.a', 'FAIL')]);
    expect(review(base, report('x', [caseResult('s.a', 'PASS')])).ok).toBe(true);
    const partial = review(base, report('x', [caseResult('s.a', 'FAIL')], 'witx', false));
    expect(partial.ok).toBe(false);
    expect(partial.problems[0]).toMatch(/incomplete/);
    expect(review(base, report('y', [caseResult('s.a', 'FAIL')])).problems[0]).toMatch(/baseline is for x \(witx\), the report for y/);
    const { pa } = files();
    expect((await cli('review', [pa])).code).toBe(2);
    expect((await cli('review', ['--baseline', pa, '/nonexistent/report.json'])).code).toBe(2);
  });
});
