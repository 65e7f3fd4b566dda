/**
 * Differences between two reports, case by case: status, errno per call (matched by step and
 * function), tensor error, and the load_by_name group (what each runtime did with a name).
 * Used for runtime vs runtime and run vs run; `review` builds on it for baselines.
 */
import { errorNumber } from './report-io.js';
import type { Report, ReportCall, ReportResult, ReportTensorError, Status } from './report-types.js';

export type DiffKind = 'status' | 'errno' | 'tensor' | 'load_by_name' | 'only_a' | 'only_b';

export interface CallDiff {
  step: number;
  fn: string;
  /** "success (0)", or "no call" when that side never made it */
  a: string;
  b: string;
}

export interface CaseDiff {
  id: string;
  suite: string;
  kinds: DiffKind[];
  a?: Status;
  b?: Status;
  a_message?: string;
  b_message?: string;
  calls: CallDiff[];
  /** load_by_name group: the outcome of every load_by_name call on each side, also when the errnos agree */
  load_by_name?: CallDiff[];
  tensor?: { a?: ReportTensorError; b?: ReportTensorError };
}

export interface ReportDiff {
  a: { label: string; complete: boolean; cases: number };
  b: { label: string; complete: boolean; cases: number };
  compared: number;
  cases: CaseDiff[];
  counts: Record<DiffKind, number>;
}

export const LOAD_BY_NAME_GROUP = 'abi.load_by_name';
const LOAD_BY_NAME_FNS = new Set(['load_by_name', 'load_by_name_with_config']);

export function reportLabel(r: Report): string {
  return `${r.run_info.runtime.name} ${r.run_info.runtime.version} (${r.run_info.runtime.dialect})`;
}

const callKey = (c: { step: number; fn: string }) => `${c.step} ${c.fn}`;
const callText = (c: ReportCall | undefined) => (c ? `${c.errno_name} (${c.errno})` : 'no call');

function sameTensorError(x: ReportTensorError | undefined, y: ReportTensorError | undefined): boolean {
  if (!x || !y) return x === y;
  return errorNumber(x.max_abs) === errorNumber(y.max_abs) && errorNumber(x.max_rel) === errorNumber(y.max_rel) && errorNumber(x.max_ulp) === errorNumber(y.max_ulp);
}

/** Calls of both sides, matched by step + fn, in step order. */
function pairCalls(a: readonly ReportCall[], b: readonly ReportCall[]): { key: string; step: number; fn: string; a?: ReportCall; b?: ReportCall }[] {
  const pairs = new Map<string, { key: string; step: number; fn: string; a?: ReportCall; b?: ReportCall }>();
  for (const c of a) pairs.set(callKey(c), { key: callKey(c), step: c.step, fn: c.fn, a: c });
  for (const c of b) {
    const p = pairs.get(callKey(c));
    if (p) p.b = c;
    else pairs.set(callKey(c), { key: callKey(c), step: c.step, fn: c.fn, b: c });
  }
  return [...pairs.values()].sort((x, y) => x.step - y.step || x.fn.localeCompare(y.fn));
}

export function diffCase(a: ReportResult | undefined, b: ReportResult | undefined): CaseDiff | undefined {
  const base = (a ?? b) as ReportResult;
  const d: CaseDiff = { id: base.id, suite: base.suite, kinds: [], calls: [] };
  if (a) {
    d.a = a.status;
    if (a.message !== undefined) d.a_message = a.message;
  }
  if (b) {
    d.b = b.status;
    if (b.message !== undefined) d.b_message = b.message;
  }
  if (!a || !b) {
    d.kinds.push(a ? 'only_a' : 'only_b');
    return d;
  }
  if (a.status !== b.status) d.kinds.push('status');
  const pairs = pairCalls(a.calls, b.calls);
  for (const p of pairs) {
    if (p.a?.errno_name !== p.b?.errno_name) d.calls.push({ step: p.step, fn: p.fn, a: callText(p.a), b: callText(p.b) });
  }
  const inGroup = a.id.startsWith(LOAD_BY_NAME_GROUP);
  if (d.calls.some((c) => !inGroup || !LOAD_BY_NAME_FNS.has(c.fn))) d.kinds.push('errno');
  if (inGroup) {
    const lbn = pairs.filter((p) => LOAD_BY_NAME_FNS.has(p.fn));
    if (lbn.some((p) => p.a?.errno_name !== p.b?.errno_name)) {
      d.kinds.push('load_by_name');
      d.load_by_name = lbn.map((p) => ({ step: p.step, fn: p.fn, a: callText(p.a), b: callText(p.b) }));
    }
  }
  if (!sameTensorError(a.tensor_error, b.tensor_error)) {
    d.kinds.push('tensor');
    d.tensor = { ...(a.tensor_error ? { a: a.tensor_error } : {}), ...(b.tensor_error ? { b: b.tensor_error } : {}) };
  }
  return d.kinds.length > 0 ? d : undefined;
}

export function diffReports(a: Report, b: Report): ReportDiff {
  const byIdA = new Map(a.results.map((r) => [r.id, r]));
  const byIdB = new Map(b.results.map((r) => [r.id, r]));
  const ids = [...byIdA.keys(), ...[...byIdB.keys()].filter((id) => !byIdA.has(id))];
  const cases: CaseDiff[] = [];
  for (const id of ids) {
    const d = diffCase(byIdA.get(id), byIdB.get(id));
    if (d) cases.push(d);
  }
  const counts: Record<DiffKind, number> = { status: 0, errno: 0, tensor: 0, load_by_name: 0, only_a: 0, only_b: 0 };
  for (const c of cases) for (const k of c.kinds) counts[k]++;
  return {
    a: { label: reportLabel(a), complete: a.run_info.complete, cases: a.results.length },
    b: { label: reportLabel(b), complete: b.run_info.complete, cases: b.results.length },
    compared: [...byIdA.keys()].filter((id) => byIdB.has(id)).length,
    cases,
    counts,
  };
}

export function formatTensorError(e: ReportTensorError | undefined): string {
  if (!e) return '-';
  const n = (v: number | string) => (typeof v === 'number' ? Number(v.toPrecision(3)).toString() : v);
  return `abs ${n(e.max_abs)} rel ${n(e.max_rel)} ulp ${n(e.max_ulp)}`;
}

/** One row per difference: case, kind, detail, A, B. */
export function diffRows(diff: ReportDiff): [string, string, string, string, string][] {
  const rows: [string, string, string, string, string][] = [];
  for (const c of diff.cases) {
    for (const k of c.kinds) {
      switch (k) {
        case 'only_a':
          rows.push([c.id, 'only in A', '', c.a ?? '', '-']);
          break;
        case 'only_b':
          rows.push([c.id, 'only in B', '', '-', c.b ?? '']);
          break;
        case 'status':
          rows.push([c.id, 'status', '', c.a ?? '', c.b ?? '']);
          break;
        case 'errno':
          for (const call of c.calls.filter((x) => !(c.load_by_name && LOAD_BY_NAME_FNS.has(x.fn)))) rows.push([c.id, 'errno', `step ${call.step} ${call.fn}`, call.a, call.b]);
          break;
        case 'load_by_name':
          for (const call of c.load_by_name ?? []) rows.push([c.id, 'load_by_name', `step ${call.step} ${call.fn}`, call.a, call.b]);
          break;
        case 'tensor':
          rows.push([c.id, 'tensor error', '', formatTensorError(c.tensor?.a), formatTensorError(c.tensor?.b)]);
          break;
      }
    }
  }
  return rows;
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

export function formatDiff(diff: ReportDiff, names: { a: string; b: string }): string {
  const out: string[] = [];
  const side = (k: 'a' | 'b', file: string) => `${k.toUpperCase()}: ${diff[k].label}, ${diff[k].cases} cases${diff[k].complete ? '' : ' (INCOMPLETE run)'} — ${file}`;
  out.push(side('a', names.a), side('b', names.b));
  const kinds = (Object.keys(diff.counts) as DiffKind[]).filter((k) => diff.counts[k] > 0);
  out.push(`${diff.compared} cases in both; ${diff.cases.length} differ${kinds.length ? ` (${kinds.map((k) => `${diff.counts[k]} ${k}`).join(', ')})` : ''}`);
  if (diff.cases.length > 0) out.push('', formatTable(['case', 'difference', 'where', 'A', 'B'], diffRows(diff)));
  return `${out.join('\n')}\n`;
}
