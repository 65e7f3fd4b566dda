/** Hand-built case results and reports for the reports/ tests (real values, no engine). */
import type { ReportableResult, RunInfoInput } from './report-io.js';
import { buildReport } from './report-io.js';
import type { Report, Status } from './report-types.js';

export function caseResult(id: string, status: Status, extra: Partial<ReportableResult> = {}): ReportableResult {
  return {
    id,
    suite: id.split('.')[0] as string,
    title: `title of ${id}`,
    spec: `spec of ${id}`,
    status,
    checks: [],
    calls: [],
    duration_ms: 12,
    ...(status === 'PASS' ? {} : { message: `${id} went ${status}` }),
    ...extra,
  };
}

export function runInfo(name: string, dialect = 'witx'): RunInfoInput {
  return { runtime: { name, version: '1.2.3', dialect, argv: [name, 'run', '{wasm}'] }, engines: { 'onnxruntime-node': '1.30.0' }, encodings: ['onnx'], started_at: '2026-01-02T03:04:05.000Z' };
}

export function report(name: string, results: ReportableResult[], dialect = 'witx', complete = true): Report {
  return buildReport(runInfo(name, dialect), results, complete);
}

/** The same four cases as two runtimes see them. */
export function twoRuntimes(): { a: Report; b: Report } {
  const lbnCalls = (errno: number, name: string) => [{ step: 2, fn: 'load_by_name', errno, errno_name: name }];
  const a = report('reference', [
    caseResult('abi.load_by_name.not_found.absolute_host_path', 'PASS', { calls: lbnCalls(6, 'not_found') }),
    caseResult('abi.compute.bad_ctx', 'PASS', { calls: [{ step: 3, fn: 'compute', errno: 1, errno_name: 'invalid_argument' }] }),
    caseResult('onnx.affine', 'PASS', { tensor_error: { maxAbs: 0, maxRel: 0, maxUlp: 0 } }),
    caseResult('onnx.only_in_a', 'PASS'),
  ]);
  const b = report('wamr', [
    caseResult('abi.load_by_name.not_found.absolute_host_path', 'FAIL', { calls: lbnCalls(0, 'success') }),
    caseResult('abi.compute.bad_ctx', 'FAIL', { calls: [{ step: 3, fn: 'compute', errno: 5, errno_name: 'runtime_error' }] }),
    caseResult('onnx.affine', 'PASS', { tensor_error: { maxAbs: 2.5e-7, maxRel: 1e-7, maxUlp: 2 } }),
    caseResult('onnx.only_in_b', 'CRASH'),
  ], 'wamr');
  return { a, b };
}
