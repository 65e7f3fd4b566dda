/**
 * IR ops that move, cut, pick or resize data: StridedSlice, Slice, Pad, Split, VariadicSplit,
 * Broadcast, Tile, TopK, Range, ScatterUpdate, DepthToSpace, SpaceToDepth, ShuffleChannels and
 * Interpolate (v1, v4, v11 → ONNX Resize). Where ONNX wants a value static (axes, masks, perm) the
 * IR input must be a Const; otherwise the layer is unsupported_operation naming what is missing.
 */
import type { OnnxAttr } from './onnx-graph.js';
import {
  ELEMENT_TYPES,
  asI64,
  attr,
  boolAttr,
  constInts,
  dimsOf,
  elementType,
  i64Const,
  enumAttr,
  int,
  intAttr,
  ints,
  intsAttr,
  invalid,
  out,
  rankOf,
  requireFloat,
  unsupported,
  node1,
  type LayerContext,
  type OpEntry,
  type Value,
} from './translate-kit.js';

const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;

function where(ctx: LayerContext): string {
  return `layer ${ctx.layer.id} (${ctx.layer.type})`;
}

/** The integer values of a Const input, or unsupported_operation saying it must be one. */
function staticInts(ctx: LayerContext, v: Value, what: string): number[] {
  const values = constInts(v, `${where(ctx)} ${what}`);
  if (!values) throw unsupported(`${where(ctx)}: a ${what} that is not a Const`);
  return values;
}

function maskAttr(ctx: LayerContext, key: string): number[] {
  return intsAttr(ctx.layer, key, []);
}

function normAxis(ctx: LayerContext, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw invalid(`${where(ctx)}: axis ${axis} is outside rank ${rank}`);
  return a;
}

function stridedSlice(ctx: LayerContext): Value[] {
  const [x, beginV, endV, strideV] = ctx.inputs as [Value, Value, Value, Value | undefined];
  const begin = staticInts(ctx, beginV, 'begin');
  const end = staticInts(ctx, endV, 'end');
  const stride = strideV ? staticInts(ctx, strideV, 'stride') : begin.map(() => 1);
  if (begin.length !== end.length || stride.length !== begin.length) throw invalid(`${where(ctx)}: begin, end and stride have ${begin.length}, ${end.length} and ${stride.length} values`);
  const beginMask = maskAttr(ctx, 'begin_mask');
  const endMask = maskAttr(ctx, 'end_mask');
  const newAxis = maskAttr(ctx, 'new_axis_mask');
  const shrink = maskAttr(ctx, 'shrink_axis_mask');
  const ellipsis = maskAttr(ctx, 'ellipsis_mask');
  if (ellipsis.some((b) => b !== 0)) throw unsupported(`${where(ctx)}: ellipsis_mask is not supported`);
  if (newAxis.some((b) => b !== 0)) throw unsupported(`${where(ctx)}: new_axis_mask is not supported`);
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  const axes: number[] = [];
  const steps: number[] = [];
  const squeeze: number[] = [];
  begin.forEach((b, i) => {
    const step = stride[i]!;
    if (step === 0) throw invalid(`${where(ctx)}: stride ${i} is 0`);
    if (shrink[i]) {
      starts.push(BigInt(b));
      ends.push(b === -1 ? I64_MAX : BigInt(b + 1));
      steps.push(1);
      squeeze.push(i);
    } else {
      starts.push(beginMask[i] ? (step > 0 ? 0n : I64_MAX) : BigInt(b));
      ends.push(endMask[i] ? (step > 0 ? I64_MAX : I64_MIN) : BigInt(end[i]!));
      steps.push(step);
    }
    axes.push(i);
  });
  let y = node1(ctx, 'Slice', [x.name, i64Const(ctx, starts), i64Const(ctx, ends), i64Const(ctx, axes), i64Const(ctx, steps)]);
  if (squeeze.length > 0) y = node1(ctx, 'Squeeze', [y, i64Const(ctx, squeeze)]);
  return [out(y, x.type)];
}

function resize(ctx: LayerContext, x: Value, mode: string, coord: string, nearest: string, cubeCoeff: number, antialias: boolean, axes: number[] | undefined, scales: string, sizes: string): Value[] {
  const attrs: Record<string, OnnxAttr> = {
    mode: { kind: 'string', value: mode },
    coordinate_transformation_mode: { kind: 'string', value: coord },
    nearest_mode: { kind: 'string', value: nearest },
    cubic_coeff_a: { kind: 'float', value: cubeCoeff },
    antialias: int(antialias ? 1 : 0),
  };
  if (axes) attrs['axes'] = ints(axes);
  return [out(node1(ctx, 'Resize', [x.name, '', scales, sizes], attrs), x.type)];
}

const INTERPOLATE_MODES = ['nearest', 'linear', 'linear_onnx', 'cubic', 'bilinear_pillow', 'bicubic_pillow'] as const;
const COORDINATE_MODES = ['half_pixel', 'pytorch_half_pixel', 'asymmetric', 'tf_half_pixel_for_nn', 'align_corners'] as const;
const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil', 'simple'] as const;

/** Interpolate v4 and v11: attributes → ONNX Resize; the sizes or scales input by shape_calculation_mode. */
function interpolate(ctx: LayerContext): Value[] {
  const l = ctx.layer;
  const x = ctx.inputs[0]!;
  requireFloat(ctx, x);
  const mode = enumAttr(l, 'mode', INTERPOLATE_MODES, 'nearest');
  if (mode !== 'nearest' && mode !== 'linear_onnx' && mode !== 'cubic') {
    throw unsupported(`${where(ctx)}: mode ${mode} is not supported (only nearest, linear_onnx and cubic, which ONNX Resize computes alike)`);
  }
  const calc = enumAttr(l, 'shape_calculation_mode', ['sizes', 'scales'], 'sizes');
  const coord = enumAttr(l, 'coordinate_transformation_mode', COORDINATE_MODES, 'half_pixel');
  const nearest = enumAttr(l, 'nearest_mode', NEAREST_MODES, 'round_prefer_floor');
  if (mode === 'nearest' && nearest === 'simple') throw unsupported(`${where(ctx)}: nearest_mode simple is not supported`);
  const pads = [...intsAttr(l, 'pads_begin', []), ...intsAttr(l, 'pads_end', [])];
  if (pads.some((p) => p !== 0)) throw unsupported(`${where(ctx)}: non-zero pads_begin/pads_end are not supported`);
  const antialias = boolAttr(l, 'antialias', false);
  const cube = attr(l, 'cube_coeff') === undefined ? -0.75 : Number(attr(l, 'cube_coeff'));
  if (Number.isNaN(cube)) throw invalid(`${where(ctx)}: cube_coeff=${JSON.stringify(attr(l, 'cube_coeff'))} is not a number`);
  const rank = rankOf(ctx, 0);
  const v11 = l.version === 'opset11';
  const axesInput = ctx.inputs[v11 ? 2 : 3];
  const axes = axesInput ? staticInts(ctx, axesInput, 'axes').map((a) => normAxis(ctx, a, rank)) : undefined;
  const onnxMode = mode === 'linear_onnx' ? 'linear' : mode;
  const onnxNearest = nearest === 'simple' ? 'floor' : nearest;
  if (calc === 'sizes') {
    const sizes = asI64(ctx, ctx.inputs[1]!, 'the sizes');
    return resize(ctx, x, onnxMode, coord, onnxNearest, cube, antialias, axes, '', sizes);
  }
  const scalesV = ctx.inputs[v11 ? 1 : 2];
  if (!scalesV) throw invalid(`${where(ctx)}: shape_calculation_mode scales needs the scales input`);
  const scales = scalesV.type === 'f32' ? scalesV.name : node1(ctx, 'Cast', [scalesV.name], { to: int(1) });
  return resize(ctx, x, onnxMode, coord, onnxNearest, cube, antialias, axes, scales, '');
}

/** Interpolate v1: `axes`, `mode` nearest or linear → Resize with sizes at those axes (what OpenVINO's own v1→v4 conversion gives). */
function interpolate1(ctx: LayerContext): Value[] {
  const l = ctx.layer;
  const x = ctx.inputs[0]!;
  requireFloat(ctx, x);
  const mode = enumAttr(l, 'mode', ['nearest', 'linear', 'cubic', 'area'], 'nearest');
  if (mode === 'area') throw unsupported(`${where(ctx)}: mode area is not supported`);
  if (boolAttr(l, 'antialias', false)) throw unsupported(`${where(ctx)}: antialias is not supported in Interpolate v1`);
  const pads = [...intsAttr(l, 'pads_begin', []), ...intsAttr(l, 'pads_end', [])];
  if (pads.some((p) => p !== 0)) throw unsupported(`${where(ctx)}: non-zero pads_begin/pads_end are not supported`);
  const align = boolAttr(l, 'align_corners', false);
  const rank = rankOf(ctx, 0);
  const axes = intsAttr(l, 'axes').map((a) => normAxis(ctx, a, rank));
  const sizes = asI64(ctx, ctx.inputs[1]!, 'the target spatial shape');
  const coord = align ? 'align_corners' : mode === 'nearest' ? 'asymmetric' : 'half_pixel';
  return resize(ctx, x, mode, coord, mode === 'nearest' && !align ? 'floor' : 'round_prefer_ceil', -0.75, false, axes, '', sizes);
}

export const TENSOR_OPS: Readonly<Record<string, OpEntry>> = {
  StridedSlice: {
    versions: ['opset1'],
    onnx: 'Slice (+ Squeeze for shrink_axis_mask)',
    arity: [3, 4],
    notes: 'begin, end and stride must be Consts; `begin_mask`/`end_mask` (1: the real start/end of the dim), `shrink_axis_mask`; a non-zero `new_axis_mask` or `ellipsis_mask` is unsupported_operation',
    translate: stridedSlice,
  },
  Slice: {
    versions: ['opset8'],
    onnx: 'Slice',
    arity: [4, 5],
    notes: 'start, stop, step, axes (optional) as inputs, any of them computed',
    translate: (ctx) => {
      const [x, start, stop, step, axes] = ctx.inputs as [Value, Value, Value, Value, Value | undefined];
      const ins = [x.name, asI64(ctx, start, 'start'), asI64(ctx, stop, 'stop'), axes ? asI64(ctx, axes, 'axes') : '', asI64(ctx, step, 'step')];
      return [out(node1(ctx, 'Slice', ins), x.type)];
    },
  },
  Interpolate: {
    versions: ['opset1', 'opset4', 'opset11'],
    onnx: 'Resize (opset 18)',
    arity: [2, 4],
    notes: 'v4/v11: `mode` nearest, linear_onnx, cubic (linear, bilinear_pillow, bicubic_pillow refused), `shape_calculation_mode` sizes or scales, `coordinate_transformation_mode`, `nearest_mode` (not simple), `antialias`, `cube_coeff`, zero pads; axes must be a Const. v1: `axes`, `mode` nearest, linear or cubic (area refused), `align_corners`; float types',
    translate: (ctx) => (ctx.layer.version === 'opset1' ? interpolate1(ctx) : interpolate(ctx)),
  },
  Pad: {
    versions: ['opset1', 'opset12'],
    onnx: 'Pad (pads = Concat(pads_begin, pads_end))',
    arity: [3, 4],
    notes: '`pad_mode` constant, edge or reflect (symmetric refused); the pad value input is optional (default 0); negative pads crop (opset12)',
    translate: (ctx) => {
      const [x, begin, end, value] = ctx.inputs as [Value, Value, Value, Value | undefined];
      const mode = enumAttr(ctx.layer, 'pad_mode', ['constant', 'edge', 'reflect', 'symmetric'], 'constant');
      if (mode === 'symmetric') throw unsupported(`${where(ctx)}: pad_mode symmetric is not supported (ONNX Pad lacks it)`);
      const pads = node1(ctx, 'Concat', [asI64(ctx, begin, 'pads_begin'), asI64(ctx, end, 'pads_end')], { axis: int(0) });
      const ins = [x.name, pads];
      if (mode === 'constant' && value) {
        if (value.type !== x.type) throw invalid(`${where(ctx)}: the pad value is ${value.type}, the data ${x.type}`);
        ins.push(value.name);
      }
      return [out(node1(ctx, 'Pad', ins, { mode: { kind: 'string', value: mode } }), x.type)];
    },
  },
  Split: {
    versions: ['opset1'],
    onnx: 'Split (num_outputs)',
    arity: [2, 2],
    notes: '`num_splits`; the axis must be a Const',
    translate: (ctx) => {
      const [x, axisV] = ctx.inputs as [Value, Value];
      const [axis] = staticInts(ctx, axisV, 'axis');
      const n = intAttr(ctx.layer, 'num_splits');
      if (n < 1 || n !== ctx.layer.outputs.length) throw invalid(`${where(ctx)}: num_splits ${n} but ${ctx.layer.outputs.length} output ports`);
      const rank = rankOf(ctx, 0);
      const a = normAxis(ctx, axis ?? 0, rank);
      const d = dimsOf(ctx, 0)[a]!;
      if (d >= 0 && d % n !== 0) throw invalid(`${where(ctx)}: dim ${d} of axis ${a} does not split into ${n} equal parts`);
      return ctx.node('Split', [x.name], { axis: int(a), num_outputs: int(n) }, n).map((name) => out(name, x.type));
    },
  },
  VariadicSplit: {
    versions: ['opset1'],
    onnx: 'Split (split input)',
    arity: [3, 3],
    notes: 'axis and split_lengths must be Consts; one length may be -1 (the rest of a static dim)',
    translate: (ctx) => {
      const [x, axisV, lengthsV] = ctx.inputs as [Value, Value, Value];
      const [axis] = staticInts(ctx, axisV, 'axis');
      const lengths = staticInts(ctx, lengthsV, 'split_lengths');
      const a = normAxis(ctx, axis ?? 0, rankOf(ctx, 0));
      if (lengths.length !== ctx.layer.outputs.length) throw invalid(`${where(ctx)}: ${lengths.length} split lengths but ${ctx.layer.outputs.length} output ports`);
      const unknown = lengths.filter((v) => v === -1).length;
      if (unknown > 1 || lengths.some((v) => v < -1)) throw invalid(`${where(ctx)}: split_lengths [${lengths.join(',')}]`);
      let resolved = lengths;
      if (unknown === 1) {
        const d = dimsOf(ctx, 0)[a]!;
        if (d < 0) throw unsupported(`${where(ctx)}: a -1 split length on a dynamic dim`);
        const rest = d - lengths.filter((v) => v !== -1).reduce((s, v) => s + v, 0);
        if (rest < 0) throw invalid(`${where(ctx)}: split_lengths add up to more than dim ${d}`);
        resolved = lengths.map((v) => (v === -1 ? rest : v));
      }
      return ctx.node('Split', [x.name, i64Const(ctx, resolved)], { axis: int(a) }, resolved.length).map((name) => out(name, x.type));
    },
  },
  Broadcast: {
    versions: ['opset1', 'opset3'],
    onnx: 'Expand (explicit: Reshape, then Expand)',
    arity: [2, 3],
    notes: '`mode` numpy, bidirectional (opset3) or explicit (axes_mapping a Const, target_shape of static length)',
    translate: (ctx) => {
      const [x, target, mapping] = ctx.inputs as [Value, Value, Value | undefined];
      const modes = ctx.layer.version === 'opset3' ? (['numpy', 'explicit', 'bidirectional'] as const) : (['numpy', 'explicit'] as const);
      const mode = enumAttr(ctx.layer, 'mode', modes, 'numpy');
      const shape = asI64(ctx, target, 'the target shape');
      if (mode !== 'explicit') return [out(node1(ctx, 'Expand', [x.name, shape]), x.type)];
      if (!mapping) throw invalid(`${where(ctx)}: mode explicit needs axes_mapping`);
      const axes = staticInts(ctx, mapping, 'axes_mapping');
      const targetRank = dimsOf(ctx, 1)[0];
      if (targetRank === undefined || targetRank < 0) throw unsupported(`${where(ctx)}: explicit mode with a target shape of dynamic length`);
      const xDims = dimsOf(ctx, 0);
      if (xDims.length !== axes.length || xDims.some((d) => d < 0)) throw unsupported(`${where(ctx)}: explicit mode needs static data dims, one per axes_mapping value`);
      const reshaped = new Array<number>(targetRank).fill(1);
      axes.forEach((ax, i) => (reshaped[normAxis(ctx, ax, targetRank)] = xDims[i]!));
      const r = node1(ctx, 'Reshape', [x.name, i64Const(ctx, reshaped)]);
      return [out(node1(ctx, 'Expand', [r, shape]), x.type)];
    },
  },
  Tile: {
    versions: ['opset1'],
    onnx: 'Tile (repeats padded with 1s to the rank, or the data unsqueezed)',
    arity: [2, 2],
    notes: 'repeats must be a Const unless its length is the data rank',
    translate: (ctx) => {
      const [x, repeatsV] = ctx.inputs as [Value, Value];
      const rank = rankOf(ctx, 0);
      const repeats = constInts(repeatsV, `${where(ctx)} repeats`);
      if (!repeats) {
        if (dimsOf(ctx, 1)[0] !== rank) throw unsupported(`${where(ctx)}: computed repeats whose length is not the data rank`);
        return [out(node1(ctx, 'Tile', [x.name, asI64(ctx, repeatsV, 'repeats')]), x.type)];
      }
      let data = x.name;
      let r = repeats;
      if (repeats.length < rank) r = [...new Array<number>(rank - repeats.length).fill(1), ...repeats];
      if (repeats.length > rank) data = node1(ctx, 'Unsqueeze', [x.name, i64Const(ctx, Array.from({ length: repeats.length - rank }, (_, i) => i))]);
      return [out(node1(ctx, 'Tile', [data, i64Const(ctx, r)]), x.type)];
    },
  },
  TopK: {
    versions: ['opset1', 'opset3', 'opset11'],
    onnx: 'TopK (+ Cast of the indices)',
    arity: [2, 2],
    notes: '`axis`, `mode` max or min, `sort` value or none (index refused), `index_element_type` i32 (default) or i64; k a scalar',
    translate: (ctx) => {
      const [x, k] = ctx.inputs as [Value, Value];
      const l = ctx.layer;
      const rank = rankOf(ctx, 0);
      const axis = normAxis(ctx, intAttr(l, 'axis'), rank);
      const mode = enumAttr(l, 'mode', ['max', 'min'], 'max');
      const sort = enumAttr(l, 'sort', ['value', 'index', 'none'], 'none');
      if (sort === 'index') throw unsupported(`${where(ctx)}: sort index is not supported (ONNX TopK sorts by value)`);
      const indexType = l.version === 'opset1' ? 'i32' : elementType(attr(l, 'index_element_type') ?? 'i32', `${where(ctx)} index_element_type`);
      if (indexType !== 'i32' && indexType !== 'i64') throw invalid(`${where(ctx)}: index_element_type ${indexType}`);
      const kk = node1(ctx, 'Reshape', [asI64(ctx, k, 'k'), i64Const(ctx, [1])]);
      const [values, indices] = ctx.node('TopK', [x.name, kk], { axis: int(axis), largest: int(mode === 'max' ? 1 : 0), sorted: int(1) }, 2) as [string, string];
      const idx = indexType === 'i64' ? indices : node1(ctx, 'Cast', [indices], { to: int(6) });
      return [out(values, x.type), out(idx, indexType)];
    },
  },
  Range: {
    versions: ['opset1', 'opset4'],
    onnx: 'Range (+ Cast to output_type)',
    arity: [3, 3],
    notes: 'start, stop, step scalars; `output_type` (opset4)',
    translate: (ctx) => {
      const [start, stop, step] = ctx.inputs as [Value, Value, Value];
      const outType = ctx.layer.version === 'opset4' ? elementType(attr(ctx.layer, 'output_type'), `${where(ctx)} output_type`) : start.type;
      const info = ELEMENT_TYPES[outType]!;
      if (info.kind === 'bool' || info.kind === 'uint' || outType === 'f16' || outType === 'bf16' || outType === 'i8' || outType === 'i16') {
        throw unsupported(`${where(ctx)}: output type ${outType} (ONNX Range takes f32, f64, i16, i32, i64)`);
      }
      const cast = (v: Value) => (v.type === outType ? v.name : node1(ctx, 'Cast', [v.name], { to: int(info.onnx) }));
      const scalarOf = (v: Value) => node1(ctx, 'Reshape', [cast(v), i64Const(ctx, [], [0])]);
      return [out(node1(ctx, 'Range', [scalarOf(start), scalarOf(stop), scalarOf(step)]), outType)];
    },
  },
  ScatterUpdate: {
    versions: ['opset3'],
    onnx: 'ScatterND (indices unsqueezed)',
    arity: [4, 4],
    notes: 'axis must be a Const equal to 0 (other axes refused)',
    translate: (ctx) => {
      const [x, indices, updates, axisV] = ctx.inputs as [Value, Value, Value, Value];
      const [axis] = staticInts(ctx, axisV, 'axis');
      if (normAxis(ctx, axis ?? 0, rankOf(ctx, 0)) !== 0) throw unsupported(`${where(ctx)}: axis ${axis} (only 0 is supported)`);
      if (updates.type !== x.type) throw invalid(`${where(ctx)}: updates are ${updates.type}, the data ${x.type}`);
      const idx = node1(ctx, 'Unsqueeze', [asI64(ctx, indices, 'the indices'), i64Const(ctx, [-1])]);
      return [out(node1(ctx, 'ScatterND', [x.name, idx, updates.name]), x.type)];
    },
  },
  DepthToSpace: {
    versions: ['opset1'],
    onnx: 'DepthToSpace (blocks_first → DCR, depth_first → CRD)',
    arity: [1, 1],
    notes: '`block_size`, `mode`; 4-D data',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      const mode = enumAttr(ctx.layer, 'mode', ['blocks_first', 'depth_first'], 'blocks_first');
      if (rankOf(ctx, 0) !== 4) throw unsupported(`${where(ctx)}: only 4-D data is supported`);
      const attrs = { blocksize: int(intAttr(ctx.layer, 'block_size', 1)), mode: { kind: 'string' as const, value: mode === 'blocks_first' ? 'DCR' : 'CRD' } };
      return [out(node1(ctx, 'DepthToSpace', [x.name], attrs), x.type)];
    },
  },
  SpaceToDepth: {
    versions: ['opset1'],
    onnx: 'SpaceToDepth',
    arity: [1, 1],
    notes: '`block_size`, `mode` blocks_first (depth_first refused: ONNX has only the blocks-first order); 4-D data',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      const mode = enumAttr(ctx.layer, 'mode', ['blocks_first', 'depth_first'], 'blocks_first');
      if (mode === 'depth_first') throw unsupported(`${where(ctx)}: mode depth_first is not supported`);
      if (rankOf(ctx, 0) !== 4) throw unsupported(`${where(ctx)}: only 4-D data is supported`);
      return [out(node1(ctx, 'SpaceToDepth', [x.name], { blocksize: int(intAttr(ctx.layer, 'block_size', 1)) }), x.type)];
    },
  },
  ShuffleChannels: {
    versions: ['opset1'],
    onnx: 'Reshape → Transpose → Reshape',
    arity: [1, 1],
    notes: '`axis` (default 1), `group` (default 1); the data dims must be static',
    translate: (ctx) => {
      const x = ctx.inputs[0]!;
      const dims = dimsOf(ctx, 0);
      if (dims.some((d) => d < 0)) throw unsupported(`${where(ctx)}: dynamic data dims`);
      const axis = normAxis(ctx, intAttr(ctx.layer, 'axis', 1), dims.length);
      const group = intAttr(ctx.layer, 'group', 1);
      const c = dims[axis]!;
      if (group < 1 || c % group !== 0) throw invalid(`${where(ctx)}: group ${group} does not divide dim ${c}`);
      const before = dims.slice(0, axis).reduce((a, b) => a * b, 1);
      const after = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
      const r = node1(ctx, 'Reshape', [x.name, i64Const(ctx, [before, group, c / group, after])]);
      const t = node1(ctx, 'Transpose', [r], { perm: ints([0, 2, 1, 3]) });
      return [out(node1(ctx, 'Reshape', [t, i64Const(ctx, dims)]), x.type)];
    },
  },
};
