/**
 * One self-contained HTML page (no external asset, no network) for one or more reports:
 * - the runs (runtime, version, engines, host, harness commit, start, counts);
 * - a summary per suite × runtime, coloured counts per status;
 * - the findings, each linking to its case's row;
 * - filters: failing only, differing only (a case one runtime did not run is no difference),
 *   suite, status, finding, text search; a small inline script applies them, and the state is
 *   kept in the URL so a filtered view can be shared;
 * - the matrix, one section per suite: per cell the true status (and its XFAIL/XPASS label) and
 *   the failure reason in view, the calls, tensor error, runtime output and the difference from
 *   the first column behind a click. Every case row has a stable anchor (#case-ID).
 * Every value from a report is HTML-escaped; the script reads only data-* attributes.
 */
import { actualStatus, diffCase, detailLines, firstLine, formatTensorError } from '../diff.js';
import { RED_STATUSES } from '../report-io.js';
import type { Report, ReportResult, Status } from '../report-types.js';
import { STATUSES, columnLabels, matrix, summaryLine, type MatrixRow } from './common.js';

export function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The anchor of a case row: stable across runs and reports (case ids are unique). */
export function caseAnchor(id: string): string {
  return `case-${id.replace(/[^A-Za-z0-9._-]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}

const COLOURS: Record<Status, string> = {
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
th{background:#f6f8fa}
#matrix thead th{position:sticky;top:0;z-index:1}
td.case{font-family:ui-monospace,monospace;white-space:nowrap}
td.case a.anchor{color:#8c959f;text-decoration:none;margin-left:4px}
.st{display:inline-block;min-width:5.5em;color:#fff;font-weight:600;padding:1px 6px;border-radius:3px;font-size:12px}
.label{font-size:11px;color:#57606a;margin-left:4px}
.reason{font-size:12px;color:#57606a;max-width:38em;margin-top:2px}
td.missing{color:#8c959f}
details{font-size:12px;max-width:40em}
details pre{white-space:pre-wrap;margin:2px 0}
tr.differs td.case{background:#fff8c5}
tr:target td{outline:2px solid #0969da}
tr.suite-head th{background:#eaeef2;text-align:left;font-size:15px}
.finding-security{color:#cf222e;font-weight:700}
.finding-crash{color:#6e0f12;font-weight:700}
.count{display:inline-block;color:#fff;border-radius:3px;padding:0 5px;margin:1px;font-size:12px}
#filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0;padding:8px;background:#f6f8fa;border:1px solid #d0d7de}
#shown{font-weight:600}
[hidden]{display:none!important}
${STATUSES.map((s) => `.st-${s}{background:${COLOURS[s]}}`).join('\n')}
`;

/**
 * Applies the filters to the rows. The initial state may come from the page's query string
 * (?failing=1&differing=1&suite=abi&status=CRASH&finding=security&q=text), so a filtered view can
 * be linked to; a #case-ID anchor shows that row even when the filters hide it.
 */
const SCRIPT = `
(function(){
  var rows = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody tr.case-row'));
  var heads = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody tr.suite-head'));
  var f = {failing: document.getElementById('f-failing'), differing: document.getElementById('f-differing'), suite: document.getElementById('f-suite'), status: document.getElementById('f-status'), finding: document.getElementById('f-finding'), text: document.getElementById('f-text')};
  var shown = document.getElementById('shown');
  function apply(){
    var q = f.text.value.trim().toLowerCase(), n = 0, perSuite = {};
    rows.forEach(function(r){
      var d = r.dataset, ok = true;
      if (f.failing.checked && d.failing !== '1') ok = false;
      if (f.differing.checked && d.differs !== '1') ok = false;
      if (f.suite.value && d.suite !== f.suite.value) ok = false;
      if (f.status.value && (' ' + d.statuses + ' ').indexOf(' ' + f.status.value + ' ') < 0) ok = false;
      if (f.finding.value && (f.finding.value === 'any' ? !d.findings : (' ' + d.findings + ' ').indexOf(' ' + f.finding.value + ' ') < 0)) ok = false;
      if (q && d.search.indexOf(q) < 0) ok = false;
      r.hidden = !ok;
      if (ok) { n++; perSuite[d.suite] = (perSuite[d.suite] || 0) + 1; }
    });
    heads.forEach(function(h){ h.hidden = !perSuite[h.dataset.suite]; });
    shown.textContent = n + ' of ' + rows.length + ' cases shown';
  }
  var params = new URLSearchParams(location.search);
  f.failing.checked = params.get('failing') === '1';
  f.differing.checked = params.get('differing') === '1';
  [['suite', 'suite'], ['status', 'status'], ['finding', 'finding'], ['q', 'text']].forEach(function(p){
    var v = params.get(p[0]);
    if (v === null) return;
    var el = f[p[1]];
    if (el.tagName === 'SELECT' && !Array.prototype.some.call(el.options, function(o){ return o.value === v; })) return;
    el.value = v;
  });
  Object.keys(f).forEach(function(k){ f[k].addEventListener(k === 'text' ? 'input' : 'change', apply); });
  document.getElementById('f-reset').addEventListener('click', function(){ f.failing.checked = false; f.differing.checked = false; f.suite.value = ''; f.status.value = ''; f.finding.value = ''; f.text.value = ''; apply(); });
  function reveal(){
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.hidden) { document.getElementById('f-reset').click(); }
    if (target) target.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  apply();
  reveal();
})();
`;

function cellHtml(cell: ReportResult | undefined, first: ReportResult | undefined, isFirst: boolean, label: string): string {
  if (!cell) return `<td class="cell missing" data-runtime="${htmlEscape(label)}" data-status="">— not in this report</td>`;
  const actual = actualStatus(cell);
  const badge = `<span class="st st-${actual}">${actual}</span>${cell.status !== actual ? `<span class="label">${cell.status}</span>` : ''}`;
  const reason = actual !== 'PASS' && cell.message ? `<div class="reason">${htmlEscape(firstLine(cell.message, 200))}</div>` : '';
  const lines: string[] = [];
  if (cell.message) lines.push(cell.message);
  if (cell.expected_failure) lines.push(`expected failure: ${cell.expected_failure.reason}${cell.expected_failure.issue ? ` (${cell.expected_failure.issue})` : ''}; actual ${cell.expected_failure.actual_status}`);
  for (const c of cell.calls) lines.push(`step ${c.step} ${c.fn} → ${c.errno_name} (${c.errno})`);
  for (const c of cell.checks.filter((x) => !x.ok)) lines.push(`step ${c.step} ${c.what}: expected ${c.expected}, observed ${c.observed}`);
  if (cell.tensor_error) lines.push(`tensor error: ${formatTensorError(cell.tensor_error)}`);
  if (cell.runtime_output?.length) lines.push('runtime output:', ...cell.runtime_output);
  let diff: string[] = [];
  if (!isFirst && first && first.status !== 'UNSUPPORTED' && cell.status !== 'UNSUPPORTED') {
    const d = diffCase(first, cell);
    if (d) diff = detailLines(d).filter((l) => !l.startsWith('clause:') && !l.startsWith('A says:') && !l.startsWith('B says:'));
    if (d && d.a.actual !== d.b.actual) diff.unshift(`status: ${d.a.actual} in the first column, ${d.b.actual} here`);
  }
  const detail =
    lines.length === 0 && diff.length === 0
      ? ''
      : `<details><summary>${diff.length > 0 ? `${diff.length} difference(s) from the first column` : 'detail'}</summary>${diff.length > 0 ? `<pre class="diff">${htmlEscape(diff.join('\n'))}</pre>` : ''}<pre>${htmlEscape(lines.join('\n'))}</pre></details>`;
  return `<td class="cell" data-runtime="${htmlEscape(label)}" data-status="${cell.status}" data-actual="${actual}">${badge}${reason}${detail}</td>`;
}

function summaryTable(reports: readonly Report[], labels: readonly string[]): string {
  const suites = [...new Set(reports.flatMap((r) => r.results.map((c) => c.suite)))];
  const badges = (results: readonly ReportResult[]) =>
    STATUSES.map((s) => [s, results.filter((c) => c.status === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `<span class="count st-${s}" title="${s}">${s} ${n}</span>`)
      .join(' ');
  const rows = suites.map((suite) => `<tr><th>${htmlEscape(suite)}</th>${reports.map((r) => `<td>${badges(r.results.filter((c) => c.suite === suite))}</td>`).join('')}</tr>`);
  rows.push(`<tr><th>total</th>${reports.map((r) => `<td>${badges(r.results)}</td>`).join('')}</tr>`);
  return `<table id="summary"><thead><tr><th>suite</th>${labels.map((l) => `<th>${htmlEscape(l)}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function rowHtml(row: MatrixRow, labels: readonly string[], findingsOf: Map<string, Set<string>>): string {
  const first = row.cells[0];
  const cells = row.cells.map((cell, i) => cellHtml(cell, first, i === 0, labels[i] as string)).join('');
  const actuals = row.cells.filter((c): c is ReportResult => c !== undefined).map(actualStatus);
  const labelled = row.cells.filter((c): c is ReportResult => c !== undefined).map((c) => c.status);
  const failing = row.cells.some((c) => c !== undefined && (RED_STATUSES.has(c.status) || (actualStatus(c) !== 'PASS' && c.status !== 'UNSUPPORTED')));
  const search = [row.id, row.title, ...row.cells.map((c) => c?.message ?? '')].join(' ').toLowerCase();
  const findings = [...(findingsOf.get(row.id) ?? [])].join(' ');
  const anchor = caseAnchor(row.id);
  return `<tr class="case-row${row.differs ? ' differs' : ''}" id="${anchor}" data-case="${htmlEscape(row.id)}" data-suite="${htmlEscape(row.suite)}" data-failing="${failing ? 1 : 0}" data-differs="${row.differs ? 1 : 0}" data-statuses="${[...new Set([...actuals, ...labelled])].join(' ')}" data-findings="${findings}" data-search="${htmlEscape(search)}"><td class="case" title="${htmlEscape(row.title)}">${htmlEscape(row.id)}<a class="anchor" href="#${anchor}" title="link to this case">¶</a></td>${cells}</tr>`;
}

function findingKinds(reports: readonly Report[]): string {
  const all = reports.flatMap((r) => r.findings);
  return (['security', 'crash'] as const)
    .map((k) => [k, all.filter((f) => f.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

export function renderHtml(reports: readonly Report[]): string {
  const labels = columnLabels(reports);
  const rows = matrix(reports);
  const runs = reports
    .map((r, i) => {
      const ri = r.run_info;
      const engines = Object.entries(ri.engines).map(([k, v]) => `${k}: ${v}`).join('; ');
      return `<tr><td>${htmlEscape(labels[i] as string)}</td><td>${htmlEscape(ri.runtime.version)}</td><td>${htmlEscape(engines || 'not reported by this runtime')}</td><td>${htmlEscape(`${ri.host.os} ${ri.host.arch}, ${ri.host.cpus} CPU`)}</td><td>${htmlEscape(ri.harness.commit?.slice(0, 12) ?? 'unknown')}</td><td>${htmlEscape(ri.started_at)}</td><td>${ri.complete ? 'yes' : '<b>no (interrupted)</b>'}</td><td>${htmlEscape(summaryLine(r))}</td></tr>`;
    })
    .join('\n');
  const findingsOf = new Map<string, Set<string>>();
  for (const r of reports) for (const f of r.findings) findingsOf.set(f.case, new Set([...(findingsOf.get(f.case) ?? []), f.kind]));
  const findings = reports.flatMap((r, i) =>
    r.findings.map((f) => `<li class="finding-${f.kind}">${f.kind.toUpperCase()} on ${htmlEscape(labels[i] as string)}: <a href="#${caseAnchor(f.case)}"><code>${htmlEscape(f.case)}</code></a> — ${htmlEscape(firstLine(f.detail, 220))}</li>`),
  );
  const suites = [...new Set(rows.map((r) => r.suite))];
  const body = suites
    .map((suite) => {
      const inSuite = rows.filter((r) => r.suite === suite);
      return `<tr class="suite-head" data-suite="${htmlEscape(suite)}"><th colspan="${labels.length + 1}">${htmlEscape(suite)} (${inSuite.length})</th></tr>\n${inSuite.map((r) => rowHtml(r, labels, findingsOf)).join('\n')}`;
    })
    .join('\n');
  const option = (v: string, text = v) => `<option value="${htmlEscape(v)}">${htmlEscape(text)}</option>`;
  const failingCount = rows.filter((r) => r.cells.some((c) => c !== undefined && actualStatus(c) !== 'PASS' && c.status !== 'UNSUPPORTED')).length;
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
${runs}
</tbody>
</table>
<h2>Summary by suite</h2>
${summaryTable(reports, labels)}
${findings.length > 0 ? `<h2>Findings (${findings.length})</h2>\n<details${findings.length <= 6 ? ' open' : ''}><summary>${htmlEscape(findingKinds(reports))}: each links to its case</summary>\n<ul id="findings">\n${findings.join('\n')}\n</ul>\n</details>` : ''}
<h2>Cases (${rows.length}; ${failingCount} not passing somewhere; ${rows.filter((r) => r.differs).length} differ between runtimes that ran them)</h2>
<form id="filters" onsubmit="return false">
<label><input type="checkbox" id="f-failing"> failing only</label>
<label><input type="checkbox" id="f-differing"> differing only</label>
<label>suite <select id="f-suite">${option('', 'all')}${suites.map((s) => option(s)).join('')}</select></label>
<label>status <select id="f-status">${option('', 'any')}${STATUSES.map((s) => option(s)).join('')}</select></label>
<label>finding <select id="f-finding">${option('', 'any or none')}${option('any', 'with a finding')}${option('security')}${option('crash')}</select></label>
<label>search <input type="search" id="f-text" placeholder="case id, title or message"></label>
<button type="button" id="f-reset">show all</button>
<span id="shown">${rows.length} of ${rows.length} cases shown</span>
</form>
<p>Each cell shows what the case really did (an expectation's XFAIL/XPASS label beside it) and why; the detail compares it with the first column (${htmlEscape(labels[0] ?? '')}). A case a runtime did not run (UNSUPPORTED, or absent) never counts as a difference.</p>
<table id="matrix">
<thead><tr><th>case</th>${labels.map((l) => `<th>${htmlEscape(l)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
