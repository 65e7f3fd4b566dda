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

/** What a driver prints for this case, with the two errnos and the result word given; framed with a token when one is given. */
function printed(loadErrno: number, resultHex: string, computeErrno: number, done = true, token?: string): string {
  const lines = compiled.script.trim().split('\n');
  const out = lines.map((line, i) => {
    const step = i + 1;
    if (line.startsWith('call load_by_name')) return JSON.stringify({ step, op: 'call', fn: 'load_by_name', args: [], errno: loadErrno });
    if (line.startsWith('call compute')) return JSON.stringify({ step, op: 'call', fn: 'compute', args: [7], errno: computeErrno });
    if (line.startsWith('dump')) return JSON.stringify({ step, op: 'dump', name: 'g', offset: 0, hex: resultHex });
    return JSON.stringify({ step, op: line.split(' ')[0] });
  });
  if (done) out.push(JSON.stringify({ done: true, steps: lines.length }));
  return `${out.map((j) => (token ? `wasi-nn-obs ${token} ${j.length} ${j}` : j)).join('\n')}\n`;
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
    expect(rejected.message).toBe('the driver rejected script line 2 (case step 0): unknown buffer q');
  });

  it('numbers calls by the case step that made them (/steps/N), as checks and messages do', () => {
    const v = judge(compiled, outcome(printed(8, 'aaaaaaaa', 1)), witx);
    expect(v.calls.map((c) => [c.step, c.fn])).toEqual([[1, 'load_by_name'], [2, 'compute']]);
    expect(v.checks.map((c) => c.step)).toEqual([1, 1, 2]);
  });
});

describe('judge, framed records (a token per run)', () => {
  const token = '0123456789abcdef';
  // what a real iwasm printed between the guest's records: its ONNX backend's log, once as
  // freed memory (a use-after-free in its error path), a continuation without the indent the
  // adapter's log pattern knows, and a log glued in front of a record without a newline
  const wamrNoise = ['\u0010\u00d0\u00fa\u0002V\u0000\u00a0\u00ff\u00ffONNX', 'index: 0 Got: 0 Expected: 1', 'Please fix either the inputs or the model.'];

  it('a runtime\'s stray lines are runtime output, kept in the result and never blamed on the guest', () => {
    const lines = printed(8, 'aaaaaaaa', 1, true, token).split('\n');
    const noisy = [lines[0], ...wamrNoise, `[wasi_nn_onnx.cpp:66 ERROR] ONNX Runtime error: Got invalid dimensions${lines[1]}`, ...lines.slice(2)].join('\n');
    const v = judge(compiled, outcome(noisy), witx, token);
    expect(v.status).toBe('PASS');
    expect(v.runtime_output).toEqual([...wamrNoise, '[wasi_nn_onnx.cpp:66 ERROR] ONNX Runtime error: Got invalid dimensions']);
  });

  it('unframed lines are no observations: a runtime printing a driver-looking line cannot fake a record', () => {
    const v = judge(compiled, outcome(printed(8, 'aaaaaaaa', 1)), witx, token);
    expect(v.status).toBe('ERROR');
    expect(v.message).toMatch(/^the runtime exited 0 but the guest printed no record/);
  });

  it('a record with other output written into it is detected and not blamed on the guest', () => {
    const lines = printed(8, 'aaaaaaaa', 1, true, token).split('\n');
    const broken = lines[2] as string;
    const cut = broken.length - 10;
    lines[2] = `${broken.slice(0, cut)}[LOG] x${broken.slice(cut)}`;
    const v = judge(compiled, outcome(lines.join('\n')), witx, token);
    expect(v.status).toBe('ERROR');
    expect(v.message).toMatch(/record\(s\) of the guest were broken by other output written into them \(the runtime's, not the guest's\)/);
  });

  it('a done line before the records of every step is the guest\'s fault', () => {
    const lines = printed(8, 'aaaaaaaa', 1, true, token).trim().split('\n');
    const v = judge(compiled, outcome(`${[lines[0], lines.at(-1)].join('\n')}\n`), witx, token);
    expect(v).toMatchObject({ status: 'ERROR', message: 'the guest printed its done line without the record of step 1 (load_by_name)' });
  });

  it('a runtime panic reported by its adapter is a CRASH, also after the done line', () => {
    const v = judge(compiled, outcome(printed(8, 'aaaaaaaa', 1, true, token), { exitCode: 101, crash: 'the runtime panicked (exit 101): thread main panicked at x.rs' }), witx, token);
    expect(v).toMatchObject({ status: 'CRASH', message: 'the runtime panicked (exit 101): thread main panicked at x.rs' });
  });

  it('calls a run that could not start an error', () => {
    expect(judge(compiled, { exitCode: null, stdout: '', stderr: '', startError: 'iwasm not found' }, witx)).toMatchObject({ status: 'ERROR', message: 'iwasm not found' });
  });
});
