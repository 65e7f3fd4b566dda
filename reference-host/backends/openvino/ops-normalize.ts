/**
 * IR reductions and normalizations: ReduceMax/Min/Sum/Prod/L1/L2, LogSoftmax, NormalizeL2, MVN
 * (v1 and v6), LRN and BatchNormInference. ONNX opset 18 takes reduction axes as an input, so
 * computed axes work; MVN and NormalizeL2 are written out as their formulas.
 */
import type { OnnxAttr } from './onnx-graph.js';
import { scalar } from './ops-elementwise.js';
import {
  asI64,
  boolAttr,
  constInts,
  enumAttr,
  floatAttr,
  i64Const,
  int,
  intAttr,
  invalid,
  optFloatAttr,
  out,
  requireFloat,
  sameTypes,
  unsupported,
  node1,
  type LayerContext,
  type OpEntry,
  type Value,
} from './translate-kit.js';

function reduce(onnxOp: string, floatOnly = false): OpEntry['translate'] {
  return (ctx) => {
    const [x, axes] = ctx.inputs as [Value, Value];
    if (floatOnly) requireFloat(ctx, x);
    const keep = boolAttr(ctx.layer, 'keep_dims', false);
    return [out(node1(ctx, onnxOp, [x.name, asI64(ctx, axes, 'the axes')], { keepdims: int(keep ? 1 : 0), noop_with_empty_axes: int(1) }), x.type)];
  };
}

const REDUCE_NOTES = '`keep_dims` (default false); axes as an input (computed or Const); empty axes is the identity';

/** (x − mean) / √(var + eps) or / (√var + eps) over `axes`, kept dims. */
function mvn(ctx: LayerContext, x: Value, axes: string, normalizeVariance: boolean, eps: number, inside: boolean): Value[] {
  const mean = node1(ctx, 'ReduceMean', [x.name, axes], { keepdims: int(1) });
  const d = node1(ctx, 'Sub', [x.name, mean]);
  if (!normalizeVariance) return [out(d, x.type)];
  const variance = node1(ctx, 'ReduceMean', [node1(ctx, 'Mul', [d, d]), axes], { keepdims: int(1) });
  const e = scalar(ctx, x.type, eps);
  const denom = inside ? node1(ctx, 'Sqrt', [node1(ctx, 'Add', [variance, e])]) : node1(ctx, 'Add', [node1(ctx, 'Sqrt', [variance]), e]);
  return [out(node1(ctx, 'Div', [d, denom]), x.type)];
}

export const NORMALIZE_OPS: Readonly<Record<string, OpEntry>> = {
  ReduceMax: { versions: ['opset1'], onnx: 'ReduceMax', arity: [2, 2], notes: REDUCE_NOTES, translate: reduce('ReduceMax') },
  ReduceMin: { versions: ['opset1'], onnx: 'ReduceMin', arity: [2, 2], notes: REDUCE_NOTES, translate: reduce('ReduceMin') },
  ReduceSum: { versions: ['opset1'], onnx: 'ReduceSum', arity: [2, 2], notes: REDUCE_NOTES, translate: reduce('ReduceSum') },
  ReduceProd: { versions: ['opset1'], onnx: 'ReduceProd', arity: [2, 2], notes: REDUCE_NOTES, translate: reduce('ReduceProd') },
  ReduceL1: { versions: ['opset4'], onnx: 'ReduceL1', arity: [2, 2], notes: REDUCE_NOTES, translate: reduce('ReduceL1') },
  ReduceL2: { versions: ['opset4'], onnx: 'ReduceL2', arity: [2, 2], notes: `${REDUCE_NOTES}; float types`, translate: reduce('ReduceL2', true) },
  LogSoftmax: {
    versions: ['opset5'],
    onnx: 'LogSoftmax',
    arity: [1, 1],
    notes: '`axis` (default 1, negative from the end); float types',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      requireFloat(ctx, x);
      return [out(node1(ctx, 'LogSoftmax', [x.name], { axis: int(intAttr(ctx.layer, 'axis', 1)) }), x.type)];
    },
  },
  NormalizeL2: {
    versions: ['opset1'],
    onnx: 'x / √(max(Σx², eps)) or x / √(Σx² + eps)',
    arity: [2, 2],
    notes: '`eps`, `eps_mode` add or max; axes as an input; float types',
    translate: (ctx) => {
      const [x, axesV] = ctx.inputs as [Value, Value];
      requireFloat(ctx, x);
      const eps = floatAttr(ctx.layer, 'eps');
      const mode = enumAttr(ctx.layer, 'eps_mode', ['add', 'max'], 'add');
      const sum = node1(ctx, 'ReduceSumSquare', [x.name, asI64(ctx, axesV, 'the axes')], { keepdims: int(1), noop_with_empty_axes: int(0) });
      const e = scalar(ctx, x.type, eps);
      const guarded = node1(ctx, mode === 'add' ? 'Add' : 'Max', [sum, e]);
      return [out(node1(ctx, 'Div', [x.name, node1(ctx, 'Sqrt', [guarded])]), x.type)];
    },
  },
  MVN: {
    versions: ['opset1', 'opset6'],
    onnx: '(x − ReduceMean) / √(ReduceMean(d²) + eps), or / (√var + eps)',
    arity: [1, 2],
    notes: 'opset1: `across_channels` (axes 1… or 2…), `normalize_variance`, `eps` inside the root; opset6: axes input, `normalize_variance`, `eps`, `eps_mode` inside_sqrt or outside_sqrt; float types',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      requireFloat(ctx, x);
      const l = ctx.layer;
      const normalize = boolAttr(l, 'normalize_variance', true);
      const eps = floatAttr(l, 'eps');
      if (l.version === 'opset6') {
        const axesV = ctx.inputs[1];
        if (!axesV) throw invalid(`layer ${l.id} (MVN opset6) needs the axes input`);
        const inside = enumAttr(l, 'eps_mode', ['inside_sqrt', 'outside_sqrt'], 'inside_sqrt') === 'inside_sqrt';
        return mvn(ctx, x, asI64(ctx, axesV, 'the axes'), normalize, eps, inside);
      }
      if (ctx.inputs.length !== 1) throw invalid(`layer ${l.id} (MVN opset1) takes 1 input`);
      const rank = ctx.layer.inputs[0]!.dims.length;
      if (rank < 2) throw unsupported(`layer ${l.id} (MVN opset1): data of rank ${rank}`);
      const across = boolAttr(l, 'across_channels', false);
      const axes = Array.from({ length: rank - (across ? 1 : 2) }, (_, i) => i + (across ? 1 : 2));
      return mvn(ctx, x, i64Const(ctx, axes), normalize, eps, true);
    },
  },
  LRN: {
    versions: ['opset1'],
    onnx: 'LRN',
    arity: [2, 2],
    notes: '`alpha`, `beta`, `bias`, `size`; the axes must be the Const [1] (across channels, what ONNX LRN computes)',
    translate: (ctx) => {
      const [x, axesV] = ctx.inputs as [Value, Value];
      requireFloat(ctx, x);
      const axes = constInts(axesV, `layer ${ctx.layer.id} (LRN) axes`);
      if (!axes || axes.length !== 1 || axes[0] !== 1) throw unsupported(`layer ${ctx.layer.id} (LRN): axes ${axes ? `[${axes.join(',')}]` : 'computed'} (only the Const [1] is supported)`);
      const attrs: Record<string, OnnxAttr> = {
        alpha: { kind: 'float', value: floatAttr(ctx.layer, 'alpha') },
        beta: { kind: 'float', value: floatAttr(ctx.layer, 'beta') },
        bias: { kind: 'float', value: optFloatAttr(ctx.layer, 'bias', 1) },
        size: int(intAttr(ctx.layer, 'size')),
      };
      return [out(node1(ctx, 'LRN', [x.name], attrs), x.type)];
    },
  },
  BatchNormInference: {
    versions: ['opset1', 'opset5'],
    onnx: 'BatchNormalization (inference)',
    arity: [5, 5],
    notes: 'inputs data, gamma, beta, mean, variance; `epsilon`; float types',
    translate: (ctx) => {
      const t = sameTypes(ctx);
      requireFloat(ctx, ctx.inputs[0]!);
      const eps = floatAttr(ctx.layer, 'epsilon');
      return [out(node1(ctx, 'BatchNormalization', ctx.inputs.map((v) => v.name), { epsilon: { kind: 'float', value: eps } }), t)];
    },
  },
};
