/**
 * What every op translation shares (translate.ts and ops-*.ts): the element types the front-end
 * carries, the translation state a layer sees (LayerContext), the OpEntry shape of the registry,
 * and the attribute and value helpers.
 */
import { NnError } from '../../core/types.js';
import { f16Bits } from '../../../fixtures/gen/evaluator.js';
import type { IrLayer, IrPort } from './ir.js';
import type { OnnxAttr } from './onnx-graph.js';

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

export const invalid = (msg: string): NnError => new NnError('invalid_argument', `openvino: ${msg}`);
export const unsupported = (msg: string): NnError => new NnError('unsupported_operation', `openvino: ${msg}`);

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

export function attr(l: IrLayer, key: string): string | undefined {
  return l.data.get(key);
}
export function requireAttr(l: IrLayer, key: string): string {
  const v = attr(l, key);
  if (v === undefined) throw invalid(`layer ${l.id} (${l.type}) lacks the ${key} attribute`);
  return v;
}
export function intAttr(l: IrLayer, key: string, dflt?: number): number {
  const v = attr(l, key);
  if (v === undefined) {
    if (dflt === undefined) throw invalid(`layer ${l.id} (${l.type}) lacks the ${key} attribute`);
    return dflt;
  }
  if (!/^\s*-?[0-9]{1,15}\s*$/.test(v)) throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not an integer`);
  return Number(v);
}
export function intsAttr(l: IrLayer, key: string, dflt?: number[]): number[] {
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
export function floatAttr(l: IrLayer, key: string): number {
  const v = requireAttr(l, key).trim();
  const n = Number(v);
  if (v === '' || Number.isNaN(n)) throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not a number`);
  return n;
}
export function optFloatAttr(l: IrLayer, key: string, dflt: number): number {
  return l.data.has(key) ? floatAttr(l, key) : dflt;
}
export function boolAttr(l: IrLayer, key: string, dflt: boolean): boolean {
  const v = attr(l, key);
  if (v === undefined) return dflt;
  const t = v.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw invalid(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not a boolean`);
}
export function enumAttr<T extends string>(l: IrLayer, key: string, allowed: readonly T[], dflt: T): T {
  const v = (attr(l, key) ?? dflt).trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw unsupported(`layer ${l.id} (${l.type}): ${key}=${JSON.stringify(v)} is not supported (only ${allowed.join(', ')})`);
  return v as T;
}

export const ints = (value: readonly number[]): OnnxAttr => ({ kind: 'ints', value });
export const int = (value: number): OnnxAttr => ({ kind: 'int', value });

// ---------------------------------------------------------------- value helpers

/** Little-endian bytes of one scalar of `type` (a bigint keeps all 64 bits of an i64 or u64). */
export function scalarBytes(type: string, value: number | bigint): Uint8Array {
  const v = Number(value);
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
      dv.setBigInt64(0, BigInt(value), true);
      break;
    case 'u64':
      dv.setBigUint64(0, BigInt(value), true);
      break;
  }
  return b;
}

/** Integer values of a Const (for attributes that ONNX wants static), or undefined when not a Const. */
export function constInts(v: Value, what: string): number[] | undefined {
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

export function sameTypes(ctx: LayerContext): string {
  const t = ctx.inputs[0]!.type;
  const other = ctx.inputs.find((v) => v.type !== t);
  if (other) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}) mixes element types ${t} and ${other.type}`);
  return t;
}

export function requireFloat(ctx: LayerContext, v: Value): void {
  if (ELEMENT_TYPES[v.type]!.kind !== 'float') throw unsupported(`layer ${ctx.layer.id} (${ctx.layer.type}) on ${v.type}: only float types are supported`);
}

/** Casts an integer index/shape/axes input to i64, as ONNX wants it. */
export function asI64(ctx: LayerContext, v: Value, what: string): string {
  const k = ELEMENT_TYPES[v.type]!.kind;
  if (k !== 'int' && k !== 'uint') throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${what} is ${v.type}, not an integer type`);
  return v.type === 'i64' ? v.name : ctx.node('Cast', [v.name], { to: int(7) })[0]!;
}

export function out(name: string, type: string): Value {
  return { name, type };
}

export function unary(onnxOp: string, floatOnly: boolean): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    const x = ctx.inputs[0]!;
    if (floatOnly) requireFloat(ctx, x);
    return [out(ctx.node(onnxOp, [x.name])[0]!, x.type)];
  };
}

export function broadcast(ctx: LayerContext): void {
  enumAttr(ctx.layer, 'auto_broadcast', ['numpy', 'none'], 'numpy');
}

export function binary(onnxOp: string): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    broadcast(ctx);
    const t = sameTypes(ctx);
    if (t === 'boolean') throw unsupported(`layer ${ctx.layer.id} (${ctx.layer.type}) on boolean`);
    return [out(ctx.node(onnxOp, ctx.inputs.map((v) => v.name))[0]!, t)];
  };
}

/** Spatial attributes shared by Convolution and the pools. */
export function padAttrs(ctx: LayerContext, spatial: number): Record<string, OnnxAttr> {
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

export function spatialInts(ctx: LayerContext, key: string, spatial: number, dflt?: number): number[] {
  const v = intsAttr(ctx.layer, key, dflt === undefined ? undefined : new Array<number>(spatial).fill(dflt));
  if (v.length !== spatial) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${key} has ${v.length} values, the input has ${spatial} spatial dims`);
  if (v.some((x) => x < 1)) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${key} values must be ≥ 1`);
  return v;
}

/** Number of spatial dims of a conv/pool layer: from the kernel or strides attribute. */
export function spatialRank(ctx: LayerContext, key: string): number {
  const n = intsAttr(ctx.layer, key).length;
  if (n < 1 || n > 3) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${key} has ${n} values, 1 to 3 spatial dims are supported`);
  return n;
}

export function conv(ctx: LayerContext, x: Value, w: Value, group: number): Value[] {
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

export function pool(ctx: LayerContext, onnxOp: 'MaxPool' | 'AveragePool'): Value[] {
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

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const outBytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    outBytes.set(p, o);
    o += p.byteLength;
  }
  return outBytes;
}

/** Adds a one-output ONNX node; returns its output name. */
export function node1(ctx: LayerContext, op: string, ins: readonly string[], attrs: Record<string, OnnxAttr> = {}): string {
  return ctx.node(op, ins, attrs)[0]!;
}

/** An i64 initializer holding `values` (dims default [values.length]); returns its name. */
export function i64Const(ctx: LayerContext, values: readonly (number | bigint)[], dims: number[] = [values.length]): string {
  return ctx.constant('i64', dims, concatBytes(values.map((v) => scalarBytes('i64', v)))).name;
}

/** The dims of input `i`: a Const's own dims, else its port's (-1 for a dynamic dim). */
export function dimsOf(ctx: LayerContext, i: number): number[] {
  return ctx.inputs[i]!.constant?.dims ?? ctx.layer.inputs[i]!.dims;
}

export function rankOf(ctx: LayerContext, i: number): number {
  return dimsOf(ctx, i).length;
}
