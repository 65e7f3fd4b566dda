import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../reference-host/abi/dialects.js';
import type { Case } from './case-types.js';
import { compileCase } from './compile.js';
import { judge, type RunOutcome } from './judge.js';
import { FIXTURES_DIR } from './repo-paths.js';
import { AFFINE_CONTEXT_AND_INPUT } from './test-steps.js';

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

/** What a driver prints for a case of load_by_name then compute (`cc`), with the two errnos and the result word given; framed with a token when one is given. */
const printerFor = (cc: typeof compiled) => (loadErrno: number, resultHex: string, computeErrno: number, done = true, token?: string): string => {
  const lines = cc.script.trim().split('\n');
  const out = lines.map((line, i) => {
    const step = i + 1;
    if (line.startsWith('call load_by_name')) return JSON.stringify({ step, op: 'call', fn: 'load_by_name', args: [], errno: loadErrno });
    if (line.startsWith('call compute')) return JSON.stringify({ step, op: 'call', fn: 'compute', args: [7], errno: computeErrno });
    if (line.startsWith('dump')) return JSON.stringify({ step, op: 'dump', name: 'g', offset: 0, hex: resultHex });
    return JSON.stringify({ step, op: line.split(' ')[0] });
  });
  if (done) out.push(JSON.stringify({ done: true, steps: lines.length }));
  return `${out.map((j) => (token ? `wasi-nn-obs ${token} ${j.length} ${j}` : j)).join('\n')}\n`;
};
const printed = printerFor(compiled);
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

/**
 * Every check kind seen to fire: a case is compiled for real, and the driver's records are made
 * from its script, right except for the one observation under test; the same records with that
 * observation right must PASS, so each failure below is caused by that one observation alone.
 */
describe('judge: every check kind fails on a wrong observation', () => {
  type Record = { [k: string]: unknown };
  /** Records for every script line: `call` lines answer `errnos[fn]` (default 0), dumps show `dumps[name]` (default the sentinel). */
  function records(cc: ReturnType<typeof compileCase>, o: { errnos?: Partial<Record>; dumps?: { [name: string]: string }; extra?: (line: string, step: number) => Record | undefined } = {}): string {
    const lines = cc.script.trim().split('\n');
    const sizes = new Map<string, number>();
    const out = lines.map((line, i) => {
      const step = i + 1;
      const [op, a, b] = line.split(' ');
      const custom = o.extra?.(line, step);
      if (custom) return JSON.stringify({ step, ...custom });
      if (op === 'alloc') {
        sizes.set(a as string, Number(b));
        return JSON.stringify({ step, op, name: a, addr: 1024 * step, size: Number(b) });
      }
      if (op === 'call') return JSON.stringify({ step, op, fn: a, args: [], errno: (o.errnos?.[a as string] as number | undefined) ?? 0 });
      if (op === 'dump') return JSON.stringify({ step, op, name: a, offset: 0, hex: o.dumps?.[a as string] ?? 'aa'.repeat(Number(line.split(' ')[3])) });
      return JSON.stringify({ step, op });
    });
    out.push(JSON.stringify({ done: true, steps: lines.length }));
    return `${out.join('\n')}\n`;
  }
  const kase = (steps: Case['steps']): ReturnType<typeof compileCase> => compileCase({ id: 'test.neg', title: 't', spec: 's', steps }, { fixturesDir: FIXTURES_DIR, dialect: 'witx' });
  const loadAffine: Case['steps'] = [
    { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
    { buffer: 'b', builders: ['m'] },
    { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'success', result: 'written' } },
  ];
  const Y = '0000000000000000843cb53f'; // affine_relu's golden output, f32 [0, 0, 1.4159093]

  it('output-tensor: a value outside tolerance, a wrong written count, and a buffer shorter than the tensor each FAIL', () => {
    const cc = kase([...loadAffine, { call: 'get_output', args: { ctx: 0, index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } } }]);
    const right = { g: '00000000', o: Y, w: '0c000000' };
    expect(judge(cc, outcome(records(cc, { dumps: right })), witx).status).toBe('PASS');
    const value = judge(cc, outcome(records(cc, { dumps: { ...right, o: '0000000000000000cdcccc3f' } })), witx);
    expect(value).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output tensor f32\[1,3\]: expected \[2\] = 1\.41590929\d+, observed \[2\] = 1\.6/) });
    const count = judge(cc, outcome(records(cc, { dumps: { ...right, w: '08000000' } })), witx);
    expect(count).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output bytes written: expected 12, observed 8/) });
    const short = judge(cc, outcome(records(cc, { dumps: { ...right, o: Y.slice(0, 16) } })), witx);
    expect(short).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output tensor: expected 12 bytes, observed 8 bytes/) });
  });

  it('output-tensor compares the whole caller buffer: a byte written past the tensor FAILs', () => {
    const cc = kase([...loadAffine, { call: 'get_output', args: { ctx: 0, index: 0 }, output: { buffer: 'o', size: 16 }, result: 'w', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } } }]);
    const right = { g: '00000000', o: `${Y}aaaaaaaa`, w: '0c000000' };
    expect(judge(cc, outcome(records(cc, { dumps: right })), witx).status).toBe('PASS');
    const past = judge(cc, outcome(records(cc, { dumps: { ...right, o: `${Y}aaaa00aa` } })), witx);
    expect(past).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output buffer past the tensor: expected bytes 12\.\. unchanged, observed byte 14 written \(00\)/) });
  });

  it('a second record for one script line is an ERROR, never a silent overwrite', () => {
    const cc = kase(loadAffine);
    const lines = records(cc, { dumps: { g: '00000000' } }).trim().split('\n');
    const call = lines.find((l) => l.includes('"fn":"load"')) as string;
    const twice = [...lines.slice(0, -1), call.replace('"errno":0', '"errno":1'), lines.at(-1)].join('\n');
    const v = judge(cc, outcome(`${twice}\n`), witx);
    expect(v).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/printed 1 record\(s\) twice for one script line, first line 6 \(case step 2\)/) });
  });

  it('output-unchanged: a buffer the call wrote to FAILs', () => {
    const cc = kase([...loadAffine, { call: 'get_output', args: { ctx: 0, index: 0 }, output: { buffer: 'o', size: 4 }, result: 'w', expect: { errno: 'too_large', output: { unchanged: true } } }]);
    const right = { g: '00000000', w: '0c000000' };
    expect(judge(cc, outcome(records(cc, { errnos: { get_output: 7 }, dumps: right })), witx).status).toBe('PASS');
    const v = judge(cc, outcome(records(cc, { errnos: { get_output: 7 }, dumps: { ...right, o: '00000000' } })), witx);
    expect(v).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output buffer: expected unchanged, observed changed: 00000000/) });
  });

  it('same-as and different-from: a handle equal where it must differ, or different where it must be the same, FAILs', () => {
    const two = (kind: 'same_as' | 'different_from'): ReturnType<typeof compileCase> =>
      kase([...loadAffine, { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'h', expect: { errno: 'success', result: 'written', [kind]: 'g' } }]);
    const diff = two('different_from');
    expect(judge(diff, outcome(records(diff, { dumps: { g: '00000000', h: '01000000' } })), witx).status).toBe('PASS');
    expect(judge(diff, outcome(records(diff, { dumps: { g: '00000000', h: '00000000' } })), witx)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/result different-from g: expected different-from 0, observed 0/) });
    const same = two('same_as');
    expect(judge(same, outcome(records(same, { dumps: { g: '00000000', h: '00000000' } })), witx).status).toBe('PASS');
    expect(judge(same, outcome(records(same, { dumps: { g: '00000000', h: '01000000' } })), witx)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/result same-as g: expected same-as 0, observed 1/) });
  });

  it('guest-file: a file that should be refused but was read, and the reverse, FAIL', () => {
    const cc = kase([{ buffer: 'f', guest_file: '/fixtures/onnx/affine_relu.onnx', readable: false }]);
    const read = (ok: boolean) => records(cc, { extra: (line) => (line.startsWith('file ') ? (ok ? { op: 'file', name: 'f', addr: 64, size: 300 } : { op: 'file', name: 'f', error: 'Permission denied' }) : undefined) });
    expect(judge(cc, outcome(read(false)), witx).status).toBe('PASS');
    expect(judge(cc, outcome(read(true)), witx)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/guest file \/fixtures\/onnx\/affine_relu\.onnx: expected refused, observed read 300 bytes/) });
  });

  it('an expected trap: PASS when the runtime traps at that call, FAIL when the call returns instead', () => {
    const cc = kase([...loadAffine, { call: 'compute', args: { ctx: 7 }, expect: { trap: true } }]);
    const all = records(cc, { dumps: { g: '00000000' } }).trim().split('\n');
    const upToTrap = `${all.slice(0, all.findIndex((l) => l.includes('"fn":"compute"'))).join('\n')}\n`;
    expect(judge(cc, outcome(upToTrap, { exitCode: 134, trap: 'wasm trap: unreachable' }), witx)).toMatchObject({ status: 'PASS' });
    const returned = judge(cc, outcome(records(cc, { dumps: { g: '00000000' }, errnos: { compute: 1 } })), witx);
    expect(returned).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/compute trap: expected a trap, observed it returned invalid_argument \(1\)/) });
    // a trap elsewhere (before the call the case expects to trap) is a TRAP, not a pass
    const early = `${all.slice(0, 3).join('\n')}\n`;
    expect(judge(cc, outcome(early, { exitCode: 134, trap: 'wasm trap: out of bounds' }), witx).status).toBe('TRAP');
  });
});

describe('judge: the component checks and output text fail on a wrong observation', () => {
  const wit = DIALECTS['wit-2024-10-28'];
  /** load affine_relu, a context, a tensor, and compute_named with one input named `inputName` */
  const computeNamed = (inputName: string, expect: NonNullable<Extract<Case['steps'][number], { call: string }>['expect']>) =>
    compileCase(
      {
        id: 'test.neg.wit',
        title: 't',
        spec: 's',
        steps: [
          ...AFFINE_CONTEXT_AND_INPUT,
          { call: 'tensor_new', args: { dims: '@t_dims', type: 'f32', data: '@t_data' }, result: 't_h' },
          { buffer: 'n', text: inputName },
          { buffer: 'in', named_tensors: [{ name: 'n', tensor: '$t_h' }] },
          { call: 'compute_named', args: { ctx: '$c', inputs: '@in' }, output: { buffer: 'outs', size: 16 }, expect },
        ],
      },
      { fixturesDir: FIXTURES_DIR, dialect: 'wit-2024-10-28' },
    );
  /** the driver's records: every call succeeds but compute_named, which reports `compute`; dumps hold handle 1 */
  const records = (cc: ReturnType<typeof compileCase>, compute: { [k: string]: unknown }) => {
    const lines = cc.script.trim().split('\n').map((line, i) => {
      const step = i + 1;
      const [op, a] = line.split(' ');
      if (op === 'call') return JSON.stringify({ step, op, fn: a, args: [], ...(a === 'compute_named' ? compute : { errno: 0 }) });
      if (op === 'dump') return JSON.stringify({ step, op, name: a, offset: 0, hex: '01000000'.repeat(4).slice(0, Number(line.split(' ')[3]) * 2) });
      return JSON.stringify({ step, op });
    });
    return `${[...lines, JSON.stringify({ done: true, steps: lines.length })].join('\n')}\n`;
  };

  it('error-data: an error without a message FAILs', () => {
    const cc = computeNamed('nope', { errno: 'not_found', error_data: true });
    expect(judge(cc, outcome(records(cc, { errno: 7, error_data: 'no input named "nope"' })), wit).status).toBe('PASS');
    expect(judge(cc, outcome(records(cc, { errno: 7 })), wit)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/error\.data\(\): expected a message, observed none/) });
    expect(judge(cc, outcome(records(cc, { errno: 7, error_data: '' })), wit)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/error\.data\(\): expected a message, observed ""/) });
  });

  it('names: outputs named otherwise than the case says FAIL', () => {
    const cc = computeNamed('X', { errno: 'success', names: ['Y'] });
    const named = (names: string[]) => records(cc, { errno: 0, outputs: names.map((n, k) => [n, k + 1]) });
    expect(judge(cc, outcome(named(['Y'])), wit).status).toBe('PASS');
    expect(judge(cc, outcome(named(['0'])), wit)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output names: expected \["Y"\], observed \["0"\]/) });
    expect(judge(cc, outcome(named(['Y', 'Z'])), wit)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output names: expected \["Y"\], observed \["Y","Z"\]/) });
  });

  it('output-text: other text, or the right text cut short by the written count, FAILs', () => {
    const cc = compileCase(
      { id: 'test.neg.text', title: 't', spec: 's', steps: [{ call: 'get_output', args: { ctx: 0, index: 0 }, output: { buffer: 'o', size: 8 }, result: 'w', expect: { errno: 'success', output: { text: 'hi!' } } }] },
      { fixturesDir: FIXTURES_DIR, dialect: 'witx' },
    );
    const run = (textHex: string, written: string) => {
      const lines = cc.script.trim().split('\n').map((line, i) => {
        const [op, a] = line.split(' ');
        if (op === 'call') return JSON.stringify({ step: i + 1, op, fn: a, args: [], errno: 0 });
        if (op === 'dump') return JSON.stringify({ step: i + 1, op, name: a, offset: 0, hex: a === 'w' ? written : textHex.padEnd(16, 'a') });
        return JSON.stringify({ step: i + 1, op });
      });
      return `${[...lines, JSON.stringify({ done: true, steps: lines.length })].join('\n')}\n`;
    };
    expect(judge(cc, outcome(run('686921', '03000000')), witx).status).toBe('PASS');
    expect(judge(cc, outcome(run('686f21', '03000000')), witx)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output text: expected "hi!", observed "ho!"/) });
    expect(judge(cc, outcome(run('686921', '02000000')), witx)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/output text: expected "hi!", observed "hi"/) });
  });
});

describe('judge: a refusal the case accepts in place of the right answer', () => {
  const refusing: Case = {
    id: 'test.refusal',
    title: 't',
    spec: 's',
    steps: [
      { buffer: 'n', text: 'x' },
      { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'success', result: 'written', refusal: 'not_found' } },
      { call: 'compute', args: { ctx: 7 }, expect: { errno: 'success' } },
    ],
  };
  const rc = compileCase(refusing, { fixturesDir: FIXTURES_DIR, dialect: 'witx' });
  const run = (loadErrno: number, resultHex: string, computeErrno: number): string => printerFor(rc)(loadErrno, resultHex, computeErrno);

  it('passes on the refusal, says so, and judges nothing after it', () => {
    const v = judge(rc, outcome(run(8, 'aaaaaaaa', 1)), witx);
    expect(v.status).toBe('PASS');
    expect(v.message).toBe('step 1 refused (not_found (8)), which the case accepts in place of the right answer; nothing after it was judged');
    expect(v.checks.map((k) => k.what)).toEqual(['load_by_name errno']);
  });

  it('ignores a trap or crash after the refusal (the guest went on with a handle it never got), never a host bug', () => {
    const all = run(8, 'aaaaaaaa', 1).split('\n');
    const cut = all.slice(0, all.findIndex((l) => l.includes('"fn":"load_by_name"')) + 1).join('\n');
    expect(judge(rc, outcome(cut, { exitCode: 134, trap: 'wasm trap: unknown handle' }), witx).status).toBe('PASS');
    expect(judge(rc, outcome(cut, { exitCode: 101, crash: 'the runtime panicked' }), witx).status).toBe('PASS');
    expect(judge(rc, outcome(run(8, 'aaaaaaaa', 1), { hostBug: 'host bug in compute: x' }), witx).status).toBe('ERROR');
  });

  it('fails on any other errno, naming the refusal it would have taken', () => {
    const v = judge(rc, outcome(run(6, 'aaaaaaaa', 0)), witx);
    expect(v.status).toBe('FAIL');
    expect(v.message).toMatch(/^step 1 load_by_name errno: expected success, observed unsupported_operation \(6\)/);
  });

  it('judges every later step as usual when the call succeeds', () => {
    expect(judge(rc, outcome(run(0, '00000000', 0)), witx).status).toBe('PASS');
    const v = judge(rc, outcome(run(0, '00000000', 1)), witx);
    expect(v.status).toBe('FAIL');
    expect(v.message).toBe('step 2 compute errno: expected success, observed invalid_argument (1)');
  });

  it('refuses a refusal that is also an expected errno', () => {
    const bad: Case = { ...refusing, steps: [refusing.steps[0]!, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: ['success', 'not_found'], refusal: 'not_found' } }] };
    expect(() => compileCase(bad, { fixturesDir: FIXTURES_DIR, dialect: 'witx' })).toThrow(/expect.refusal/);
  });
});
