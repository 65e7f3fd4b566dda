/**
 * A new report against an approved baseline. Its first lines say what a maintainer must act on:
 * regressions (was PASS or XFAIL, now red), new failures (red cases the baseline does not have),
 * expected failures that changed kind (XFAIL both times, but FAIL became CRASH), fixes (was red,
 * now PASS or XFAIL); then new findings, other status changes, new and removed cases. Rows use the
 * diff's format: the case, both true statuses, what differs, the clause, the runtime's message.
 * A review fails on a regression, a new failure, a new finding, or an incomplete new report.
 */
import { actualStatus, diffCase, diffReports, formatCaseRows, formatTable, reportLabel, type CaseDiff, type ReportDiff } from './diff.js';
import { RED_STATUSES } from './report-io.js';
import type { Finding, Report, ReportResult, Status } from './report-types.js';

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
  /** the same status label (XFAIL, or a red status) but another actual outcome, e.g. an expected FAIL that is now a CRASH */
  changed_kind: StatusChange[];
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
  const changedKind: StatusChange[] = [];
  const changed: StatusChange[] = [];
  for (const r of report.results) {
    const was = base.get(r.id);
    if (!was) continue;
    if (was.status === r.status) {
      if (actualStatus(was) !== actualStatus(r)) changedKind.push({ id: r.id, was: actualStatus(was), now: actualStatus(r), ...(r.message === undefined ? {} : { message: r.message }) });
      continue;
    }
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
  const newFailures = report.results.filter((r) => !base.has(r.id) && RED_STATUSES.has(r.status)).map((r) => ({ id: r.id, status: r.status, ...(r.message === undefined ? {} : { message: r.message }) }));
  const result: Omit<Review, 'ok'> = {
    baseline: reportLabel(baseline),
    report: reportLabel(report),
    regressions,
    fixes,
    changed_kind: changedKind,
    changed,
    new_cases: report.results.filter((r) => !base.has(r.id)).map((r) => ({ id: r.id, status: r.status })),
    new_failures: newFailures,
    removed_cases: baseline.results.filter((r) => !now.has(r.id)).map((r) => ({ id: r.id, status: r.status })),
    new_findings: report.findings.filter((f) => !baseFindings.has(findingKey(f))),
    problems,
    diff: diffReports(baseline, report),
  };
  return { ...result, ok: regressions.length === 0 && newFailures.length === 0 && result.new_findings.length === 0 && problems.length === 0 };
}

/** A row in the diff's format for a case of the new report, against the baseline's (if any). */
function row(id: string, baseline: Map<string, ReportResult>, report: Map<string, ReportResult>): CaseDiff {
  const now = report.get(id) as ReportResult;
  const was = baseline.get(id) ?? { ...now, status: 'UNSUPPORTED' as Status, message: 'not in the baseline', calls: [], checks: [], expected_failure: undefined };
  const sideOf = (r: ReportResult) => ({ status: r.status, actual: actualStatus(r), ...(r.message === undefined ? {} : { message: r.message }) });
  return diffCase(was, now) ?? { id, suite: now.suite, spec: now.spec, group: 'status', kinds: [], a: sideOf(was), b: sideOf(now), calls: [] };
}

export function formatReview(r: Review, names: { baseline: string; report: string }, reports?: { baseline: Report; report: Report }): string {
  const out: string[] = [`baseline: ${r.baseline} — ${names.baseline}`, `report:   ${r.report} — ${names.report}`];
  out.push(`${r.regressions.length} regression(s), ${r.new_failures.length} new failure(s), ${r.changed_kind.length} expected failure(s) that changed kind, ${r.fixes.length} fix(es), ${r.new_findings.length} new finding(s)`);
  const base = new Map((reports?.baseline.results ?? []).map((x) => [x.id, x]));
  const now = new Map((reports?.report.results ?? []).map((x) => [x.id, x]));
  const cases = (title: string, ids: readonly string[]) => {
    out.push('', `${title}: ${ids.length}`);
    if (ids.length === 0) return;
    if (reports) out.push(formatCaseRows(ids.map((id) => row(id, base, now)), { a: 'baseline', b: 'now' }));
  };
  const table = (title: string, header: string[], rows: string[][]) => {
    out.push('', `${title}: ${rows.length}`);
    if (rows.length > 0) out.push(formatTable(header, rows));
  };
  if (reports) {
    cases('REGRESSIONS', r.regressions.map((c) => c.id));
    cases('NEW FAILURES (cases the baseline does not have)', r.new_failures.map((c) => c.id));
    cases('EXPECTED FAILURES THAT CHANGED KIND', r.changed_kind.map((c) => c.id));
    cases('fixes', r.fixes.map((c) => c.id));
  } else {
    table('REGRESSIONS', ['case', 'was', 'now', 'message'], r.regressions.map((c) => [c.id, c.was, c.now, c.message ?? '']));
    table('NEW FAILURES (cases the baseline does not have)', ['case', 'now', 'message'], r.new_failures.map((c) => [c.id, c.status, c.message ?? '']));
    table('EXPECTED FAILURES THAT CHANGED KIND', ['case', 'was', 'now', 'message'], r.changed_kind.map((c) => [c.id, c.was, c.now, c.message ?? '']));
    table('fixes', ['case', 'was', 'now'], r.fixes.map((c) => [c.id, c.was, c.now]));
  }
  table('new findings', ['kind', 'case', 'detail'], r.new_findings.map((f) => [f.kind, f.case, f.detail]));
  table('other status changes', ['case', 'was', 'now', 'message'], r.changed.map((c) => [c.id, c.was, c.now, c.message ?? '']));
  table('new cases', ['case', 'status'], r.new_cases.map((c) => [c.id, c.status]));
  table('removed cases', ['case', 'was'], r.removed_cases.map((c) => [c.id, c.status]));
  for (const p of r.problems) out.push('', `PROBLEM: ${p}`);
  out.push('', r.ok ? 'review OK: no regression' : `review FAILED: ${r.regressions.length} regression(s), ${r.new_failures.length} new failure(s), ${r.new_findings.length} new finding(s), ${r.problems.length} problem(s)`);
  return `${out.join('\n')}\n`;
}
