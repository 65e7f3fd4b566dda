/**
 * Differences between two reports, case by case, grouped by what a runtime maintainer must see
 * first: security findings, crashes, traps, timeouts, errors, then load_by_name, errno, tensor
 * and other status differences. Each case sits in one group (its most severe difference) and
 * says, for both sides, the true status (the actual outcome under an XFAIL/XPASS label), the
 * spec clause the case checks and each side's message. Cases that one side did not run
 * (UNSUPPORTED, or absent from its report) are no difference: they are counted apart and listed
 * only on request. Used for runtime vs runtime and run vs run; `review` builds on it.
 */
import { errorNumber, findingsOf } from './report-io.js';
import type { Report, ReportCall, ReportResult, ReportTensorError, Status } from './report-types.js';

/** Groups, most severe first; a differing case belongs to the first that applies. */
export const DIFF_GROUPS = ['security', 'crash', 'trap', 'timeout', 'error', 'load_by_name', 'errno', 'tensor', 'status'] as const;
export type DiffGroup = (typeof DIFF_GROUPS)[number];
/** Every kind of difference a case can show; `group` is the first of DIFF_GROUPS among them. */
export type DiffKind = DiffGroup;

export const GROUP_TITLES: Record<DiffGroup, string> = {
  security: 'SECURITY FINDINGS (a runtime loaded what a guest named, or read past the sandbox)',
  crash: 'CRASHES (the runtime died: signal, abort, panic, early exit)',
  trap: 'TRAPS (the runtime trapped where the case expects an errno or a result)',
  timeout: 'TIMEOUTS',
  error: 'ERRORS (the run could not be judged)',
  load_by_name: 'LOAD_BY_NAME (what each runtime did with a name)',
  errno: 'ERRNO (a call answered differently)',
  tensor: 'TENSOR (both computed, with different error)',
  status: 'OTHER STATUS DIFFERENCES',
};

export interface CallDiff {
  step: number;
  fn: string;
  /** "success (0)", or "no call" when that side never made it */
  a: string;
  b: string;
}

export interface SideOf {
  /** the status as reported (may be an XFAIL / XPASS label) */
  status: Status;
  /** what the case really did: the actual status under an expectation label, else the status */
  actual: Status;
  message?: string;
  /** the runtime's own stdout lines, when the report kept any */
  runtime_output?: string[];
}

export interface CaseDiff {
  id: string;
  suite: string;
  /** the spec clause the case checks */
  spec: string;
  group: DiffGroup;
  kinds: DiffKind[];
  a: SideOf;
  b: SideOf;
  calls: CallDiff[];
  /** load_by_name group: the outcome of every load_by_name call on each side, also when the errnos agree */
  load_by_name?: CallDiff[];
  tensor?: { a: ReportTensorError; b: ReportTensorError };
}

export interface NotRun {
  id: string;
  /** which side did not run it, and why (its UNSUPPORTED message, or "absent") */
  side: 'a' | 'b' | 'both';
  reason: string;
}

export interface ReportDiff {
  a: { label: string; complete: boolean; cases: number; format_version: number };
  b: { label: string; complete: boolean; cases: number; format_version: number };
  /** cases both sides ran */
  compared: number;
  cases: CaseDiff[];
  counts: Record<DiffGroup, number>;
  /** cases one side did not run: counted, not differences */
  not_run: NotRun[];
}

export const LOAD_BY_NAME_GROUP = 'abi.load_by_name';
const LOAD_BY_NAME_FNS = new Set(['load_by_name', 'load_by_name_with_config']);
const NOT_RUN: ReadonlySet<Status> = new Set<Status>(['UNSUPPORTED']);

export function reportLabel(r: Report): string {
  return `${r.run_info.runtime.name} ${r.run_info.runtime.version} (${r.run_info.runtime.dialect})`;
}

/** What the case really did. */
export function actualStatus(r: ReportResult): Status {
  return r.expected_failure?.actual_status ?? r.status;
}

/** "CRASH", or "CRASH (XFAIL)" when an expectation labels it. */
export function statusText(s: { status: Status; actual: Status }): string {
  return s.status === s.actual ? s.actual : `${s.actual} (${s.status})`;
}

const callText = (c: ReportCall | undefined) => (c ? `${c.errno_name} (${c.errno})` : 'no call');

function sameTensorError(x: ReportTensorError, y: ReportTensorError): boolean {
  return errorNumber(x.max_abs) === errorNumber(y.max_abs) && errorNumber(x.max_rel) === errorNumber(y.max_rel) && errorNumber(x.max_ulp) === errorNumber(y.max_ulp);
}

/**
 * Calls of both sides, paired by function and occurrence (the n-th compute of A with the n-th
 * compute of B), so reports that number steps differently (format 1 numbered script lines) still
 * pair up; shown with the step of the side that made the call.
 */
function pairCalls(a: readonly ReportCall[], b: readonly ReportCall[]): { step: number; fn: string; a?: ReportCall; b?: ReportCall }[] {
  const keyed = (calls: readonly ReportCall[]) => {
    const seen = new Map<string, number>();
    return calls.map((c) => {
      const n = seen.get(c.fn) ?? 0;
      seen.set(c.fn, n + 1);
      return { key: `${c.fn}#${n}`, call: c };
    });
  };
  const pairs = new Map<string, { step: number; fn: string; a?: ReportCall; b?: ReportCall; order: number }>();
  keyed(a).forEach(({ key, call }, i) => pairs.set(key, { step: call.step, fn: call.fn, a: call, order: i }));
  keyed(b).forEach(({ key, call }, i) => {
    const p = pairs.get(key);
    if (p) p.b = call;
    else pairs.set(key, { step: call.step, fn: call.fn, b: call, order: a.length + i });
  });
  return [...pairs.values()].sort((x, y) => x.order - y.order);
}

const side = (r: ReportResult): SideOf => ({
  status: r.status,
  actual: actualStatus(r),
  ...(r.message === undefined ? {} : { message: r.message }),
  ...(r.runtime_output ? { runtime_output: r.runtime_output } : {}),
});

/** The differences of one case both sides ran; undefined when there are none. */
export function diffCase(a: ReportResult, b: ReportResult, security: { a: boolean; b: boolean } = { a: false, b: false }): CaseDiff | undefined {
  const d: CaseDiff = { id: a.id, suite: a.suite, spec: a.spec || b.spec, group: 'status', kinds: [], a: side(a), b: side(b), calls: [] };
  const actualA = d.a.actual;
  const actualB = d.b.actual;
  if (security.a !== security.b) d.kinds.push('security');
  if (actualA !== actualB) {
    for (const [status, kind] of [['CRASH', 'crash'], ['TRAP', 'trap'], ['TIMEOUT', 'timeout'], ['ERROR', 'error']] as const) {
      if (actualA === status || actualB === status) d.kinds.push(kind);
    }
  }
  const pairs = pairCalls(a.calls, b.calls);
  for (const p of pairs) {
    if (p.a?.errno_name !== p.b?.errno_name) d.calls.push({ step: (p.b ?? p.a)?.step ?? p.step, fn: p.fn, a: callText(p.a), b: callText(p.b) });
  }
  const inGroup = a.id.startsWith(LOAD_BY_NAME_GROUP);
  if (inGroup) {
    const lbn = pairs.filter((p) => LOAD_BY_NAME_FNS.has(p.fn));
    if (lbn.some((p) => p.a?.errno_name !== p.b?.errno_name)) {
      d.kinds.push('load_by_name');
      d.load_by_name = lbn.map((p) => ({ step: (p.b ?? p.a)?.step ?? p.step, fn: p.fn, a: callText(p.a), b: callText(p.b) }));
    }
  }
  // a call one side never made is the consequence of a crash or trap already shown, not an errno difference
  if (d.calls.some((c) => c.a !== 'no call' && c.b !== 'no call' && (!inGroup || !LOAD_BY_NAME_FNS.has(c.fn)))) d.kinds.push('errno');
  // identical tensors, and a tensor only one side computed, print nothing here
  if (a.tensor_error && b.tensor_error && !sameTensorError(a.tensor_error, b.tensor_error)) {
    d.kinds.push('tensor');
    d.tensor = { a: a.tensor_error, b: b.tensor_error };
  }
  if (actualA !== actualB && d.kinds.length === 0) d.kinds.push('status');
  if (d.kinds.length === 0) return undefined;
  d.group = DIFF_GROUPS.find((g) => d.kinds.includes(g)) as DiffGroup;
  return d;
}

export function diffReports(a: Report, b: Report): ReportDiff {
  const byIdA = new Map(a.results.map((r) => [r.id, r]));
  const byIdB = new Map(b.results.map((r) => [r.id, r]));
  const securityA = new Set(findingsOf(a.results).filter((f) => f.kind === 'security').map((f) => f.case));
  const securityB = new Set(findingsOf(b.results).filter((f) => f.kind === 'security').map((f) => f.case));
  const ids = [...byIdA.keys(), ...[...byIdB.keys()].filter((id) => !byIdA.has(id))];
  const cases: CaseDiff[] = [];
  const notRun: NotRun[] = [];
  let compared = 0;
  for (const id of ids) {
    const ra = byIdA.get(id);
    const rb = byIdB.get(id);
    const aRan = ra !== undefined && !NOT_RUN.has(ra.status);
    const bRan = rb !== undefined && !NOT_RUN.has(rb.status);
    if (!aRan || !bRan) {
      if (aRan || bRan) {
        const missing = aRan ? rb : ra;
        notRun.push({ id, side: aRan ? 'b' : 'a', reason: missing ? (missing.message ?? missing.status) : 'absent from the report' });
      }
      continue;
    }
    compared++;
    const d = diffCase(ra, rb, { a: securityA.has(id), b: securityB.has(id) });
    if (d) cases.push(d);
  }
  cases.sort((x, y) => DIFF_GROUPS.indexOf(x.group) - DIFF_GROUPS.indexOf(y.group));
  const counts = Object.fromEntries(DIFF_GROUPS.map((g) => [g, 0])) as Record<DiffGroup, number>;
  for (const c of cases) counts[c.group]++;
  const info = (r: Report) => ({ label: reportLabel(r), complete: r.run_info.complete, cases: r.results.length, format_version: r.format_version });
  return { a: info(a), b: info(b), compared, cases, counts, not_run: notRun };
}

export function formatTensorError(e: ReportTensorError | undefined): string {
  if (!e) return '-';
  const n = (v: number | string) => (typeof v === 'number' ? Number(v.toPrecision(3)).toString() : v);
  return `abs ${n(e.max_abs)} rel ${n(e.max_rel)} ulp ${n(e.max_ulp)}`;
}

export function firstLine(text: string | undefined, max = 160): string {
  const line = (text ?? '').split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The detail lines of a differing case: what differs, the clause, each side's message. */
export function detailLines(c: CaseDiff): string[] {
  const lines: string[] = [];
  for (const call of c.load_by_name ?? []) lines.push(`step ${call.step} ${call.fn}: A ${call.a}, B ${call.b}`);
  for (const call of c.calls.filter((x) => !(c.load_by_name && LOAD_BY_NAME_FNS.has(x.fn)))) lines.push(`step ${call.step} ${call.fn}: A ${call.a}, B ${call.b}`);
  if (c.tensor) lines.push(`tensor error: A ${formatTensorError(c.tensor.a)}, B ${formatTensorError(c.tensor.b)}`);
  lines.push(`clause: ${firstLine(c.spec, 200)}`);
  if (c.a.message && c.a.actual !== 'PASS') lines.push(`A says: ${firstLine(c.a.message)}`);
  if (c.b.message && c.b.actual !== 'PASS') lines.push(`B says: ${firstLine(c.b.message)}`);
  if (c.b.runtime_output?.length) lines.push(`B printed: ${firstLine(c.b.runtime_output[0])}`);
  return lines;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.min(72, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (c.length > (widths[i] as number) ? `${c.slice(0, (widths[i] as number) - 1)}…` : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Rows of differing cases: the case and both true statuses on one line, then its detail lines indented. */
export function formatCaseRows(cases: readonly CaseDiff[], labels: { a: string; b: string } = { a: 'A', b: 'B' }): string {
  const idWidth = Math.min(64, Math.max(4, ...cases.map((c) => c.id.length)));
  const aWidth = Math.max(labels.a.length, ...cases.map((c) => statusText(c.a).length));
  const out = [`  ${'case'.padEnd(idWidth)}  ${labels.a.padEnd(aWidth)}  ${labels.b}`];
  for (const c of cases) {
    out.push(`  ${c.id.padEnd(idWidth)}  ${statusText(c.a).padEnd(aWidth)}  ${statusText(c.b)}`);
    for (const l of detailLines(c)) out.push(`      ${l}`);
  }
  return out.join('\n');
}

/** "HEAD item, item, ..." wrapped at 100 columns, continuation lines indented. */
function wrapList(head: string, items: readonly string[]): string {
  const lines: string[] = [];
  let line = head;
  for (const [i, item] of items.entries()) {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + piece.length + 1 > 100 && line.trim() !== head.trim()) {
      lines.push(line.trimEnd());
      line = '    ';
    }
    line += `${piece} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

export function formatDiff(diff: ReportDiff, names: { a: string; b: string }, options: { all?: boolean } = {}): string {
  const out: string[] = [];
  const head = (k: 'a' | 'b', file: string) => `${k.toUpperCase()}: ${diff[k].label}, ${diff[k].cases} cases${diff[k].complete ? '' : ' (INCOMPLETE run)'} — ${file}`;
  out.push(head('a', names.a), head('b', names.b));
  if (diff.a.format_version !== diff.b.format_version) out.push(`note: A is report format ${diff.a.format_version}, B format ${diff.b.format_version}; calls are paired by function and order`);
  const groups = DIFF_GROUPS.filter((g) => diff.counts[g] > 0);
  out.push(`${diff.compared} cases run by both; ${diff.cases.length} differ${groups.length ? ` (${groups.map((g) => `${diff.counts[g]} ${g}`).join(', ')})` : ''}`);
  const onlyA = diff.not_run.filter((n) => n.side === 'b').length;
  const onlyB = diff.not_run.filter((n) => n.side === 'a').length;
  if (diff.not_run.length > 0) out.push(`not compared: ${onlyA} case(s) only A ran, ${onlyB} only B ran (UNSUPPORTED or absent on the other side)${options.all ? '' : '; --all lists them'}`);
  // the first screen: every security finding, crash, trap and timeout by name, before the detail
  const urgent = groups.filter((g) => g === 'security' || g === 'crash' || g === 'trap' || g === 'timeout');
  if (urgent.length > 0) {
    out.push('');
    for (const g of urgent) {
      const inGroup = diff.cases.filter((c) => c.group === g);
      const labels = new Set(inGroup.map((c) => statusText(c.b)));
      const same = labels.size === 1 ? `, B ${[...labels][0]} each` : '';
      out.push(wrapList(`${g.toUpperCase()} (${inGroup.length}${same}): `, inGroup.map((c) => (same ? c.id : `${c.id} ${statusText(c.b)}`))));
    }
  }
  for (const g of groups) {
    out.push('', `${GROUP_TITLES[g]}: ${diff.counts[g]}`, formatCaseRows(diff.cases.filter((c) => c.group === g)));
  }
  if (options.all && diff.not_run.length > 0) {
    out.push('', `NOT COMPARED: ${diff.not_run.length}`);
    for (const n of diff.not_run) out.push(`  ${n.id}  not run by ${n.side.toUpperCase()}: ${firstLine(n.reason)}`);
  }
  return `${out.join('\n')}\n`;
}
