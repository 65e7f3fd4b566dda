/**
 * Transposed convolutions (the up-sampling layers of segmentation IRs): ConvolutionBackpropData
 * and GroupConvolutionBackpropData → ONNX ConvTranspose. Weights are [C_IN, C_OUT, k…] in both
 * (grouped: [G, C_IN/G, C_OUT/G, k…], reshaped to [C_IN, C_OUT/G, k…] with `group`).
 */
import {
  dimsOf,
  enumAttr,
  i64Const,
  int,
  ints,
  intsAttr,
  invalid,
  node1,
  out,
  requireFloat,
  sameTypes,
  spatialInts,
  spatialRank,
  unsupported,
  type LayerContext,
  type OpEntry,
  type Value,
} from './translate-kit.js';

function deconv(ctx: LayerContext, w: string, group: number): Value[] {
  const l = ctx.layer;
  const x = ctx.inputs[0]!;
  requireFloat(ctx, x);
  sameTypes({ ...ctx, inputs: ctx.inputs.slice(0, 2) });
  if (ctx.inputs.length > 2) throw unsupported(`layer ${l.id} (${l.type}): the output_shape input is not supported (give pads_begin/pads_end)`);
  const spatial = spatialRank(ctx, 'strides');
  const autoPad = enumAttr(l, 'auto_pad', ['explicit', 'notset', 'valid', 'same_upper', 'same_lower'], 'explicit');
  if (autoPad === 'same_upper' || autoPad === 'same_lower') throw unsupported(`layer ${l.id} (${l.type}): auto_pad ${autoPad} is not supported`);
  const zeros = new Array<number>(spatial).fill(0);
  const begin = autoPad === 'valid' ? zeros : intsAttr(l, 'pads_begin', zeros);
  const end = autoPad === 'valid' ? zeros : intsAttr(l, 'pads_end', zeros);
  const outputPadding = intsAttr(l, 'output_padding', zeros);
  if (begin.length !== spatial || end.length !== spatial || outputPadding.length !== spatial) throw invalid(`layer ${l.id} (${l.type}): pads_begin, pads_end and output_padding need ${spatial} values`);
  if ([...begin, ...end, ...outputPadding].some((p) => p < 0)) throw invalid(`layer ${l.id} (${l.type}): negative padding`);
  const attrs = {
    strides: ints(spatialInts(ctx, 'strides', spatial)),
    dilations: ints(spatialInts(ctx, 'dilations', spatial, 1)),
    pads: ints([...begin, ...end]),
    output_padding: ints(outputPadding),
    group: int(group),
  };
  return [out(node1(ctx, 'ConvTranspose', [x.name, w], attrs), x.type)];
}

export const CONV_OPS: Readonly<Record<string, OpEntry>> = {
  ConvolutionBackpropData: {
    versions: ['opset1'],
    onnx: 'ConvTranspose',
    arity: [2, 3],
    notes: '`strides`, `dilations`, `pads_begin`, `pads_end`, `output_padding`, `auto_pad` explicit or valid (same_upper/same_lower refused); weights [C_IN, C_OUT, k…]; the output_shape input is refused',
    translate: (ctx) => deconv(ctx, ctx.inputs[1]!.name, 1),
  },
  GroupConvolutionBackpropData: {
    versions: ['opset1'],
    onnx: 'ConvTranspose with `group` (+ Reshape of the weights)',
    arity: [2, 3],
    notes: 'as ConvolutionBackpropData; weights [G, C_IN/G, C_OUT/G, k…] with static dims become [C_IN, C_OUT/G, k…]',
    translate: (ctx) => {
      const w = ctx.inputs[1]!;
      const dims = dimsOf(ctx, 1);
      if (dims.length < 4 || dims.some((d) => d < 0)) throw invalid(`layer ${ctx.layer.id} (GroupConvolutionBackpropData): the weights need static dims [G, C_IN/G, C_OUT/G, k…], got [${dims.join(',')}]`);
      const [g, ig, ...rest] = dims as [number, number, ...number[]];
      return deconv(ctx, node1(ctx, 'Reshape', [w.name, i64Const(ctx, [g * ig, ...rest])]), g);
    },
  },
};
