/**
 * Markdown for a GitHub step summary ($GITHUB_STEP_SUMMARY). Order: a counts table per suite ×
 * status for each report; then every case that did not pass — red ones, expected failures
 * (with their real status), and, across several reports, every case whose true status differs
 * between runtimes that both ran it — never truncated; the cases a runtime could not run, by
 * reason; then the findings. GitHub refuses a summary over 1 MiB: when the text would pass
 * SUMMARY_LIMIT_BYTES, detail is folded away in this order — the UNSUPPORTED list (counts stay),
 * then the messages of expected failures, then the clauses — and the summary says what was folded.
 * Red cases keep their row and message whatever the size.
 */
import { RED_STATUSES } from '../report-io.js';
import type { Report, ReportResult, Status } from '../report-types.js';
import { actualStatus, firstLine } from '../diff.js';
import { STATUSES, STATUS_MARK, columnLabels, matrix } from './common.js';

/** GitHub's step summary limit is 1 MiB; stay under it with room for other steps' summaries. */
export const SUMMARY_LIMIT_BYTES = 1000 * 1000;

export function mdCell(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const statusCell = (r: ReportResult) => {
  const actual = actualStatus(r);
  return `${STATUS_MARK[actual]} ${actual}${r.status !== actual ? ` (${r.status})` : ''}`;
};

function countsTable(r: Report, label: string): string[] {
  const suites: string[] = [];
  const counts = new Map<string, Map<Status, number>>();
  for (const c of r.results) {
    if (!counts.has(c.suite)) {
      counts.set(c.suite, new Map());
      suites.push(c.suite);
    }
    const row = counts.get(c.suite) as Map<Status, number>;
    row.set(c.status, (row.get(c.status) ?? 0) + 1);
  }
  const cols = STATUSES.filter((s) => r.counts[s] > 0);
  const lines = [`**${mdCell(label)}** ${mdCell(r.run_info.runtime.version)}${r.run_info.complete ? '' : ' — **incomplete (interrupted)**'}`, '', `| suite | ${cols.join(' | ')} | cases |`, `|---|${cols.map(() => '--:').join('|')}|--:|`];
  for (const s of suites) {
    const row = counts.get(s) as Map<Status, number>;
    lines.push(`| ${mdCell(s)} | ${cols.map((c) => String(row.get(c) ?? '')).join(' | ')} | ${[...row.values()].reduce((a, b) => a + b, 0)} |`);
  }
  lines.push(`| **total** | ${cols.map((c) => `**${r.counts[c]}**`).join(' | ')} | **${r.results.length}** |`, '');
  return lines;
}

interface Fold {
  unsupported: boolean;
  xfailMessages: boolean;
  clauses: boolean;
}

function unsupportedSection(reports: readonly Report[], labels: readonly string[], fold: Fold): string[] {
  const out: string[] = [];
  reports.forEach((r, i) => {
    const skipped = r.results.filter((c) => c.status === 'UNSUPPORTED');
    if (skipped.length === 0) return;
    out.push('', `<details><summary>${skipped.length} case(s) ${mdCell(labels[i] as string)} did not run (UNSUPPORTED)</summary>`, '');
    if (fold.unsupported) out.push('(folded to fit the summary size limit; the JSON report lists them)');
    else {
      const byReason = new Map<string, string[]>();
      for (const c of skipped) {
        const reason = firstLine(c.message, 200) || 'no reason given';
        byReason.set(reason, [...(byReason.get(reason) ?? []), c.id]);
      }
      for (const [reason, ids] of byReason) out.push(`- ${mdCell(reason, 200)} (${ids.length}): ${ids.map((id) => `\`${id}\``).join(', ')}`);
    }
    out.push('', '</details>');
  });
  return out;
}

function singleReport(r: Report, fold: Fold): string[] {
  const shown = r.results.filter((c) => c.status !== 'PASS' && c.status !== 'UNSUPPORTED');
  shown.sort((x, y) => Number(RED_STATUSES.has(y.status)) - Number(RED_STATUSES.has(x.status)));
  const out = ['', `### Not passing (${shown.length})`, ''];
  if (shown.length === 0) return out;
  out.push(`| status | case |${fold.clauses ? '' : ' clause |'} message |`, `|---|---|${fold.clauses ? '' : '---|'}---|`);
  for (const c of shown) {
    const message = c.status === 'XFAIL' && fold.xfailMessages ? '' : mdCell(c.message ?? '');
    out.push(`| ${statusCell(c)} | \`${c.id}\` |${fold.clauses ? '' : ` ${mdCell(c.spec, 120)} |`} ${message} |`);
  }
  return out;
}

function severalReports(reports: readonly Report[], labels: readonly string[], fold: Fold): string[] {
  const rows = matrix(reports).filter((row) => row.differs || row.cells.some((c) => c !== undefined && c.status !== 'PASS' && c.status !== 'UNSUPPORTED'));
  const out = ['', `### Cases that differ or do not pass (${rows.length})`, '', 'A case is listed when a runtime did not pass it, or when runtimes that both ran it differ; — marks a runtime that did not run it.', ''];
  if (rows.length === 0) return out;
  out.push(`| case |${fold.clauses ? '' : ' clause |'} ${labels.map((l) => mdCell(l)).join(' | ')} |`, `|---|${fold.clauses ? '' : '---|'}${labels.map(() => '---').join('|')}|`);
  for (const row of rows) {
    const spec = row.cells.find((c) => c)?.spec ?? '';
    const cells = row.cells.map((c) => {
      if (!c || c.status === 'UNSUPPORTED') return '—';
      const msg = c.status === 'PASS' || (c.status === 'XFAIL' && fold.xfailMessages) ? '' : `: ${mdCell(c.message ?? '', 100)}`;
      return `${statusCell(c)}${msg}`;
    });
    out.push(`| \`${row.id}\` |${fold.clauses ? '' : ` ${mdCell(spec, 100)} |`} ${cells.join(' | ')} |`);
  }
  return out;
}

function render(reports: readonly Report[], fold: Fold): string {
  const labels = columnLabels(reports);
  const out: string[] = ['## wasi-nn conformance', ''];
  reports.forEach((r, i) => out.push(...countsTable(r, labels[i] as string)));
  out.push(...(reports.length === 1 ? singleReport(reports[0] as Report, fold) : severalReports(reports, labels, fold)));
  out.push(...unsupportedSection(reports, labels, fold));
  const findings = reports.flatMap((r, i) => r.findings.map((f) => ({ ...f, runtime: labels[i] as string })));
  if (findings.length > 0) {
    out.push('', `### Findings (${findings.length})`, '');
    for (const f of findings) out.push(`- **${f.kind.toUpperCase()}** on ${mdCell(f.runtime)}: \`${f.case}\` — ${mdCell(f.detail, 300)}`);
  }
  const folded = [fold.unsupported ? 'the list of UNSUPPORTED cases' : '', fold.xfailMessages ? 'the messages of expected failures' : '', fold.clauses ? 'the clause column' : ''].filter(Boolean);
  if (folded.length > 0) out.push('', `_Folded to stay under GitHub's 1 MiB summary limit: ${folded.join(', ')}. Every case is in the JSON and HTML reports._`);
  return `${out.join('\n')}\n`;
}

export function renderMarkdown(reports: readonly Report[], limitBytes = SUMMARY_LIMIT_BYTES): string {
  const steps: Fold[] = [
    { unsupported: false, xfailMessages: false, clauses: false },
    { unsupported: true, xfailMessages: false, clauses: false },
    { unsupported: true, xfailMessages: true, clauses: false },
    { unsupported: true, xfailMessages: true, clauses: true },
  ];
  let text = '';
  for (const fold of steps) {
    text = render(reports, fold);
    if (Buffer.byteLength(text) <= limitBytes) return text;
  }
  return text; // red cases are never dropped, even past the limit
}
