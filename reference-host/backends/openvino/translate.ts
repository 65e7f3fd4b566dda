/**
 * Translates a checked OpenVINO IR graph (ir.ts) with its weights into an in-memory ONNX model
 * (onnx-graph.ts), which the ONNX backend then runs on onnxruntime-node.
 *
 * OP_TABLE is the registry: one entry per IR layer type, with the opset versions accepted, the
 * ONNX ops it becomes and the notes that the README's op table is generated from
 * (`npx tsx reference-host/backends/openvino/op-table.ts`; op-table.test.ts keeps them in step).
 *
 * Errors: a layer type outside the table, a version of it we do not know, an attribute value
 * we do not translate, or an element type we cannot represent → unsupported_operation naming it;
 * a structurally wrong model (bad attribute syntax, a Const outside the weights, wrong arity,
 * mismatched element types) → invalid_argument.
 */
import { NnError } from '../../core/types.js';
import { f16Bits } from '../../../fixtures/gen/evaluator.js';
import type { IrLayer, IrNet, IrPort } from './ir.js';
import { parseShapeAttr } from './ir.js';
import type { OnnxAttr, OnnxGraph, OnnxInitializer, OnnxNode } from './onnx-graph.js';

// ---------------------------------------------------------------- element types

export interface ElementTypeInfo {
  /** onnx.TensorProto.DataType */
  onnx: number;
  size: number;
  /** The port `precision` spelling */
  precision: string;
  kind: 'float' | 'int' | 'uint' | 'bool';
}

/** The IR element types the translator carries (data@element_type, Convert destination_type). */
export const ELEMENT_TYPES: Readonly<Record<string, ElementTypeInfo>> = {
  f16: { onnx: 10, size: 2, precision: 'FP16', kind: 'float' },
  f32: { onnx: 1, size: 4, precision: 'FP32', kind: 'float' },
  f64: { onnx: 11, size: 8, precision: 'FP64', kind: 'float' },
  bf16: { onnx: 16, size: 2, precision: 'BF16', kind: 'float' },
  i8: { onnx: 3, size: 1, precision: 'I8', kind: 'int' },
  i16: { onnx: 5, size: 2, precision: 'I16', kind: 'int' },
  i32: { onnx: 6, size: 4, precision: 'I32', kind: 'int' },
  i64: { onnx: 7, size: 8, precision: 'I64', kind: 'int' },
  u8: { onnx: 2, size: 1, precision: 'U8', kind: 'uint' },
  u16: { onnx: 4, size: 2, precision: 'U16', kind: 'uint' },
  u32: { onnx: 12, size: 4, precision: 'U32', kind: 'uint' },
  u64: { onnx: 13, size: 8, precision: 'U64', kind: 'uint' },
  boolean: { onnx: 9, size: 1, precision: 'BOOL', kind: 'bool' },
};

/** Element types OpenVINO has that the translator does not carry: unsupported_operation, not invalid_argument. */
export const UNTRANSLATED_ELEMENT_TYPES = ['u1', 'u2', 'u3', 'u4', 'u6', 'i4', 'nf4', 'f4e2m1', 'f8e4m3', 'f8e5m2', 'f8e8m0', 'string', 'dynamic', 'undefined'];

const invalid = (msg: string): NnError => new NnError('invalid_argument', `openvino: ${msg}`);
const unsupported = (msg: string): NnError => new NnError('unsupported_operation', `openvino: ${msg}`);

export function elementType(name: string | undefined, what: string): string {
  if (name === undefined) throw invalid(`${what} has no element_type`);
  if (ELEMENT_TYPES[name]) return name;
  if (UNTRANSLATED_ELEMENT_TYPES.includes(name)) throw unsupported(`${what}: element type ${name} is not supported by this front-end`);
  throw invalid(`${what}: unknown element type ${JSON.stringify(name)}`);
}

// ---------------------------------------------------------------- translation state

/** A value of the ONNX graph being built. */
export interface Value {
  name: string;
  type: string;
  /** Present when the value is a Const: its dims and little-endian bytes. */
  constant?: { dims: number[]; bytes: Uint8Array };
}

export interface LayerContext {
  layer: IrLayer;
  /** Values feeding the layer's input ports, in port order. */
  inputs: Value[];
  /** The output ports those values come from. */
  sourcePorts: IrPort[];
  weights: Uint8Array;
  /** Adds an ONNX node; returns its output value names. */
  node(op: string, inputs: readonly string[], attrs?: Record<string, OnnxAttr>, outputs?: number): string[];
  /** Adds an initializer; returns its value. */
  constant(type: string, dims: number[], bytes: Uint8Array): Value;
  /** Registers a graph input. */
  graphInput(name: string, type: string, dims: number[]): Value;
  /** Registers a graph output fed by `value`. */
  graphOutput(name: string, value: Value): void;
  /** Whether the layer's output port at `index` is read by any edge. */
  outputUsed(index: number): boolean;
}

export interface OpEntry {
  /** The `version` attributes accepted for this type. */
  versions: readonly string[];
  /** The ONNX op(s) it becomes (for the table). */
  onnx: string;
  /** Inputs accepted: [min, max]. */
  arity: readonly [number, number];
  notes: string;
  translate(ctx: LayerContext): Value[];
}

// ---------------------------------------------------------------- attribute helpers

function attr(l: IrLayer, key: string): string | undefined {
  return l.data.get(key);
}
function requireAttr(l: IrLayer, key: string): string {
  const v = attr(l, key);
  if (v === undefined) throw invalid(`layer ${l.id} (${l.type}) lacks the ${key} attribute`);
  return v;
}
function intAttr(l: IrLayer, key: string, dflt?: number): number {
  const v = attr(l, key);
  if (v === undefined) {
    if (dflt === undefined) throw invalid(`layer ${l.id} (${l.type}) lacks the ${key} attribute`);
    return dflt;
  }
  if (!/^\s*-?[0-9]{1,15}\s*$/.test(v)) throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not an integer`);
  return Number(v);
}
function intsAttr(l: IrLayer, key: string, dflt?: number[]): number[] {
  const v = attr(l, key);
  if (v === undefined) {
    if (dflt === undefined) throw invalid(`layer ${l.id} (${l.type}) lacks the ${key} attribute`);
    return dflt;
  }
  if (v.trim() === '') return [];
  return v.split(',').map((x) => {
    if (!/^\s*-?[0-9]{1,15}\s*$/.test(x)) throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not a list of integers`);
    return Number(x);
  });
}
function floatAttr(l: IrLayer, key: string): number {
  const v = requireAttr(l, key).trim();
  const n = Number(v);
  if (v === '' || Number.isNaN(n)) throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not a number`);
  return n;
}
function boolAttr(l: IrLayer, key: string, dflt: boolean): boolean {
  const v = attr(l, key);
  if (v === undefined) return dflt;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not a boolean`);
}
function enumAttr<T extends string>(l: IrLayer, key: string, allowed: readonly T[], dflt: T): T {
  const v = (attr(l, key) ?? dflt).trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw unsupported(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not supported (only ${allowed.join(', ')})`);
  return v as T;
}

const ints = (value: readonly number[]): OnnxAttr => ({ kind: 'ints', value });
const int = (value: number): OnnxAttr => ({ kind: 'int', value });

// ---------------------------------------------------------------- value helpers

/** Little-endian bytes of one scalar of `type`. */
export function scalarBytes(type: string, v: number): Uint8Array {
  const info = ELEMENT_TYPES[type]!;
  const b = new Uint8Array(info.size);
  const dv = new DataView(b.buffer);
  switch (type) {
    case 'f16':
      dv.setUint16(0, f16Bits(v), true);
      break;
    case 'bf16':
      dv.setUint16(0, new Uint32Array(new Float32Array([v]).buffer)[0]! >>> 16, true);
      break;
    case 'f32':
      dv.setFloat32(0, v, true);
      break;
    case 'f64':
      dv.setFloat64(0, v, true);
      break;
    case 'i8':
      dv.setInt8(0, v);
      break;
    case 'u8':
    case 'boolean':
      dv.setUint8(0, v);
      break;
    case 'i16':
      dv.setInt16(0, v, true);
      break;
    case 'u16':
      dv.setUint16(0, v, true);
      break;
    case 'i32':
      dv.setInt32(0, v, true);
      break;
    case 'u32':
      dv.setUint32(0, v, true);
      break;
    case 'i64':
      dv.setBigInt64(0, BigInt(v), true);
      break;
    case 'u64':
      dv.setBigUint64(0, BigInt(v), true);
      break;
  }
  return b;
}

/** Integer values of a Const (for attributes that ONNX wants static), or undefined when not a Const. */
function constInts(v: Value, what: string): number[] | undefined {
  if (!v.constant) return undefined;
  const { bytes } = v.constant;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const info = ELEMENT_TYPES[v.type]!;
  if (info.kind !== 'int' && info.kind !== 'uint') throw invalid(`${what} is ${v.type}, not an integer type`);
  const out: number[] = [];
  for (let off = 0; off < bytes.byteLength; off += info.size) {
    switch (v.type) {
      case 'i8':
        out.push(dv.getInt8(off));
        break;
      case 'u8':
        out.push(dv.getUint8(off));
        break;
      case 'i16':
        out.push(dv.getInt16(off, true));
        break;
      case 'u16':
        out.push(dv.getUint16(off, true));
        break;
      case 'i32':
        out.push(dv.getInt32(off, true));
        break;
      case 'u32':
        out.push(dv.getUint32(off, true));
        break;
      case 'i64':
      case 'u64': {
        const n = Number(v.type === 'i64' ? dv.getBigInt64(off, true) : dv.getBigUint64(off, true));
        if (!Number.isSafeInteger(n)) throw invalid(`${what} holds ${n}, out of range`);
        out.push(n);
        break;
      }
    }
  }
  return out;
}

function sameTypes(ctx: LayerContext): string {
  const t = ctx.inputs[0]!.type;
  const other = ctx.inputs.find((v) => v.type !== t);
  if (other) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}) mixes element types ${t} and ${other.type}`);
  return t;
}

function requireFloat(ctx: LayerContext, v: Value): void {
  if (ELEMENT_TYPES[v.type]!.kind !== 'float') throw unsupported(`layer ${ctx.layer.id} (${ctx.layer.type}) on ${v.type}: only float types are supported`);
}

/** Casts an integer index/shape/axes input to i64, as ONNX wants it. */
function asI64(ctx: LayerContext, v: Value, what: string): string {
  const k = ELEMENT_TYPES[v.type]!.kind;
  if (k !== 'int' && k !== 'uint') throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${what} is ${v.type}, not an integer type`);
  return v.type === 'i64' ? v.name : ctx.node('Cast', [v.name], { to: int(7) })[0]!;
}

function out(name: string, type: string): Value {
  return { name, type };
}

function unary(onnxOp: string, floatOnly: boolean): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    const x = ctx.inputs[0]!;
    if (floatOnly) requireFloat(ctx, x);
    return [out(ctx.node(onnxOp, [x.name])[0]!, x.type)];
  };
}

function broadcast(ctx: LayerContext): void {
  enumAttr(ctx.layer, 'auto_broadcast', ['numpy', 'none'], 'numpy');
}

function binary(onnxOp: string): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    broadcast(ctx);
    const t = sameTypes(ctx);
    if (t === 'boolean') throw unsupported(`layer ${ctx.layer.id} (${ctx.layer.type}) on boolean`);
    return [out(ctx.node(onnxOp, ctx.inputs.map((v) => v.name))[0]!, t)];
  };
}

/** Spatial attributes shared by Convolution and the pools. */
function padAttrs(ctx: LayerContext, spatial: number): Record<string, OnnxAttr> {
  const l = ctx.layer;
  const autoPad = enumAttr(l, 'auto_pad', ['explicit', 'notset', 'same_upper', 'same_lower', 'valid'], 'explicit');
  if (autoPad === 'same_upper') return { auto_pad: { kind: 'string', value: 'SAME_UPPER' } };
  if (autoPad === 'same_lower') return { auto_pad: { kind: 'string', value: 'SAME_LOWER' } };
  if (autoPad === 'valid') return { auto_pad: { kind: 'string', value: 'VALID' } };
  const begin = intsAttr(l, 'pads_begin', new Array<number>(spatial).fill(0));
  const end = intsAttr(l, 'pads_end', new Array<number>(spatial).fill(0));
  if (begin.length !== spatial || end.length !== spatial) throw invalid(`layer ${l.id} (${l.type}): pads_begin/pads_end need ${spatial} values`);
  return { pads: ints([...begin, ...end]) };
}

function spatialInts(ctx: LayerContext, key: string, spatial: number, dflt?: number): number[] {
  const v = intsAttr(ctx.layer, key, dflt === undefined ? undefined : new Array<number>(spatial).fill(dflt));
  if (v.length !== spatial) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${key} has ${v.length} values, the input has ${spatial} spatial dims`);
  if (v.some((x) => x < 1)) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${key} values must be ≥ 1`);
  return v;
}

/** Number of spatial dims of a conv/pool layer: from the kernel or strides attribute. */
function spatialRank(ctx: LayerContext, key: string): number {
  const n = intsAttr(ctx.layer, key).length;
  if (n < 1 || n > 3) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${key} has ${n} values, 1 to 3 spatial dims are supported`);
  return n;
}

function conv(ctx: LayerContext, x: Value, w: Value, group: number): Value[] {
  const spatial = spatialRank(ctx, 'strides');
  const t = sameTypes(ctx);
  requireFloat(ctx, x);
  return [
    out(
      ctx.node('Conv', [x.name, w.name], {
        strides: ints(spatialInts(ctx, 'strides', spatial)),
        dilations: ints(spatialInts(ctx, 'dilations', spatial, 1)),
        group: int(group),
        ...padAttrs(ctx, spatial),
      })[0]!,
      t,
    ),
  ];
}

function pool(ctx: LayerContext, onnxOp: 'MaxPool' | 'AveragePool'): Value[] {
  const l = ctx.layer;
  const x = ctx.inputs[0]!;
  const spatial = spatialRank(ctx, 'kernel');
  const rounding = enumAttr(l, 'rounding_type', ['floor', 'ceil'], 'floor');
  const attrs: Record<string, OnnxAttr> = {
    kernel_shape: ints(spatialInts(ctx, 'kernel', spatial)),
    strides: ints(spatialInts(ctx, 'strides', spatial)),
    ceil_mode: int(rounding === 'ceil' ? 1 : 0),
    ...padAttrs(ctx, spatial),
  };
  if (onnxOp === 'MaxPool') {
    if (l.version !== 'opset1') attrs['dilations'] = ints(spatialInts(ctx, 'dilations', spatial, 1));
    if (ctx.outputUsed(1)) throw unsupported(`layer ${l.id} (MaxPool ${l.version}): its indices output is not supported`);
  } else {
    requireFloat(ctx, x);
    attrs['count_include_pad'] = int(boolAttr(l, 'exclude-pad', false) ? 0 : 1);
  }
  const outs = [out(ctx.node(onnxOp, [x.name], attrs)[0]!, x.type)];
  return l.outputs.length > 1 ? [...outs, out('', 'i64')] : outs;
}

// ---------------------------------------------------------------- the registry

export const OP_TABLE: Readonly<Record<string, OpEntry>> = {
  Parameter: {
    versions: ['opset1'],
    onnx: 'graph input',
    arity: [0, 0],
    notes: 'data `element_type`, `shape` ("?", "-1" or a range "a..b" is a dynamic dim); inputs in layer order',
    translate: (ctx) => {
      const l = ctx.layer;
      const type = elementType(attr(l, 'element_type'), `Parameter ${l.name}`);
      const shapeAttr = attr(l, 'shape');
      const dims = shapeAttr !== undefined ? parseShapeAttr(shapeAttr, `Parameter ${l.name}`) : (l.outputs[0]?.dims ?? []);
      return [ctx.graphInput(l.outputs[0]?.names[0] ?? l.name, type, dims)];
    },
  },
  Const: {
    versions: ['opset1'],
    onnx: 'initializer',
    arity: [0, 0],
    notes: 'data `element_type`, `shape`, `offset`, `size`: offset+size must lie inside the weights and size must equal the shape\'s byte size',
    translate: (ctx) => {
      const l = ctx.layer;
      const type = elementType(attr(l, 'element_type'), `Const ${l.name}`);
      const dims = parseShapeAttr(requireAttr(l, 'shape'), `Const ${l.name}`);
      if (dims.some((d) => d < 0)) throw invalid(`Const ${l.name} has a dynamic dim`);
      const offset = intAttr(l, 'offset');
      const size = intAttr(l, 'size');
      if (offset < 0 || size < 0 || offset + size > ctx.weights.byteLength) {
        throw invalid(`Const ${l.name}: offset ${offset} + size ${size} is outside the ${ctx.weights.byteLength}-byte weights`);
      }
      const count = dims.reduce((a, b) => a * b, 1);
      if (count * ELEMENT_TYPES[type]!.size !== size) throw invalid(`Const ${l.name}: shape [${dims.join(',')}] of ${type} needs ${count * ELEMENT_TYPES[type]!.size} bytes, size is ${size}`);
      return [ctx.constant(type, dims, ctx.weights.slice(offset, offset + size))];
    },
  },
  Result: {
    versions: ['opset1'],
    onnx: 'graph output (through Identity)',
    arity: [1, 1],
    notes: 'named after the producing port\'s first tensor name, else the layer name; outputs in layer order',
    translate: (ctx) => {
      const src = ctx.inputs[0]!;
      ctx.graphOutput(ctx.sourcePorts[0]!.names[0] ?? ctx.layer.name, src);
      return [];
    },
  },
  Convert: {
    versions: ['opset1'],
    onnx: 'Cast',
    arity: [1, 1],
    notes: '`destination_type`; float→integer truncates toward zero (ONNX Cast), which no fixture depends on',
    translate: (ctx) => {
      const to = elementType(attr(ctx.layer, 'destination_type'), `Convert ${ctx.layer.name}`);
      return [out(ctx.node('Cast', [ctx.inputs[0]!.name], { to: int(ELEMENT_TYPES[to]!.onnx) })[0]!, to)];
    },
  },
  Add: { versions: ['opset1'], onnx: 'Add', arity: [2, 2], notes: '`auto_broadcast` numpy or none', translate: binary('Add') },
  Subtract: { versions: ['opset1'], onnx: 'Sub', arity: [2, 2], notes: '`auto_broadcast` numpy or none', translate: binary('Sub') },
  Multiply: { versions: ['opset1'], onnx: 'Mul', arity: [2, 2], notes: '`auto_broadcast` numpy or none', translate: binary('Mul') },
  Divide: {
    versions: ['opset1'],
    onnx: 'Div (integers with `m_pythondiv`: Div(Sub(a, Mod(a, b)), b))',
    arity: [2, 2],
    notes: '`auto_broadcast`; `m_pythondiv` (default true) gives floor division on integers',
    translate: (ctx) => {
      broadcast(ctx);
      const t = sameTypes(ctx);
      const [a, b] = ctx.inputs as [Value, Value];
      const kind = ELEMENT_TYPES[t]!.kind;
      if (kind === 'bool') throw unsupported(`layer ${ctx.layer.id} (Divide) on boolean`);
      if (kind !== 'float' && boolAttr(ctx.layer, 'm_pythondiv', true)) {
        const mod = ctx.node('Mod', [a.name, b.name], { fmod: int(0) })[0]!;
        const exact = ctx.node('Sub', [a.name, mod])[0]!;
        return [out(ctx.node('Div', [exact, b.name])[0]!, t)];
      }
      return [out(ctx.node('Div', [a.name, b.name])[0]!, t)];
    },
  },
  MatMul: {
    versions: ['opset1'],
    onnx: 'MatMul (+ Transpose of the last two dims)',
    arity: [2, 2],
    notes: '`transpose_a`, `transpose_b`; the rank comes from the input port\'s dims; ignored on 1-D inputs',
    translate: (ctx) => {
      const t = sameTypes(ctx);
      const names = ctx.inputs.map((v, i) => {
        const flag = boolAttr(ctx.layer, i === 0 ? 'transpose_a' : 'transpose_b', false);
        const rank = v.constant ? v.constant.dims.length : ctx.layer.inputs[i]!.dims.length;
        if (!flag || rank < 2) return v.name;
        const perm = [...Array(rank).keys()];
        [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
        return ctx.node('Transpose', [v.name], { perm: ints(perm) })[0]!;
      });
      return [out(ctx.node('MatMul', names)[0]!, t)];
    },
  },
  Convolution: {
    versions: ['opset1'],
    onnx: 'Conv',
    arity: [2, 2],
    notes: '`strides`, `dilations`, `pads_begin`, `pads_end`, `auto_pad` (explicit, same_upper, same_lower, valid); weights [C_OUT, C_IN, k…]',
    translate: (ctx) => conv(ctx, ctx.inputs[0]!, ctx.inputs[1]!, 1),
  },
  GroupConvolution: {
    versions: ['opset1'],
    onnx: 'Conv with `group` (+ Reshape of the weights)',
    arity: [2, 2],
    notes: 'as Convolution; weights [G, C_OUT/G, C_IN/G, k…] with static dims become [C_OUT, C_IN/G, k…]',
    translate: (ctx) => {
      const w = ctx.inputs[1]!;
      const dims = w.constant?.dims ?? ctx.layer.inputs[1]!.dims;
      if (dims.length < 4 || dims.some((d) => d < 0)) throw invalid(`layer ${ctx.layer.id} (GroupConvolution): the weights need static dims [G, C_OUT/G, C_IN/G, k…], got [${dims.join(',')}]`);
      const [g, og, ...rest] = dims as [number, number, ...number[]];
      const shape = ctx.constant('i64', [dims.length - 1], concatBytes([g * og, ...rest].map((d) => scalarBytes('i64', d))));
      const reshaped = ctx.node('Reshape', [w.name, shape.name])[0]!;
      return conv(ctx, ctx.inputs[0]!, { name: reshaped, type: w.type }, g);
    },
  },
  MaxPool: {
    versions: ['opset1', 'opset8', 'opset14'],
    onnx: 'MaxPool',
    arity: [1, 1],
    notes: '`kernel`, `strides`, `pads_begin`, `pads_end`, `auto_pad`, `rounding_type` floor or ceil, `dilations` (opset8+); the indices output (opset8+) must be unused',
    translate: (ctx) => pool(ctx, 'MaxPool'),
  },
  AvgPool: {
    versions: ['opset1', 'opset14'],
    onnx: 'AveragePool',
    arity: [1, 1],
    notes: '`kernel`, `strides`, `pads_begin`, `pads_end`, `auto_pad`, `rounding_type` floor or ceil, `exclude-pad` → count_include_pad',
    translate: (ctx) => pool(ctx, 'AveragePool'),
  },
  ReLU: { versions: ['opset1'], onnx: 'Relu', arity: [1, 1], notes: '', translate: unary('Relu', false) },
  Sigmoid: { versions: ['opset1'], onnx: 'Sigmoid', arity: [1, 1], notes: 'float types', translate: unary('Sigmoid', true) },
  Tanh: { versions: ['opset1'], onnx: 'Tanh', arity: [1, 1], notes: 'float types', translate: unary('Tanh', true) },
  Clamp: {
    versions: ['opset1'],
    onnx: 'Clip',
    arity: [1, 1],
    notes: '`min`, `max` (floats); on integer types min is rounded up and max down, as OpenVINO does',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      let lo = floatAttr(ctx.layer, 'min');
      let hi = floatAttr(ctx.layer, 'max');
      if (lo > hi) throw invalid(`layer ${ctx.layer.id} (Clamp): min ${lo} > max ${hi}`);
      const kind = ELEMENT_TYPES[x.type]!.kind;
      if (kind === 'bool') throw unsupported(`layer ${ctx.layer.id} (Clamp) on boolean`);
      if (kind !== 'float') {
        const bits = ELEMENT_TYPES[x.type]!.size * 8;
        const tmin = kind === 'uint' ? 0 : -(2 ** (bits - 1));
        const tmax = kind === 'uint' ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
        lo = Math.min(Math.max(Math.ceil(lo), tmin), tmax);
        hi = Math.max(Math.min(Math.floor(hi), tmax), tmin);
      }
      const min = ctx.constant(x.type, [], scalarBytes(x.type, lo));
      const max = ctx.constant(x.type, [], scalarBytes(x.type, hi));
      return [out(ctx.node('Clip', [x.name, min.name, max.name])[0]!, x.type)];
    },
  },
  SoftMax: {
    versions: ['opset1', 'opset8'],
    onnx: 'Softmax',
    arity: [1, 1],
    notes: '`axis` (default 1; negative from opset8)',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      requireFloat(ctx, x);
      const axis = intAttr(ctx.layer, 'axis', 1);
      if (axis < 0 && ctx.layer.version === 'opset1') throw invalid(`layer ${ctx.layer.id} (SoftMax opset1): axis ${axis} must be non-negative`);
      return [out(ctx.node('Softmax', [x.name], { axis: int(axis) })[0]!, x.type)];
    },
  },
  Reshape: {
    versions: ['opset1'],
    onnx: 'Reshape',
    arity: [2, 2],
    notes: '`special_zero` true: 0 copies the input dim (allowzero 0); false: 0 is a zero dim (allowzero 1)',
    translate: (ctx) => {
      const [x, shape] = ctx.inputs as [Value, Value];
      const zero = boolAttr(ctx.layer, 'special_zero', false);
      return [out(ctx.node('Reshape', [x.name, asI64(ctx, shape, 'the shape')], { allowzero: int(zero ? 0 : 1) })[0]!, x.type)];
    },
  },
  Transpose: {
    versions: ['opset1'],
    onnx: 'Transpose',
    arity: [2, 2],
    notes: 'the order must be a Const (ONNX wants `perm` static); an empty order reverses the dims',
    translate: (ctx) => {
      const [x, order] = ctx.inputs as [Value, Value];
      const perm = constInts(order, `layer ${ctx.layer.id} (Transpose) order`);
      if (!perm) throw unsupported(`layer ${ctx.layer.id} (Transpose): an order that is not a Const`);
      return [out(ctx.node('Transpose', [x.name], perm.length > 0 ? { perm: ints(perm) } : {})[0]!, x.type)];
    },
  },
  Concat: {
    versions: ['opset1'],
    onnx: 'Concat',
    arity: [1, 1024],
    notes: '`axis` (negative counts from the end)',
    translate: (ctx) => {
      const t = sameTypes(ctx);
      return [out(ctx.node('Concat', ctx.inputs.map((v) => v.name), { axis: int(intAttr(ctx.layer, 'axis')) })[0]!, t)];
    },
  },
  Squeeze: {
    versions: ['opset1'],
    onnx: 'Squeeze',
    arity: [1, 2],
    notes: 'axes input optional (without it every 1-dim goes)',
    translate: (ctx) => {
      const [x, axes] = ctx.inputs as [Value, Value | undefined];
      const ins = axes ? [x.name, asI64(ctx, axes, 'the axes')] : [x.name];
      return [out(ctx.node('Squeeze', ins)[0]!, x.type)];
    },
  },
  Unsqueeze: {
    versions: ['opset1'],
    onnx: 'Unsqueeze',
    arity: [2, 2],
    notes: '',
    translate: (ctx) => {
      const [x, axes] = ctx.inputs as [Value, Value];
      return [out(ctx.node('Unsqueeze', [x.name, asI64(ctx, axes, 'the axes')])[0]!, x.type)];
    },
  },
  ReduceMean: {
    versions: ['opset1'],
    onnx: 'ReduceMean (opset 18, axes as input)',
    arity: [2, 2],
    notes: '`keep_dims` (default false); empty axes is the identity (noop_with_empty_axes 1)',
    translate: (ctx) => {
      const [x, axes] = ctx.inputs as [Value, Value];
      const keep = boolAttr(ctx.layer, 'keep_dims', false);
      return [out(ctx.node('ReduceMean', [x.name, asI64(ctx, axes, 'the axes')], { keepdims: int(keep ? 1 : 0), noop_with_empty_axes: int(1) })[0]!, x.type)];
    },
  },
  Gather: {
    versions: ['opset1', 'opset7', 'opset8'],
    onnx: 'Gather',
    arity: [3, 3],
    notes: 'the axis input must be a Const; `batch_dims` (opset7+) must be 0',
    translate: (ctx) => {
      const [data, indices, axisV] = ctx.inputs as [Value, Value, Value];
      const axis = constInts(axisV, `layer ${ctx.layer.id} (Gather) axis`);
      if (!axis) throw unsupported(`layer ${ctx.layer.id} (Gather): an axis that is not a Const`);
      if (axis.length !== 1) throw invalid(`layer ${ctx.layer.id} (Gather): the axis has ${axis.length} values`);
      const batchDims = intAttr(ctx.layer, 'batch_dims', 0);
      if (batchDims !== 0) throw unsupported(`layer ${ctx.layer.id} (Gather): batch_dims ${batchDims}`);
      const idx = indices.type === 'i32' || indices.type === 'i64' ? indices.name : asI64(ctx, indices, 'the indices');
      return [out(ctx.node('Gather', [data.name, idx], { axis: int(axis[0]!) })[0]!, data.type)];
    },
  },
  ShapeOf: {
    versions: ['opset1', 'opset3'],
    onnx: 'Shape (+ Cast to i32)',
    arity: [1, 1],
    notes: '`output_type` i64 or i32 (opset3)',
    translate: (ctx) => {
      const outType = ctx.layer.version === 'opset3' ? enumAttr(ctx.layer, 'output_type', ['i64', 'i32'], 'i64') : 'i64';
      const shape = ctx.node('Shape', [ctx.inputs[0]!.name])[0]!;
      return [out(outType === 'i64' ? shape : ctx.node('Cast', [shape], { to: int(6) })[0]!, outType)];
    },
  },
};

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const outBytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    outBytes.set(p, o);
    o += p.byteLength;
  }
  return outBytes;
}

// ---------------------------------------------------------------- the translation

export interface TranslatedModel {
  graph: OnnxGraph;
  /** wasi-nn input index → Parameter layer name, in order */
  inputNames: string[];
  outputNames: string[];
}

/** The ONNX graph for a checked IR net and its weights. Throws NnError. */
export function translate(net: IrNet, weights: Uint8Array): TranslatedModel {
  const graph: OnnxGraph = { name: net.name, nodes: [], initializers: [], inputs: [], outputs: [] };
  const values = new Map<string, Value>(); // "layerId:portId" → value
  const used = new Set<string>();
  let counter = 0;
  const unique = (base: string): string => {
    let name = base === '' ? 'v' : base;
    while (used.has(name)) name = `${base}__${++counter}`;
    used.add(name);
    return name;
  };
  let hasParameter = false;
  let hasResult = false;
  const inputOrder = new Map<string, number>(); // graph input/output name → its layer's document position
  const outputOrder = new Map<string, number>();

  for (const layer of net.layers) {
    const entry = Object.hasOwn(OP_TABLE, layer.type) ? OP_TABLE[layer.type] : undefined;
    if (!entry) throw unsupported(`layer ${layer.id} (${layer.name}) has type ${layer.type}, which this front-end does not translate`);
    if (!entry.versions.includes(layer.version)) {
      throw unsupported(`layer ${layer.id} (${layer.name}): ${layer.type} version ${layer.version} is not supported (only ${entry.versions.join(', ')})`);
    }
    const srcs = net.sources.get(layer.id)!;
    const [lo, hi] = entry.arity;
    if (srcs.length < lo || srcs.length > hi) {
      throw invalid(`layer ${layer.id} (${layer.type}) has ${srcs.length} input(s), it takes ${lo === hi ? lo : `${lo} to ${hi}`}`);
    }
    if (layer.type === 'Parameter') hasParameter = true;
    if (layer.type === 'Result') hasResult = true;
    else if (layer.outputs.length === 0) throw invalid(`layer ${layer.id} (${layer.type}) has no output port`);
    const inputs = srcs.map((s) => {
      const v = values.get(`${s.layer.id}:${s.port.id}`);
      if (!v || v.name === '') throw unsupported(`layer ${layer.id} (${layer.type}) reads output port ${s.port.id} of layer ${s.layer.id} (${s.layer.type}), which is not supported`);
      return v;
    });
    const ctx: LayerContext = {
      layer,
      inputs,
      sourcePorts: srcs.map((s) => s.port),
      weights,
      node(op, ins, attrs = {}, outputs = 1) {
        const outs = Array.from({ length: outputs }, () => unique(`${layer.name}/${op}`));
        const n: OnnxNode = { op, inputs: [...ins], outputs: outs, attrs };
        graph.nodes.push(n);
        return outs;
      },
      constant(type, dims, bytes) {
        const init: OnnxInitializer = { name: unique(`${layer.name}/const`), type: ELEMENT_TYPES[type]!.onnx, dims, raw: bytes };
        graph.initializers.push(init);
        return { name: init.name, type, constant: { dims, bytes } };
      },
      graphInput(name, type, dims) {
        const n = unique(name);
        graph.inputs.push({ name: n, type: ELEMENT_TYPES[type]!.onnx, dims });
        inputOrder.set(n, net.docIndex.get(layer.id)!);
        return { name: n, type };
      },
      graphOutput(name, value) {
        const n = unique(name);
        graph.nodes.push({ op: 'Identity', inputs: [value.name], outputs: [n], attrs: {} });
        graph.outputs.push({ name: n, type: ELEMENT_TYPES[value.type]!.onnx, dims: undefined });
        outputOrder.set(n, net.docIndex.get(layer.id)!);
      },
      outputUsed: (index) => {
        const p: IrPort | undefined = layer.outputs[index];
        return p !== undefined && (net.consumers.get(`${layer.id}:${p.id}`) ?? 0) > 0;
      },
    };
    const outs = entry.translate(ctx);
    layer.outputs.forEach((p, i) => {
      const v = outs[i];
      if (v) values.set(`${layer.id}:${p.id}`, v);
    });
  }
  if (!hasParameter) throw invalid('the net has no Parameter layer');
  if (!hasResult) throw invalid('the net has no Result layer');
  // wasi-nn indices follow the layers' document order (IR v11), whatever order the graph was walked in
  graph.inputs.sort((a, b) => inputOrder.get(a.name)! - inputOrder.get(b.name)!);
  graph.outputs.sort((a, b) => outputOrder.get(a.name)! - outputOrder.get(b.name)!);
  return { graph, inputNames: graph.inputs.map((i) => i.name), outputNames: graph.outputs.map((o) => o.name) };
}
