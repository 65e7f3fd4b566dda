import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { EXPECTATIONS_DIR, applyExpectations, loadExpectations, unmatchedExpectations } from './expectations.js';
import { buildReport } from './report-io.js';
import type { ExpectationFile } from './report-types.js';
import { caseResult, runInfo } from './test-reports.js';

const file: ExpectationFile = {
  runtime: 'wamr',
  expectations: [
    { id: 'abi.load_by_name.not_found.absolute_host_path', reason: 'WAMR opens the name as a host path', issue: 'https://github.com/bytecodealliance/wasm-micro-runtime/issues/1' },
    { id: 'abi.get_output.*', reason: 'WAMR ignores out_max', dialects: ['wamr'] },
    { id: 'onnx.crashes', reason: 'aborts in the engine', statuses: ['CRASH'] },
  ],
};

describe('expectations', () => {
  it('turns an expected failure into XFAIL, keeping the real status and reason', () => {
    const r = applyExpectations(caseResult('abi.load_by_name.not_found.absolute_host_path', 'FAIL'), file, 'wamr');
    expect(r.status).toBe('XFAIL');
    expect(r.expected_failure).toEqual({ reason: 'WAMR opens the name as a host path', issue: 'https://github.com/bytecodealliance/wasm-micro-runtime/issues/1', actual_status: 'FAIL' });
    expect(r.message).toMatch(/^FAIL: .*\[expected: WAMR opens the name/);
  });

  it('turns a pass of an expected failure into XPASS, which is red', () => {
    const r = applyExpectations(caseResult('abi.load_by_name.not_found.absolute_host_path', 'PASS'), file, 'wamr');
    expect(r.status).toBe('XPASS');
    expect(r.message).toMatch(/remove it from reports\/expectations\/wamr\.json/);
    const report = buildReport(runInfo('wamr', 'wamr'), [r]);
    expect(report.counts.XPASS).toBe(1);
  });

  it('matches patterns and dialects, and keeps other statuses red', () => {
    expect(applyExpectations(caseResult('abi.get_output.small', 'FAIL'), file, 'wamr').status).toBe('XFAIL');
    expect(applyExpectations(caseResult('abi.get_output.small', 'FAIL'), file, 'witx').status).toBe('FAIL');
    expect(applyExpectations(caseResult('onnx.crashes', 'CRASH'), file, 'witx').status).toBe('XFAIL');
    const timeout = applyExpectations(caseResult('onnx.crashes', 'TIMEOUT'), file, 'witx');
    expect(timeout.status).toBe('TIMEOUT');
    expect(timeout.message).toMatch(/expected CRASH, not TIMEOUT/);
    expect(applyExpectations(caseResult('onnx.other', 'FAIL'), file, 'witx').status).toBe('FAIL');
    expect(applyExpectations(caseResult('abi.get_output.small', 'UNSUPPORTED'), file, 'wamr').status).toBe('UNSUPPORTED');
    expect(unmatchedExpectations(file, ['abi.get_output.small', 'onnx.crashes'], 'wamr').map((e) => e.id)).toEqual(['abi.load_by_name.not_found.absolute_host_path']);
  });

  it('applies a cpu_flags expectation only on a host whose CPU has one of the flags', () => {
    const bf16: ExpectationFile = { runtime: 'wasmtime', expectations: [{ id: 'openvino.golden.*', reason: 'bf16 inference on this CPU', cpu_flags: ['avx512_bf16', 'amx_bf16'] }] };
    const amx = new Set(['avx2', 'amx_bf16']);
    const plain = new Set(['avx2', 'avx512f']);
    expect(applyExpectations(caseResult('openvino.golden.x', 'FAIL'), bf16, 'witx', amx).status).toBe('XFAIL');
    // on a CPU without bf16 the same failure stays red, and a pass is a plain PASS, not XPASS
    expect(applyExpectations(caseResult('openvino.golden.x', 'FAIL'), bf16, 'witx', plain).status).toBe('FAIL');
    expect(applyExpectations(caseResult('openvino.golden.x', 'PASS'), bf16, 'witx', plain).status).toBe('PASS');
    expect(applyExpectations(caseResult('openvino.golden.x', 'PASS'), bf16, 'witx', amx).status).toBe('XPASS');
    expect(unmatchedExpectations(bf16, [], 'witx', plain)).toEqual([]);
    expect(unmatchedExpectations(bf16, [], 'witx', amx).map((e) => e.id)).toEqual(['openvino.golden.*']);
  });

  it('every committed expectation file is valid and named after its runtime', () => {
    const files = readdirSync(EXPECTATIONS_DIR).filter((f) => f.endsWith('.json'));
    expect(files).toContain('reference.json');
    for (const f of files) expect(loadExpectations(f.replace(/\.json$/, '')).runtime).toBe(f.replace(/\.json$/, ''));
    expect(loadExpectations('no-such-runtime')).toEqual({ runtime: 'no-such-runtime', expectations: [] });
  });

  it('wasmtime\'s expectations are measured (only rc-2024-08-19, which no measured binary serves, is read from source), each naming a committed case of a dialect it runs in', () => {
    const wasmtime = loadExpectations('wasmtime');
    const cases = new Map<string, string[] | undefined>();
    const walk = (dir: string): void => {
      for (const f of readdirSync(dir, { withFileTypes: true })) {
        if (f.isDirectory() && f.name !== 'schema' && f.name !== 'gen') walk(join(dir, f.name));
        else if (f.name.endsWith('.json')) {
          const file = JSON.parse(readFileSync(join(dir, f.name), 'utf8')) as { cases?: { id: string; requires?: { dialects?: string[] } }[] };
          for (const c of file.cases ?? []) cases.set(c.id, c.requires?.dialects);
        }
      }
    };
    walk(join(REPO_ROOT, 'suites'));
    expect(wasmtime.expectations.length).toBeGreaterThan(300);
    for (const e of wasmtime.expectations) {
      if (e.evidence === 'measured') expect(e.reason, e.id).toMatch(/\(measured: wasmtime(-cli 48\.0\.2| 49\.0\.3) /);
      else {
        expect(e.evidence, e.id).toBe('read-from-source');
        expect(e.dialects, e.id).toEqual(['wit-2024-08-19']);
      }
      expect(cases.has(e.id), e.id).toBe(true);
      for (const d of e.dialects ?? []) expect(cases.get(e.id) ?? [d], `${e.id} ${d}`).toContain(d);
    }
  });

  it('a bad expectation file names the file and the pointer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-exp-'));
    writeFileSync(join(dir, 'wamr.json'), JSON.stringify({ runtime: 'wamr', expectations: [{ id: 'a.b', reason: 'r' }, { id: 'c.d' }] }));
    expect(() => loadExpectations('wamr', dir)).toThrow(/wamr\.json at \/expectations\/1: must have required property 'reason'/);
    writeFileSync(join(dir, 'wamr.json'), JSON.stringify({ runtime: 'wamr', expectations: [{ id: 'a.b', reason: 'r', issue: 'not a link' }] }));
    expect(() => loadExpectations('wamr', dir)).toThrow(/at \/expectations\/0\/issue/);
    writeFileSync(join(dir, 'wamr.json'), JSON.stringify({ runtime: 'wasmtime', expectations: [] }));
    expect(() => loadExpectations('wamr', dir)).toThrow(/at \/runtime: names runtime wasmtime/);
  });
});
