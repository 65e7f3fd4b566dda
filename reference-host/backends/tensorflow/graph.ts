/**
 * From a SavedModel (plus its TensorBundle) or a frozen GraphDef to one flat, pruned graph of
 * ops this engine executes:
 *
 *  1. function calls (StatefulPartitionedCall / PartitionedCall, nested) are inlined: body node N
 *     of a call C becomes `C/N`, an argument reference becomes the call's input, a body reference
 *     "node:out_arg:i" becomes that node's flat output (its OpDef output args, OP_TABLE), and the
 *     call's output k becomes whatever the callee's `ret` maps output arg k to;
 *  2. variables: the restore function (saver_def.restore_op_name) is inlined the same way and
 *     interpreted: every AssignVariableOp(resource, value) whose value comes (through Identity)
 *     from RestoreV2 output k binds the VarHandleOp behind `resource` to checkpoint key
 *     tensor_names[k]; a ReadVariableOp of a bound variable becomes a Const of its value;
 *  3. pruning keeps what the outputs need (data edges only; control edges are dropped, since
 *     nothing stateful remains);
 *  4. dtypes: every kept node must be in OP_TABLE with a dtype tfjs computes exactly there.
 *
 * Errors are NnErrors: malformed files and inconsistent graphs invalid_argument, ops and
 * dtypes this engine lacks unsupported_operation (naming the node and the op or dtype).
 */
import { NnError, type TensorType } from '../../core/types.js';
import { entryBytes, readBundleIndex } from './bundle.js';
import { OP_TABLE, type TfType } from './op-table.js';
import {
  DT,
  DT_SIZE,
  TfFormatError,
  decodeGraph,
  decodeSavedModel,
  dtypeName,
  type AttrValue,
  type FunctionDef,
  type GraphDef,
  type NodeDef,
  type SavedModel,
  type TensorProto,
  type TensorShape,
} from './proto.js';

export const CONVENTION =
  'tensorflow takes 1 builder (a frozen GraphDef, or a saved_model.pb without variables) or 2 + N builders (saved_model.pb, variables.index, then the N data shards variables.data-0000i-of-N in shard order)';

/** A flat node: inputs are "name:index" references to other flat nodes. */
export interface FlatNode {
  name: string;
  op: string;
  inputs: string[];
  attr: Map<string, AttrValue>;
  /** a Const's value (for ReadVariableOp of a bound variable: the checkpoint's bytes) */
  value?: ConstValue;
}

export interface ConstValue {
  dtype: number;
  dims: number[];
  /** little-endian bytes, numElements × DT_SIZE */
  bytes: Uint8Array;
}

export interface IoSpec {
  /** signature key (SavedModel) or node name (frozen GraphDef) */
  name: string;
  /** "node:index" in the flat graph */
  ref: string;
  dtype: number;
  type: TensorType | undefined;
  /** -1 for a dynamic dim; undefined: unknown rank */
  shape: number[] | undefined;
}

export interface FlatGraph {
  kind: 'frozen GraphDef' | 'SavedModel';
  /** topological order */
  nodes: FlatNode[];
  inputs: IoSpec[];
  outputs: IoSpec[];
  /** number of variables bound to checkpoint values */
  variables: number;
}

const DT_TO_WASI: Partial<Record<number, TensorType>> = { [DT.DT_FLOAT]: 'f32', [DT.DT_DOUBLE]: 'f64', [DT.DT_INT32]: 'i32', [DT.DT_UINT8]: 'u8', [DT.DT_INT64]: 'i64', [DT.DT_HALF]: 'f16' };
const DT_TO_TF: Partial<Record<number, TfType>> = { [DT.DT_FLOAT]: 'FLOAT', [DT.DT_INT32]: 'INT32', [DT.DT_BOOL]: 'BOOL', [DT.DT_UINT8]: 'UINT8', [DT.DT_HALF]: 'HALF' };

const bad = (m: string) => new NnError('invalid_argument', `tensorflow: ${m}`);
const unsupported = (m: string) => new NnError('unsupported_operation', `tensorflow: ${m}`);

/** Natural order of signature keys: a trailing decimal number compares numerically. */
export function naturalCompare(a: string, b: string): number {
  const ma = /^(.*?)(\d+)$/.exec(a);
  const mb = /^(.*?)(\d+)$/.exec(b);
  if (ma && mb && ma[1] === mb[1]) {
    const d = BigInt(ma[2]!) - BigInt(mb[2]!);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

// ------------------------------------------------------------------------------ attributes
function attrType(n: { attr: Map<string, AttrValue> }, key: string): number | undefined {
  const a = n.attr.get(key);
  return a?.kind === 'type' ? a.type : undefined;
}

function attrShape(n: { attr: Map<string, AttrValue> }, key: string): TensorShape | undefined {
  const a = n.attr.get(key);
  return a?.kind === 'shape' ? a.shape : undefined;
}

function attrString(n: { attr: Map<string, AttrValue> }, key: string): string | undefined {
  const a = n.attr.get(key);
  return a?.kind === 's' ? new TextDecoder().decode(a.s) : undefined;
}

/** Length of a list attr (Tout, dtypes), or undefined when absent. */
function listLength(n: { attr: Map<string, AttrValue> }, key: string): number | undefined {
  const a = n.attr.get(key);
  if (a?.kind !== 'list') return undefined;
  return Math.max(a.list.type.length, a.list.i.length, a.list.s.length, a.list.shape.length);
}

// ----------------------------------------------------------------------------- tensor values
/** A TensorProto's value as little-endian bytes, as TF's Tensor::FromProto reads it. */
export function tensorValue(t: TensorProto, what: string): ConstValue {
  if (t.shape.unknownRank || t.shape.dims.some((d) => d < 0)) throw bad(`${what}: a constant's shape is not fully known`);
  const n = t.shape.dims.reduce((a, b) => a * b, 1);
  const size = DT_SIZE[t.dtype];
  if (size === undefined || t.dtype === DT.DT_COMPLEX64 || t.dtype === DT.DT_COMPLEX128) throw unsupported(`${what}: constants of ${dtypeName(t.dtype)}`);
  if (n * size > 0x7fffffff) throw bad(`${what}: a constant of ${n} elements`);
  const bytes = new Uint8Array(n * size);
  if (t.content !== undefined && t.content.length > 0) {
    if (t.content.length !== n * size) throw bad(`${what}: tensor_content has ${t.content.length} bytes, ${dtypeName(t.dtype)}[${t.shape.dims.join(',')}] needs ${n * size}`);
    bytes.set(t.content);
    return { dtype: t.dtype, dims: t.shape.dims, bytes };
  }
  const view = new DataView(bytes.buffer);
  let vals: (number | bigint)[];
  let put: (i: number, v: number | bigint) => void;
  switch (t.dtype) {
    case DT.DT_FLOAT:
      vals = t.floatVal;
      put = (i, v) => view.setFloat32(i * 4, Number(v), true);
      break;
    case DT.DT_DOUBLE:
      vals = t.doubleVal;
      put = (i, v) => view.setFloat64(i * 8, Number(v), true);
      break;
    case DT.DT_INT32:
    case DT.DT_INT16:
    case DT.DT_INT8:
    case DT.DT_UINT8:
    case DT.DT_UINT16:
      vals = t.intVal;
      put = (i, v) => {
        const x = BigInt(v);
        if (size === 4) view.setInt32(i * 4, Number(BigInt.asIntN(32, x)), true);
        else if (size === 2) view.setUint16(i * 2, Number(BigInt.asUintN(16, x)), true);
        else view.setUint8(i, Number(BigInt.asUintN(8, x)));
      };
      break;
    case DT.DT_INT64:
      vals = t.int64Val;
      put = (i, v) => view.setBigInt64(i * 8, BigInt.asIntN(64, BigInt(v)), true);
      break;
    case DT.DT_UINT32:
      vals = t.uint32Val;
      put = (i, v) => view.setUint32(i * 4, Number(BigInt.asUintN(32, BigInt(v))), true);
      break;
    case DT.DT_UINT64:
      vals = t.uint64Val;
      put = (i, v) => view.setBigUint64(i * 8, BigInt.asUintN(64, BigInt(v)), true);
      break;
    case DT.DT_BOOL:
      vals = t.boolVal;
      put = (i, v) => view.setUint8(i, BigInt(v) !== 0n ? 1 : 0);
      break;
    case DT.DT_HALF:
    case DT.DT_BFLOAT16:
      vals = t.halfVal;
      put = (i, v) => view.setUint16(i * 2, Number(BigInt.asUintN(16, BigInt(v))), true);
      break;
    default:
      throw unsupported(`${what}: constants of ${dtypeName(t.dtype)}`);
  }
  if (vals.length > n) throw bad(`${what}: ${vals.length} values for ${n} elements`);
  // TF: no values → zeros; fewer values than elements → the last one repeats
  if (vals.length > 0) for (let i = 0; i < n; i++) put(i, vals[Math.min(i, vals.length - 1)]!);
  return { dtype: t.dtype, dims: t.shape.dims, bytes };
}

function stringValues(t: TensorProto, what: string): string[] {
  if (t.dtype !== DT.DT_STRING) throw bad(`${what}: a ${dtypeName(t.dtype)} constant where DT_STRING is needed`);
  const n = t.shape.dims.reduce((a, b) => a * b, 1);
  const dec = new TextDecoder('utf-8', { fatal: true });
  const vals = t.stringVal.map((s) => {
    try {
      return dec.decode(s);
    } catch {
      throw bad(`${what}: a string is not UTF-8`);
    }
  });
  if (vals.length === n) return vals;
  if (vals.length > 0 && vals.length < n) return Array.from({ length: n }, (_, i) => vals[Math.min(i, vals.length - 1)]!);
  throw bad(`${what}: ${vals.length} strings for ${n} elements`);
}

/** How many outputs a node of an OP_TABLE op has; undefined for other ops or a missing list attr. */
function outputCount(n: { op: string; attr: Map<string, AttrValue> }): number | undefined {
  const e = OP_TABLE[n.op];
  if (!e) return undefined;
  let count = 0;
  for (const o of e.outputs) {
    const len = o.listAttr ? listLength(n, o.listAttr) : 1;
    if (len === undefined) return undefined;
    count += len;
  }
  return count;
}

// ----------------------------------------------------------------------------------- inlining
/** A reference in the flat namespace: "name:index", or an unresolvable one kept for messages. */
type Ref = string;

function splitRef(ref: Ref): { node: string; index: number } {
  const i = ref.lastIndexOf(':');
  return { node: ref.slice(0, i), index: Number(ref.slice(i + 1)) };
}

export class Inliner {
  readonly nodes = new Map<string, FlatNode>();
  /** control-edge sources of each node (dropped from its inputs: this engine runs no side effect, but TensorFlow would) */
  readonly controls = new Map<string, string[]>();
  /** "call:k" → what the callee's ret k resolves to */
  readonly aliases = new Map<Ref, Ref>();
  private readonly functions: Map<string, FunctionDef>;

  constructor(library: readonly FunctionDef[]) {
    this.functions = new Map();
    for (const f of library) {
      if (this.functions.has(f.signature.name)) throw bad(`the function library defines ${f.signature.name} twice`);
      this.functions.set(f.signature.name, f);
    }
  }

  /** The flat index of output `outArg`[idx] of a node with this op; undefined for ops outside OP_TABLE. */
  private outputIndex(node: NodeDef, outArg: string, idx: number, where: string): number | undefined {
    const e = OP_TABLE[node.op];
    if (!e) return undefined;
    let base = 0;
    for (const o of e.outputs) {
      const len = o.listAttr ? listLength(node, o.listAttr) : 1;
      if (len === undefined) throw bad(`${where}: node ${node.name} (${node.op}) has no ${o.listAttr} attr`);
      if (o.name === outArg) {
        if (idx < 0 || idx >= len) throw bad(`${where}: ${node.name}:${outArg}:${idx} is out of range (${len} outputs)`);
        return base + idx;
      }
      base += len;
    }
    throw bad(`${where}: op ${node.op} has no output arg ${outArg} (node ${node.name})`);
  }

  /**
   * Adds `nodes` under `prefix`. `args` (function bodies only): argument name → flat ref.
   * `stack`: the functions being inlined, for recursion errors.
   */
  addScope(nodes: readonly NodeDef[], prefix: string, args: Map<string, Ref> | undefined, stack: readonly string[], where: string): void {
    const byName = new Map<string, NodeDef>();
    for (const n of nodes) {
      if (!n.name) throw bad(`${where}: a node without a name`);
      if (!n.op) throw bad(`${where}: node ${n.name} has no op`);
      if (byName.has(n.name)) throw bad(`${where}: two nodes are named ${n.name}`);
      byName.set(n.name, n);
    }
    const resolve = (input: string, at: string): Ref | undefined => {
      if (input.startsWith('^')) return undefined; // control edge: dropped
      const parts = input.split(':');
      if (args) {
        if (parts.length === 1) {
          const a = args.get(input);
          if (a !== undefined) return a;
          throw bad(`${where}: ${at} reads ${input}, which is neither an argument nor "node:out_arg:index"`);
        }
        if (parts.length !== 3 || !/^\d+$/.test(parts[2]!)) throw bad(`${where}: ${at} reads ${JSON.stringify(input)}, not "node:out_arg:index"`);
        const src = byName.get(parts[0]!);
        if (!src) throw bad(`${where}: ${at} reads ${input}: no node ${parts[0]} in the function`);
        const idx = this.outputIndex(src, parts[1]!, Number(parts[2]), where);
        return idx === undefined ? `${prefix}${parts[0]}:${parts[1]}:${parts[2]}` : `${prefix}${parts[0]}:${idx}`;
      }
      if (parts.length > 2 || (parts.length === 2 && !/^\d+$/.test(parts[1]!))) throw bad(`${where}: ${at} reads ${JSON.stringify(input)}, not "node" or "node:index"`);
      const src = byName.get(parts[0]!);
      if (!src) throw bad(`${where}: ${at} reads ${input}: no node ${parts[0]}`);
      const index = parts.length === 2 ? Number(parts[1]) : 0;
      const count = outputCount(src);
      if (count !== undefined && index >= count) throw bad(`${where}: ${at} reads ${input}, but ${src.name} (${src.op}) has ${count} output(s)`);
      return `${prefix}${parts[0]}:${index}`;
    };
    for (const n of nodes) {
      const at = `node ${n.name} (${n.op})`;
      const inputs = n.input.map((i) => resolve(i, at)).filter((r): r is Ref => r !== undefined);
      const name = `${prefix}${n.name}`;
      const controls = n.input.filter((i) => i.startsWith('^')).map((i) => `${prefix}${i.slice(1)}`);
      if (controls.length > 0) this.controls.set(name, controls);
      if (n.op === 'StatefulPartitionedCall' || n.op === 'PartitionedCall') {
        const f = n.attr.get('f');
        if (f?.kind !== 'func') throw bad(`${where}: ${at} has no function attr f`);
        const fn = this.functions.get(f.func.name);
        if (!fn) throw bad(`${where}: ${at} calls ${f.func.name}, which the function library does not define`);
        if (stack.includes(fn.signature.name)) throw bad(`${where}: ${at} calls ${fn.signature.name} recursively (${[...stack, fn.signature.name].join(' → ')})`);
        const ins = fn.signature.inputArg;
        if (ins.some((a) => a.numberAttr || a.typeListAttr) || fn.signature.outputArg.some((a) => a.numberAttr || a.typeListAttr)) throw unsupported(`function ${fn.signature.name}: list-typed arguments`);
        if (inputs.length !== ins.length) throw bad(`${where}: ${at} passes ${inputs.length} inputs to ${fn.signature.name}, which takes ${ins.length}`);
        const tout = listLength(n, 'Tout');
        if (tout !== undefined && tout !== fn.signature.outputArg.length) throw bad(`${where}: ${at} expects ${tout} outputs from ${fn.signature.name}, which returns ${fn.signature.outputArg.length}`);
        const fargs = new Map(ins.map((a, i) => [a.name, inputs[i]!]));
        const inner = `${name}/`;
        this.addScope(fn.nodeDef, inner, fargs, [...stack, fn.signature.name], `function ${fn.signature.name}`);
        fn.signature.outputArg.forEach((o, k) => {
          const r = fn.ret.get(o.name);
          if (r === undefined) throw bad(`function ${fn.signature.name}: output ${o.name} has no ret entry`);
          // resolve the ret string in the callee's scope
          const parts = r.split(':');
          let target: Ref;
          if (parts.length === 1) {
            const a = fargs.get(r);
            if (a === undefined) throw bad(`function ${fn.signature.name}: ret ${o.name} = ${r} is neither an argument nor "node:out_arg:index"`);
            target = a;
          } else {
            const src = fn.nodeDef.find((x) => x.name === parts[0]);
            if (parts.length !== 3 || !src) throw bad(`function ${fn.signature.name}: ret ${o.name} = ${JSON.stringify(r)} names no node output`);
            const idx = this.outputIndex(src, parts[1]!, Number(parts[2]), `function ${fn.signature.name}`);
            target = idx === undefined ? `${inner}${parts[0]}:${parts[1]}:${parts[2]}` : `${inner}${parts[0]}:${idx}`;
          }
          this.aliases.set(`${name}:${k}`, target);
        });
        continue;
      }
      this.nodes.set(name, { name, op: n.op, inputs, attr: n.attr });
    }
  }

  /** Follows call-output aliases to a real node output. */
  deref(ref: Ref): Ref {
    const seen = new Set<Ref>();
    let r = ref;
    while (this.aliases.has(r)) {
      if (seen.has(r)) throw bad(`function outputs refer to one another in a cycle at ${r}`);
      seen.add(r);
      r = this.aliases.get(r)!;
    }
    return r;
  }

  /** The node behind a ref after aliases and Identity nodes; undefined when there is none. */
  source(ref: Ref): FlatNode | undefined {
    let r = this.deref(ref);
    for (let i = 0; i < 10000; i++) {
      const node = this.nodes.get(splitRef(r).node);
      if (!node || node.op !== 'Identity') return node;
      if (node.inputs.length < 1) return node;
      r = this.deref(node.inputs[0]!);
    }
    throw bad(`an Identity chain at ${ref} does not end`);
  }
}

// ---------------------------------------------------------------------------------- variables
interface Checkpoint {
  index: Uint8Array;
  shards: Uint8Array[];
}

/** Interprets the restore function: VarHandleOp flat name → its checkpoint value. */
function bindVariables(graph: GraphDef, restoreOp: string, ckpt: Checkpoint): Map<string, ConstValue> {
  let bundle;
  try {
    bundle = readBundleIndex(ckpt.index);
  } catch (e) {
    if (e instanceof TfFormatError) throw bad(e.message);
    throw e;
  }
  if (bundle.header.numShards !== ckpt.shards.length) {
    throw bad(`variables.index says ${bundle.header.numShards} data shard(s), ${ckpt.shards.length} were given; ${CONVENTION}`);
  }
  const opName = restoreOp.replace(/:\d+$/, '');
  const restore = graph.node.find((n) => n.name === opName);
  if (!restore) throw bad(`saver_def.restore_op_name ${restoreOp} names no node of the graph`);
  // inline the restore call into its own namespace (it shares the top-level VarHandleOps)
  const rinl = new Inliner(graph.library.function);
  rinl.addScope(graph.node, '', undefined, [], 'graph');
  const bound = new Map<string, ConstValue>();
  for (const n of rinl.nodes.values()) {
    if (n.op !== 'AssignVariableOp' || !n.name.startsWith(`${opName}/`)) continue;
    if (n.inputs.length !== 2) throw bad(`restore function: ${n.name} has ${n.inputs.length} data inputs`);
    const handle = rinl.source(n.inputs[0]!);
    if (!handle || handle.op !== 'VarHandleOp') throw bad(`restore function: ${n.name} assigns to ${n.inputs[0]}, which is not a VarHandleOp`);
    const valueRef = rinl.deref(n.inputs[1]!);
    // through Identity nodes to the RestoreV2 output
    let r = valueRef;
    let src = rinl.nodes.get(splitRef(r).node);
    while (src?.op === 'Identity' && src.inputs[0]) {
      r = rinl.deref(src.inputs[0]);
      src = rinl.nodes.get(splitRef(r).node);
    }
    if (!src || src.op !== 'RestoreV2') throw bad(`restore function: ${n.name} assigns ${valueRef}, which does not come from RestoreV2`);
    const k = splitRef(r).index;
    const namesNode = src.inputs[1] ? rinl.source(src.inputs[1]) : undefined;
    const slicesNode = src.inputs[2] ? rinl.source(src.inputs[2]) : undefined;
    const names = namesNode?.op === 'Const' ? namesNode.attr.get('value') : undefined;
    const slices = slicesNode?.op === 'Const' ? slicesNode.attr.get('value') : undefined;
    if (names?.kind !== 'tensor' || slices?.kind !== 'tensor') throw bad(`restore function: ${src.name}'s tensor_names and shape_and_slices are not Consts`);
    const keys = stringValues(names.tensor, `${src.name} tensor_names`);
    const sl = stringValues(slices.tensor, `${src.name} shape_and_slices`);
    const key = keys[k];
    if (key === undefined) throw bad(`restore function: ${src.name} output ${k} has no tensor name`);
    if (sl[k]) throw unsupported(`restore function: ${src.name} restores a slice (${sl[k]}) of ${key}`);
    const entry = bundle.entries.get(key);
    if (!entry) throw bad(`checkpoint: variables.index has no entry ${key} (restored by ${src.name})`);
    let bytes: Uint8Array;
    try {
      bytes = entryBytes(key, entry, ckpt.shards);
    } catch (e) {
      if (e instanceof TfFormatError) throw bad(e.message);
      throw e;
    }
    const rdtypes = src.attr.get('dtypes');
    const rdtype = rdtypes?.kind === 'list' ? rdtypes.list.type[k] : undefined;
    if (rdtype !== entry.dtype) throw bad(`restore function: ${src.name} restores ${key} as ${dtypeName(rdtype ?? 0)}, the checkpoint holds ${dtypeName(entry.dtype)}`);
    const vdtype = attrType(handle, 'dtype');
    if (vdtype !== entry.dtype) throw bad(`checkpoint ${key} is ${dtypeName(entry.dtype)}, variable ${handle.name} is ${dtypeName(vdtype ?? 0)}`);
    const vshape = attrShape(handle, 'shape');
    if (vshape && !vshape.unknownRank && (vshape.dims.length !== entry.shape.dims.length || vshape.dims.some((d, i) => d >= 0 && d !== entry.shape.dims[i]))) {
      throw bad(`checkpoint ${key} has shape [${entry.shape.dims.join(',')}], variable ${handle.name} [${vshape.dims.join(',')}]`);
    }
    if (bound.has(handle.name)) throw bad(`restore function: variable ${handle.name} is assigned twice`);
    bound.set(handle.name, { dtype: entry.dtype, dims: entry.shape.dims, bytes: bytes.slice() });
  }
  return bound;
}

// ------------------------------------------------------------------------------------ loading
function placeholderSpec(node: FlatNode, name: string): IoSpec {
  const dtype = attrType(node, 'dtype') ?? 0;
  const shape = attrShape(node, 'shape');
  return { name, ref: `${node.name}:0`, dtype, type: DT_TO_WASI[dtype], shape: shape && !shape.unknownRank ? shape.dims : undefined };
}

/** The output dtype of a flat node's output 0. */
function nodeDtype(n: FlatNode): number | undefined {
  if (n.value) return n.value.dtype;
  const e = OP_TABLE[n.op];
  return e?.dtypeAttr ? attrType(n, e.dtypeAttr) : undefined;
}

export function parseModel(builders: readonly Uint8Array[]): FlatGraph {
  if (builders.length === 0 || builders.length === 2) throw bad(`got ${builders.length} builders; ${CONVENTION}`);
  const b0 = builders[0]!;
  if (b0.byteLength === 0) throw bad('builder 0 is empty');
  let saved: SavedModel | undefined;
  let frozen: GraphDef | undefined;
  let savedError = '';
  try {
    saved = decodeSavedModel(b0);
    if (saved.metaGraphs.length === 0 || (saved.schemaVersion !== 1 && saved.schemaVersion !== 0)) saved = undefined;
  } catch (e) {
    if (!(e instanceof TfFormatError)) throw e;
    savedError = e.message;
    saved = undefined;
  }
  if (!saved) {
    try {
      frozen = decodeGraph(b0, 'GraphDef');
    } catch (e) {
      if (!(e instanceof TfFormatError)) throw e;
      throw bad(`builder 0 is neither a SavedModel nor a GraphDef: ${savedError || e.message}`);
    }
    if (frozen.node.length === 0) throw bad('builder 0 is neither a SavedModel (no meta_graphs) nor a GraphDef with nodes');
    if (builders.length !== 1) throw bad(`builder 0 is a frozen GraphDef, which takes no further builders (got ${builders.length}); ${CONVENTION}`);
    return fromFrozen(frozen);
  }
  return fromSavedModel(saved, builders);
}

function fromFrozen(g: GraphDef): FlatGraph {
  const inl = new Inliner(g.library.function);
  inl.addScope(g.node, '', undefined, [], 'graph');
  const consumed = new Set<string>();
  for (const n of g.node) for (const i of n.input) consumed.add((i.startsWith('^') ? i.slice(1) : i).split(':')[0]!);
  const inputs = g.node.filter((n) => n.op === 'Placeholder').map((n) => placeholderSpec(inl.nodes.get(n.name)!, n.name));
  const outputs = g.node
    .filter((n) => !consumed.has(n.name) && !['NoOp', 'Const', 'Placeholder'].includes(n.op))
    .map((n): IoSpec => ({ name: n.name, ref: inl.deref(`${n.name}:0`), dtype: 0, type: undefined, shape: undefined }));
  if (outputs.length === 0) throw bad('the GraphDef has no output: every node is consumed, or a NoOp, Const or Placeholder');
  return finish('frozen GraphDef', inl, new Map(), inputs, outputs, undefined);
}

function fromSavedModel(saved: SavedModel, builders: readonly Uint8Array[]): FlatGraph {
  const mg = saved.metaGraphs.find((m) => m.tags.includes('serve')) ?? (saved.metaGraphs.length === 1 ? saved.metaGraphs[0] : undefined);
  if (!mg) throw bad(`the SavedModel has ${saved.metaGraphs.length} MetaGraphs and none is tagged "serve"`);
  if (!mg.graph) throw bad('the MetaGraphDef has no graph_def');
  const sigs = mg.signatures;
  let sig = sigs.get('serving_default');
  if (!sig) {
    if (sigs.size === 1) sig = [...sigs.values()][0];
    else throw bad(sigs.size === 0 ? 'the MetaGraphDef has no signature_def' : `the MetaGraphDef has ${sigs.size} signatures (${[...sigs.keys()].join(', ')}) and none is serving_default`);
  }
  const s = sig!;
  const inl = new Inliner(mg.graph.library.function);
  inl.addScope(mg.graph.node, '', undefined, [], 'graph');
  const ioRef = (name: string, what: string): Ref => {
    const m = /^([^:]+)(?::(\d+))?$/.exec(name);
    if (!m) throw bad(`signature ${what} names ${JSON.stringify(name)}, not "node:index"`);
    const src = mg.graph!.node.find((n) => n.name === m[1]);
    if (!src) throw bad(`signature ${what} names ${name}: no such node`);
    const count = outputCount(src);
    if (count !== undefined && Number(m[2] ?? 0) >= count) throw bad(`signature ${what} names ${name}, but ${src.name} (${src.op}) has ${count} output(s)`);
    return inl.deref(`${m[1]}:${m[2] ?? 0}`);
  };
  const keys = (m: Map<string, unknown>) => [...m.keys()].sort(naturalCompare);
  const inputs = keys(s.inputs).map((k): IoSpec => {
    const ti = s.inputs.get(k)!;
    if (ti.other) throw unsupported(`signature input ${k} is a ${ti.other} tensor`);
    const ref = ioRef(ti.name, `input ${k}`);
    const node = inl.nodes.get(splitRef(ref).node);
    if (!node || node.op !== 'Placeholder') throw unsupported(`signature input ${k} (${ti.name}) is not a Placeholder`);
    const spec = placeholderSpec(node, k);
    if (ti.dtype && ti.dtype !== spec.dtype) throw bad(`signature input ${k} says ${dtypeName(ti.dtype)}, its Placeholder ${dtypeName(spec.dtype)}`);
    if (!spec.shape && ti.shape && !ti.shape.unknownRank) spec.shape = ti.shape.dims;
    return spec;
  });
  const outputs = keys(s.outputs).map((k): IoSpec => {
    const ti = s.outputs.get(k)!;
    if (ti.other) throw unsupported(`signature output ${k} is a ${ti.other} tensor`);
    return { name: k, ref: ioRef(ti.name, `output ${k}`), dtype: ti.dtype, type: undefined, shape: undefined };
  });
  if (outputs.length === 0) throw bad('the serving signature has no outputs');
  let bound = new Map<string, ConstValue>();
  const needsVariables = () => [...inl.nodes.values()].some((n) => n.op === 'VarHandleOp');
  if (builders.length > 1) {
    if (!mg.saver?.restoreOpName) throw bad(`${builders.length} builders were given, but the SavedModel has no saver_def.restore_op_name to restore variables with; ${CONVENTION}`);
    bound = bindVariables(mg.graph, mg.saver.restoreOpName, { index: builders[1]!, shards: builders.slice(2) });
  }
  return finish('SavedModel', inl, bound, inputs, outputs, builders.length === 1 && needsVariables() ? 'the SavedModel has variables: pass saved_model.pb, variables.index, then the data shards' : undefined);
}

/**
 * TensorFlow ops that reach the host's files (or a file-backed memory map): TensorFlow itself
 * would run them; this engine never does. Named before any other unsupported op, so the refusal
 * says what the graph would have done.
 */
export const FILE_OPS: ReadonlySet<string> = new Set([
  'ReadFile', 'WriteFile', 'MatchingFiles', 'ImmutableConst', 'Save', 'SaveV2', 'SaveSlices', 'MergeV2Checkpoints', 'Restore', 'RestoreSlice',
  'LoadAndRemapMatrix', 'WholeFileReader', 'WholeFileReaderV2', 'TextLineReader', 'TextLineReaderV2', 'TFRecordReader', 'TFRecordReaderV2',
  'FixedLengthRecordReader', 'FixedLengthRecordReaderV2', 'LMDBReader', 'TextLineDataset', 'TFRecordDataset', 'FixedLengthRecordDataset',
  'CreateSummaryFileWriter', 'WriteSummary', 'WriteScalarSummary', 'WriteHistogramSummary', 'WriteImageSummary', 'WriteAudioSummary', 'WriteGraphSummary',
  'WriteRawProtoSummary', 'PrintV2', 'DebugIdentity', 'DebugIdentityV2', 'DebugNanCount', 'DebugNumericSummary', 'DecodeWav', 'EncodeWav',
]);

/** Every node the outputs depend on (through data and control inputs), before anything else is checked. */
function refuseFileOps(inl: Inliner, outputs: readonly IoSpec[]): void {
  const seen = new Set<string>();
  const stack = outputs.map((o) => splitRef(inl.deref(o.ref)).node);
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const n = inl.nodes.get(name);
    if (!n) continue;
    if (FILE_OPS.has(n.op)) throw unsupported(`node ${n.name} is op ${n.op}, which reaches the host's files: this engine never runs file ops (a model is bytes)`);
    if (n.op === 'RestoreV2' || n.op === 'ReadVariableOp') continue; // bound from the checkpoint bytes, never run
    for (const i of n.inputs) stack.push(splitRef(inl.deref(i)).node);
    stack.push(...(inl.controls.get(name) ?? []));
  }
}

/** Binds ReadVariableOps, prunes, orders, and checks ops and dtypes. */
function finish(kind: FlatGraph['kind'], inl: Inliner, bound: Map<string, ConstValue>, inputs: IoSpec[], outputs: IoSpec[], missingVariables: string | undefined): FlatGraph {
  refuseFileOps(inl, outputs);
  // prune from the outputs; ReadVariableOp of a bound variable becomes a Const
  const kept = new Map<string, FlatNode>();
  const order: FlatNode[] = [];
  const state = new Map<string, 1 | 2>();
  const visit = (ref: Ref, from: string): void => {
    const r = inl.deref(ref);
    const { node: name } = splitRef(r);
    if (state.get(name) === 2) return;
    if (state.get(name) === 1) throw bad(`the graph has a cycle through ${name}`);
    const n0 = inl.nodes.get(name);
    if (!n0) {
      // a symbolic "node:out_arg:index" of an op outside the table, or nothing at all
      const m = /^(.*):([^:]+):(\d+)$/.exec(r);
      const op = m ? inl.nodes.get(m[1]!)?.op : undefined;
      if (op) throw unsupported(`node ${m![1]} is op ${op}, which this engine does not run (see backends/tensorflow/README.md)`);
      throw bad(`${from} reads ${r}, which no node produces`);
    }
    state.set(name, 1);
    let n = n0;
    if (n.op === 'ReadVariableOp') {
      const handle = n.inputs[0] ? inl.source(n.inputs[0]) : undefined;
      if (!handle || handle.op !== 'VarHandleOp') throw unsupported(`node ${n.name} (ReadVariableOp) reads a resource that is not a VarHandleOp`);
      const v = bound.get(handle.name);
      if (!v) throw bad(missingVariables ? `${missingVariables} (node ${n.name} reads variable ${handle.name})` : `node ${n.name} reads variable ${handle.name}, which the restore function binds to no checkpoint value`);
      const want = attrType(n, 'dtype');
      if (want !== v.dtype) throw bad(`node ${n.name} reads ${dtypeName(want ?? 0)} from variable ${handle.name}, which holds ${dtypeName(v.dtype)}`);
      n = { name: n.name, op: 'Const', inputs: [], attr: new Map([['dtype', { kind: 'type', type: v.dtype }]]), value: v };
    } else if (n.op === 'Const') {
      const a = n.attr.get('value');
      if (a?.kind !== 'tensor') throw bad(`Const ${n.name} has no tensor value`);
      const dt = attrType(n, 'dtype');
      if (dt !== undefined && dt !== a.tensor.dtype) throw bad(`Const ${n.name}: dtype ${dtypeName(dt)}, value ${dtypeName(a.tensor.dtype)}`);
      n = { ...n, value: tensorValue(a.tensor, `Const ${n.name}`) };
    } else {
      const e = OP_TABLE[n.op];
      if (!e || e.role !== 'tfjs') throw unsupported(`node ${n.name} is op ${n.op}, which this engine does not run (see backends/tensorflow/README.md)`);
      n = { ...n, inputs: n.inputs.map((i) => inl.deref(i)) };
      for (const i of n.inputs) visit(i, `node ${n.name}`);
    }
    state.set(name, 2);
    kept.set(name, n);
    order.push(n);
  };
  for (const o of outputs) visit(o.ref, `output ${o.name}`);
  for (const i of inputs) if (!kept.has(splitRef(i.ref).node)) {
    const p = inl.nodes.get(splitRef(i.ref).node)!;
    kept.set(p.name, p);
    order.unshift(p);
  }
  checkDtypes(order, kept, outputs);
  for (const o of outputs) {
    const src = kept.get(splitRef(o.ref).node)!;
    const dt = nodeDtype(src) ?? 0;
    if (o.dtype && o.dtype !== dt) throw bad(`signature output ${o.name} says ${dtypeName(o.dtype)}, ${src.name} (${src.op}) produces ${dtypeName(dt)}`);
    o.dtype = dt;
    o.type = DT_TO_WASI[dt];
    if (!o.type) throw unsupported(`output ${o.name} is ${dtypeName(dt)}, which has no wasi-nn tensor type`);
    if (splitRef(o.ref).index !== 0) throw unsupported(`output ${o.name} is output ${splitRef(o.ref).index} of ${src.name}; only first outputs are read`);
  }
  for (const i of inputs) if (!i.type) throw unsupported(`input ${i.name} is ${dtypeName(i.dtype)}, which has no wasi-nn tensor type`);
  return { kind, nodes: order, inputs, outputs, variables: bound.size };
}

/**
 * tfjs computes in float32, int32 and bool. A node runs only where that is exact: its dtype is
 * one OP_TABLE lists for its op; uint8 arithmetic (ring ops, reduced mod 256 at the outputs)
 * feeds only ring ops, Identity, Reshape and outputs; half only moves or is cast to float.
 */
function checkDtypes(order: readonly FlatNode[], kept: ReadonlyMap<string, FlatNode>, outputs: readonly IoSpec[]): void {
  /** uint8 values that may be unreduced (results of ring ops in int32) */
  const unreduced = new Set<string>();
  const outputNodes = new Set(outputs.map((o) => splitRef(o.ref).node));
  for (const n of order) {
    const e = OP_TABLE[n.op]!;
    const dt = nodeDtype(n);
    if (dt === undefined) throw bad(`node ${n.name} (${n.op}) has no ${e.dtypeAttr} attr`);
    const tf = DT_TO_TF[dt];
    if (!tf || !e.dtypes.includes(tf)) {
      const why = dt === DT.DT_DOUBLE || dt === DT.DT_INT64 ? `tfjs computes in float32, int32 and bool only, and ${dtypeName(dt)} arithmetic cannot be carried out exactly there` : `this engine runs ${n.op} in ${e.dtypes.map((t) => `DT_${t}`).join(', ')} only`;
      throw unsupported(`node ${n.name} (${n.op}) is ${dtypeName(dt)}: ${why}`);
    }
    const ins = n.inputs.map((r) => kept.get(splitRef(r).node)!);
    if (n.op === 'Cast') {
      const src = attrType(n, 'SrcT');
      const inDt = ins[0] ? nodeDtype(ins[0]) : undefined;
      if (src !== inDt) throw bad(`node ${n.name} (Cast) has SrcT ${dtypeName(src ?? 0)}, its input is ${dtypeName(inDt ?? 0)}`);
      const ok = src === DT.DT_FLOAT || src === DT.DT_INT32 || src === DT.DT_BOOL || (src === DT.DT_HALF && dt === DT.DT_FLOAT) || (src === DT.DT_UINT8 && (dt === DT.DT_FLOAT || dt === DT.DT_INT32));
      if (!ok) throw unsupported(`node ${n.name} (Cast) from ${dtypeName(src ?? 0)} to ${dtypeName(dt)}: tfjs has no exact equivalent`);
      if (src === DT.DT_UINT8 && unreduced.has(ins[0]!.name)) throw unsupported(`node ${n.name} (Cast) reads uint8 arithmetic, which tfjs computes in int32 and reduces mod 256 only at the outputs`);
      continue;
    }
    if (dt === DT.DT_UINT8 && ['Add', 'AddV2', 'Sub', 'Mul'].includes(n.op)) unreduced.add(n.name);
    if (dt === DT.DT_UINT8 && ['Identity', 'Reshape', 'Squeeze', 'ExpandDims', 'Transpose'].includes(n.op) && ins[0] && unreduced.has(ins[0].name)) unreduced.add(n.name);
    if (dt === DT.DT_HALF && !['Placeholder', 'Const', 'Identity', 'Reshape', 'Squeeze', 'ExpandDims', 'Transpose'].includes(n.op)) throw unsupported(`node ${n.name} (${n.op}) is DT_HALF: tfjs would compute it in float32 without rounding each result to half`);
    // data inputs of a typed op must have its dtype (shape/axis operands excepted)
    const typed = n.op === 'Placeholder' || n.op === 'Const' ? [] : ['Reshape', 'ExpandDims', 'Transpose', 'Mean', 'Sum'].includes(n.op) ? ins.slice(0, 1) : n.op === 'ConcatV2' ? ins.slice(0, -1) : ins;
    for (const i of typed) {
      const idt = nodeDtype(i);
      if (idt !== dt) throw bad(`node ${n.name} (${n.op}) is ${dtypeName(dt)}, its input ${i.name} is ${dtypeName(idt ?? 0)}`);
    }
    for (const i of ins) {
      if (unreduced.has(i.name) && !unreduced.has(n.name) && !outputNodes.has(n.name)) {
        throw unsupported(`node ${n.name} (${n.op}) reads uint8 arithmetic, which tfjs computes in int32 and reduces mod 256 only at the outputs`);
      }
    }
    if (n.op === 'Conv2D' || n.op === 'AvgPool' || n.op === 'MaxPool' || n.op === 'BiasAdd' || n.op === 'DepthwiseConv2dNative') {
      const df = attrString(n, 'data_format') ?? 'NHWC';
      if (df !== 'NHWC') throw unsupported(`node ${n.name} (${n.op}) has data_format ${df}; only NHWC runs here`);
    }
  }
}
