/**
 * A new report against an approved baseline: regressions (was PASS or XFAIL, now red), fixes
 * (was red, now PASS or XFAIL), new and removed cases, other status changes, new findings.
 * A review fails on a regression, a new finding, or an incomplete new report.
 */
import { diffReports, formatTable, reportLabel, type ReportDiff } from './diff.js';
import { RED_STATUSES } from './report-io.js';
import type { Finding, Report, Status } from './report-types.js';

export interface StatusChange {
  id: string;
  was: Status;
  now: Status;
  message?: string;
}

export interface Review {
  baseline: string;
  report: string;
  regressions: StatusChange[];
  fixes: StatusChange[];
  /** status changed, neither a regression nor a fix (e.g. PASS → UNSUPPORTED) */
  changed: StatusChange[];
  new_cases: { id: string; status: Status }[];
  /** new cases (absent from the baseline) that are red: they fail the review like a regression */
  new_failures: { id: string; status: Status; message?: string }[];
  removed_cases: { id: string; status: Status }[];
  new_findings: Finding[];
  /** problems that fail the review besides regressions */
  problems: string[];
  diff: ReportDiff;
  ok: boolean;
}

const GOOD_BEFORE: ReadonlySet<Status> = new Set<Status>(['PASS', 'XFAIL']);

export function review(baseline: Report, report: Report): Review {
  const base = new Map(baseline.results.map((r) => [r.id, r]));
  const now = new Map(report.results.map((r) => [r.id, r]));
  const regressions: StatusChange[] = [];
  const fixes: StatusChange[] = [];
  const changed: StatusChange[] = [];
  for (const r of report.results) {
    const was = base.get(r.id);
    if (!was || was.status === r.status) continue;
    const change: StatusChange = { id: r.id, was: was.status, now: r.status, ...(r.message === undefined ? {} : { message: r.message }) };
    if (GOOD_BEFORE.has(was.status) && RED_STATUSES.has(r.status)) regressions.push(change);
    else if (RED_STATUSES.has(was.status) && GOOD_BEFORE.has(r.status)) fixes.push(change);
    else changed.push(change);
  }
  const findingKey = (f: Finding) => `${f.kind} ${f.case}`;
  const baseFindings = new Set(baseline.findings.map(findingKey));
  const problems: string[] = [];
  if (!report.run_info.complete) problems.push(`the new report is incomplete (${report.results.length}${report.run_info.planned_cases ? ` of ${report.run_info.planned_cases}` : ''} cases): the run was interrupted`);
  const rb = baseline.run_info.runtime;
  const rn = report.run_info.runtime;
  if (rb.name !== rn.name || rb.dialect !== rn.dialect) problems.push(`the baseline is for ${rb.name} (${rb.dialect}), the report for ${rn.name} (${rn.dialect})`);
  const result: Omit<Review, 'ok'> = {
    baseline: reportLabel(baseline),
    report: reportLabel(report),
    regressions,
    fixes,
    changed,
    new_cases: report.results.filter((r) => !base.has(r.id)).map((r) => ({ id: r.id, status: r.status })),
    new_failures: report.results.filter((r) => !base.has(r.id) && RED_STATUSES.has(r.status)).map((r) => ({ id: r.id, status: r.status, ...(r.message === undefined ? {} : { message: r.message }) })),
    removed_cases: baseline.results.filter((r) => !now.has(r.id)).map((r) => ({ id: r.id, status: r.status })),
    new_findings: report.findings.filter((f) => !baseFindings.has(findingKey(f))),
    problems,
    diff: diffReports(baseline, report),
  };
  return { ...result, ok: regressions.length === 0 && result.new_failures.length === 0 && result.new_findings.length === 0 && problems.length === 0 };
}

export function formatReview(r: Review, names: { baseline: string; report: string }): string {
  const out: string[] = [`baseline: ${r.baseline} — ${names.baseline}`, `report:   ${r.report} — ${names.report}`];
  const section = (title: string, header: string[], rows: string[][]) => {
    out.push('', `${title}: ${rows.length}`);
    if (rows.length > 0) out.push(formatTable(header, rows));
  };
  section('REGRESSIONS', ['case', 'was', 'now', 'message'], r.regressions.map((c) => [c.id, c.was, c.now, c.message ?? '']));
  section('NEW FAILURES (cases the baseline does not have)', ['case', 'now', 'message'], r.new_failures.map((c) => [c.id, c.status, c.message ?? '']));
  section('new findings', ['kind', 'case', 'detail'], r.new_findings.map((f) => [f.kind, f.case, f.detail]));
  section('fixes', ['case', 'was', 'now'], r.fixes.map((c) => [c.id, c.was, c.now]));
  section('other status changes', ['case', 'was', 'now', 'message'], r.changed.map((c) => [c.id, c.was, c.now, c.message ?? '']));
  section('new cases', ['case', 'status'], r.new_cases.map((c) => [c.id, c.status]));
  section('removed cases', ['case', 'was'], r.removed_cases.map((c) => [c.id, c.status]));
  for (const p of r.problems) out.push('', `PROBLEM: ${p}`);
  out.push('', r.ok ? 'review OK: no regression' : `review FAILED: ${r.regressions.length} regression(s), ${r.new_failures.length} new failure(s), ${r.new_findings.length} new finding(s), ${r.problems.length} problem(s)`);
  return `${out.join('\n')}\n`;
}
