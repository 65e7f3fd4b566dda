/**
 * What `run` prints as text: one line per case worth reading (failures always; UNSUPPORTED and
 * XFAIL with --verbose), a counts table per suite × status, and progress on stderr: an updating
 * line on a terminal, a plain line every so many cases or seconds in a CI log.
 */
import { STATUSES, type Status } from './judge.js';

/** Statuses that make a run fail. */
export const BAD_STATUSES: ReadonlySet<Status> = new Set(['FAIL', 'ERROR', 'TRAP', 'CRASH', 'TIMEOUT', 'XPASS']);
/** Counted always, listed only with --verbose. */
export const QUIET_STATUSES: ReadonlySet<Status> = new Set(['UNSUPPORTED', 'XFAIL']);

export function caseLine(r: { status: Status; id: string; message?: string }): string {
  return `${r.status.padEnd(11)} ${r.id}${r.message ? `: ${r.message}` : ''}\n`;
}

export function shouldPrint(status: Status, verbose: boolean): boolean {
  return status !== 'PASS' && (verbose || !QUIET_STATUSES.has(status));
}

/** A table: one row per suite (in first-seen order) and a total row, one column per status seen. */
export function summaryTable(results: readonly { suite: string; status: Status }[]): string {
  const suites: string[] = [];
  const counts = new Map<string, Map<Status, number>>();
  for (const r of results) {
    let row = counts.get(r.suite);
    if (!row) {
      row = new Map();
      counts.set(r.suite, row);
      suites.push(r.suite);
    }
    row.set(r.status, (row.get(r.status) ?? 0) + 1);
  }
  const columns = STATUSES.filter((s) => results.some((r) => r.status === s));
  const total = new Map<Status, number>(columns.map((s) => [s, results.filter((r) => r.status === s).length]));
  const rows = [
    ['suite', ...columns, 'cases'],
    ...suites.map((suite) => {
      const row = counts.get(suite) as Map<Status, number>;
      return [suite, ...columns.map((s) => String(row.get(s) ?? '')), String([...row.values()].reduce((a, b) => a + b, 0))];
    }),
    ['total', ...columns.map((s) => String(total.get(s) ?? 0)), String(results.length)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ').trimEnd();
  return `${[line(rows[0] as string[]), ...rows.slice(1, -1).map(line), line(rows[rows.length - 1] as string[])].join('\n')}\n`;
}

export interface ProgressSink {
  isTTY: boolean;
  columns?: number;
  write(text: string): void;
}

/**
 * Progress on stderr. On a terminal: one line rewritten in place. Otherwise (CI logs): a plain
 * line each time another `everyCases` cases are done or `everySeconds` passed, so a long run
 * shows it is alive without flooding the log.
 */
export class Progress {
  private shown = false;
  private lastLine = 0;
  private lastCount = 0;
  private readonly started = Date.now();
  private readonly everyCases: number;

  constructor(
    private readonly total: number,
    private readonly sink: ProgressSink = process.stderr,
    private readonly everySeconds = 30,
    everyCases?: number,
  ) {
    this.everyCases = everyCases ?? Math.max(25, Math.ceil(total / 10));
    this.lastLine = this.started;
  }

  update(done: number, bad: number, last: string): void {
    if (this.sink.isTTY) {
      const width = Math.max(20, (this.sink.columns ?? 80) - 1);
      this.sink.write(`\r\x1b[2K${`[${done}/${this.total}] ${bad} not passing  ${last}`.slice(0, width)}`);
      this.shown = true;
      return;
    }
    const now = Date.now();
    if (done === this.total || now - this.started < 5000) return; // the summary follows; a short run needs no progress
    if (done - this.lastCount < this.everyCases && now - this.lastLine < this.everySeconds * 1000) return;
    this.lastCount = done;
    this.lastLine = now;
    this.sink.write(`progress: ${done}/${this.total} cases (${Math.floor((done * 100) / this.total)}%), ${bad} not passing, ${Math.round((now - this.started) / 1000)} s\n`);
  }

  /** Clears the terminal line before other output; nothing to do in a log. */
  clear(): void {
    if (this.shown) this.sink.write('\r\x1b[2K');
    this.shown = false;
  }
}
