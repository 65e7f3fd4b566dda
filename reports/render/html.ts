/**
 * A self-contained static HTML page: the matrix of cases × runtimes from several reports, a
 * status colour per cell, and per cell the detail (message, calls, tensor error) and how it
 * differs from the first report's column. No script, no external asset, no network.
 */
import { diffCase, formatTensorError } from '../diff.js';
import type { Report, ReportResult } from '../report-types.js';
import { STATUSES, columnLabels, matrix, summaryLine } from './common.js';

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const COLOURS: Record<string, string> = {
  PASS: '#2da44e',
  FAIL: '#cf222e',
  UNSUPPORTED: '#8c959f',
  ERROR: '#bf8700',
  TRAP: '#8250df',
  CRASH: '#6e0f12',
  TIMEOUT: '#bc4c00',
  XFAIL: '#57ab5a',
  XPASS: '#e5534b',
};

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1f2328}
table{border-collapse:collapse}
th,td{border:1px solid #d0d7de;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f6f8fa;position:sticky;top:0}
td.case{font-family:ui-monospace,monospace;white-space:nowrap}
td.cell .st{display:inline-block;min-width:7em;color:#fff;font-weight:600;padding:1px 6px;border-radius:3px}
td.missing{color:#8c959f}
details{font-size:12px;max-width:40em}
details pre{white-space:pre-wrap;margin:2px 0}
.differs td.case{background:#fff8c5}
.finding-security{color:#cf222e;font-weight:700}
.finding-crash{color:#6e0f12;font-weight:700}
body:has(#only-diff:checked) tr.same{display:none}
${STATUSES.map((s) => `td.st-${s} .st{background:${COLOURS[s]}}`).join('\n')}
`;

function cellDetail(cell: ReportResult, first: ReportResult | undefined, isFirst: boolean): string {
  const lines: string[] = [];
  if (cell.message) lines.push(cell.message);
  if (cell.expected_failure) lines.push(`expected failure: ${cell.expected_failure.reason}${cell.expected_failure.issue ? ` (${cell.expected_failure.issue})` : ''}; actual ${cell.expected_failure.actual_status}`);
  for (const c of cell.calls) lines.push(`step ${c.step} ${c.fn} → ${c.errno_name} (${c.errno})`);
  if (cell.tensor_error) lines.push(`tensor error: ${formatTensorError(cell.tensor_error)}`);
  const diff: string[] = [];
  if (!isFirst) {
    const d = first ? diffCase(first, cell) : undefined;
    if (!first) diff.push('not in the first report');
    else if (d) {
      if (d.kinds.includes('status')) diff.push(`status: ${d.a} → ${d.b}`);
      for (const c of d.calls) diff.push(`step ${c.step} ${c.fn}: ${c.a} → ${c.b}`);
      if (d.tensor) diff.push(`tensor error: ${formatTensorError(d.tensor.a)} → ${formatTensorError(d.tensor.b)}`);
    }
  }
  if (lines.length === 0 && diff.length === 0) return '';
  return `<details><summary>${diff.length > 0 ? `${diff.length} difference(s)` : 'detail'}</summary>${diff.length > 0 ? `<pre class="diff">${htmlEscape(diff.join('\n'))}</pre>` : ''}<pre>${htmlEscape(lines.join('\n'))}</pre></details>`;
}

export function renderHtml(reports: readonly Report[]): string {
  const labels = columnLabels(reports);
  const rows = matrix(reports);
  const head = reports
    .map((r, i) => {
      const ri = r.run_info;
      return `<tr><td>${htmlEscape(labels[i] as string)}</td><td>${htmlEscape(ri.runtime.version)}</td><td>${htmlEscape(Object.entries(ri.engines).map(([k, v]) => `${k} ${v}`).join(', ') || '—')}</td><td>${htmlEscape(`${ri.host.os} ${ri.host.arch}`)}</td><td>${htmlEscape(ri.harness.commit?.slice(0, 12) ?? 'unknown')}</td><td>${htmlEscape(ri.started_at)}</td><td>${ri.complete ? 'yes' : '<b>no (interrupted)</b>'}</td><td>${htmlEscape(summaryLine(r))}</td></tr>`;
    })
    .join('\n');
  const findings = reports.flatMap((r, i) => r.findings.map((f) => `<li class="finding-${f.kind}">${f.kind.toUpperCase()} on ${htmlEscape(labels[i] as string)}: <code>${htmlEscape(f.case)}</code> — ${htmlEscape(f.detail)}</li>`));
  const body = rows
    .map((row) => {
      const first = row.cells[0];
      const cells = row.cells
        .map((cell, i) => {
          const label = htmlEscape(labels[i] as string);
          if (!cell) return `<td class="cell missing" data-runtime="${label}" data-status="">—</td>`;
          return `<td class="cell st-${cell.status}" data-runtime="${label}" data-status="${cell.status}"><span class="st">${cell.status}</span>${cellDetail(cell, first, i === 0)}</td>`;
        })
        .join('');
      return `<tr class="${row.differs ? 'differs' : 'same'}" data-case="${htmlEscape(row.id)}"><td class="case" title="${htmlEscape(row.title)}">${htmlEscape(row.id)}</td>${cells}</tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wasi-nn conformance: ${htmlEscape(labels.join(' vs '))}</title>
<style>${CSS}</style>
</head>
<body>
<h1>wasi-nn conformance</h1>
<table id="runs">
<thead><tr><th>runtime</th><th>version</th><th>engines</th><th>host</th><th>harness</th><th>started</th><th>complete</th><th>counts</th></tr></thead>
<tbody>
${head}
</tbody>
</table>
${findings.length > 0 ? `<h2>Findings</h2>\n<ul id="findings">\n${findings.join('\n')}\n</ul>` : ''}
<h2>Cases (${rows.length}; ${rows.filter((r) => r.differs).length} differ)</h2>
<p><label><input type="checkbox" id="only-diff"> only cases where the runtimes differ</label>. Details in a cell compare it with the first column (${htmlEscape(labels[0] ?? '')}).</p>
<table id="matrix">
<thead><tr><th>case</th>${labels.map((l) => `<th>${htmlEscape(l)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</body>
</html>
`;
}
