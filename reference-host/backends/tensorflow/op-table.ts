/**
 * The TensorFlow ops this engine knows: their OpDef output args (for "node:out_arg:index" names
 * in function bodies), the attr giving their output dtype, the dtypes each runs in on tfjs, and
 * how. `npx tsx reference-host/backends/tensorflow/op-table.ts` writes the table into README.md;
 * op-table.test.ts fails when README.md differs from opTableMarkdown().
 */
import { fileURLToPath } from 'node:url';
import { cell, fencedTable, replaceFencedTable, writeFencedTable } from '../readme-op-table.js';

/** How an op is handled. */
export type OpRole =
  /** executed by tfjs-converter's GraphModel */
  | 'tfjs'
  /** resolved while loading (function calls inlined, variables bound); never executed */
  | 'load'
  /** only in the restore/save functions, interpreted or pruned; never executed */
  | 'checkpoint';

/** dtype names as types.proto spells them (without DT_) */
export type TfType = 'FLOAT' | 'INT32' | 'BOOL' | 'UINT8' | 'HALF';

export interface OpOutput {
  name: string;
  /** a list output: its length is the length of this list attr (Tout, dtypes) */
  listAttr?: string;
}

export interface OpEntry {
  role: OpRole;
  outputs: readonly OpOutput[];
  /** attr naming the (first) output's dtype; null: none or not a tensor */
  dtypeAttr: string | null;
  /** dtypes the op runs in (the output dtype; for Cast, the pairs are in `notes`) */
  dtypes: readonly TfType[];
  notes: string;
}

const one = (name: string): OpOutput[] => [{ name }];
const FLOAT: TfType[] = ['FLOAT'];
const NUM: TfType[] = ['FLOAT', 'INT32'];
const RING: TfType[] = ['FLOAT', 'INT32', 'UINT8'];
const ANY: TfType[] = ['FLOAT', 'INT32', 'BOOL', 'UINT8', 'HALF'];

const binary = (notes: string, dtypes: TfType[] = NUM): OpEntry => ({ role: 'tfjs', outputs: one('z'), dtypeAttr: 'T', dtypes, notes });
const unary = (out: string, notes: string, dtypes: TfType[] = FLOAT): OpEntry => ({ role: 'tfjs', outputs: one(out), dtypeAttr: 'T', dtypes, notes });
const U8_RING = 'uint8 runs in int32 and is reduced mod 256 at the outputs, which is exact for a ring op (TF wraps uint8)';

export const OP_TABLE: Record<string, OpEntry> = {
  Placeholder: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'dtype', dtypes: ANY, notes: 'a graph input; uint8 is fed as int32, half as float32 (both exact)' },
  Const: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'dtype', dtypes: ANY, notes: 'a weight of the in-memory GraphModel; tensor_content or *_val (fewer values than elements repeat the last, as TF does)' },
  Identity: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: ANY, notes: '' },
  Reshape: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: ANY, notes: 'shape input int32' },
  Squeeze: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: ANY, notes: 'squeeze_dims' },
  ExpandDims: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: ANY, notes: 'dim input int32' },
  Transpose: { role: 'tfjs', outputs: one('y'), dtypeAttr: 'T', dtypes: ANY, notes: 'perm input int32' },
  ConcatV2: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: ['FLOAT', 'INT32', 'BOOL'], notes: 'N inputs then the axis' },
  Cast: { role: 'tfjs', outputs: one('y'), dtypeAttr: 'DstT', dtypes: ['FLOAT', 'INT32', 'BOOL'], notes: 'FLOAT, INT32, BOOL to one another (float→int truncates toward zero); HALF→FLOAT and UINT8→FLOAT/INT32 (exact; a uint8 result of arithmetic must not feed it)' },
  MatMul: { role: 'tfjs', outputs: one('product'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'transpose_a, transpose_b' },
  BatchMatMulV2: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'adj_x, adj_y' },
  Add: binary(`broadcasting; ${U8_RING}`, RING),
  AddV2: binary(`broadcasting; ${U8_RING}`, RING),
  Sub: binary(`broadcasting; ${U8_RING}`, RING),
  Mul: binary(`broadcasting; ${U8_RING}; int32 wraps`, RING),
  RealDiv: binary('broadcasting', FLOAT),
  Maximum: binary('broadcasting'),
  Minimum: binary('broadcasting'),
  Neg: unary('y', '', NUM),
  Exp: unary('y', ''),
  Sqrt: unary('y', ''),
  Relu: unary('activations', '', NUM),
  Relu6: unary('activations', ''),
  Sigmoid: unary('y', ''),
  Tanh: unary('y', ''),
  Softmax: unary('softmax', 'last axis'),
  BiasAdd: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'data_format NHWC only' },
  Conv2D: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'HWIO filter; strides, padding SAME/VALID/EXPLICIT (explicit_paddings), dilations; data_format NHWC only' },
  DepthwiseConv2dNative: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'data_format NHWC only' },
  AvgPool: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'ksize, strides, padding SAME/VALID; data_format NHWC only' },
  MaxPool: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'ksize, strides, padding SAME/VALID; data_format NHWC only' },
  Mean: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: FLOAT, notes: 'reduction_indices input int32, keep_dims' },
  Sum: { role: 'tfjs', outputs: one('output'), dtypeAttr: 'T', dtypes: NUM, notes: 'reduction_indices input int32, keep_dims' },
  StatefulPartitionedCall: { role: 'load', outputs: [{ name: 'output', listAttr: 'Tout' }], dtypeAttr: null, dtypes: [], notes: 'the function `f` is inlined (nested calls too; recursion and missing functions are errors)' },
  PartitionedCall: { role: 'load', outputs: [{ name: 'output', listAttr: 'Tout' }], dtypeAttr: null, dtypes: [], notes: 'inlined like StatefulPartitionedCall' },
  VarHandleOp: { role: 'load', outputs: one('resource'), dtypeAttr: null, dtypes: [], notes: 'bound to its checkpoint value through the restore function' },
  ReadVariableOp: { role: 'load', outputs: one('value'), dtypeAttr: 'dtype', dtypes: [], notes: 'of a bound variable: becomes a Const of its checkpoint value' },
  NoOp: { role: 'load', outputs: [], dtypeAttr: null, dtypes: [], notes: 'only reached by control edges, which are dropped' },
  RestoreV2: { role: 'checkpoint', outputs: [{ name: 'tensors', listAttr: 'dtypes' }], dtypeAttr: null, dtypes: [], notes: 'in the restore function: tensor_names (a DT_STRING Const) name the checkpoint keys; shape_and_slices must be empty strings' },
  AssignVariableOp: { role: 'checkpoint', outputs: [], dtypeAttr: null, dtypes: [], notes: 'in the restore function: binds the variable its resource input comes from' },
};

export const README_PATH = fileURLToPath(new URL('./README.md', import.meta.url));

const ROLE: Record<OpRole, string> = { tfjs: 'tfjs', load: 'at load', checkpoint: 'restore fn' };

export function opTableMarkdown(): string {
  const rows = Object.entries(OP_TABLE)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, e]) => `| ${op} | ${ROLE[e.role]} | ${e.outputs.map((o) => (o.listAttr ? `${o.name} (list: ${o.listAttr})` : o.name)).join(', ') || '—'} | ${e.dtypes.join(', ') || '—'} | ${cell(e.notes)} |`);
  return fencedTable(['TF op', 'runs', 'output args', 'dtypes', 'notes'], rows);
}

export function withTable(readme: string): string {
  return replaceFencedTable(readme, opTableMarkdown(), README_PATH);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFencedTable(README_PATH, opTableMarkdown());
}
