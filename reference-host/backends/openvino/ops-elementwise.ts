/**
 * Elementwise IR ops: activations, math, comparisons, logic, Select and FakeQuantize (the INT8
 * IRs' quantize-dequantize). Each becomes one ONNX op where opset 18 has it, else a small ONNX
 * subgraph with the IR op's formula (Gelu, Swish, HSigmoid, SquaredDifference, FloorMod on floats,
 * Round half away from zero, FakeQuantize).
 */
import { f16FromBits } from '../../../fixtures/gen/evaluator.js';
import {
  ELEMENT_TYPES,
  attr,
  binary,
  broadcast,
  dimsOf,
  enumAttr,
  i64Const,
  int,
  invalid,
  optFloatAttr,
  out,
  requireFloat,
  sameTypes,
  scalarBytes,
  unary,
  unsupported,
  node1,
  type LayerContext,
  type OpEntry,
  type Value,
} from './translate-kit.js';

/** The one float value of a Const input (an attribute-like scalar), or unsupported_operation when it is computed. */
function constScalar(ctx: LayerContext, v: Value, what: string): number {
  const c = v.constant;
  if (!c) throw unsupported(`layer ${ctx.layer.id} (${ctx.layer.type}): a ${what} that is not a Const`);
  const info = ELEMENT_TYPES[v.type]!;
  if (c.bytes.byteLength !== info.size) throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${what} must hold one value`);
  const dv = new DataView(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  switch (v.type) {
    case 'f32':
      return dv.getFloat32(0, true);
    case 'f64':
      return dv.getFloat64(0, true);
    case 'f16':
      return f16FromBits(dv.getUint16(0, true));
    default:
      throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}): ${what} is ${v.type}, not a float type`);
  }
}

/** A scalar initializer of `type`. */
export function scalar(ctx: LayerContext, type: string, v: number): string {
  return ctx.constant(type, [], scalarBytes(type, v)).name;
}

/** A float unary op built from a formula over x. */
function floatFormula(f: (ctx: LayerContext, x: Value) => string): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    const x = ctx.inputs[0]!;
    requireFloat(ctx, x);
    return [out(f(ctx, x), x.type)];
  };
}

function compare(onnxOp: string, negate = false): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    broadcast(ctx);
    sameTypes(ctx);
    const r = node1(ctx, onnxOp, ctx.inputs.map((v) => v.name));
    return [out(negate ? node1(ctx, 'Not', [r]) : r, 'boolean')];
  };
}

function logical(onnxOp: string): (ctx: LayerContext) => Value[] {
  return (ctx) => {
    broadcast(ctx);
    for (const v of ctx.inputs) if (v.type !== 'boolean') throw invalid(`layer ${ctx.layer.id} (${ctx.layer.type}) takes boolean inputs, got ${v.type}`);
    return [out(node1(ctx, onnxOp, ctx.inputs.map((v) => v.name)), 'boolean')];
  };
}

const numericBinary = (onnxOp: string) => binary(onnxOp);

const SQRT1_2 = Math.SQRT1_2;

export const ELEMENTWISE_OPS: Readonly<Record<string, OpEntry>> = {
  Elu: {
    versions: ['opset1'],
    onnx: 'Elu',
    arity: [1, 1],
    notes: '`alpha`; float types',
    translate: floatFormula((ctx, x) => node1(ctx, 'Elu', [x.name], { alpha: { kind: 'float', value: optFloatAttr(ctx.layer, 'alpha', 1) } })),
  },
  HSwish: { versions: ['opset4'], onnx: 'HardSwish', arity: [1, 1], notes: 'float types', translate: unary('HardSwish', true) },
  HSigmoid: {
    versions: ['opset5'],
    onnx: 'HardSigmoid (alpha 1/6, beta 0.5)',
    arity: [1, 1],
    notes: 'min(max(x + 3, 0), 6) / 6; float types',
    translate: floatFormula((ctx, x) => node1(ctx, 'HardSigmoid', [x.name], { alpha: { kind: 'float', value: 1 / 6 }, beta: { kind: 'float', value: 0.5 } })),
  },
  Swish: {
    versions: ['opset4'],
    onnx: 'Mul(x, Sigmoid(beta · x))',
    arity: [1, 2],
    notes: 'the optional second input is beta (default 1); float types',
    translate: (ctx) => {
      const [x, beta] = ctx.inputs as [Value, Value | undefined];
      requireFloat(ctx, x);
      const scaled = beta ? node1(ctx, 'Mul', [x.name, beta.name]) : x.name;
      return [out(node1(ctx, 'Mul', [x.name, node1(ctx, 'Sigmoid', [scaled])]), x.type)];
    },
  },
  Mish: { versions: ['opset4'], onnx: 'Mish', arity: [1, 1], notes: 'x · tanh(softplus(x)); float types', translate: unary('Mish', true) },
  SoftPlus: { versions: ['opset4'], onnx: 'Softplus', arity: [1, 1], notes: 'float types', translate: unary('Softplus', true) },
  Gelu: {
    versions: ['opset2', 'opset7'],
    onnx: '0.5 · x · (1 + Erf(x / √2)), or the tanh formula',
    arity: [1, 1],
    notes: '`approximation_mode` erf (opset2, and the opset7 default) or tanh (0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))); float types',
    translate: floatFormula((ctx, x) => {
      const mode = ctx.layer.version === 'opset7' ? enumAttr(ctx.layer, 'approximation_mode', ['erf', 'tanh'], 'erf') : 'erf';
      let inner: string;
      if (mode === 'erf') {
        inner = node1(ctx, 'Erf', [node1(ctx, 'Mul', [x.name, scalar(ctx, x.type, SQRT1_2)])]);
      } else {
        const cube = node1(ctx, 'Mul', [x.name, node1(ctx, 'Mul', [x.name, x.name])]);
        const sum = node1(ctx, 'Add', [x.name, node1(ctx, 'Mul', [cube, scalar(ctx, x.type, 0.044715)])]);
        inner = node1(ctx, 'Tanh', [node1(ctx, 'Mul', [sum, scalar(ctx, x.type, Math.sqrt(2 / Math.PI))])]);
      }
      const half = node1(ctx, 'Mul', [x.name, scalar(ctx, x.type, 0.5)]);
      return node1(ctx, 'Mul', [half, node1(ctx, 'Add', [inner, scalar(ctx, x.type, 1)])]);
    }),
  },
  HardSigmoid: {
    versions: ['opset1'],
    onnx: 'HardSigmoid',
    arity: [3, 3],
    notes: 'alpha and beta as scalar Const inputs; max(0, min(1, alpha · x + beta)); float types',
    translate: floatFormula((ctx, x) => {
      const alpha = constScalar(ctx, ctx.inputs[1]!, 'alpha');
      const beta = constScalar(ctx, ctx.inputs[2]!, 'beta');
      return node1(ctx, 'HardSigmoid', [x.name], { alpha: { kind: 'float', value: alpha }, beta: { kind: 'float', value: beta } });
    }),
  },
  Selu: {
    versions: ['opset1'],
    onnx: 'Selu',
    arity: [3, 3],
    notes: 'alpha and lambda as scalar Const inputs; float types',
    translate: floatFormula((ctx, x) => {
      const alpha = constScalar(ctx, ctx.inputs[1]!, 'alpha');
      const lambda = constScalar(ctx, ctx.inputs[2]!, 'lambda');
      return node1(ctx, 'Selu', [x.name], { alpha: { kind: 'float', value: alpha }, gamma: { kind: 'float', value: lambda } });
    }),
  },
  SoftSign: { versions: ['opset9'], onnx: 'Softsign', arity: [1, 1], notes: 'x / (1 + |x|); float types', translate: unary('Softsign', true) },
  Sin: { versions: ['opset1'], onnx: 'Sin', arity: [1, 1], notes: 'float types', translate: unary('Sin', true) },
  Cos: { versions: ['opset1'], onnx: 'Cos', arity: [1, 1], notes: 'float types', translate: unary('Cos', true) },
  ConvertLike: {
    versions: ['opset1'],
    onnx: 'Cast to the second input\'s type',
    arity: [2, 2],
    notes: 'float→integer truncates toward zero (ONNX Cast)',
    translate: (ctx) => {
      const [x, like] = ctx.inputs as [Value, Value];
      return [out(node1(ctx, 'Cast', [x.name], { to: int(ELEMENT_TYPES[like.type]!.onnx) }), like.type)];
    },
  },
  Erf: { versions: ['opset1'], onnx: 'Erf', arity: [1, 1], notes: 'float types', translate: unary('Erf', true) },
  Sqrt: { versions: ['opset1'], onnx: 'Sqrt', arity: [1, 1], notes: 'float types', translate: unary('Sqrt', true) },
  Exp: { versions: ['opset1'], onnx: 'Exp', arity: [1, 1], notes: 'float types', translate: unary('Exp', true) },
  Log: { versions: ['opset1'], onnx: 'Log', arity: [1, 1], notes: 'float types', translate: unary('Log', true) },
  Abs: { versions: ['opset1'], onnx: 'Abs', arity: [1, 1], notes: '', translate: unary('Abs', false) },
  Negative: { versions: ['opset1'], onnx: 'Neg', arity: [1, 1], notes: 'signed types', translate: unary('Neg', false) },
  Sign: { versions: ['opset1'], onnx: 'Sign', arity: [1, 1], notes: '', translate: unary('Sign', false) },
  Floor: { versions: ['opset1'], onnx: 'Floor', arity: [1, 1], notes: 'float types', translate: unary('Floor', true) },
  Ceiling: { versions: ['opset1'], onnx: 'Ceil', arity: [1, 1], notes: 'float types', translate: unary('Ceil', true) },
  Round: {
    versions: ['opset5'],
    onnx: 'Round (half_to_even); Sign(x) · Floor(|x| + 0.5) (half_away_from_zero)',
    arity: [1, 1],
    notes: '`mode` half_to_even or half_away_from_zero; float types',
    translate: floatFormula((ctx, x) => {
      const mode = enumAttr(ctx.layer, 'mode', ['half_to_even', 'half_away_from_zero'], 'half_to_even');
      if (mode === 'half_to_even') return node1(ctx, 'Round', [x.name]);
      const mag = node1(ctx, 'Floor', [node1(ctx, 'Add', [node1(ctx, 'Abs', [x.name]), scalar(ctx, x.type, 0.5)])]);
      return node1(ctx, 'Mul', [node1(ctx, 'Sign', [x.name]), mag]);
    }),
  },
  Power: { versions: ['opset1'], onnx: 'Pow', arity: [2, 2], notes: '`auto_broadcast` numpy or none', translate: numericBinary('Pow') },
  Maximum: { versions: ['opset1'], onnx: 'Max', arity: [2, 2], notes: '`auto_broadcast` numpy or none', translate: numericBinary('Max') },
  Minimum: { versions: ['opset1'], onnx: 'Min', arity: [2, 2], notes: '`auto_broadcast` numpy or none', translate: numericBinary('Min') },
  SquaredDifference: {
    versions: ['opset1'],
    onnx: 'Mul(Sub(a, b), Sub(a, b))',
    arity: [2, 2],
    notes: '`auto_broadcast` numpy or none',
    translate: (ctx) => {
      broadcast(ctx);
      const t = sameTypes(ctx);
      const d = node1(ctx, 'Sub', ctx.inputs.map((v) => v.name));
      return [out(node1(ctx, 'Mul', [d, d]), t)];
    },
  },
  FloorMod: {
    versions: ['opset1'],
    onnx: 'Mod (integers); a − Floor(a / b) · b (floats)',
    arity: [2, 2],
    notes: 'the result takes the divisor\'s sign',
    translate: (ctx) => {
      broadcast(ctx);
      const t = sameTypes(ctx);
      const [a, b] = ctx.inputs as [Value, Value];
      if (ELEMENT_TYPES[t]!.kind !== 'float') return [out(node1(ctx, 'Mod', [a.name, b.name], { fmod: int(0) }), t)];
      const q = node1(ctx, 'Floor', [node1(ctx, 'Div', [a.name, b.name])]);
      return [out(node1(ctx, 'Sub', [a.name, node1(ctx, 'Mul', [q, b.name])]), t)];
    },
  },
  Mod: {
    versions: ['opset1'],
    onnx: 'Mod with fmod 1',
    arity: [2, 2],
    notes: 'truncated: the result takes the dividend\'s sign',
    translate: (ctx) => {
      broadcast(ctx);
      const t = sameTypes(ctx);
      return [out(node1(ctx, 'Mod', ctx.inputs.map((v) => v.name), { fmod: int(1) }), t)];
    },
  },
  Equal: { versions: ['opset1'], onnx: 'Equal', arity: [2, 2], notes: 'boolean output', translate: compare('Equal') },
  NotEqual: { versions: ['opset1'], onnx: 'Not(Equal)', arity: [2, 2], notes: 'boolean output', translate: compare('Equal', true) },
  Less: { versions: ['opset1'], onnx: 'Less', arity: [2, 2], notes: 'boolean output', translate: compare('Less') },
  LessEqual: { versions: ['opset1'], onnx: 'LessOrEqual', arity: [2, 2], notes: 'boolean output', translate: compare('LessOrEqual') },
  Greater: { versions: ['opset1'], onnx: 'Greater', arity: [2, 2], notes: 'boolean output', translate: compare('Greater') },
  GreaterEqual: { versions: ['opset1'], onnx: 'GreaterOrEqual', arity: [2, 2], notes: 'boolean output', translate: compare('GreaterOrEqual') },
  LogicalAnd: { versions: ['opset1'], onnx: 'And', arity: [2, 2], notes: 'boolean inputs', translate: logical('And') },
  LogicalOr: { versions: ['opset1'], onnx: 'Or', arity: [2, 2], notes: 'boolean inputs', translate: logical('Or') },
  LogicalXor: { versions: ['opset1'], onnx: 'Xor', arity: [2, 2], notes: 'boolean inputs', translate: logical('Xor') },
  LogicalNot: { versions: ['opset1'], onnx: 'Not', arity: [1, 1], notes: 'boolean input', translate: logical('Not') },
  Select: {
    versions: ['opset1'],
    onnx: 'Where',
    arity: [3, 3],
    notes: 'condition boolean; `auto_broadcast` numpy or none',
    translate: (ctx) => {
      broadcast(ctx);
      const [c, a, b] = ctx.inputs as [Value, Value, Value];
      if (c.type !== 'boolean') throw invalid(`layer ${ctx.layer.id} (Select): the condition is ${c.type}, not boolean`);
      if (a.type !== b.type) throw invalid(`layer ${ctx.layer.id} (Select) mixes element types ${a.type} and ${b.type}`);
      return [out(node1(ctx, 'Where', [c.name, a.name, b.name]), a.type)];
    },
  },
  PRelu: {
    versions: ['opset1'],
    onnx: 'PRelu (a 1-D slope of C values reshaped to [C, 1, …] for the channel axis)',
    arity: [2, 2],
    notes: 'a 1-D slope whose length is the channel dim (axis 1) applies per channel, as OpenVINO does; otherwise numpy broadcasting',
    translate: (ctx) => {
      const [x, slope] = ctx.inputs as [Value, Value];
      requireFloat(ctx, x);
      const xDims = dimsOf(ctx, 0);
      const sDims = dimsOf(ctx, 1);
      let s = slope.name;
      if (xDims.length >= 3 && sDims.length === 1 && sDims[0] === xDims[1] && sDims[0]! > 1) {
        s = node1(ctx, 'Reshape', [slope.name, i64Const(ctx, [sDims[0]!, ...new Array<number>(xDims.length - 2).fill(1)])]);
      }
      return [out(node1(ctx, 'PRelu', [x.name, s]), x.type)];
    },
  },
  FakeQuantize: {
    versions: ['opset1'],
    onnx: 'Where(x ≤ min(il, ih), ol, Where(x > max(il, ih), oh, Round((x − il) / (ih − il) · (L − 1)) / (L − 1) · (oh − ol) + ol))',
    arity: [5, 5],
    notes: '`levels` ≥ 2, `auto_broadcast` numpy or none; float types; rounding half to even, as OpenVINO\'s reference',
    translate: (ctx) => {
      broadcast(ctx);
      const t = sameTypes(ctx);
      const [x, il, ih, ol, oh] = ctx.inputs as [Value, Value, Value, Value, Value];
      requireFloat(ctx, x);
      const levelsText = attr(ctx.layer, 'levels');
      const levels = Number(levelsText);
      if (levelsText === undefined || !Number.isInteger(levels) || levels < 2) throw invalid(`layer ${ctx.layer.id} (FakeQuantize): levels=${JSON.stringify(levelsText)} must be an integer ≥ 2`);
      const steps = scalar(ctx, t, levels - 1);
      const frac = node1(ctx, 'Div', [node1(ctx, 'Sub', [x.name, il.name]), node1(ctx, 'Sub', [ih.name, il.name])]);
      const q = node1(ctx, 'Div', [node1(ctx, 'Round', [node1(ctx, 'Mul', [frac, steps])]), steps]);
      const mid = node1(ctx, 'Add', [node1(ctx, 'Mul', [q, node1(ctx, 'Sub', [oh.name, ol.name])]), ol.name]);
      const above = node1(ctx, 'Where', [node1(ctx, 'Greater', [x.name, node1(ctx, 'Max', [il.name, ih.name])]), oh.name, mid]);
      return [out(node1(ctx, 'Where', [node1(ctx, 'LessOrEqual', [x.name, node1(ctx, 'Min', [il.name, ih.name])]), ol.name, above]), t)];
    },
  },
};
