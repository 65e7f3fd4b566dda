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
import type { IrNet, IrPort } from './ir.js';
import { parseShapeAttr } from './ir.js';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from './onnx-graph.js';
import { CONV_OPS } from './ops-conv.js';
import { ELEMENTWISE_OPS } from './ops-elementwise.js';
import { NORMALIZE_OPS } from './ops-normalize.js';
import { REFUSED_OPS } from './ops-refused.js';
import { TENSOR_OPS } from './ops-tensor.js';
import {
  ELEMENT_TYPES,
  attr,
  binary,
  boolAttr,
  dimsOf,
  constInts,
  conv,
  elementType,
  enumAttr,
  floatAttr,
  i64Const,
  int,
  intAttr,
  ints,
  invalid,
  out,
  pool,
  rankOf,
  requireAttr,
  requireFloat,
  sameTypes,
  scalarBytes,
  asI64,
  broadcast,
  unary,
  unsupported,
  type LayerContext,
  type OpEntry,
  type Value,
} from './translate-kit.js';

export { ELEMENT_TYPES, UNTRANSLATED_ELEMENT_TYPES, elementType, scalarBytes } from './translate-kit.js';
export type { ElementTypeInfo, LayerContext, OpEntry, Value } from './translate-kit.js';

// ---------------------------------------------------------------- the registry

const CORE_OPS: Readonly<Record<string, OpEntry>> = {
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
        const rank = rankOf(ctx, i);
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
      const dims = dimsOf(ctx, 1);
      if (dims.length < 4 || dims.some((d) => d < 0)) throw invalid(`layer ${ctx.layer.id} (GroupConvolution): the weights need static dims [G, C_OUT/G, C_IN/G, k…], got [${dims.join(',')}]`);
      const [g, og, ...rest] = dims as [number, number, ...number[]];
      const reshaped = ctx.node('Reshape', [w.name, i64Const(ctx, [g * og, ...rest])])[0]!;
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

/** The registry: every IR layer type the front-end translates (core ops here, the op groups in ops-*.ts). */
export const OP_TABLE: Readonly<Record<string, OpEntry>> = { ...CORE_OPS, ...ELEMENTWISE_OPS, ...TENSOR_OPS, ...NORMALIZE_OPS, ...CONV_OPS };

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
    if (!entry) {
      const refused = Object.hasOwn(REFUSED_OPS, layer.type) ? `: ${REFUSED_OPS[layer.type]}` : '';
      throw unsupported(`layer ${layer.id} (${layer.name}) has type ${layer.type}, which this front-end does not translate${refused}`);
    }
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
