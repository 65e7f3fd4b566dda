/**
 * Every op of the translator's registry on a small hand-written IR, run end to end (IR → ONNX →
 * onnxruntime-node) and compared with hand-computed values; plus the errors the front-end gives.
 */
import { describe, expect, it } from 'vitest';
import { decodeValues, encodeValues, erf } from '../../../fixtures/gen/evaluator.js';
import type { DType } from '../../../fixtures/gen/model-ir.js';
import { NnError } from '../../core/types.js';
import { OpenVinoBackend } from './openvino-backend.js';
import { parseIr } from './ir.js';
import { OP_TABLE } from './translate.js';

// ---------------------------------------------------------------- a tiny IR builder

interface LayerSpec {
  type: string;
  version?: string;
  data?: Record<string, string>;
  /** [layer index, output index] of each input */
  inputs?: [number, number][];
  /** dims of each input port (for ops that read the rank from the port) */
  inDims?: number[][];
  outputs?: number;
}

class Ir {
  layers: LayerSpec[] = [];
  private bin: Uint8Array[] = [];
  private size = 0;

  add(l: LayerSpec): number {
    this.layers.push(l);
    return this.layers.length - 1;
  }
  param(type: DType, dims: number[]): number {
    return this.add({ type: 'Parameter', data: { element_type: type, shape: dims.join(',') }, outputs: 1 });
  }
  const(type: DType, dims: number[], values: (number | bigint)[]): number {
    const bytes = encodeValues(type, values);
    const data = { element_type: type, shape: dims.join(','), offset: String(this.size), size: String(bytes.byteLength) };
    this.bin.push(bytes);
    this.size += bytes.byteLength;
    return this.add({ type: 'Const', data, outputs: 1 });
  }
  op(type: string, inputs: number[], data?: Record<string, string>, extra: Partial<LayerSpec> = {}): number {
    return this.add({ type, inputs: inputs.map((i) => [i, 0]), outputs: 1, ...(data ? { data } : {}), ...extra });
  }
  result(src: number): void {
    this.add({ type: 'Result', inputs: [[src, 0]] });
  }
  build(version = '11'): { xml: Uint8Array; bin: Uint8Array } {
    const edges: string[] = [];
    const layerXml = this.layers.map((l, id) => {
      const ins = l.inputs ?? [];
      ins.forEach(([src, out], port) => {
        const srcPort = (this.layers[src]!.inputs ?? []).length + out;
        edges.push(`<edge from-layer="${src}" from-port="${srcPort}" to-layer="${id}" to-port="${port}"/>`);
      });
      const data = l.data ? `<data ${Object.entries(l.data).map(([k, v]) => `${k}="${v}"`).join(' ')}/>` : '';
      const dims = (d: number[] | undefined) => (d ?? []).map((x) => `<dim>${x}</dim>`).join('');
      const input = ins.length ? `<input>${ins.map((_, p) => `<port id="${p}">${dims(l.inDims?.[p])}</port>`).join('')}</input>` : '';
      const n = l.outputs ?? 0;
      const output = n ? `<output>${Array.from({ length: n }, (_, k) => `<port id="${ins.length + k}" precision="FP32"/>`).join('')}</output>` : '';
      return `<layer id="${id}" name="l${id}" type="${l.type}" version="${l.version ?? 'opset1'}">${data}${input}${output}</layer>`;
    });
    const xml = `<?xml version="1.0"?>\n<net name="t" version="${version}"><layers>${layerXml.join('\n')}</layers><edges>${edges.join('')}</edges></net>`;
    const bin = new Uint8Array(this.size);
    let o = 0;
    for (const b of this.bin) {
      bin.set(b, o);
      o += b.byteLength;
    }
    return { xml: new TextEncoder().encode(xml), bin };
  }
}

const backend = new OpenVinoBackend();

interface In {
  type: DType;
  dims: number[];
  values: (number | bigint)[];
}

function run(ir: Ir, inputs: In[], version?: string): { type: string; dims: number[]; values: (number | bigint)[] }[] {
  const { xml, bin } = ir.build(version);
  const graph = backend.load([xml, bin], 'cpu');
  const ctx = graph.initExecutionContext();
  inputs.forEach((t, i) => ctx.setInput(i, { type: t.type, dims: t.dims, data: encodeValues(t.type, t.values) }));
  ctx.compute();
  const outs = [];
  for (let i = 0; ; i++) {
    try {
      const o = ctx.getOutput(i);
      outs.push({ type: o.type, dims: o.dims, values: [...decodeValues(o.type as DType, o.data)] });
    } catch {
      break;
    }
  }
  graph.dispose();
  return outs;
}

function close(actual: (number | bigint)[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(Number(a) - expected[i]!), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(expected[i]!)));
}

/** One IR with a single op on f32 inputs → its single output. */
function single(type: string, inputs: In[], data?: Record<string, string>, extra: Partial<LayerSpec> & { consts?: In[] } = {}) {
  const ir = new Ir();
  const ps = inputs.map((t) => ir.param(t.type, t.dims));
  const cs = (extra.consts ?? []).map((c) => ir.const(c.type, c.dims, c.values));
  const { consts: _c, ...rest } = extra;
  const op = ir.op(type, [...ps, ...cs], data, rest);
  ir.result(op);
  return run(ir, inputs)[0]!;
}

const f32 = (dims: number[], values: number[]): In => ({ type: 'f32', dims, values });
const i32 = (dims: number[], values: number[]): In => ({ type: 'i32', dims, values });
const i64 = (dims: number[], values: number[]): In => ({ type: 'i64', dims, values: values.map(BigInt) });

/** One op with its input ports' dims filled in from the inputs and Consts; all `nOut` outputs become Results. */
function opOuts(type: string, inputs: In[], data: Record<string, string> | undefined, nOut: number, extra: Partial<LayerSpec> & { consts?: In[] } = {}) {
  const ir = new Ir();
  const ps = inputs.map((t) => ir.param(t.type, t.dims));
  const consts = extra.consts ?? [];
  const cs = consts.map((c) => ir.const(c.type, c.dims, c.values));
  const { consts: _c, ...rest } = extra;
  const op = ir.op(type, [...ps, ...cs], data, { inDims: [...inputs, ...consts].map((t) => t.dims), outputs: nOut, ...rest });
  for (let k = 0; k < nOut; k++) ir.add({ type: 'Result', inputs: [[op, k]] });
  return run(ir, inputs);
}
const op1 = (type: string, inputs: In[], data?: Record<string, string>, extra: Partial<LayerSpec> & { consts?: In[] } = {}) => opOuts(type, inputs, data, 1, extra)[0]!;
const map = (xs: number[], f: (x: number) => number) => xs.map(f);
/**
 * wasi-nn has no boolean tensor type: a boolean op is tested between Converts, u8 inputs → boolean
 * (when `boolInputs`) → the op → u8 output.
 */
function boolOp(type: string, inputs: In[], boolInputs: boolean): (number | bigint)[] {
  const ir = new Ir();
  const ins = inputs.map((t) => {
    const p = ir.param(t.type, t.dims);
    return boolInputs ? ir.op('Convert', [p], { destination_type: 'boolean' }, { inDims: [t.dims] }) : p;
  });
  const op = ir.op(type, ins, undefined, { inDims: inputs.map((t) => t.dims) });
  ir.result(ir.op('Convert', [op], { destination_type: 'u8' }));
  return run(ir, inputs)[0]!.values;
}
const u8 = (dims: number[], values: number[]): In => ({ type: 'u8', dims, values });
const X = [-2.5, -1, -0.5, 0, 0.5, 1.5, 2.5, 3];

const EXTENDED_TESTS: Record<string, () => void> = {
  Elu: () => close(op1('Elu', [f32([8], X)], { alpha: '0.5' }).values, map(X, (x) => (x > 0 ? x : 0.5 * (Math.exp(x) - 1)))),
  HSwish: () => close(op1('HSwish', [f32([8], X)], undefined, { version: 'opset4' }).values, map(X, (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6)),
  HSigmoid: () => close(op1('HSigmoid', [f32([8], X)], undefined, { version: 'opset5' }).values, map(X, (x) => Math.min(Math.max(x + 3, 0), 6) / 6)),
  Swish: () => {
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    close(op1('Swish', [f32([8], X)], undefined, { version: 'opset4' }).values, map(X, (x) => x * sig(x)));
    close(op1('Swish', [f32([8], X)], undefined, { version: 'opset4', consts: [f32([], [2])] }).values, map(X, (x) => x * sig(2 * x)));
  },
  Mish: () => close(op1('Mish', [f32([8], X)], undefined, { version: 'opset4' }).values, map(X, (x) => x * Math.tanh(Math.log1p(Math.exp(x))))),
  SoftPlus: () => close(op1('SoftPlus', [f32([8], X)], undefined, { version: 'opset4' }).values, map(X, (x) => Math.log1p(Math.exp(x)))),
  Gelu: () => {
    close(op1('Gelu', [f32([8], X)], undefined, { version: 'opset2' }).values, map(X, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))));
    const tanhGelu = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    close(op1('Gelu', [f32([8], X)], { approximation_mode: 'tanh' }, { version: 'opset7' }).values, map(X, tanhGelu));
  },
  HardSigmoid: () => close(op1('HardSigmoid', [f32([8], X)], undefined, { consts: [f32([], [0.2]), f32([], [0.5])] }).values, map(X, (x) => Math.max(0, Math.min(1, 0.2 * x + 0.5)))),
  Selu: () => {
    const [a, l] = [1.6732632, 1.0507010];
    close(op1('Selu', [f32([8], X)], undefined, { consts: [f32([], [a]), f32([], [l])] }).values, map(X, (x) => l * (x > 0 ? x : a * Math.expm1(x))));
  },
  SoftSign: () => close(op1('SoftSign', [f32([8], X)], undefined, { version: 'opset9' }).values, map(X, (x) => x / (1 + Math.abs(x)))),
  Sin: () => close(op1('Sin', [f32([8], X)]).values, map(X, Math.sin)),
  Cos: () => close(op1('Cos', [f32([8], X)]).values, map(X, Math.cos)),
  ConvertLike: () => expect(op1('ConvertLike', [f32([3], [1.7, -2.5, 3])], undefined, { consts: [i32([1], [0])] })).toMatchObject({ type: 'i32', values: [1, -2, 3] }),
  ConvolutionBackpropData: () => {
    const x = f32([1, 1, 2, 2], [1, 2, 3, 4]);
    const ones = f32([1, 1, 2, 2], [1, 1, 1, 1]);
    // stride 2: every input value fills its own 2×2 block
    const up = op1('ConvolutionBackpropData', [x], { strides: '2,2', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0' }, { consts: [ones] });
    expect(up.dims).toEqual([1, 1, 4, 4]);
    close(up.values, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // stride 1: overlapping sums; padding 1 on both sides keeps the centre
    close(op1('ConvolutionBackpropData', [x], { strides: '1,1', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0' }, { consts: [ones] }).values, [1, 3, 2, 4, 10, 6, 3, 7, 4]);
    close(op1('ConvolutionBackpropData', [x], { strides: '1,1', dilations: '1,1', pads_begin: '1,1', pads_end: '1,1' }, { consts: [ones] }).values, [10]);
    // output_padding adds a row and a column at the end
    expect(op1('ConvolutionBackpropData', [x], { strides: '2,2', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0', output_padding: '1,1' }, { consts: [ones] }).dims).toEqual([1, 1, 5, 5]);
  },
  GroupConvolutionBackpropData: () => {
    // 2 groups of one channel: channel 0 × 2, channel 1 × 3, each 1×1 kernel at stride 1
    const x = f32([1, 2, 1, 2], [1, 2, 3, 4]);
    const w = f32([2, 1, 1, 1, 1], [2, 3]);
    const o = op1('GroupConvolutionBackpropData', [x], { strides: '1,1', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0' }, { consts: [w] });
    expect(o.dims).toEqual([1, 2, 1, 2]);
    close(o.values, [2, 4, 9, 12]);
  },
  Erf: () => close(op1('Erf', [f32([8], X)]).values, map(X, erf)),
  Sqrt: () => close(op1('Sqrt', [f32([3], [0, 2, 9])]).values, [0, Math.SQRT2, 3]),
  Exp: () => close(op1('Exp', [f32([8], X)]).values, map(X, Math.exp)),
  Log: () => close(op1('Log', [f32([3], [1, 2, 10])]).values, [0, Math.LN2, Math.LN10]),
  Abs: () => expect(op1('Abs', [i32([3], [-4, 0, 5])]).values).toEqual([4, 0, 5]),
  Negative: () => close(op1('Negative', [f32([8], X)]).values, map(X, (x) => -x)),
  Sign: () => close(op1('Sign', [f32([8], X)]).values, map(X, Math.sign)),
  Floor: () => close(op1('Floor', [f32([8], X)]).values, map(X, Math.floor)),
  Ceiling: () => close(op1('Ceiling', [f32([8], X)]).values, map(X, Math.ceil)),
  Round: () => {
    close(op1('Round', [f32([8], X)], { mode: 'half_to_even' }, { version: 'opset5' }).values, [-2, -1, -0, 0, 0, 2, 2, 3]);
    close(op1('Round', [f32([8], X)], { mode: 'half_away_from_zero' }, { version: 'opset5' }).values, [-3, -1, -1, 0, 1, 2, 3, 3]);
  },
  Power: () => close(op1('Power', [f32([3], [2, 3, 4]), f32([1], [2])]).values, [4, 9, 16]),
  Maximum: () => expect(op1('Maximum', [i32([3], [1, 5, -2]), i32([3], [3, 4, -1])]).values).toEqual([3, 5, -1]),
  Minimum: () => expect(op1('Minimum', [i32([3], [1, 5, -2]), i32([3], [3, 4, -1])]).values).toEqual([1, 4, -2]),
  SquaredDifference: () => close(op1('SquaredDifference', [f32([3], [1, 5, -2]), f32([3], [3, 4, 2])]).values, [4, 1, 16]),
  FloorMod: () => {
    expect(op1('FloorMod', [i32([4], [7, -7, 7, -7]), i32([4], [3, 3, -3, -3])]).values).toEqual([1, 2, -2, -1]);
    close(op1('FloorMod', [f32([2], [5.5, -5.5]), f32([2], [2, 2])]).values, [1.5, 0.5]);
  },
  Mod: () => expect(op1('Mod', [i32([4], [7, -7, 7, -7]), i32([4], [3, 3, -3, -3])]).values).toEqual([1, -1, 1, -1]),
  Equal: () => expect(boolOp('Equal', [i32([3], [1, 2, 3]), i32([3], [1, 0, 3])], false)).toEqual([1, 0, 1]),
  NotEqual: () => expect(boolOp('NotEqual', [i32([3], [1, 2, 3]), i32([3], [1, 0, 3])], false)).toEqual([0, 1, 0]),
  Less: () => expect(boolOp('Less', [f32([3], [1, 2, 3]), f32([1], [2])], false)).toEqual([1, 0, 0]),
  LessEqual: () => expect(boolOp('LessEqual', [f32([3], [1, 2, 3]), f32([1], [2])], false)).toEqual([1, 1, 0]),
  Greater: () => expect(boolOp('Greater', [f32([3], [1, 2, 3]), f32([1], [2])], false)).toEqual([0, 0, 1]),
  GreaterEqual: () => expect(boolOp('GreaterEqual', [f32([3], [1, 2, 3]), f32([1], [2])], false)).toEqual([0, 1, 1]),
  LogicalAnd: () => expect(boolOp('LogicalAnd', [u8([4], [0, 0, 1, 1]), u8([4], [0, 1, 0, 1])], true)).toEqual([0, 0, 0, 1]),
  LogicalOr: () => expect(boolOp('LogicalOr', [u8([4], [0, 0, 1, 1]), u8([4], [0, 1, 0, 1])], true)).toEqual([0, 1, 1, 1]),
  LogicalXor: () => expect(boolOp('LogicalXor', [u8([4], [0, 0, 1, 1]), u8([4], [0, 1, 0, 1])], true)).toEqual([0, 1, 1, 0]),
  LogicalNot: () => expect(boolOp('LogicalNot', [u8([2], [0, 1])], true)).toEqual([1, 0]),
  Select: () => {
    const ir = new Ir();
    const c = ir.op('Convert', [ir.param('u8', [3])], { destination_type: 'boolean' });
    const sel = ir.op('Select', [c, ir.param('f32', [3]), ir.param('f32', [1])], undefined, { inDims: [[3], [3], [1]] });
    ir.result(sel);
    close(run(ir, [u8([3], [1, 0, 1]), f32([3], [1, 2, 3]), f32([1], [-1])])[0]!.values, [1, -1, 3]);
  },
  PRelu: () => {
    // a per-channel slope on NCHW: channel 0 × 0.1, channel 1 × 0.5
    const x = f32([1, 2, 1, 2], [-1, 2, -4, 8]);
    close(op1('PRelu', [x], undefined, { consts: [f32([2], [0.1, 0.5])] }).values, [-0.1, 2, -2, 8]);
  },
  FakeQuantize: () => {
    // 256 levels over [0, 2.55] → steps of 0.01; values below/above the range clamp to the output range
    const xs = [-1, 0, 0.014, 0.016, 1.234, 2.55, 3];
    const consts = [f32([], [0]), f32([], [2.55]), f32([], [0]), f32([], [2.55])];
    close(op1('FakeQuantize', [f32([7], xs)], { levels: '256', auto_broadcast: 'numpy' }, { consts }).values, [0, 0, 0.01, 0.02, 1.23, 2.55, 2.55]);
    // levels 2 (binarization) with another output range
    const bin = [f32([], [0]), f32([], [1]), f32([], [-1]), f32([], [1])];
    close(op1('FakeQuantize', [f32([4], [0.2, 0.6, -5, 5])], { levels: '2' }, { consts: bin }).values, [-1, 1, -1, 1]);
  },
  StridedSlice: () => {
    const x = f32([3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // rows 1.., every 2nd column from 0; begin_mask ignores the column begin
    const o = op1('StridedSlice', [x], { begin_mask: '0,1', end_mask: '1,1' }, { consts: [i64([2], [1, 5]), i64([2], [0, 0]), i64([2], [1, 2])] });
    expect(o.dims).toEqual([2, 2]);
    close(o.values, [4, 6, 8, 10]);
    // reversed columns of row 2, the row axis shrunk
    const r = op1('StridedSlice', [x], { begin_mask: '0,1', end_mask: '0,1', shrink_axis_mask: '1,0' }, { consts: [i32([2], [2, 0]), i32([2], [3, 0]), i32([2], [1, -1])] });
    expect(r.dims).toEqual([4]);
    close(r.values, [11, 10, 9, 8]);
  },
  Slice: () => {
    const x = f32([2, 5], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const o = op1('Slice', [x], undefined, { version: 'opset8', consts: [i64([1], [1]), i64([1], [100]), i64([1], [2]), i64([1], [1])] });
    expect(o.dims).toEqual([2, 2]);
    close(o.values, [1, 3, 6, 8]);
  },
  Interpolate: () => {
    const x = f32([1, 1, 2, 2], [1, 2, 3, 4]);
    // v4 nearest ×2 by sizes (asymmetric, floor): every value repeated 2×2
    const near = op1('Interpolate', [x], { mode: 'nearest', shape_calculation_mode: 'sizes', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, {
      version: 'opset4',
      consts: [i32([2], [4, 4]), f32([2], [2, 2]), i64([2], [2, 3])],
    });
    expect(near.dims).toEqual([1, 1, 4, 4]);
    close(near.values, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    // v11 linear_onnx by scales, align_corners: 2 → 3 along the last axis gives the midpoints
    const lin = op1('Interpolate', [x], { mode: 'linear_onnx', shape_calculation_mode: 'scales', coordinate_transformation_mode: 'align_corners' }, {
      version: 'opset11',
      consts: [f32([1], [1.5]), i64([1], [3])],
    });
    expect(lin.dims).toEqual([1, 1, 2, 3]);
    close(lin.values, [1, 1.5, 2, 3, 3.5, 4]);
    // v1 nearest to [4, 4] on axes 2,3
    const v1 = op1('Interpolate', [x], { axes: '2,3', mode: 'nearest', align_corners: '0', antialias: '0', pads_begin: '0', pads_end: '0' }, { consts: [i64([2], [4, 4])] });
    close(v1.values, [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  },
  Pad: () => {
    const x = f32([2, 2], [1, 2, 3, 4]);
    const c = op1('Pad', [x], { pad_mode: 'constant' }, { consts: [i64([2], [0, 1]), i64([2], [1, 0]), f32([], [9])] });
    expect(c.dims).toEqual([3, 3]);
    close(c.values, [9, 1, 2, 9, 3, 4, 9, 9, 9]);
    close(op1('Pad', [x], { pad_mode: 'edge' }, { consts: [i64([2], [0, 1]), i64([2], [0, 1])] }).values, [1, 1, 2, 2, 3, 3, 4, 4]);
    close(op1('Pad', [f32([1, 3], [1, 2, 3])], { pad_mode: 'reflect' }, { consts: [i64([2], [0, 2]), i64([2], [0, 0])] }).values, [3, 2, 1, 2, 3]);
  },
  Split: () => {
    const outs = opOuts('Split', [f32([2, 4], [0, 1, 2, 3, 4, 5, 6, 7])], { num_splits: '2' }, 2, { consts: [i64([], [1])] });
    close(outs[0]!.values, [0, 1, 4, 5]);
    close(outs[1]!.values, [2, 3, 6, 7]);
  },
  VariadicSplit: () => {
    const outs = opOuts('VariadicSplit', [f32([5], [0, 1, 2, 3, 4])], undefined, 2, { consts: [i64([], [0]), i64([2], [-1, 2])] });
    close(outs[0]!.values, [0, 1, 2]);
    close(outs[1]!.values, [3, 4]);
  },
  Broadcast: () => {
    const numpy = op1('Broadcast', [f32([3], [1, 2, 3])], { mode: 'numpy' }, { consts: [i64([2], [2, 3])] });
    expect(numpy.dims).toEqual([2, 3]);
    close(numpy.values, [1, 2, 3, 1, 2, 3]);
    // explicit: the 2 values map to axis 0 of a [2, 3] result
    const explicit = op1('Broadcast', [f32([2], [1, 2])], { mode: 'explicit' }, { consts: [i64([2], [2, 3]), i64([1], [0])] });
    close(explicit.values, [1, 1, 1, 2, 2, 2]);
    const bi = op1('Broadcast', [f32([2, 1], [1, 2])], { mode: 'bidirectional' }, { version: 'opset3', consts: [i64([1], [3])] });
    expect(bi.dims).toEqual([2, 3]);
  },
  Tile: () => {
    const t = op1('Tile', [f32([2], [1, 2])], undefined, { consts: [i64([2], [2, 2])] });
    expect(t.dims).toEqual([2, 4]);
    close(t.values, [1, 2, 1, 2, 1, 2, 1, 2]);
    expect(op1('Tile', [f32([1, 2], [1, 2])], undefined, { consts: [i64([1], [3])] }).dims).toEqual([1, 6]);
  },
  TopK: () => {
    const [v, i] = opOuts('TopK', [f32([5], [3, 9, 1, 7, 5])], { axis: '0', mode: 'max', sort: 'value' }, 2, { consts: [i64([], [2])] });
    close(v!.values, [9, 7]);
    expect(i).toMatchObject({ type: 'i32', values: [1, 3] });
    const [vm, im] = opOuts('TopK', [f32([5], [3, 9, 1, 7, 5])], { axis: '-1', mode: 'min', sort: 'value', index_element_type: 'i64' }, 2, { version: 'opset3', consts: [i32([], [3])] });
    close(vm!.values, [1, 3, 5]);
    expect(im).toMatchObject({ type: 'i64', values: [2n, 0n, 4n] });
  },
  Range: () => {
    expect(op1('Range', [i64([], [2])], { output_type: 'i32' }, { version: 'opset4', consts: [i64([], [11]), i64([], [3])] })).toMatchObject({ type: 'i32', values: [2, 5, 8] });
    close(op1('Range', [f32([], [0])], undefined, { consts: [f32([], [1]), f32([], [0.25])] }).values, [0, 0.25, 0.5, 0.75]);
  },
  ScatterUpdate: () => {
    const x = f32([3, 2], [0, 0, 0, 0, 0, 0]);
    const o = op1('ScatterUpdate', [x], undefined, { version: 'opset3', consts: [i32([2], [2, 0]), f32([2, 2], [1, 2, 3, 4]), i64([], [0])] });
    close(o.values, [3, 4, 0, 0, 1, 2]);
  },
  DepthToSpace: () => {
    const x = f32([1, 4, 1, 1], [1, 2, 3, 4]);
    const o = op1('DepthToSpace', [x], { block_size: '2', mode: 'blocks_first' });
    expect(o.dims).toEqual([1, 1, 2, 2]);
    close(o.values, [1, 2, 3, 4]);
    // depth_first on 2 channels × 4: channel-major order
    const y = f32([1, 8, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8]);
    close(op1('DepthToSpace', [y], { block_size: '2', mode: 'depth_first' }).values, [1, 2, 3, 4, 5, 6, 7, 8]);
    close(op1('DepthToSpace', [y], { block_size: '2', mode: 'blocks_first' }).values, [1, 3, 5, 7, 2, 4, 6, 8]);
  },
  SpaceToDepth: () => {
    const o = op1('SpaceToDepth', [f32([1, 1, 2, 2], [1, 2, 3, 4])], { block_size: '2', mode: 'blocks_first' });
    expect(o.dims).toEqual([1, 4, 1, 1]);
    close(o.values, [1, 2, 3, 4]);
  },
  ShuffleChannels: () => {
    const o = op1('ShuffleChannels', [f32([1, 6, 1, 1], [0, 1, 2, 3, 4, 5])], { axis: '1', group: '2' });
    close(o.values, [0, 3, 1, 4, 2, 5]);
  },
  ReduceMax: () => close(op1('ReduceMax', [f32([2, 3], [1, 5, 2, 7, 0, 3])], { keep_dims: 'false' }, { consts: [i64([1], [1])] }).values, [5, 7]),
  ReduceMin: () => close(op1('ReduceMin', [f32([2, 3], [1, 5, 2, 7, 0, 3])], { keep_dims: 'true' }, { consts: [i64([1], [0])] }).values, [1, 0, 2]),
  ReduceSum: () => expect(op1('ReduceSum', [i32([2, 3], [1, 5, 2, 7, 0, 3])], undefined, { consts: [i64([2], [0, 1])] }).values).toEqual([18]),
  ReduceProd: () => close(op1('ReduceProd', [f32([2, 2], [1, 2, 3, 4])], undefined, { consts: [i64([1], [-1])] }).values, [2, 12]),
  ReduceL1: () => close(op1('ReduceL1', [f32([2, 2], [1, -2, 3, -4])], undefined, { version: 'opset4', consts: [i64([1], [1])] }).values, [3, 7]),
  ReduceL2: () => close(op1('ReduceL2', [f32([2, 2], [3, -4, 6, 8])], undefined, { version: 'opset4', consts: [i64([1], [1])] }).values, [5, 10]),
  LogSoftmax: () => {
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    close(op1('LogSoftmax', [f32([1, 3], [1, 2, 3])], { axis: '-1' }, { version: 'opset5' }).values, [1 - lse, 2 - lse, 3 - lse]);
  },
  NormalizeL2: () => {
    close(op1('NormalizeL2', [f32([2, 2], [3, 4, 6, 8])], { eps: '0', eps_mode: 'add' }, { consts: [i64([1], [1])] }).values, [0.6, 0.8, 0.6, 0.8]);
    // max mode: a tiny vector is divided by sqrt(eps)
    close(op1('NormalizeL2', [f32([2], [0.001, 0])], { eps: '1', eps_mode: 'max' }, { consts: [i64([1], [0])] }).values, [0.001, 0]);
  },
  MVN: () => {
    // per row of a [1, 2, 2] tensor over axes 2: (x - mean) / sqrt(var + eps)
    const x = f32([1, 2, 2], [1, 3, 10, 14]);
    close(op1('MVN', [x], { normalize_variance: 'true', eps: '0', eps_mode: 'inside_sqrt' }, { version: 'opset6', consts: [i64([1], [2])] }).values, [-1, 1, -1, 1]);
    close(op1('MVN', [x], { normalize_variance: 'false', eps: '0' }, { version: 'opset6', consts: [i64([1], [2])] }).values, [-1, 1, -2, 2]);
    // opset1 across_channels: one mean 7 and variance 27.5 over everything but the batch
    const sd = Math.sqrt(27.5 + 1e-9);
    close(op1('MVN', [x], { across_channels: 'true', normalize_variance: 'true', eps: '1e-9' }).values, [1, 3, 10, 14].map((v) => (v - 7) / sd));
    close(op1('MVN', [x], { normalize_variance: 'true', eps: '1', eps_mode: 'outside_sqrt' }, { version: 'opset6', consts: [i64([1], [2])] }).values, [-0.5, 0.5, -2 / 3, 2 / 3]);
  },
  LRN: () => {
    // 3 channels, size 3: y_c = x_c / (bias + alpha/size · Σ x²)^beta over c-1..c+1
    const xs = [1, 2, 3];
    const sq = [1 + 4, 1 + 4 + 9, 4 + 9];
    const expected = xs.map((x, c) => x / (1 + (0.3 / 3) * sq[c]!) ** 0.75);
    close(op1('LRN', [f32([1, 3, 1, 1], xs)], { alpha: '0.3', beta: '0.75', bias: '1', size: '3' }, { consts: [i64([1], [1])] }).values, expected);
  },
  BatchNormInference: () => {
    const x = f32([1, 2, 1, 2], [1, 2, 3, 4]);
    const consts = [f32([2], [2, 1]), f32([2], [0, 10]), f32([2], [1, 3]), f32([2], [4, 1])];
    const eps = 1e-5;
    const expected = [(1 - 1) * 2 / Math.sqrt(4 + eps), (2 - 1) * 2 / Math.sqrt(4 + eps), 10 + (3 - 3) / Math.sqrt(1 + eps), 10 + (4 - 3) / Math.sqrt(1 + eps)];
    close(op1('BatchNormInference', [x], { epsilon: String(eps) }, { version: 'opset5', consts }).values, expected);
  },
};

// ---------------------------------------------------------------- every op

const OP_TESTS: Record<string, () => void> = {
  Parameter: () => {
    // a dynamic dim written "?" and one written -1
    const ir = new Ir();
    const p = ir.add({ type: 'Parameter', data: { element_type: 'f32', shape: '?,-1' }, outputs: 1 });
    ir.result(ir.op('ReLU', [p]));
    const [o] = run(ir, [f32([1, 3], [-1, 0, 2])]);
    expect(o!.dims).toEqual([1, 3]);
    close(o!.values, [0, 0, 2]);
  },
  Const: () => {
    const ir = new Ir();
    const p = ir.param('i64', [2]);
    const c = ir.const('i64', [2], [5000000000n, -7n]);
    ir.result(ir.op('Add', [p, c]));
    expect(run(ir, [i64([2], [1, 2])])[0]!.values).toEqual([5000000001n, -5n]);
  },
  Result: () => {
    // two Results fed by the same value, in layer order
    const ir = new Ir();
    const p = ir.param('f32', [2]);
    const r = ir.op('ReLU', [p]);
    ir.result(r);
    ir.result(p);
    const outs = run(ir, [f32([2], [-1, 3])]);
    expect(outs.length).toBe(2);
    close(outs[0]!.values, [0, 3]);
    close(outs[1]!.values, [-1, 3]);
  },
  Convert: () => {
    const o = single('Convert', [f32([3], [1.7, -2.5, 3])], { destination_type: 'i32' });
    expect(o.type).toBe('i32');
    expect(o.values).toEqual([1, -2, 3]);
  },
  Add: () => close(single('Add', [f32([2], [6, -7]), f32([2], [4, 2])]).values, [10, -5]),
  Subtract: () => close(single('Subtract', [f32([2], [6, -7]), f32([2], [4, 2])], { auto_broadcast: 'numpy' }).values, [2, -9]),
  Multiply: () => close(single('Multiply', [f32([2, 2], [1, 2, 3, 4]), f32([2], [10, 100])]).values, [10, 200, 30, 400]),
  Divide: () => {
    close(single('Divide', [f32([2], [6, -7]), f32([2], [4, 2])]).values, [1.5, -3.5]);
    // integers: floor division by default (m_pythondiv), truncation without it
    expect(single('Divide', [i32([4], [7, -7, 7, -7]), i32([4], [2, 2, -2, -2])]).values).toEqual([3, -4, -4, 3]);
    expect(single('Divide', [i32([4], [7, -7, 7, -7]), i32([4], [2, 2, -2, -2])], { m_pythondiv: 'false' }).values).toEqual([3, -3, -3, 3]);
  },
  MatMul: () => {
    const a = [1, 2, 3, 4, 5, 6]; // [2,3]
    const b = [1, 0, -1, 2, 1, 0]; // [2,3]
    // A·Bᵀ: [[1-3, 2+2],[4-6, 8+5]]
    const o = single('MatMul', [f32([2, 3], a), f32([2, 3], b)], { transpose_a: 'false', transpose_b: 'true' }, { inDims: [[2, 3], [2, 3]] });
    expect(o.dims).toEqual([2, 2]);
    close(o.values, [-2, 4, -2, 13]);
    // Aᵀ·B: [3,3]
    const t = single('MatMul', [f32([2, 3], a), f32([2, 3], b)], { transpose_a: 'true', transpose_b: 'false' }, { inDims: [[2, 3], [2, 3]] });
    expect(t.dims).toEqual([3, 3]);
    close(t.values, [1 + 8, 0 + 4, -1 + 0, 2 + 10, 0 + 5, -2 + 0, 3 + 12, 0 + 6, -3 + 0]);
  },
  Convolution: () => {
    const x = f32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ones = { type: 'f32' as const, dims: [1, 1, 2, 2], values: [1, 1, 1, 1] };
    const o = single('Convolution', [x], { strides: '1,1', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0', auto_pad: 'explicit' }, { consts: [ones] });
    expect(o.dims).toEqual([1, 1, 2, 2]);
    close(o.values, [12, 16, 24, 28]);
    // explicit padding 1 at the end, stride 2: windows at (0,0) (0,2) (2,0) (2,2)
    const p = single('Convolution', [x], { strides: '2,2', dilations: '1,1', pads_begin: '0,0', pads_end: '1,1' }, { consts: [ones] });
    close(p.values, [12, 9, 15, 9]);
    // same_upper keeps the size
    expect(single('Convolution', [x], { strides: '1,1', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0', auto_pad: 'same_upper' }, { consts: [ones] }).dims).toEqual([1, 1, 3, 3]);
  },
  GroupConvolution: () => {
    const x = f32([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const w = { type: 'f32' as const, dims: [2, 1, 1, 1, 1], values: [2, 3] };
    const o = single('GroupConvolution', [x], { strides: '1,1', dilations: '1,1', pads_begin: '0,0', pads_end: '0,0', auto_pad: 'explicit' }, { consts: [w] });
    expect(o.dims).toEqual([1, 2, 2, 2]);
    close(o.values, [2, 4, 6, 8, 15, 18, 21, 24]);
  },
  MaxPool: () => {
    const x = f32([1, 1, 3, 3], [1, 9, 2, 4, 3, 8, 5, 6, 7]);
    const data = { kernel: '2,2', strides: '1,1', pads_begin: '0,0', pads_end: '0,0', rounding_type: 'floor', auto_pad: 'explicit' };
    close(single('MaxPool', [x], data).values, [9, 9, 6, 8]);
    // opset8: two outputs, the indices one unused; ceil rounding with stride 2 gives 2×2
    const o8 = single('MaxPool', [x], { ...data, strides: '2,2', rounding_type: 'ceil', dilations: '1,1' }, { version: 'opset8', outputs: 2 });
    close(o8.values, [9, 8, 6, 7]);
  },
  AvgPool: () => {
    const x = f32([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const data = { kernel: '2,2', strides: '1,1', pads_begin: '0,0', pads_end: '0,0', 'exclude-pad': 'true', auto_pad: 'explicit' };
    close(single('AvgPool', [x], data).values, [3, 4, 6, 7]);
    // padding 1 in front, stride 3: the corner window holds 1 real value
    const padded = { ...data, strides: '3,3', pads_begin: '1,1' };
    close(single('AvgPool', [x], padded).values, [1]);
    close(single('AvgPool', [x], { ...padded, 'exclude-pad': 'false' }).values, [0.25]);
  },
  ReLU: () => close(single('ReLU', [f32([3], [-1, 0, 2])]).values, [0, 0, 2]),
  Clamp: () => {
    close(single('Clamp', [f32([3], [-5, 0.5, 5])], { min: '-1', max: '1' }).values, [-1, 0.5, 1]);
    // integers: min rounds up, max down
    expect(single('Clamp', [i32([4], [-5, -1, 2, 5])], { min: '-1.5', max: '2.5' }).values).toEqual([-1, -1, 2, 2]);
  },
  Sigmoid: () => close(single('Sigmoid', [f32([2], [0, 2])]).values, [0.5, 1 / (1 + Math.exp(-2))]),
  Tanh: () => close(single('Tanh', [f32([2], [0, 1])]).values, [0, Math.tanh(1)]),
  SoftMax: () => {
    const e = [1, 2, 3].map(Math.exp);
    const s = e.reduce((a, b) => a + b);
    close(single('SoftMax', [f32([1, 3], [1, 2, 3])], { axis: '1' }).values, e.map((v) => v / s));
    close(single('SoftMax', [f32([1, 3], [1, 2, 3])], { axis: '-1' }, { version: 'opset8' }).values, e.map((v) => v / s));
  },
  Reshape: () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(single('Reshape', [x], { special_zero: 'false' }, { consts: [i64([2], [3, -1])] }).dims).toEqual([3, 2]);
    // special_zero: 0 copies the input dim; the shape given as i32
    const o = single('Reshape', [x], { special_zero: 'true' }, { consts: [i32([3], [0, 3, 1])] });
    expect(o.dims).toEqual([2, 3, 1]);
    close(o.values, [1, 2, 3, 4, 5, 6]);
  },
  Transpose: () => {
    const o = single('Transpose', [f32([2, 3], [1, 2, 3, 4, 5, 6])], undefined, { consts: [i64([2], [1, 0])] });
    expect(o.dims).toEqual([3, 2]);
    close(o.values, [1, 4, 2, 5, 3, 6]);
  },
  Concat: () => {
    const o = single('Concat', [f32([1, 2], [1, 2]), f32([1, 1], [3])], { axis: '1' });
    expect(o.dims).toEqual([1, 3]);
    close(o.values, [1, 2, 3]);
  },
  Squeeze: () => {
    expect(single('Squeeze', [f32([1, 3, 1], [1, 2, 3])], undefined, { consts: [i64([1], [0])] }).dims).toEqual([3, 1]);
    expect(single('Squeeze', [f32([1, 3, 1], [1, 2, 3])]).dims).toEqual([3]);
  },
  Unsqueeze: () => expect(single('Unsqueeze', [f32([3], [1, 2, 3])], undefined, { consts: [i32([2], [0, 2])] }).dims).toEqual([1, 3, 1]),
  ReduceMean: () => {
    const x = f32([2, 2], [1, 2, 3, 5]);
    const o = single('ReduceMean', [x], { keep_dims: 'false' }, { consts: [i64([1], [1])] });
    expect(o.dims).toEqual([2]);
    close(o.values, [1.5, 4]);
    expect(single('ReduceMean', [x], { keep_dims: 'true' }, { consts: [i64([1], [-1])] }).dims).toEqual([2, 1]);
    expect(single('ReduceMean', [x], { keep_dims: 'true' }, { consts: [i64([0], [])] }).dims).toEqual([2, 2]);
  },
  Gather: () => {
    const data = f32([2, 3], [10, 20, 30, 40, 50, 60]);
    const o = single('Gather', [data, i32([2], [2, 0])], undefined, { consts: [i64([], [1])] });
    expect(o.dims).toEqual([2, 2]);
    close(o.values, [30, 10, 60, 40]);
    close(single('Gather', [data, i64([1], [-1])], { batch_dims: '0' }, { version: 'opset8', consts: [i64([1], [0])] }).values, [40, 50, 60]);
  },
  ShapeOf: () => {
    const o1 = single('ShapeOf', [f32([2, 3], [1, 2, 3, 4, 5, 6])]);
    expect(o1).toMatchObject({ type: 'i64', values: [2n, 3n] });
    const o3 = single('ShapeOf', [f32([2, 3], [1, 2, 3, 4, 5, 6])], { output_type: 'i32' }, { version: 'opset3' });
    expect(o3).toMatchObject({ type: 'i32', values: [2, 3] });
  },
  ...EXTENDED_TESTS,
};

describe('the IR front-end translates every op of its table', () => {
  it('has a test for exactly the ops in OP_TABLE', () => {
    expect(Object.keys(OP_TESTS).sort()).toEqual(Object.keys(OP_TABLE).sort());
  });
  it.each(Object.keys(OP_TESTS))('%s', (op) => OP_TESTS[op]!());

  it('numbers outputs in layer order, not in the order the graph is walked', () => {
    const ir = new Ir();
    const p = ir.param('f32', [2]);
    ir.add({ type: 'Result', inputs: [[3, 0]] }); // layer 1: the ReLU below, walked last
    ir.add({ type: 'Result', inputs: [[p, 0]] }); // layer 2: the Parameter, walked first
    ir.op('ReLU', [p]); // layer 3
    const outs = run(ir, [f32([2], [-1, 3])]);
    close(outs[0]!.values, [0, 3]);
    close(outs[1]!.values, [-1, 3]);
  });

  it('checks a graph of 20 000 layers fed by one Parameter (how its time grows: bench/openvino-ir-scaling.ts)', () => {
    const n = 20_000;
    const layers = ['<layer id="0" name="p" type="Parameter" version="opset1"><data shape="1" element_type="f32"/><output><port id="0"/></output></layer>'];
    const edges: string[] = [];
    for (let i = 1; i <= n; i++) {
      layers.push(`<layer id="${i}" name="r${i}" type="Result" version="opset1"><input><port id="0"/></input></layer>`);
      edges.push(`<edge from-layer="0" from-port="0" to-layer="${i}" to-port="0"/>`);
    }
    const xml = new TextEncoder().encode(`<net name="wide" version="11"><layers>${layers.join('')}</layers><edges>${edges.join('')}</edges></net>`);
    const net = parseIr(xml);
    expect(net.layers.length).toBe(n + 1);
  });

  it('reads IR version 10 as well', () => {
    const ir = new Ir();
    ir.result(ir.op('ReLU', [ir.param('f32', [2])]));
    close(run(ir, [f32([2], [-1, 1])], '10')[0]!.values, [0, 1]);
  });
});

// ---------------------------------------------------------------- errors

function loadError(xml: Uint8Array | string, bin: Uint8Array = new Uint8Array(0), builders?: Uint8Array[]): NnError {
  try {
    backend.load(builders ?? [typeof xml === 'string' ? new TextEncoder().encode(xml) : xml, bin], 'cpu').dispose();
  } catch (e) {
    if (e instanceof NnError) return e;
    throw e;
  }
  throw new Error('loaded');
}

function relu(mutate: (ir: Ir) => void = () => undefined, version?: string) {
  const ir = new Ir();
  ir.result(ir.op('ReLU', [ir.param('f32', [2])]));
  mutate(ir);
  return ir.build(version);
}

describe('the IR front-end refuses', () => {
  it('a builder count other than 2', () => {
    const { xml, bin } = relu();
    for (const b of [[], [xml], [xml, bin, bin]]) {
      expect(loadError('', undefined, b)).toMatchObject({ errno: 'invalid_argument', message: expect.stringMatching(/exactly 2 builders/) });
    }
  });
  it('a layer type outside the table, naming it (unsupported_operation)', () => {
    const { xml } = relu((ir) => (ir.layers[1]!.type = 'Frobnicate'));
    expect(loadError(xml)).toMatchObject({ errno: 'unsupported_operation', message: expect.stringMatching(/type Frobnicate, which this front-end does not translate$/) });
  });
  it('a refused layer type with the reason from the op table (unsupported_operation)', () => {
    const { xml } = relu((ir) => (ir.layers[1]!.type = 'DetectionOutput'));
    expect(loadError(xml)).toMatchObject({ errno: 'unsupported_operation', message: expect.stringMatching(/type DetectionOutput, which this front-end does not translate: SSD box decoding/) });
  });
  it('an op version outside the table (unsupported_operation)', () => {
    const { xml } = relu((ir) => (ir.layers[1]!.version = 'opset99'));
    expect(loadError(xml)).toMatchObject({ errno: 'unsupported_operation', message: expect.stringMatching(/ReLU version opset99/) });
  });
  it('an unknown element type (invalid_argument) and an untranslated one (unsupported_operation)', () => {
    expect(loadError(relu((ir) => (ir.layers[0]!.data!['element_type'] = 'f33')).xml)).toMatchObject({ errno: 'invalid_argument', message: expect.stringMatching(/unknown element type "f33"/) });
    expect(loadError(relu((ir) => (ir.layers[0]!.data!['element_type'] = 'u4')).xml)).toMatchObject({ errno: 'unsupported_operation' });
  });
  it('a Const outside the weights, or of the wrong size (invalid_argument)', () => {
    const ir = new Ir();
    const c = ir.const('f32', [2], [1, 2]);
    ir.result(ir.op('Add', [ir.param('f32', [2]), c]));
    const { xml, bin } = ir.build();
    expect(loadError(xml, bin.slice(0, 7))).toMatchObject({ errno: 'invalid_argument', message: expect.stringMatching(/outside the 7-byte weights/) });
    const text = new TextDecoder().decode(xml);
    expect(loadError(text.replace('size="8"', 'size="4"'), bin)).toMatchObject({ errno: 'invalid_argument', message: expect.stringMatching(/needs 8 bytes, size is 4/) });
  });
  it('malformed XML, a dangling edge, a cycle, IR version 9 (invalid_argument)', () => {
    const text = new TextDecoder().decode(relu().xml);
    const cases: [string, RegExp][] = [
      [text.replace('</layers>', '</layer>'), /malformed XML/],
      [text.replace('to-layer="2"', 'to-layer="7"'), /no layer "7"/],
      [text.replace('from-layer="0" from-port="0" to-layer="1"', 'from-layer="1" from-port="1" to-layer="1"'), /cycle/],
      [text.replace('version="11"', 'version="9"'), /IR version "9"/],
    ];
    for (const [xml, message] of cases) expect(loadError(xml)).toMatchObject({ errno: 'invalid_argument', message: expect.stringMatching(message) });
  });
  it('mixed element types in an Add (invalid_argument)', () => {
    const ir = new Ir();
    ir.result(ir.op('Add', [ir.param('f32', [2]), ir.param('i32', [2])]));
    expect(loadError(ir.build().xml)).toMatchObject({ errno: 'invalid_argument', message: expect.stringMatching(/mixes element types f32 and i32/) });
  });
  it('a used MaxPool indices output (unsupported_operation)', () => {
    const ir = new Ir();
    const mp = ir.op('MaxPool', [ir.param('f32', [1, 1, 2, 2])], { kernel: '2,2', strides: '1,1' }, { version: 'opset8', outputs: 2 });
    ir.result(mp);
    ir.add({ type: 'Result', inputs: [[mp, 1]] });
    expect(loadError(ir.build().xml)).toMatchObject({ errno: 'unsupported_operation', message: expect.stringMatching(/indices output/) });
  });
});
