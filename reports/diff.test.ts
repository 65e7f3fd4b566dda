import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportsMain } from './cli.js';
import { diffReports, formatDiff } from './diff.js';
import { writeReport } from './report-io.js';
import { formatReview, review } from './review.js';
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
  it('groups differing cases by kind, most severe first, with both true statuses, the clause and the messages', () => {
    const { a, b } = twoRuntimes();
    const d = diffReports(a, b);
    expect(d.compared).toBe(3);
    expect(d.counts).toMatchObject({ security: 1, errno: 1, tensor: 1, crash: 0, trap: 0 });
    const byId = new Map(d.cases.map((c) => [c.id, c]));
    const lbn = byId.get('abi.load_by_name.not_found.absolute_host_path');
    expect(lbn).toMatchObject({ group: 'security', kinds: ['security', 'load_by_name'], a: { status: 'PASS', actual: 'PASS' }, b: { status: 'FAIL', actual: 'FAIL' }, spec: 'spec of abi.load_by_name.not_found.absolute_host_path' });
    expect(lbn?.load_by_name).toEqual([{ step: 2, fn: 'load_by_name', a: 'not_found (6)', b: 'success (0)' }]);
    const compute = byId.get('abi.compute.bad_ctx');
    expect(compute).toMatchObject({ group: 'errno', kinds: ['errno'] });
    expect(compute?.calls).toEqual([{ step: 3, fn: 'compute', a: 'invalid_argument (1)', b: 'runtime_error (5)' }]);
    expect(byId.get('onnx.affine')?.tensor).toEqual({ a: { max_abs: 0, max_rel: 0, max_ulp: 0 }, b: { max_abs: 2.5e-7, max_rel: 1e-7, max_ulp: 2 } });
    // a case only one side ran is no difference: counted apart
    expect(d.not_run).toEqual([
      { id: 'onnx.only_in_a', side: 'b', reason: 'absent from the report' },
      { id: 'onnx.only_in_b', side: 'a', reason: 'absent from the report' },
    ]);
    expect(d.cases.map((c) => c.group)).toEqual(['security', 'errno', 'tensor']);
    const text = formatDiff(d, { a: 'a.json', b: 'b.json' });
    expect(text).toContain('A: reference 1.2.3 (witx), 4 cases — a.json');
    expect(text).toContain('3 cases run by both; 3 differ (1 security, 1 errno, 1 tensor)');
    expect(text).toContain('not compared: 1 case(s) only A ran, 1 only B ran (UNSUPPORTED or absent on the other side); --all lists them');
    expect(text).not.toContain('onnx.only_in_a');
    expect(text).toMatch(/SECURITY FINDINGS[^\n]*: 1\n.*\n {2}abi\.load_by_name\.not_found\.absolute_host_path {2}PASS {2}FAIL\n {6}step 2 load_by_name: A not_found \(6\), B success \(0\)\n {6}clause: spec of abi\.load_by_name\.not_found\.absolute_host_path\n {6}B says: abi\.load_by_name\.not_found\.absolute_host_path went FAIL/);
    expect(text).toContain('      step 3 compute: A invalid_argument (1), B runtime_error (5)');
    expect(text).toContain('      tensor error: A abs 0 rel 0 ulp 0, B abs 2.5e-7 rel 1e-7 ulp 2');
    expect(formatDiff(d, { a: 'a.json', b: 'b.json' }, { all: true })).toContain('  onnx.only_in_b  not run by A: absent from the report');
  });

  it('shows the true status under an expectation label, so a crash is found by grep', () => {
    const a = report('reference', [caseResult('abi.x', 'PASS', { calls: [{ step: 1, fn: 'compute', errno: 1, errno_name: 'invalid_argument' }] })]);
    const b = report('wamr', [caseResult('abi.x', 'XFAIL', { message: 'CRASH: the runtime died of SIGABRT before step 1 (compute) [expected: aborts]', expected_failure: { reason: 'aborts', actual_status: 'CRASH' } })], 'wamr');
    const d = diffReports(a, b);
    expect(d.cases[0]).toMatchObject({ group: 'crash', b: { status: 'XFAIL', actual: 'CRASH' } });
    const text = formatDiff(d, { a: 'a', b: 'b' });
    expect(text).toContain('CRASHES (the runtime died: signal, abort, panic, early exit): 1');
    // the first screen names every crash before the detail
    expect(text.indexOf('CRASH (1, B CRASH (XFAIL) each): abi.x')).toBeLessThan(text.indexOf('CRASHES ('));
    expect(text).toMatch(/abi\.x {2}PASS {2}CRASH \(XFAIL\)/);
    expect(text).toContain('B says: CRASH: the runtime died of SIGABRT before step 1 (compute)');
    // the call the crashed side never made is context, not an errno difference
    expect(d.cases[0]?.kinds).toEqual(['crash']);
  });

  it('identical tensors, a tensor only one side measured, and UNSUPPORTED cases print nothing', () => {
    const t = { maxAbs: 0, maxRel: 0, maxUlp: 0 };
    const a = report('x', [caseResult('s.same', 'PASS', { tensor_error: t }), caseResult('s.one', 'PASS', { tensor_error: t }), caseResult('s.skip', 'PASS')]);
    const b = report('y', [caseResult('s.same', 'PASS', { tensor_error: t }), caseResult('s.one', 'PASS'), caseResult('s.skip', 'UNSUPPORTED')]);
    const d = diffReports(a, b);
    expect(d.cases).toEqual([]);
    expect(d.not_run.map((n) => n.id)).toEqual(['s.skip']);
  });

  it('pairs calls by function and occurrence, so a format-1 report (script-line steps) compares with a format-2 one', () => {
    const a = report('x', [caseResult('s.c', 'PASS', { calls: [{ step: 4, fn: 'load', errno: 0, errno_name: 'success' }, { step: 9, fn: 'compute', errno: 0, errno_name: 'success' }] })]);
    const b = report('y', [caseResult('s.c', 'FAIL', { calls: [{ step: 1, fn: 'load', errno: 0, errno_name: 'success' }, { step: 3, fn: 'compute', errno: 5, errno_name: 'runtime_error' }] })]);
    expect(diffReports(a, b).cases[0]?.calls).toEqual([{ step: 3, fn: 'compute', a: 'success (0)', b: 'runtime_error (5)' }]);
    expect(diffReports(a, a).cases).toEqual([]);
  });

  it('the CLI prints the table and exits 0; --json is machine output; bad input exits 2', async () => {
    const { dir, pa, pb, a } = files();
    const text = await cli('diff', [pa, pb]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('3 cases run by both; 3 differ');
    const json = await cli('diff', [pa, pb, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).counts.security).toBe(1);
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

  it('says first what to act on, in the diff row format: an expected failure that changed kind is listed', () => {
    const base = report('wamr', [caseResult('s.k', 'XFAIL', { expected_failure: { reason: 'r', actual_status: 'FAIL' } }), caseResult('s.a', 'PASS')], 'wamr');
    const now = report('wamr', [caseResult('s.k', 'XFAIL', { message: 'CRASH: died of SIGSEGV', expected_failure: { reason: 'r', actual_status: 'CRASH' } }), caseResult('s.a', 'TRAP', { message: 'wasm trap: unreachable' })], 'wamr');
    const r = review(base, now);
    expect(r.changed_kind).toEqual([{ id: 's.k', was: 'FAIL', now: 'CRASH', message: 'CRASH: died of SIGSEGV' }]);
    const text = formatReview(r, { baseline: 'base.json', report: 'new.json' }, { baseline: base, report: now });
    const lines = text.split('\n');
    expect(lines[2]).toBe('1 regression(s), 0 new failure(s), 1 expected failure(s) that changed kind, 0 fix(es), 1 new finding(s)');
    expect(text).toMatch(/REGRESSIONS: 1\n {2}case +baseline +now\n {2}s\.a +PASS +TRAP\n {6}clause: spec of s\.a\n {6}B says: wasm trap: unreachable/);
    expect(text).toMatch(/EXPECTED FAILURES THAT CHANGED KIND: 1\n {2}case +baseline +now\n {2}s\.k +FAIL \(XFAIL\) +CRASH \(XFAIL\)/);
    expect(text.indexOf('REGRESSIONS')).toBeLessThan(text.indexOf('fixes'));
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
