import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../reference-host/abi/dialects.js';
import type { Case } from './case-types.js';
import { compileCase } from './compile.js';
import { judge, type RunOutcome } from './judge.js';
import { FIXTURES_DIR } from './repo-paths.js';

const c: Case = {
  id: 'test.judge',
  title: 't',
  spec: 's',
  steps: [
    { buffer: 'n', text: 'x' },
    { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } },
    { call: 'compute', args: { ctx: 7 }, expect: { errno: ['invalid_argument', 'runtime_error'] } },
  ],
};
const compiled = compileCase(c, { fixturesDir: FIXTURES_DIR, dialect: 'witx' });
const witx = DIALECTS.witx;

/** What a driver prints for this case, with the two errnos and the result word given. */
function printed(loadErrno: number, resultHex: string, computeErrno: number, done = true): string {
  const lines = compiled.script.trim().split('\n');
  const out = lines.map((line, i) => {
    const step = i + 1;
    if (line.startsWith('call load_by_name')) return JSON.stringify({ step, op: 'call', fn: 'load_by_name', args: [], errno: loadErrno });
    if (line.startsWith('call compute')) return JSON.stringify({ step, op: 'call', fn: 'compute', args: [7], errno: computeErrno });
    if (line.startsWith('dump')) return JSON.stringify({ step, op: 'dump', name: 'g', offset: 0, hex: resultHex });
    return JSON.stringify({ step, op: line.split(' ')[0] });
  });
  if (done) out.push(JSON.stringify({ done: true, steps: lines.length }));
  return `${out.join('\n')}\n`;
}
const outcome = (stdout: string, extra: Partial<RunOutcome> = {}): RunOutcome => ({ exitCode: 0, stdout, stderr: '', ...extra });

describe('judge', () => {
  it('passes when every check holds, with any allowed errno', () => {
    expect(judge(compiled, outcome(printed(8, 'aaaaaaaa', 5)), witx).status).toBe('PASS');
    expect(judge(compiled, outcome(printed(8, 'aaaaaaaa', 1)), witx).status).toBe('PASS');
  });

  it('fails naming the step, the expected and the observed errno', () => {
    const v = judge(compiled, outcome(printed(6, 'aaaaaaaa', 1)), witx);
    expect(v.status).toBe('FAIL');
    expect(v.message).toBe('step 1 load_by_name errno: expected not_found, observed unsupported_operation (6)');
  });

  it('fails when a result pointer was written on failure', () => {
    const v = judge(compiled, outcome(printed(8, '00000000', 1)), witx);
    expect(v.status).toBe('FAIL');
    expect(v.message).toMatch(/result pointer: expected unchanged, observed 0/);
  });

  it('tells a trap, a crash, a timeout and an early exit apart when the done line is missing', () => {
    const cut = printed(8, 'aaaaaaaa', 1, false).split('\n').slice(0, 3).join('\n');
    expect(judge(compiled, outcome(cut, { exitCode: 134, trap: 'wasm trap: out of bounds memory access' }), witx).status).toBe('TRAP');
    expect(judge(compiled, outcome(cut, { exitCode: null, signal: 'SIGABRT' }), witx).status).toBe('CRASH');
    expect(judge(compiled, outcome(cut, { exitCode: null, timedOut: true }), witx).status).toBe('TIMEOUT');
    const early = judge(compiled, outcome(cut, { exitCode: 1 }), witx);
    expect(early.status).toBe('CRASH');
    expect(early.message).toMatch(/without its done line \(exit 1\) before step 1/);
  });

  it('calls garbage output an error, and a script rejected by the driver an error', () => {
    expect(judge(compiled, outcome(`not json\n${printed(8, 'aaaaaaaa', 1)}`), witx).status).toBe('ERROR');
    const rejected = judge(compiled, outcome('{"step":2,"error":"unknown buffer q"}\n', { exitCode: 3 }), witx);
    expect(rejected.status).toBe('ERROR');
    expect(rejected.message).toBe('the driver rejected step 2: unknown buffer q');
  });

  it('calls a run that could not start an error', () => {
    expect(judge(compiled, { exitCode: null, stdout: '', stderr: '', startError: 'iwasm not found' }, witx)).toMatchObject({ status: 'ERROR', message: 'iwasm not found' });
  });
});
