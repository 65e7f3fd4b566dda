/**
 * JUnit XML: one <testsuite> per suite (per report and suite when there are several reports).
 * FAIL and XPASS are <failure>; ERROR, TRAP, CRASH, TIMEOUT are <error>; UNSUPPORTED and XFAIL
 * are <skipped> with the reason.
 */
import type { Report, ReportResult, Status } from '../report-types.js';
import { columnLabels } from './common.js';

/** XML 1.0 text: escapes markup, drops characters XML cannot hold. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const FAILURE: ReadonlySet<Status> = new Set<Status>(['FAIL', 'XPASS']);
const ERROR: ReadonlySet<Status> = new Set<Status>(['ERROR', 'TRAP', 'CRASH', 'TIMEOUT']);
const SKIPPED: ReadonlySet<Status> = new Set<Status>(['UNSUPPORTED', 'XFAIL']);

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(c: ReportResult, classname: string): string {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(c.id)}" time="${seconds(c.duration_ms)}">`;
  const message = xmlEscape(`${c.status}${c.message ? `: ${c.message}` : ''}`);
  const detail = xmlEscape(
    [
      `${c.title}`,
      `spec: ${c.spec}`,
      ...c.checks.filter((k) => !k.ok).map((k) => `step ${k.step} ${k.what}: expected ${k.expected}, observed ${k.observed}`),
      ...c.calls.map((k) => `step ${k.step} ${k.fn} → ${k.errno_name} (${k.errno})`),
    ].join('\n'),
  );
  if (FAILURE.has(c.status)) return `${open}\n      <failure message="${message}" type="${c.status}">${detail}</failure>\n    </testcase>`;
  if (ERROR.has(c.status)) return `${open}\n      <error message="${message}" type="${c.status}">${detail}</error>\n    </testcase>`;
  if (SKIPPED.has(c.status)) return `${open}\n      <skipped message="${message}"/>\n    </testcase>`;
  return `${open}</testcase>`;
}

export function renderJunit(reports: readonly Report[]): string {
  const labels = columnLabels(reports);
  const suites: string[] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0, ms: 0 };
  reports.forEach((report, ri) => {
    const bySuite = new Map<string, ReportResult[]>();
    for (const c of report.results) {
      const list = bySuite.get(c.suite) ?? [];
      list.push(c);
      bySuite.set(c.suite, list);
    }
    for (const [suite, cases] of bySuite) {
      const name = reports.length === 1 ? suite : `${labels[ri]}: ${suite}`;
      const n = {
        tests: cases.length,
        failures: cases.filter((c) => FAILURE.has(c.status)).length,
        errors: cases.filter((c) => ERROR.has(c.status)).length,
        skipped: cases.filter((c) => SKIPPED.has(c.status)).length,
        ms: cases.reduce((t, c) => t + c.duration_ms, 0),
      };
      total.tests += n.tests;
      total.failures += n.failures;
      total.errors += n.errors;
      total.skipped += n.skipped;
      total.ms += n.ms;
      const rt = report.run_info.runtime;
      suites.push(
        [
          `  <testsuite name="${xmlEscape(name)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="${seconds(n.ms)}" timestamp="${xmlEscape(report.run_info.started_at)}">`,
          '    <properties>',
          `      <property name="runtime" value="${xmlEscape(rt.name)}"/>`,
          `      <property name="runtime_version" value="${xmlEscape(rt.version)}"/>`,
          `      <property name="dialect" value="${xmlEscape(rt.dialect)}"/>`,
          `      <property name="harness_commit" value="${xmlEscape(report.run_info.harness.commit ?? 'unknown')}"/>`,
          `      <property name="complete" value="${report.run_info.complete}"/>`,
          '    </properties>',
          ...cases.map((c) => testcase(c, reports.length === 1 ? suite : `${rt.name}.${rt.dialect}.${suite}`)),
          '  </testsuite>',
        ].join('\n'),
      );
    }
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wasi-nn-conformance" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="${seconds(total.ms)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
