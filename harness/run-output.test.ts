import { describe, expect, it } from 'vitest';
import { Progress, summaryTable } from './run-output.js';

describe('run output', () => {
  it('the summary is a suite × status table with a total row, only the statuses seen', () => {
    const rows = [
      { suite: 'abi', status: 'PASS' as const },
      { suite: 'abi', status: 'FAIL' as const },
      { suite: 'onnx', status: 'PASS' as const },
      { suite: 'onnx', status: 'UNSUPPORTED' as const },
      { suite: 'onnx', status: 'UNSUPPORTED' as const },
    ];
    expect(summaryTable(rows)).toBe(['suite  PASS  FAIL  UNSUPPORTED  cases', 'abi       1     1                   2', 'onnx      1                  2      3', 'total     2     1            2      5', ''].join('\n'));
  });

  it('in a log, progress is a plain line every so many cases (after the first seconds); on a terminal one line in place', () => {
    const lines: string[] = [];
    const log = new Progress(100, { isTTY: false, write: (t) => lines.push(t) }, 30, 25);
    (log as unknown as { started: number }).started -= 10_000; // as if the run were 10 s old
    for (let done = 1; done <= 100; done++) log.update(done, done > 50 ? 1 : 0, `c${done}`);
    expect(lines).toEqual(['progress: 25/100 cases (25%), 0 not passing, 10 s\n', 'progress: 50/100 cases (50%), 0 not passing, 10 s\n', 'progress: 75/100 cases (75%), 1 not passing, 10 s\n']);
    const tty: string[] = [];
    const term = new Progress(2, { isTTY: true, columns: 40, write: (t) => tty.push(t) });
    term.update(1, 0, 'abi.x');
    term.clear();
    expect(tty).toEqual(['\r\x1b[2K[1/2] 0 not passing  abi.x', '\r\x1b[2K']);
  });
});
