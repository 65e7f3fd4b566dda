/**
 * One sniffer per model format. Each looks at the bytes (never at a file name) and returns a
 * candidate with a confidence in 0..1 and the evidence it saw, or undefined when nothing of the
 * format is there at all. Sniffers never throw on any input.
 */
import type { Encoding } from '../core/types.js';
import { checkSchema, fieldsNumbered, tryParseMessage, utf8, type Schema, type WireField } from './protobuf.js';
import { listZip, startsLikeZip, ZipError } from './zip.js';

export type ModelEncoding = Exclude<Encoding, 'autodetect'>;

export interface Candidate {
  encoding: ModelEncoding;
  /** what exactly was recognised: "ModelProto", "SavedModel", "frozen GraphDef", "GGUF v3", ... */
  variant: string;
  confidence: number;
  evidence: string[];
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) >>> 0) + (b[at + 3] ?? 0) * 0x1000000;
const i32 = (b: Uint8Array, at: number) => u32(b, at) | 0;
const round = (x: number) => Math.round(Math.max(0, Math.min(1, x)) * 100) / 100;

// ---------------------------------------------------------------------------------------- ONNX

const MODEL_PROTO: Schema = { 1: 0, 2: 2, 3: 2, 4: 2, 5: 0, 6: 2, 7: 2, 8: 2, 14: 2, 20: 2, 25: 2, 26: 2 };
const GRAPH_PROTO: Schema = { 1: 2, 2: 2, 5: 2, 10: 2, 11: 2, 12: 2, 13: 2, 14: 2, 15: 2, 16: 2 };
const NODE_PROTO: Schema = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2 };
const VALUE_INFO_PROTO: Schema = { 1: 2, 2: 2, 3: 2, 4: 2 };
const OPSET_ID_PROTO: Schema = { 1: 2, 2: 0 };

const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** A GraphProto: every node has an op_type, every output a name. Returns why not, or the counts. */
function onnxGraph(bytes: Uint8Array): { ok: true; nodes: number; outputs: number; ops: string[] } | { ok: false; why: string } {
  const fields = tryParseMessage(bytes);
  if (!fields) return { ok: false, why: 'field 7 (graph) is not a protobuf message' };
  const schema = checkSchema(fields, GRAPH_PROTO);
  if (schema.wrongWire.length) return { ok: false, why: `graph field(s) ${schema.wrongWire.join(', ')} have the wrong wire type for a GraphProto` };
  if (schema.unknown.length) return { ok: false, why: `graph has field(s) ${schema.unknown.join(', ')} that GraphProto does not define` };
  const ops: string[] = [];
  for (const node of fieldsNumbered(fields, 1)) {
    const nf = tryParseMessage(node.value as Uint8Array);
    if (!nf) return { ok: false, why: 'a node is not a protobuf message' };
    const ns = checkSchema(nf, NODE_PROTO);
    if (ns.wrongWire.length || ns.unknown.length) return { ok: false, why: `a node has field(s) ${[...ns.wrongWire, ...ns.unknown].join(', ')} that NodeProto does not define that way` };
    const op = fieldsNumbered(nf, 4)[0];
    const opText = op ? utf8(op.value as Uint8Array) : undefined;
    if (opText === undefined || !IDENT.test(opText)) return { ok: false, why: 'a node has no op_type identifier (field 4)' };
    ops.push(opText);
  }
  const outputs = fieldsNumbered(fields, 12);
  for (const out of outputs) {
    const of = tryParseMessage(out.value as Uint8Array);
    if (!of) return { ok: false, why: 'a graph output is not a ValueInfoProto' };
    const os = checkSchema(of, VALUE_INFO_PROTO);
    const name = fieldsNumbered(of, 1)[0];
    if (os.wrongWire.length || os.unknown.length || !name || utf8(name.value as Uint8Array) === undefined) return { ok: false, why: 'a graph output is not a named ValueInfoProto' };
  }
  if (outputs.length === 0) return { ok: false, why: 'the graph declares no outputs' };
  return { ok: true, nodes: ops.length, outputs: outputs.length, ops };
}

export function sniffOnnx(b: Uint8Array, message: WireField[] | undefined): Candidate | undefined {
  if (!message || message.length === 0) return undefined;
  const schema = checkSchema(message, MODEL_PROTO);
  if (schema.wrongWire.length) return undefined; // another message (a GraphDef's field 1 is a string, not a varint)
  const evidence = [`the whole ${b.length}-byte builder parses as one protobuf message (${message.length} top-level fields)`];
  const irField = fieldsNumbered(message, 1);
  const ir = irField.length === 1 ? Number((irField[0] as { value: bigint }).value) : undefined;
  const irOk = ir !== undefined && ir >= 1 && ir <= 15;
  evidence.push(irOk ? `field 1 ir_version = ${ir}` : irField.length === 0 ? 'no field 1 (ir_version)' : `field 1 ir_version = ${String(ir ?? 'repeated')} is not a known IR version`);
  const graphs = fieldsNumbered(message, 7);
  const graph = graphs.length === 1 ? onnxGraph(graphs[0]!.value as Uint8Array) : { ok: false as const, why: graphs.length === 0 ? 'no field 7 (graph)' : 'field 7 (graph) is repeated' };
  evidence.push(graph.ok ? `field 7 graph is a GraphProto: ${graph.nodes} node(s) (${[...new Set(graph.ops)].slice(0, 6).join(', ')}), ${graph.outputs} output(s)` : graph.why);
  const opsets = fieldsNumbered(message, 8);
  const opsetOk =
    opsets.length > 0 &&
    opsets.every((o) => {
      const f = tryParseMessage(o.value as Uint8Array);
      return f !== undefined && checkSchema(f, OPSET_ID_PROTO).wrongWire.length === 0 && fieldsNumbered(f, 2).length === 1;
    });
  evidence.push(opsetOk ? `field 8 opset_import: ${opsets.length} entr${opsets.length === 1 ? 'y' : 'ies'} with a version` : 'no valid field 8 (opset_import)');
  if (schema.unknown.length) evidence.push(`field(s) ${schema.unknown.join(', ')} are not ModelProto fields`);
  let confidence = graph.ok ? 0.5 + (irOk ? 0.25 : 0) + (opsetOk ? 0.2 : 0) : irOk ? 0.2 : 0.05;
  if (schema.unknown.length) confidence -= 0.3;
  return { encoding: 'onnx', variant: 'ModelProto', confidence: round(confidence), evidence };
}

// ---------------------------------------------------------------------------------- TensorFlow

const SAVED_MODEL: Schema = { 1: 0, 2: 2 };
const META_GRAPH_DEF: Schema = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2 };
const GRAPH_DEF: Schema = { 1: 2, 2: 2, 3: 0, 4: 2, 5: 2 };
const NODE_DEF: Schema = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2 };

/** A tensorflow.GraphDef: nodes with a name and an op. */
function graphDef(bytes: Uint8Array): { ok: true; nodes: number; ops: string[] } | { ok: false; why: string } {
  const fields = tryParseMessage(bytes);
  if (!fields) return { ok: false, why: 'not a protobuf message' };
  const s = checkSchema(fields, GRAPH_DEF);
  if (s.wrongWire.length || s.unknown.length) return { ok: false, why: `field(s) ${[...s.wrongWire, ...s.unknown].join(', ')} are not GraphDef fields of that wire type` };
  const ops: string[] = [];
  for (const node of fieldsNumbered(fields, 1)) {
    const nf = tryParseMessage(node.value as Uint8Array);
    if (!nf) return { ok: false, why: 'a node is not a protobuf message' };
    const ns = checkSchema(nf, NODE_DEF);
    if (ns.wrongWire.length || ns.unknown.length) return { ok: false, why: 'a node is not a NodeDef' };
    const name = fieldsNumbered(nf, 1)[0];
    const op = fieldsNumbered(nf, 2)[0];
    const opText = op ? utf8(op.value as Uint8Array) : undefined;
    if (!name || utf8(name.value as Uint8Array) === undefined || opText === undefined || !IDENT.test(opText)) return { ok: false, why: 'a node has no name or op' };
    ops.push(opText);
  }
  if (ops.length === 0) return { ok: false, why: 'no nodes' };
  return { ok: true, nodes: ops.length, ops };
}

/**
 * TensorFlow, builder 0: either a SavedModel (`saved_model.pb`: field 1 schema version, field 2
 * MetaGraphDef holding a GraphDef) or a frozen GraphDef (field 1 repeated NodeDef). Builders 1..
 * are the `variables/` files; they carry no evidence.
 */
export function sniffTensorflow(b: Uint8Array, message: WireField[] | undefined): Candidate | undefined {
  if (!message || message.length === 0) return undefined;
  const whole = `the whole ${b.length}-byte builder parses as one protobuf message`;
  const sm = checkSchema(message, SAVED_MODEL);
  if (!sm.wrongWire.length && !sm.unknown.length && fieldsNumbered(message, 2).length > 0) {
    const evidence = [whole];
    const version = fieldsNumbered(message, 1)[0] as { value: bigint } | undefined;
    evidence.push(version ? `field 1 saved_model_schema_version = ${version.value}` : 'no field 1 (saved_model_schema_version)');
    let graphsOk = 0;
    const metas = fieldsNumbered(message, 2);
    for (const meta of metas) {
      const mf = tryParseMessage(meta.value as Uint8Array);
      if (!mf || checkSchema(mf, META_GRAPH_DEF).wrongWire.length) continue;
      const gd = fieldsNumbered(mf, 2)[0];
      const g = gd ? graphDef(gd.value as Uint8Array) : undefined;
      if (g?.ok) {
        graphsOk++;
        evidence.push(`field 2 meta_graphs: a MetaGraphDef whose field 2 graph_def is a GraphDef with ${g.nodes} node(s) (${[...new Set(g.ops)].slice(0, 6).join(', ')})`);
      }
    }
    if (graphsOk === 0) evidence.push(`field 2 meta_graphs: ${metas.length} entr${metas.length === 1 ? 'y' : 'ies'}, none a MetaGraphDef holding a GraphDef`);
    const confidence = graphsOk > 0 ? (version?.value === 1n ? 0.9 : 0.7) : 0.1;
    return { encoding: 'tensorflow', variant: 'SavedModel', confidence, evidence };
  }
  const g = graphDef(b);
  if (g.ok) {
    return {
      encoding: 'tensorflow',
      variant: 'frozen GraphDef',
      confidence: 0.6,
      evidence: [whole, `a tensorflow.GraphDef (frozen graph, not a SavedModel): field 1 holds ${g.nodes} NodeDef(s) (${[...new Set(g.ops)].slice(0, 6).join(', ')})`],
    };
  }
  return undefined;
}

// -------------------------------------------------------------------------------------- TFLite

/**
 * A FlatBuffer with file identifier TFL3 at byte 4, a root table offset at byte 0 whose vtable
 * lies inside the buffer, and the tflite.Model fields version (slot 0) and subgraphs (slot 2).
 */
export function sniffTflite(b: Uint8Array): Candidate | undefined {
  const at4 = b.length >= 8 && ascii(b, 4, 4) === 'TFL3';
  if (!at4) return undefined;
  const evidence = ['FlatBuffer file identifier "TFL3" at byte 4'];
  const fail = (why: string): Candidate => ({ encoding: 'tensorflowlite', variant: 'FlatBuffer', confidence: 0.2, evidence: [...evidence, why] });
  const root = u32(b, 0);
  if (root < 8 || root % 4 !== 0 || root + 4 > b.length) return fail(`the root table offset ${root} at byte 0 is not a 4-aligned offset inside the ${b.length}-byte buffer`);
  const vt = root - i32(b, root);
  if (vt < 8 || vt % 2 !== 0 || vt + 4 > b.length) return fail(`the root table's vtable offset (${vt}) is outside the buffer`);
  const vtSize = u16(b, vt);
  const tableSize = u16(b, vt + 2);
  if (vtSize < 4 || vtSize % 2 !== 0 || vt + vtSize > b.length || tableSize < 4 || root + tableSize > b.length) {
    return fail(`the vtable at ${vt} (size ${vtSize}, table size ${tableSize}) does not fit the buffer`);
  }
  evidence.push(`root table at ${root} with a ${vtSize}-byte vtable at ${vt}`);
  const slot = (i: number): number | undefined => {
    if (4 + 2 * i + 2 > vtSize) return undefined;
    const off = u16(b, vt + 4 + 2 * i);
    if (off === 0) return undefined;
    return off + 4 <= tableSize ? root + off : -1;
  };
  const vecCount = (i: number): number | undefined => {
    const at = slot(i);
    if (at === undefined || at < 0) return undefined;
    const vec = at + u32(b, at);
    if (vec + 4 > b.length) return undefined;
    const n = u32(b, vec);
    return vec + 4 + 4 * n <= b.length ? n : undefined;
  };
  let confidence = 0.55;
  const versionAt = slot(0);
  const version = versionAt !== undefined && versionAt >= 0 ? u32(b, versionAt) : undefined;
  if (version === 3) {
    confidence += 0.2;
    evidence.push('Model.version (slot 0) = 3');
  } else evidence.push(version === undefined ? 'no Model.version (slot 0)' : `Model.version (slot 0) = ${version}, not 3`);
  const subgraphs = vecCount(2);
  if (subgraphs !== undefined && subgraphs >= 1) {
    confidence += 0.2;
    evidence.push(`Model.subgraphs (slot 2): ${subgraphs}`);
  } else {
    confidence -= 0.2;
    evidence.push('no Model.subgraphs vector (slot 2) inside the buffer');
  }
  return { encoding: 'tensorflowlite', variant: 'FlatBuffer', confidence: round(confidence), evidence };
}

// ---------------------------------------------------------------------------------------- GGUF

const LEGACY_GGML = new Map([
  [0x67676d6c, 'ggml'],
  [0x67676a74, 'ggjt'],
  [0x67676d66, 'ggmf'],
  [0x67676c61, 'ggla'],
  [0x6767736e, 'ggsn'],
  [0x67677371, 'ggsq'],
]);

/** GGUF: magic, version 1..3, tensor and key-value counts that fit the buffer, a first key that parses. */
export function sniffGguf(b: Uint8Array): Candidate | undefined {
  if (b.length >= 4 && LEGACY_GGML.has(u32(b, 0))) {
    return { encoding: 'ggml', variant: `legacy ${LEGACY_GGML.get(u32(b, 0))}`, confidence: 0.3, evidence: [`legacy ggml-family magic "${LEGACY_GGML.get(u32(b, 0))}" (u32 LE at 0): llama.cpp loads only GGUF`] };
  }
  if (b.length < 4 || ascii(b, 0, 4) !== 'GGUF') return undefined;
  const evidence = ['magic "GGUF" at byte 0'];
  const fail = (why: string, confidence = 0.2): Candidate => ({ encoding: 'ggml', variant: 'GGUF', confidence, evidence: [...evidence, why] });
  if (b.length < 8) return fail('no version after the magic');
  const version = u32(b, 4);
  if (version < 1 || version > 3) return fail(`version ${version} is not 1, 2 or 3`);
  evidence.push(`version ${version}`);
  const wide = version >= 2;
  const header = wide ? 24 : 16;
  if (b.length < header) return fail('the header (tensor and key-value counts) is truncated');
  const tensors = wide ? u32(b, 8) + u32(b, 12) * 2 ** 32 : u32(b, 8);
  const kvs = wide ? u32(b, 16) + u32(b, 20) * 2 ** 32 : u32(b, 12);
  // every tensor info takes at least 8 (name length) + 1 + 4 (n_dims) + 8 + 4 (type) + 8 (offset) bytes, every key-value 8 + 1 + 4 + 1
  const minimum = header + tensors * 25 + kvs * 14;
  if (!Number.isSafeInteger(minimum) || minimum > b.length) {
    const exact = (lo: number, hi: number) => (wide ? (BigInt(u32(b, hi)) << 32n) | BigInt(u32(b, lo)) : BigInt(u32(b, lo)));
    return fail(`${exact(8, 12)} tensor(s) and ${wide ? exact(16, 20) : exact(12, 12)} key-value pair(s) cannot fit in ${b.length} bytes`, 0.25);
  }
  evidence.push(`${tensors} tensor(s) and ${kvs} key-value pair(s), which fit in ${b.length} bytes`);
  let confidence = 0.8;
  if (kvs > 0) {
    const keyLen = wide ? u32(b, header) + u32(b, header + 4) * 2 ** 32 : u32(b, header);
    const keyAt = header + (wide ? 8 : 4);
    const key = keyLen <= 65535 && keyAt + keyLen + 4 <= b.length ? utf8(b.subarray(keyAt, keyAt + keyLen)) : undefined;
    const type = key === undefined ? undefined : u32(b, keyAt + keyLen);
    if (key !== undefined && /^[\x21-\x7e]+$/.test(key) && type !== undefined && type <= 12) {
      confidence += 0.15;
      evidence.push(`first key "${key}" with value type ${type}`);
    } else {
      confidence -= 0.3;
      evidence.push('the first key-value pair does not parse');
    }
  }
  return { encoding: 'ggml', variant: `GGUF v${version}`, confidence: round(confidence), evidence };
}

// ---------------------------------------------------------------------------------- TorchScript

/** A zip whose entries, under one top folder, include data.pkl and code/ or constants.pkl. */
export function sniffTorchScript(b: Uint8Array): Candidate | undefined {
  if (b.length >= 4 && b[0] === 0x7f && ascii(b, 1, 3) === 'ELF') {
    return { encoding: 'pytorch', variant: 'ELF shared object', confidence: 0.3, evidence: ['an ELF file (\\x7fELF): an AOTInductor .so at best; this host loads TorchScript archives only'] };
  }
  if (!startsLikeZip(b)) return undefined;
  const evidence = ['zip local file header "PK\\x03\\x04" at byte 0'];
  let names: string[];
  try {
    names = listZip(b).names;
  } catch (e) {
    if (!(e instanceof ZipError)) throw e;
    return { encoding: 'pytorch', variant: 'zip', confidence: 0.05, evidence: [...evidence, `not a readable zip: ${e.message}`] };
  }
  evidence.push(`central directory: ${names.length} entr${names.length === 1 ? 'y' : 'ies'}`);
  const tops = new Set(names.map((n) => n.split('/')[0]));
  const under = (re: RegExp) => names.filter((n) => re.test(n));
  const dataPkl = under(/^[^/]+\/data\.pkl$/);
  const code = under(/^[^/]+\/code\//);
  const constants = under(/^[^/]+\/constants\.pkl$/);
  const version = under(/^[^/]+\/(\.data\/)?version$/);
  const seen = [dataPkl[0], code.length ? `${code[0]!.split('/')[0]}/code/ (${code.length} entries)` : undefined, constants[0], version[0]].filter((x): x is string => x !== undefined);
  if (seen.length) evidence.push(`TorchScript entries: ${seen.join(', ')}`);
  if (tops.size > 1) evidence.push(`entries under ${tops.size} top-level folders (TorchScript uses one)`);
  let confidence: number;
  let variant = 'TorchScript';
  if (dataPkl.length && (code.length || constants.length)) confidence = 0.75 + (version.length ? 0.1 : 0) + (code.length && constants.length ? 0.1 : 0);
  else if (dataPkl.length) {
    confidence = 0.35;
    variant = 'torch.save archive';
    evidence.push('data.pkl without code/ or constants.pkl: pickled tensors (torch.save), not a TorchScript module');
  } else {
    confidence = 0.05;
    variant = 'zip';
    evidence.push(`no */data.pkl entry (entries: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`);
  }
  if (tops.size > 1) confidence -= 0.2;
  return { encoding: 'pytorch', variant, confidence: round(confidence), evidence };
}

// ------------------------------------------------------------------------------------ OpenVINO

/** The root element of an XML document: skips a BOM, the declaration, comments, PIs and a DOCTYPE. */
export function xmlRoot(b: Uint8Array): { name: string; attributes: Record<string, string>; doctype: boolean } | undefined {
  let text = utf8(b.subarray(0, Math.min(b.length, 4096)));
  if (text === undefined && b.length > 4096) text = utf8(b.subarray(0, 4093)) ?? utf8(b.subarray(0, 4094)) ?? utf8(b.subarray(0, 4095));
  if (text === undefined) return undefined;
  let s = text.replace(/^\uFEFF/, '');
  let doctype = false;
  for (;;) {
    s = s.replace(/^\s+/, '');
    if (s.startsWith('<?')) {
      const end = s.indexOf('?>');
      if (end < 0) return undefined;
      s = s.slice(end + 2);
    } else if (s.startsWith('<!--')) {
      const end = s.indexOf('-->');
      if (end < 0) return undefined;
      s = s.slice(end + 3);
    } else if (s.startsWith('<!DOCTYPE')) {
      doctype = true;
      let depth = 0;
      let i = 0;
      for (; i < s.length; i++) {
        if (s[i] === '[') depth++;
        else if (s[i] === ']') depth--;
        else if (s[i] === '>' && depth <= 0) break;
      }
      if (i >= s.length) return undefined;
      s = s.slice(i + 1);
    } else break;
  }
  const m = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(s);
  if (!m) return undefined;
  const attributes: Record<string, string> = {};
  for (const a of (m[2] ?? '').matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[a[1]!] = a[2] ?? a[3] ?? '';
  return { name: m[1]!, attributes, doctype };
}

/** OpenVINO IR: builder 0 is XML whose root is `<net version=N>`; builder 1 holds the weights. */
export function sniffOpenvino(builders: readonly Uint8Array[]): Candidate | undefined {
  const b = builders[0];
  if (!b) return undefined;
  const root = xmlRoot(b);
  if (!root) return undefined;
  const evidence = [`builder 0 is XML text whose root element is <${root.name}>`];
  if (root.name !== 'net') return { encoding: 'openvino', variant: 'XML', confidence: 0.05, evidence: [...evidence, 'OpenVINO IR needs a <net> root'] };
  let confidence = 0.4;
  const version = root.attributes.version;
  if (version !== undefined && /^\d+$/.test(version)) {
    confidence += 0.3;
    evidence.push(`<net version="${version}">`);
  } else evidence.push('<net> has no numeric version attribute');
  if (root.doctype) evidence.push('it has a DOCTYPE (IR files do not; the engine refuses entities)');
  if (builders.length === 2) {
    confidence += 0.25;
    evidence.push(`builder 1 (${builders[1]!.length} bytes) is the weights`);
  } else evidence.push(`${builders.length} builder(s); OpenVINO IR takes 2 (XML, weights)`);
  return { encoding: 'openvino', variant: `IR v${version ?? '?'}`, confidence: round(confidence), evidence };
}

// ------------------------------------------------------------------------- not models (evidence)

/** Recognisable files that are no wasi-nn encoding: said in the evidence, never detected. */
export function notAModel(b: Uint8Array): string | undefined {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 7) === 'HDF\r\n\x1a\n') return 'an HDF5 file (a Keras .h5?): not a wasi-nn encoding';
  const text = utf8(b);
  if (text !== undefined) {
    const t = text.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        JSON.parse(t);
        return 'JSON text, not a model';
      } catch {
        /* not JSON */
      }
    }
    if (t.length > 0 && !/[\x00-\x08\x0e-\x1f]/.test(t)) return 'plain text, not a model';
  }
  if (b.every((x) => x === 0)) return `${b.length} zero bytes`;
  return undefined;
}
