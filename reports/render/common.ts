/** What the renderers share: the case × report matrix and status presentation. */
import { actualStatus, reportLabel } from '../diff.js';
import { RED_STATUSES } from '../report-io.js';
import type { Report, ReportResult, Status } from '../report-types.js';
import { STATUSES } from '../../harness/judge.js';

export { STATUSES };

export interface MatrixRow {
  id: string;
  suite: string;
  title: string;
  /** one per report, undefined where that report lacks the case */
  cells: (ReportResult | undefined)[];
  /** the true statuses differ between reports that ran the case (UNSUPPORTED or absent is no difference) */
  differs: boolean;
  red: boolean;
}

/** Column labels; made unique when two reports share runtime and dialect. */
export function columnLabels(reports: readonly Report[]): string[] {
  const base = reports.map((r) => `${r.run_info.runtime.name} (${r.run_info.runtime.dialect})`);
  return base.map((label, i) => (base.filter((l) => l === label).length > 1 ? `${label} #${i + 1}` : label));
}

export function matrix(reports: readonly Report[]): MatrixRow[] {
  const order: string[] = [];
  const info = new Map<string, { suite: string; title: string }>();
  for (const r of reports) {
    for (const c of r.results) {
      if (!info.has(c.id)) {
        order.push(c.id);
        info.set(c.id, { suite: c.suite, title: c.title });
      }
    }
  }
  const maps = reports.map((r) => new Map(r.results.map((c) => [c.id, c])));
  return order.map((id) => {
    const cells = maps.map((m) => m.get(id));
    const ran = cells.filter((c): c is ReportResult => c !== undefined && c.status !== 'UNSUPPORTED');
    const statuses = new Set(ran.map(actualStatus));
    const meta = info.get(id) as { suite: string; title: string };
    return { id, ...meta, cells, differs: statuses.size > 1, red: cells.some((c) => c !== undefined && RED_STATUSES.has(c.status)) };
  });
}

export const STATUS_MARK: Record<Status, string> = {
  PASS: '✅',
  FAIL: '❌',
  UNSUPPORTED: '⏭️',
  ERROR: '⚠️',
  TRAP: '💥',
  CRASH: '💀',
  TIMEOUT: '⏱️',
  XFAIL: '☑️',
  XPASS: '❗',
};

export function summaryLine(r: Report): string {
  return STATUSES.filter((s) => r.counts[s] > 0)
    .map((s) => `${r.counts[s]} ${s}`)
    .join(', ');
}

export { reportLabel };
