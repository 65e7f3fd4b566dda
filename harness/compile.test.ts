/**
 * The compiler per dialect: numbers from the dialect tables, WAMR's legacy layouts, and what a
 * dialect cannot express (DialectUnsupported, never a silent skip or a CompileError).
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, DIALECT_NAMES, type DialectName } from '../reference-host/abi/dialects.js';
import type { Case, Step } from './case-types.js';
import { CompileError, DialectUnsupported, compileCase, type CompiledCase } from './compile.js';
import { judge } from './judge.js';
import { FIXTURES_DIR } from './repo-paths.js';

const compile = (c: Case, dialect: DialectName) => compileCase(c, { fixturesDir: FIXTURES_DIR, dialect });
const kase = (steps: Step[], extra: Partial<Case> = {}): Case => ({ id: 'test.compile', title: 't', spec: 's', steps, ...extra });
const lines = (c: CompiledCase) => c.script.trim().split('\n');
const unsupported = (c: Case, dialect: DialectName): DialectUnsupported => {
  try {
    compile(c, dialect);
  } catch (e) {
    if (e instanceof DialectUnsupported) return e;
    throw e;
  }
  throw new Error(`compiled under ${dialect}`);
};

const loadAffine: Step[] = [
  { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
  { buffer: 'b', builders: ['m'] },
  { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g' },
];
const computed: Step[] = [
  ...loadAffine,
  { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
  { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
  { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } },
  { call: 'compute', args: { ctx: '$c' } },
];

describe('compileCase numbers', () => {
  it('numbers encodings, targets and tensor types from the dialect tables', () => {
    const c = kase([
      { buffer: 'm', hex: '00' },
      { buffer: 'b', builders: ['m'] },
      { call: 'load', args: { builders: '@b', encoding: 'autodetect', target: 'gpu' }, result: 'g', expect: { errno: ['invalid_encoding', 'invalid_argument'] } },
    ]);
    const u8 = kase([{ buffer: 't', tensor: { type: 'u8', dims: [2], values: [1, 2] } }]);
    const loadLine = (d: DialectName) => lines(compile(c, d)).find((l) => l.startsWith('call load'));
    const typeLine = (d: DialectName) => lines(compile(u8, d)).find((l) => l.startsWith('u32 t 8 '));
    expect(loadLine('witx')).toBe('call load @b 1 5 1 @g');
    expect(loadLine('wasmedge')).toBe('call load @b 1 5 1 @g');
    expect(loadLine('wamr')).toBe('call load @b 1 6 1 @g');
    expect(loadLine('wamr-legacy')).toBe('call load @.builder_array2 6 1 @g');
    expect(typeLine('witx')).toBe('u32 t 8 3');
    expect(typeLine('witx-2020')).toBe('u32 t 8 2');
    expect(typeLine('wamr-2.1')).toBe('u32 t 8 4');
  });

  it('keeps only the expected errnos a dialect has numbers for, and judges them by its numbers', () => {
    const c = kase([{ call: 'compute', args: { ctx: 7 }, expect: { errno: ['busy', 'not_found'] } }]);
    const witx = compile(c, 'witx');
    expect(witx.checks[0]).toMatchObject({ kind: 'errno', allowed: ['busy', 'not_found'] });
    const wamr21 = compile(c, 'wamr-2.1');
    expect(wamr21.checks[0]).toMatchObject({ kind: 'errno', allowed: ['not_found'] });
    const out = (errno: number) => ({ exitCode: 0, stderr: '', stdout: `${JSON.stringify({ step: 1, op: 'call', fn: 'compute', args: [7], errno })}\n{"done":true,"steps":1}\n` });
    expect(judge(wamr21, out(7), DIALECTS['wamr-2.1']).status).toBe('PASS');
    expect(judge(wamr21, out(8), DIALECTS['wamr-2.1'])).toMatchObject({ status: 'FAIL', message: 'step 0 compute errno: expected not_found, observed security (8)' });
    expect(judge(witx, out(8), DIALECTS.witx).status).toBe('PASS');
    expect(unsupported(kase([{ call: 'compute', args: { ctx: 7 }, expect: { errno: 'prompt_too_long' } }]), 'witx').message).toBe(
      'the witx dialect cannot express this case: it expects errno prompt_too_long, which has no number (at /steps/0/expect/errno)',
    );
  });

  it('picks the driver build of the dialect', () => {
    for (const d of DIALECT_NAMES) expect(compile(kase(loadAffine), d).guest).toBe(d);
  });
});

describe('compileCase for wamr-legacy', () => {
  it('passes the builders through a graph_builder_array struct and calls the 4-argument load', () => {
    const script = lines(compile(kase(loadAffine), 'wamr-legacy'));
    expect(script.slice(-5)).toEqual(['alloc .builder_array2 8 0', 'u32 .builder_array2 0 @b', 'u32 .builder_array2 4 1', 'call load @.builder_array2 1 0 @g', 'dump g 0 4']);
  });

  it('writes the 12-byte tensor with a tensor_dimensions struct and no data_len', () => {
    const script = lines(compile(kase(computed), 'wamr-legacy'));
    const at = script.indexOf('alloc t_dimstruct 8 0');
    expect(script.slice(at - 4, at + 7)).toEqual([
      'alloc t_dims 8 0',
      'hex t_dims 0 0100000004000000',
      'alloc t_data 16 0',
      expect.stringMatching(/^hex t_data 0 [0-9a-f]{32}$/),
      'alloc t_dimstruct 8 0',
      'u32 t_dimstruct 0 @t_dims',
      'u32 t_dimstruct 4 2',
      'alloc t 12 0',
      'u32 t 0 @t_dimstruct',
      'u32 t 4 1',
      'u32 t 8 @t_data',
    ]);
    // raw overrides land in the struct; a raw data_len has nowhere to go
    const raw = kase([...computed.slice(0, 4), { buffer: 'u', tensor: { golden: { model: 'affine_relu', input: 0 } }, raw: { dims_len: '0x40000000' } }]);
    expect(lines(compile(raw, 'wamr-legacy'))).toContain('u32 u_dimstruct 4 0x40000000');
    const dataLen = kase([...computed.slice(0, 4), { buffer: 'u', tensor: { golden: { model: 'affine_relu', input: 0 } }, raw: { data_len: 4 } }]);
    expect(unsupported(dataLen, 'wamr-legacy').reason).toBe('the legacy tensor has no data_len field (its data is product(dims) × 4 bytes)');
    expect(() => compile(dataLen, 'witx')).not.toThrow();
  });

  it('refuses tensors the legacy data length cannot describe', () => {
    const u8 = kase([{ buffer: 't', tensor: { type: 'u8', dims: [4], values: [1, 2, 3, 4] } }]);
    expect(unsupported(u8, 'wamr-legacy').reason).toBe('a u8 tensor: the legacy tensor carries product(dims) × 4 bytes, so only f32 and i32 tensors can be passed');
    const short = kase([{ buffer: 't', tensor: { type: 'f32', dims: [4], hex: '0000803f' } }]);
    expect(unsupported(short, 'wamr-legacy').reason).toBe('4 data bytes for dims [4]: the legacy tensor has no data_len, the host reads product(dims) × 4 bytes');
    const i64 = kase([{ buffer: 't', tensor: { type: 'i64', dims: [1], values: [1] } }]);
    expect(unsupported(i64, 'wamr-legacy').reason).toBe('tensor type i64 has no number');
  });

  it('presets get_output\'s in/out size to the capacity and reads results as f32 element counts', () => {
    const c = kase([
      ...computed,
      { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'small', size: 4 }, result: 'w', expect: { errno: 'too_large', result: 12, output: { unchanged: true } } },
      { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 16 }, result: 'w2', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } } },
    ]);
    const compiled = compile(c, 'wamr-legacy');
    const script = lines(compiled);
    const first = script.indexOf('alloc w 4 170');
    expect(script.slice(first, first + 5)).toEqual(['alloc w 4 170', 'alloc small 4 170', 'u32 w 0 4', 'call get_output $c 0 @small @w', 'dump w 0 4']);
    expect(compiled.checks.find((k) => k.kind === 'result')).toMatchObject({ expect: 3 }); // 12 bytes = 3 f32 elements
    expect(compiled.checks.find((k) => k.kind === 'output-tensor')).toMatchObject({ writtenUnit: 4 });
    expect(compile(c, 'witx').checks.find((k) => k.kind === 'result')).toMatchObject({ expect: 12 });

    const odd = kase([...computed, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 4 }, result: 'w', expect: { errno: 'too_large', result: 6 } }]);
    expect(unsupported(odd, 'wamr-legacy').reason).toBe('it expects 6 bytes written: the legacy get_output counts 4-byte elements');
    const text = kase([...computed, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 4 }, result: 'w', expect: { errno: 'success', output: { text: 'hi' } } }]);
    expect(unsupported(text, 'wamr-legacy').reason).toBe('it expects text: the legacy get_output returns f32 elements only');
  });

  it('judges "unchanged" against the preset capacity, and a written element count', () => {
    const c = kase([...computed, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 8 }, result: 'w', expect: { errno: 'runtime_error', result: 'unchanged' } }]);
    const compiled = compile(c, 'wamr-legacy');
    const script = lines(compiled);
    const stdout = (after: string) =>
      `${script
        .map((l, i) => {
          const step = i + 1;
          if (l.startsWith('call')) return JSON.stringify({ step, op: 'call', fn: l.split(' ')[1], args: [], errno: l.startsWith('call get_output') ? 5 : 0 });
          if (l === 'dump w 0 4') return JSON.stringify({ step, op: 'dump', name: 'w', offset: 0, hex: script.indexOf(l) === i && script[i - 1]?.startsWith('u32 w') ? '08000000' : after });
          if (l.startsWith('dump')) return JSON.stringify({ step, op: 'dump', name: l.split(' ')[1], offset: 0, hex: '00000000' });
          return JSON.stringify({ step, op: l.split(' ')[0] });
        })
        .join('\n')}\n{"done":true,"steps":${script.length}}\n`;
    expect(script.filter((l) => l === 'dump w 0 4')).toHaveLength(2); // before the call (the preset) and after
    expect(judge(compiled, { exitCode: 0, stderr: '', stdout: stdout('08000000') }, DIALECTS['wamr-legacy']).status).toBe('PASS');
    expect(judge(compiled, { exitCode: 0, stderr: '', stdout: stdout('02000000') }, DIALECTS['wamr-legacy'])).toMatchObject({ status: 'FAIL', message: 'step 7 result pointer: expected unchanged, observed 2' });
  });
});

describe('what a dialect cannot express', () => {
  it('is DialectUnsupported with the reason and pointer, never a CompileError', () => {
    const ggml = kase([{ buffer: 'm', hex: '00' }, { buffer: 'b', builders: ['m'] }, { call: 'load', args: { builders: '@b', encoding: 'ggml', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument' } }]);
    expect(unsupported(ggml, 'witx')).toMatchObject({ dialect: 'witx', reason: 'encoding ggml has no number', pointer: '/steps/2/args/encoding' });
    expect(unsupported(ggml, 'witx-2020').reason).toBe('encoding ggml has no number');
    for (const d of ['wasmedge', 'wamr', 'wamr-2.1', 'wamr-legacy'] as const) expect(() => compile(ggml, d)).not.toThrow();
    const auto = kase([...loadAffine.slice(0, 2), { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'auto' }, result: 'g' }]);
    expect(unsupported(auto, 'wamr').reason).toBe('target auto has no number');
    expect(() => compile(auto, 'wasmedge')).not.toThrow();
    const bf16 = kase([{ buffer: 't', tensor: { type: 'bf16', dims: [1], hex: '803f' } }]);
    expect(unsupported(bf16, 'witx').reason).toBe('tensor type bf16 has no number');
    expect(lines(compile(bf16, 'wamr-2.1'))).toContain('u32 t 8 3');
    const unload = kase([{ call: 'unload', args: { graph: 0 }, expect: { errno: 'invalid_argument' } }]);
    expect(unsupported(unload, 'wamr').reason).toMatch(/^it calls unload, which the wamr driver does not import \(it has load, /);
    expect(() => compile(unload, 'wasmedge')).not.toThrow();
    const config = kase([{ buffer: 'n', text: 'x' }, { buffer: 'j', text: '{}' }, { call: 'load_by_name_with_config', args: { name: '@n', config: '@j' }, result: 'g', expect: { errno: 'not_found' } }]);
    expect(unsupported(config, 'witx').reason).toMatch(/^it calls load_by_name_with_config/);
    expect(() => compile(config, 'wamr-2.1')).not.toThrow();
  });

  it('a mistake in the case stays a CompileError in every dialect', () => {
    const bad = kase([{ call: 'compute', args: { ctx: '$nope' } }]);
    for (const d of DIALECT_NAMES) expect(() => compile(bad, d)).toThrow(CompileError);
  });
});

describe('component dialects name inputs by the model\'s name', () => {
  const setInput = (fixtures: string[], encoding: string, index = 0): Case =>
    kase([
      ...fixtures.map((f, i): Step => ({ buffer: `m${i}`, fixture: f })),
      { buffer: 'b', builders: fixtures.map((_, i) => `m${i}`) },
      { call: 'load', args: { builders: '@b', encoding, target: 'cpu' }, result: 'g' },
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
      { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
      { call: 'set_input', args: { ctx: '$c', index, tensor: '@t' } },
    ]);
  it.each(['wit-2024-10-28', 'wit-2024-08-19'] as const)('%s: an ONNX or IR fixture with a golden file gets its input name before set_input', (dialect) => {
    for (const [fixtures, encoding] of [[['onnx/affine_relu.onnx'], 'onnx'], [['openvino/affine_relu.xml', 'openvino/affine_relu.bin'], 'openvino']] as const) {
      const l = lines(compile(setInput([...fixtures], encoding), dialect));
      const at = l.findIndex((x) => /^name \.input_name\d+$/.test(x));
      expect(at, l.join('\n')).toBeGreaterThan(0);
      // "X", the model's input, right before the call
      expect(l[at - 1]).toMatch(/^hex \.input_name\d+ 0 58$/);
      expect(l[at + 1]).toMatch(/^call set_input /);
    }
  });
  it('not for an index the golden does not name, an engine whose files carry no such names, or a core dialect', () => {
    const named = (c: Case, d: DialectName) => lines(compile(c, d)).some((x) => x.startsWith('name '));
    expect(named(setInput(['onnx/affine_relu.onnx'], 'onnx'), 'wit-2024-10-28')).toBe(true);
    expect(named(setInput(['onnx/affine_relu.onnx'], 'onnx', 1), 'wit-2024-10-28')).toBe(false);
    expect(named(setInput(['pytorch/affine_relu.pt'], 'pytorch'), 'wit-2024-10-28')).toBe(false);
    expect(named(setInput(['onnx/affine_relu.onnx'], 'onnx'), 'witx')).toBe(false);
  });
});
