/** Markdown for a GitHub step summary ($GITHUB_STEP_SUMMARY, at most 1 MiB): counts, findings, what did not pass. */
import { RED_STATUSES } from '../report-io.js';
import type { Report } from '../report-types.js';
import { STATUSES, STATUS_MARK, columnLabels, matrix } from './common.js';

/** Rows of the case table at most; GitHub cuts step summaries at 1 MiB. */
export const MARKDOWN_MAX_ROWS = 300;

export function mdCell(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderMarkdown(reports: readonly Report[]): string {
  const out: string[] = ['## wasi-nn conformance', ''];
  const labels = columnLabels(reports);
  out.push(`| runtime | version | cases | ${STATUSES.join(' | ')} | complete |`);
  out.push(`|---|---|--:|${STATUSES.map(() => '--:').join('|')}|---|`);
  reports.forEach((r, i) => {
    out.push(`| ${mdCell(labels[i] as string)} | ${mdCell(r.run_info.runtime.version)} | ${r.results.length} | ${STATUSES.map((s) => String(r.counts[s])).join(' | ')} | ${r.run_info.complete ? 'yes' : '**no (interrupted)**'} |`);
  });
  const findings = reports.flatMap((r, i) => r.findings.map((f) => ({ ...f, runtime: labels[i] as string })));
  if (findings.length > 0) {
    out.push('', '### Findings', '');
    for (const f of findings) out.push(`- **${f.kind.toUpperCase()}** on ${mdCell(f.runtime)}: \`${f.case}\` — ${mdCell(f.detail, 300)}`);
  }
  const rows = matrix(reports);
  if (reports.length === 1) {
    const r = reports[0] as Report;
    const shown = r.results.filter((c) => c.status !== 'PASS' && c.status !== 'UNSUPPORTED');
    out.push('', `### Not passing (${shown.length})`, '');
    if (shown.length > 0) {
      out.push('| status | case | message |', '|---|---|---|');
      for (const c of shown.slice(0, MARKDOWN_MAX_ROWS)) out.push(`| ${STATUS_MARK[c.status]} ${c.status} | \`${c.id}\` | ${mdCell(c.message ?? '')} |`);
    }
    if (shown.length > MARKDOWN_MAX_ROWS) out.push('', `… and ${shown.length - MARKDOWN_MAX_ROWS} more (see the HTML or JSON report)`);
  } else {
    const shown = rows.filter((row) => row.differs || row.red);
    out.push('', `### Cases where the runtimes differ or fail (${shown.length} of ${rows.length})`, '');
    if (shown.length > 0) {
      out.push(`| case | ${labels.map((l) => mdCell(l)).join(' | ')} |`, `|---|${labels.map(() => '---').join('|')}|`);
      for (const row of shown.slice(0, MARKDOWN_MAX_ROWS)) {
        out.push(`| \`${row.id}\` | ${row.cells.map((c) => (c ? `${STATUS_MARK[c.status]} ${c.status}${RED_STATUSES.has(c.status) && c.message ? `: ${mdCell(c.message, 80)}` : ''}` : '—')).join(' | ')} |`);
      }
    }
    if (shown.length > MARKDOWN_MAX_ROWS) out.push('', `… and ${shown.length - MARKDOWN_MAX_ROWS} more (see the HTML report)`);
  }
  return `${out.join('\n')}\n`;
}
