/**
 * Strict decoders of the TensorFlow protobuf messages a SavedModel or a frozen GraphDef holds,
 * with TensorFlow's field numbers (tensorflow/core/protobuf/{saved_model,meta_graph,saver,
 * tensor_bundle}.proto, tensorflow/core/framework/{graph,node_def,attr_value,tensor,tensor_shape,
 * types,function,op_def,versions}.proto).
 *
 * Strict: every byte must belong to a well-formed field (detect/protobuf.ts), a known field must
 * have its declared wire type (repeated scalars may be packed or not, as proto3 parsers accept
 * both), strings must be UTF-8, enums and sizes must be in range. Unknown field numbers are
 * skipped, as protobuf requires. Every failure is a TfFormatError naming the message path.
 */
import { WireError, parseMessage, type WireField } from '../../detect/protobuf.js';

export class TfFormatError extends Error {}

// ------------------------------------------------------------------------------- types.proto
/** DataType enum values (types.proto) this reader names; others print as their number. */
export const DT = {
  DT_INVALID: 0,
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_UINT8: 4,
  DT_INT16: 5,
  DT_INT8: 6,
  DT_STRING: 7,
  DT_COMPLEX64: 8,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_QINT8: 11,
  DT_QUINT8: 12,
  DT_QINT32: 13,
  DT_BFLOAT16: 14,
  DT_QINT16: 15,
  DT_QUINT16: 16,
  DT_UINT16: 17,
  DT_COMPLEX128: 18,
  DT_HALF: 19,
  DT_RESOURCE: 20,
  DT_VARIANT: 21,
  DT_UINT32: 22,
  DT_UINT64: 23,
} as const;
const DT_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DT).map(([k, v]) => [v, k]));

export function dtypeName(t: number): string {
  const base = t > 100 ? t - 100 : t;
  const name = DT_NAMES[base] ?? `DataType ${base}`;
  return t > 100 ? `${name}_REF` : name;
}

/** Bytes per element of the fixed-size dtypes a tensor_content can hold. */
export const DT_SIZE: Partial<Record<number, number>> = {
  [DT.DT_FLOAT]: 4,
  [DT.DT_DOUBLE]: 8,
  [DT.DT_INT32]: 4,
  [DT.DT_UINT8]: 1,
  [DT.DT_INT16]: 2,
  [DT.DT_INT8]: 1,
  [DT.DT_INT64]: 8,
  [DT.DT_BOOL]: 1,
  [DT.DT_BFLOAT16]: 2,
  [DT.DT_UINT16]: 2,
  [DT.DT_HALF]: 2,
  [DT.DT_UINT32]: 4,
  [DT.DT_UINT64]: 8,
  [DT.DT_COMPLEX64]: 8,
  [DT.DT_COMPLEX128]: 16,
};

// --------------------------------------------------------------------------- wire helpers
type Wire = 0 | 1 | 2 | 5;
/** field number → [wire type, repeated scalar that may also come packed] */
type Schema = Record<number, readonly [Wire, boolean?]>;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

class Msg {
  private constructor(
    readonly path: string,
    readonly fields: WireField[],
  ) {}

  static parse(bytes: Uint8Array, path: string, schema: Schema): Msg {
    let fields: WireField[];
    try {
      fields = parseMessage(bytes);
    } catch (e) {
      if (e instanceof WireError) throw new TfFormatError(`${path}: not a protobuf message: ${e.message}`);
      throw e;
    }
    for (const f of fields) {
      const s = schema[f.field];
      if (!s) continue; // unknown fields are skipped
      const [wire, packable] = s;
      if (f.wire !== wire && !(packable && f.wire === 2)) {
        throw new TfFormatError(`${path}: field ${f.field} has wire type ${f.wire}, the schema says ${wire}`);
      }
    }
    return new Msg(path, fields);
  }

  all(n: number): WireField[] {
    return this.fields.filter((f) => f.field === n);
  }

  /** The last occurrence (protobuf's rule for a singular field). */
  last(n: number): WireField | undefined {
    for (let i = this.fields.length - 1; i >= 0; i--) if (this.fields[i]!.field === n) return this.fields[i];
    return undefined;
  }

  bytes(n: number): Uint8Array | undefined {
    const f = this.last(n);
    return f?.wire === 2 ? f.value : undefined;
  }

  string(n: number, name: string): string {
    const b = this.bytes(n);
    return b === undefined ? '' : this.utf8(b, name);
  }

  utf8(b: Uint8Array, name: string): string {
    try {
      return UTF8.decode(b);
    } catch {
      throw new TfFormatError(`${this.path}.${name}: not UTF-8`);
    }
  }

  strings(n: number, name: string): string[] {
    return this.all(n).map((f) => this.utf8(f.value as Uint8Array, name));
  }

  varint(n: number): bigint {
    const f = this.last(n);
    return f?.wire === 0 ? f.value : 0n;
  }

  /** An int32/int64 field as a safe JS number (two's complement for negatives). */
  int(n: number, name: string): number {
    return toInt(this.varint(n), `${this.path}.${name}`);
  }

  bool(n: number): boolean {
    return this.varint(n) !== 0n;
  }

  fixed32(n: number): number | undefined {
    const f = this.last(n);
    if (f?.wire !== 5) return undefined;
    return new DataView(f.value.buffer, f.value.byteOffset, 4).getUint32(0, true);
  }

  /** Every value of a repeated varint field, packed or not. */
  varints(n: number, name: string): bigint[] {
    const out: bigint[] = [];
    for (const f of this.all(n)) {
      if (f.wire === 0) out.push(f.value);
      else if (f.wire === 2) {
        let at = 0;
        const b = f.value;
        while (at < b.length) {
          let v = 0n;
          let i = 0;
          for (; ; i++) {
            if (i >= 10 || at + i >= b.length) throw new TfFormatError(`${this.path}.${name}: a packed varint runs past its field`);
            const byte = b[at + i]!;
            v |= BigInt(byte & 0x7f) << BigInt(7 * i);
            if ((byte & 0x80) === 0) break;
          }
          at += i + 1;
          out.push(v);
        }
      }
    }
    return out;
  }

  /** Every value of a repeated fixed-width field (4 or 8 bytes), packed or not, as raw bytes. */
  fixeds(n: number, width: 4 | 8, name: string): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const f of this.all(n)) {
      if (f.wire === 0) throw new TfFormatError(`${this.path}.${name}: a varint where ${width * 8}-bit values belong`);
      if (f.wire !== 2) out.push(f.value);
      else {
        if (f.value.length % width !== 0) throw new TfFormatError(`${this.path}.${name}: packed field of ${f.value.length} bytes is not a multiple of ${width}`);
        for (let at = 0; at < f.value.length; at += width) out.push(f.value.subarray(at, at + width));
      }
    }
    return out;
  }

  floats(n: number, name: string): number[] {
    return this.fixeds(n, 4, name).map((b) => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true));
  }

  doubles(n: number, name: string): number[] {
    return this.fixeds(n, 8, name).map((b) => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true));
  }

  /** map<K, V> entries (key = 1, value = 2) */
  mapEntries(n: number, name: string): { key: Uint8Array | bigint | undefined; value: Uint8Array | undefined; path: string }[] {
    return this.all(n).map((f, i) => {
      const path = `${this.path}.${name}[${i}]`;
      const e = Msg.parse(f.value as Uint8Array, path, {});
      const k = e.last(1);
      const v = e.last(2);
      if (v !== undefined && v.wire !== 2) throw new TfFormatError(`${path}: map value has wire type ${v.wire}`);
      return { key: k?.wire === 0 ? k.value : k?.wire === 2 ? k.value : undefined, value: v?.value as Uint8Array | undefined, path };
    });
  }

  /** map<string, Message> */
  stringMap<T>(n: number, name: string, decode: (b: Uint8Array, path: string) => T): Map<string, T> {
    const out = new Map<string, T>();
    for (const e of this.mapEntries(n, name)) {
      if (e.key !== undefined && typeof e.key === 'bigint') throw new TfFormatError(`${e.path}: map key is not a string`);
      const key = e.key === undefined ? '' : this.utf8(e.key, `${name} key`);
      out.set(key, decode(e.value ?? new Uint8Array(), `${this.path}.${name}[${JSON.stringify(key)}]`));
    }
    return out;
  }
}

function utf8At(b: Uint8Array, path: string): string {
  try {
    return UTF8.decode(b);
  } catch {
    throw new TfFormatError(`${path}: not UTF-8`);
  }
}

function toInt(v: bigint, path: string): number {
  const signed = BigInt.asIntN(64, v);
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < BigInt(Number.MIN_SAFE_INTEGER)) throw new TfFormatError(`${path}: ${signed} is out of range`);
  return Number(signed);
}

function enumValue(v: bigint, path: string): number {
  const n = toInt(v, path);
  if (n < 0 || n > 0x7fffffff) throw new TfFormatError(`${path}: enum value ${n} is out of range`);
  return n;
}

// ------------------------------------------------------------------------ tensor_shape.proto
export interface TensorShape {
  /** -1 for an unknown dimension */
  dims: number[];
  unknownRank: boolean;
}

export function decodeShape(bytes: Uint8Array, path: string): TensorShape {
  const m = Msg.parse(bytes, path, { 2: [2], 3: [0] });
  const dims = m.all(2).map((f, i) => {
    const d = Msg.parse(f.value as Uint8Array, `${path}.dim[${i}]`, { 1: [0], 2: [2] });
    const size = d.int(1, 'size');
    if (size < -1) throw new TfFormatError(`${path}.dim[${i}].size: ${size}`);
    return size;
  });
  return { dims, unknownRank: m.bool(3) };
}

// ------------------------------------------------------------------------------ tensor.proto
export interface TensorProto {
  dtype: number;
  shape: TensorShape;
  content: Uint8Array | undefined;
  /** the typed *_val fields, as the proto holds them */
  floatVal: number[];
  doubleVal: number[];
  /** int_val: int32, int16, int8, uint8, uint16, qint* */
  intVal: bigint[];
  int64Val: bigint[];
  boolVal: bigint[];
  halfVal: bigint[];
  stringVal: Uint8Array[];
  uint32Val: bigint[];
  uint64Val: bigint[];
}

const TENSOR_SCHEMA: Schema = {
  1: [0], 2: [2], 3: [0], 4: [2], 5: [5, true], 6: [1, true], 7: [0, true], 8: [2], 9: [5, true], 10: [0, true], 11: [0, true], 12: [1, true], 13: [0, true], 14: [2], 15: [2], 16: [0, true], 17: [0, true],
};

export function decodeTensor(bytes: Uint8Array, path: string): TensorProto {
  const m = Msg.parse(bytes, path, TENSOR_SCHEMA);
  const shapeBytes = m.bytes(2);
  return {
    dtype: enumValue(m.varint(1), `${path}.dtype`),
    shape: shapeBytes ? decodeShape(shapeBytes, `${path}.tensor_shape`) : { dims: [], unknownRank: false },
    content: m.bytes(4),
    floatVal: m.floats(5, 'float_val'),
    doubleVal: m.doubles(6, 'double_val'),
    intVal: m.varints(7, 'int_val'),
    int64Val: m.varints(10, 'int64_val'),
    boolVal: m.varints(11, 'bool_val'),
    halfVal: m.varints(13, 'half_val'),
    stringVal: m.all(8).map((f) => f.value as Uint8Array),
    uint32Val: m.varints(16, 'uint32_val'),
    uint64Val: m.varints(17, 'uint64_val'),
  };
}

// -------------------------------------------------------------------------- attr_value.proto
export interface NameAttrList {
  name: string;
  attr: Map<string, AttrValue>;
}

export interface ListValue {
  s: Uint8Array[];
  i: bigint[];
  f: number[];
  b: boolean[];
  type: number[];
  shape: TensorShape[];
  tensor: TensorProto[];
  func: NameAttrList[];
}

export type AttrValue =
  | { kind: 's'; s: Uint8Array }
  | { kind: 'i'; i: bigint }
  | { kind: 'f'; f: number }
  | { kind: 'b'; b: boolean }
  | { kind: 'type'; type: number }
  | { kind: 'shape'; shape: TensorShape }
  | { kind: 'tensor'; tensor: TensorProto }
  | { kind: 'list'; list: ListValue }
  | { kind: 'func'; func: NameAttrList }
  | { kind: 'placeholder'; placeholder: string }
  | { kind: 'none' };

export function decodeNameAttrList(bytes: Uint8Array, path: string): NameAttrList {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2] });
  return { name: m.string(1, 'name'), attr: m.stringMap(2, 'attr', decodeAttr) };
}

function decodeList(bytes: Uint8Array, path: string): ListValue {
  const m = Msg.parse(bytes, path, { 2: [2], 3: [0, true], 4: [5, true], 5: [0, true], 6: [0, true], 7: [2], 8: [2], 9: [2] });
  return {
    s: m.all(2).map((f) => f.value as Uint8Array),
    i: m.varints(3, 'i').map((v) => BigInt.asIntN(64, v)),
    f: m.floats(4, 'f'),
    b: m.varints(5, 'b').map((v) => v !== 0n),
    type: m.varints(6, 'type').map((v, i) => enumValue(v, `${path}.type[${i}]`)),
    shape: m.all(7).map((f, i) => decodeShape(f.value as Uint8Array, `${path}.shape[${i}]`)),
    tensor: m.all(8).map((f, i) => decodeTensor(f.value as Uint8Array, `${path}.tensor[${i}]`)),
    func: m.all(9).map((f, i) => decodeNameAttrList(f.value as Uint8Array, `${path}.func[${i}]`)),
  };
}

/** AttrValue: a oneof, so the last field of the oneof wins. */
export function decodeAttr(bytes: Uint8Array, path: string): AttrValue {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [0], 4: [5], 5: [0], 6: [0], 7: [2], 8: [2], 9: [2], 10: [2] });
  let chosen: WireField | undefined;
  for (const f of m.fields) if (f.field >= 1 && f.field <= 10) chosen = f;
  if (!chosen) return { kind: 'none' };
  const v = chosen.value;
  switch (chosen.field) {
    case 1:
      return { kind: 'list', list: decodeList(v as Uint8Array, `${path}.list`) };
    case 2:
      return { kind: 's', s: v as Uint8Array };
    case 3:
      return { kind: 'i', i: BigInt.asIntN(64, v as bigint) };
    case 4:
      return { kind: 'f', f: new DataView((v as Uint8Array).buffer, (v as Uint8Array).byteOffset, 4).getFloat32(0, true) };
    case 5:
      return { kind: 'b', b: (v as bigint) !== 0n };
    case 6:
      return { kind: 'type', type: enumValue(v as bigint, `${path}.type`) };
    case 7:
      return { kind: 'shape', shape: decodeShape(v as Uint8Array, `${path}.shape`) };
    case 8:
      return { kind: 'tensor', tensor: decodeTensor(v as Uint8Array, `${path}.tensor`) };
    case 9:
      return { kind: 'placeholder', placeholder: m.utf8(v as Uint8Array, 'placeholder') };
    default:
      return { kind: 'func', func: decodeNameAttrList(v as Uint8Array, `${path}.func`) };
  }
}

// ---------------------------------------------------------------------------- node_def.proto
export interface NodeDef {
  name: string;
  op: string;
  input: string[];
  device: string;
  attr: Map<string, AttrValue>;
}

export function decodeNode(bytes: Uint8Array, path: string): NodeDef {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [2], 4: [2], 5: [2] });
  const name = m.string(1, 'name');
  const p = name ? `${path}(${name})` : path;
  return { name, op: m.string(2, 'op'), input: m.strings(3, 'input'), device: m.string(4, 'device'), attr: m.stringMap(5, 'attr', (b, ap) => decodeAttr(b, ap.replace(path, p))) };
}

// ------------------------------------------------------------------------------ op_def.proto
export interface ArgDef {
  name: string;
  type: number;
  typeAttr: string;
  numberAttr: string;
  typeListAttr: string;
}

export interface OpDefSignature {
  name: string;
  inputArg: ArgDef[];
  outputArg: ArgDef[];
}

function decodeArg(bytes: Uint8Array, path: string): ArgDef {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [0], 4: [2], 5: [2], 6: [2] });
  return { name: m.string(1, 'name'), type: enumValue(m.varint(3), `${path}.type`), typeAttr: m.string(4, 'type_attr'), numberAttr: m.string(5, 'number_attr'), typeListAttr: m.string(6, 'type_list_attr') };
}

export function decodeOpDef(bytes: Uint8Array, path: string): OpDefSignature {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [2] });
  return {
    name: m.string(1, 'name'),
    inputArg: m.all(2).map((f, i) => decodeArg(f.value as Uint8Array, `${path}.input_arg[${i}]`)),
    outputArg: m.all(3).map((f, i) => decodeArg(f.value as Uint8Array, `${path}.output_arg[${i}]`)),
  };
}

// ---------------------------------------------------------------------------- function.proto
export interface FunctionDef {
  signature: OpDefSignature;
  nodeDef: NodeDef[];
  /** output arg name → "node:out_arg:index" or an input arg name */
  ret: Map<string, string>;
}

export function decodeFunction(bytes: Uint8Array, path: string): FunctionDef {
  const m = Msg.parse(bytes, path, { 1: [2], 3: [2], 4: [2], 5: [2], 6: [2], 7: [2], 8: [2] });
  const sig = m.bytes(1);
  const signature = sig ? decodeOpDef(sig, `${path}.signature`) : { name: '', inputArg: [], outputArg: [] };
  const p = `${path}(${signature.name})`;
  return {
    signature,
    nodeDef: m.all(3).map((f, i) => decodeNode(f.value as Uint8Array, `${p}.node_def[${i}]`)),
    ret: m.stringMap(4, 'ret', utf8At),
  };
}

export interface FunctionDefLibrary {
  function: FunctionDef[];
}

export function decodeLibrary(bytes: Uint8Array, path: string): FunctionDefLibrary {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [2] });
  return { function: m.all(1).map((f, i) => decodeFunction(f.value as Uint8Array, `${path}.function[${i}]`)) };
}

// ------------------------------------------------------------------------------- graph.proto
export interface VersionDef {
  producer: number;
  minConsumer: number;
}

export interface GraphDef {
  node: NodeDef[];
  library: FunctionDefLibrary;
  versions: VersionDef | undefined;
}

export function decodeVersions(bytes: Uint8Array, path: string): VersionDef {
  const m = Msg.parse(bytes, path, { 1: [0], 2: [0], 3: [0, true] });
  return { producer: m.int(1, 'producer'), minConsumer: m.int(2, 'min_consumer') };
}

/** GraphDef: node = 1, library = 2, version = 3 (deprecated), versions = 4, debug_info = 5. */
export function decodeGraph(bytes: Uint8Array, path: string): GraphDef {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [0], 4: [2], 5: [2] });
  const lib = m.bytes(2);
  const versions = m.bytes(4);
  return {
    node: m.all(1).map((f, i) => decodeNode(f.value as Uint8Array, `${path}.node[${i}]`)),
    library: lib ? decodeLibrary(lib, `${path}.library`) : { function: [] },
    versions: versions ? decodeVersions(versions, `${path}.versions`) : undefined,
  };
}

// -------------------------------------------------------------------------- meta_graph.proto
export interface TensorInfo {
  name: string;
  dtype: number;
  shape: TensorShape | undefined;
  /** coo_sparse or composite_tensor: encodings this host does not run */
  other: string | undefined;
}

export interface SignatureDef {
  inputs: Map<string, TensorInfo>;
  outputs: Map<string, TensorInfo>;
  methodName: string;
}

function decodeTensorInfo(bytes: Uint8Array, path: string): TensorInfo {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [0], 3: [2], 4: [2], 5: [2] });
  const shape = m.bytes(3);
  return {
    name: m.string(1, 'name'),
    dtype: enumValue(m.varint(2), `${path}.dtype`),
    shape: shape ? decodeShape(shape, `${path}.tensor_shape`) : undefined,
    other: m.last(4) ? 'coo_sparse' : m.last(5) ? 'composite_tensor' : undefined,
  };
}

function decodeSignature(bytes: Uint8Array, path: string): SignatureDef {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [2], 4: [2] });
  return { inputs: m.stringMap(1, 'inputs', decodeTensorInfo), outputs: m.stringMap(2, 'outputs', decodeTensorInfo), methodName: m.string(3, 'method_name') };
}

export interface SaverDef {
  filenameTensorName: string;
  saveTensorName: string;
  restoreOpName: string;
  version: number;
}

function decodeSaver(bytes: Uint8Array, path: string): SaverDef {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [2], 4: [0], 5: [0], 6: [5], 7: [0] });
  return { filenameTensorName: m.string(1, 'filename_tensor_name'), saveTensorName: m.string(2, 'save_tensor_name'), restoreOpName: m.string(3, 'restore_op_name'), version: enumValue(m.varint(7), `${path}.version`) };
}

export interface MetaGraphDef {
  tags: string[];
  graph: GraphDef | undefined;
  saver: SaverDef | undefined;
  signatures: Map<string, SignatureDef>;
}

export function decodeMetaGraph(bytes: Uint8Array, path: string): MetaGraphDef {
  const m = Msg.parse(bytes, path, { 1: [2], 2: [2], 3: [2], 4: [2], 5: [2], 6: [2], 7: [2] });
  const info = m.bytes(1);
  const tags = info ? Msg.parse(info, `${path}.meta_info_def`, { 1: [2], 2: [2], 3: [2], 4: [2], 5: [2], 6: [2], 7: [0] }).strings(4, 'tags') : [];
  const graph = m.bytes(2);
  const saver = m.bytes(3);
  return {
    tags,
    graph: graph ? decodeGraph(graph, `${path}.graph_def`) : undefined,
    saver: saver ? decodeSaver(saver, `${path}.saver_def`) : undefined,
    signatures: m.stringMap(5, 'signature_def', decodeSignature),
  };
}

// ------------------------------------------------------------------------- saved_model.proto
export interface SavedModel {
  schemaVersion: number;
  metaGraphs: MetaGraphDef[];
}

export function decodeSavedModel(bytes: Uint8Array): SavedModel {
  const m = Msg.parse(bytes, 'SavedModel', { 1: [0], 2: [2] });
  return {
    schemaVersion: m.int(1, 'saved_model_schema_version'),
    metaGraphs: m.all(2).map((f, i) => decodeMetaGraph(f.value as Uint8Array, `SavedModel.meta_graphs[${i}]`)),
  };
}

// ----------------------------------------------------------------------- tensor_bundle.proto
export interface BundleHeader {
  numShards: number;
  /** 0 LITTLE, 1 BIG */
  endianness: number;
  producer: number;
  minConsumer: number;
}

export function decodeBundleHeader(bytes: Uint8Array, path: string): BundleHeader {
  const m = Msg.parse(bytes, path, { 1: [0], 2: [0], 3: [2] });
  const v = m.bytes(3);
  const version = v ? decodeVersions(v, `${path}.version`) : { producer: 0, minConsumer: 0 };
  return { numShards: m.int(1, 'num_shards'), endianness: enumValue(m.varint(2), `${path}.endianness`), producer: version.producer, minConsumer: version.minConsumer };
}

export interface BundleEntry {
  dtype: number;
  shape: TensorShape;
  shardId: number;
  offset: number;
  size: number;
  /** masked crc32c of the bytes; undefined when absent */
  crc32c: number | undefined;
  slices: number;
}

export function decodeBundleEntry(bytes: Uint8Array, path: string): BundleEntry {
  const m = Msg.parse(bytes, path, { 1: [0], 2: [2], 3: [0], 4: [0], 5: [0], 6: [5], 7: [2] });
  const shape = m.bytes(2);
  return {
    dtype: enumValue(m.varint(1), `${path}.dtype`),
    shape: shape ? decodeShape(shape, `${path}.shape`) : { dims: [], unknownRank: false },
    shardId: m.int(3, 'shard_id'),
    offset: m.int(4, 'offset'),
    size: m.int(5, 'size'),
    crc32c: m.fixed32(6),
    slices: m.all(7).length,
  };
}
