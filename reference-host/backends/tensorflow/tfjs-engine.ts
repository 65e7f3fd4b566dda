/**
 * Runs a FlatGraph with @tensorflow/tfjs-converter's GraphModel (4.22.0) over an in-memory
 * IOHandler: the graph as tfjs's IGraphDef JSON (attrs in proto3 JSON form), every Const as a
 * weight. GraphModel.load() is synchronous when the handler's load() is, and execute() is
 * synchronous for graphs without control flow, so every wasi-nn call stays synchronous.
 *
 * tfjs computes in float32, int32 and bool: uint8 runs as int32 (reduced mod 256 at the outputs;
 * graph.ts admits uint8 only where that is exact), half as float32 (only moved or cast to
 * float32, so exact). tfjs starts on first use, synchronously, on @tensorflow/tfjs-backend-wasm
 * (tfjs-wasm-start.ts, offline from node_modules), else on @tensorflow/tfjs-backend-cpu.
 */
import { createRequire } from 'node:module';
import { NnError, type Tensor, type TensorType } from '../../core/types.js';
import { DT, dtypeName, type AttrValue, type TensorShape } from './proto.js';
import type { FlatGraph, FlatNode, IoSpec } from './graph.js';
import { startWasmBackend } from './tfjs-wasm-start.js';

// The tfjs packages are CommonJS in Node; they are required lazily, on first use.
const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any */
type Tf = typeof import('@tensorflow/tfjs-core');
type TfTensor = import('@tensorflow/tfjs-core').Tensor;
interface Converter {
  GraphModel: new (handler: { load(): unknown }) => {
    load(): boolean | Promise<boolean>;
    execute(inputs: Record<string, TfTensor>, outputs: string[]): TfTensor | TfTensor[];
    readonly weights: Record<string, TfTensor[]>;
    dispose(): void;
  };
  version_converter: string;
}

export interface TfjsEngine {
  tf: Tf;
  converter: Converter;
  backend: 'wasm' | 'cpu';
  /** why wasm is not used, when it is not */
  wasmError: string | undefined;
  version: string;
}

let engine: TfjsEngine | undefined;
let engineError: string | undefined;

function packages(): { tf: Tf; converter: Converter } {
  const tf = require('@tensorflow/tfjs-core') as Tf;
  // tfjs prints a "use tfjs-node" hint on the host's stderr unless PROD (which also skips debug checks)
  tf.env().set('PROD', true);
  require('@tensorflow/tfjs-backend-cpu');
  const converter = require('@tensorflow/tfjs-converter') as Converter;
  return { tf, converter };
}

/**
 * The engine, started on first use: tfjs on the wasm backend, started synchronously
 * (tfjs-wasm-start.ts), else on the cpu backend, which initialises synchronously. Undefined when
 * tfjs itself cannot load (tfjsError says why).
 */
export function tfjs(): TfjsEngine | undefined {
  if (engine || engineError !== undefined) return engine;
  let p: { tf: Tf; converter: Converter };
  try {
    p = packages();
  } catch (e) {
    engineError = (e as Error).message;
    return undefined;
  }
  let wasmError: string | undefined;
  try {
    startWasmBackend(p.tf);
  } catch (e) {
    wasmError = (e as Error).message;
  }
  try {
    if (wasmError !== undefined) {
      void p.tf.setBackend('cpu'); // the cpu backend initialises synchronously
      if (p.tf.getBackend() !== 'cpu') throw new Error(`tfjs backend is ${p.tf.getBackend()} after setBackend("cpu")`);
    }
    engine = { ...p, backend: wasmError === undefined ? 'wasm' : 'cpu', wasmError, version: p.converter.version_converter };
  } catch (e) {
    engineError = (e as Error).message;
  }
  return engine;
}

export function tfjsError(): string | undefined {
  return engineError;
}

// ------------------------------------------------------------------------ IGraphDef JSON
/** The dtype tfjs holds a TF dtype in. */
function tfjsDtype(dt: number): 'float32' | 'int32' | 'bool' {
  if (dt === DT.DT_FLOAT || dt === DT.DT_HALF) return 'float32';
  if (dt === DT.DT_INT32 || dt === DT.DT_UINT8) return 'int32';
  if (dt === DT.DT_BOOL) return 'bool';
  throw new NnError('unsupported_operation', `tensorflow: ${dtypeName(dt)} has no tfjs dtype`);
}

const DT_JSON: Record<'float32' | 'int32' | 'bool', string> = { float32: 'DT_FLOAT', int32: 'DT_INT32', bool: 'DT_BOOL' };

function shapeJson(s: TensorShape): object {
  return s.unknownRank ? { unknownRank: true } : { dim: s.dims.map((d) => ({ size: String(d) })) };
}

/** An AttrValue in proto3 JSON form, as tfjs-converter's operation mapper reads it. */
function attrJson(a: AttrValue): object {
  const chars = (b: Uint8Array) => Array.from(b);
  switch (a.kind) {
    case 's':
      return { s: chars(a.s) };
    case 'i':
      return { i: a.i.toString() };
    case 'f':
      return { f: a.f };
    case 'b':
      return { b: a.b };
    case 'type':
      return { type: DT_JSON[tfjsDtype(a.type)] };
    case 'shape':
      return { shape: shapeJson(a.shape) };
    case 'list':
      return { list: { s: a.list.s.map(chars), i: a.list.i.map(String), f: a.list.f, b: a.list.b, type: a.list.type.map((t) => DT_JSON[tfjsDtype(t)]), shape: a.list.shape.map(shapeJson) } };
    default:
      return {};
  }
}

function decodeHalf(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** f32 → f16 bits, round to nearest even (exact for values that came from f16). */
function encodeHalf(v: number): number {
  const f32 = new Float32Array([v]);
  const x = new Uint32Array(f32.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && r & 1)) r++;
    return sign | r;
  }
  let r = mant >> 13;
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && r & 1)) r++;
  if (r === 0x400) {
    r = 0;
    e++;
    if (e >= 31) return sign | 0x7c00;
  }
  return sign | (e << 10) | r;
}

/** A TF value's little-endian bytes as the typed array tfjs holds it in. */
function toTfjsValues(dt: number, bytes: Uint8Array): Float32Array | Int32Array | Uint8Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const dv = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
  switch (dt) {
    case DT.DT_FLOAT:
      return new Float32Array(aligned.buffer.slice(aligned.byteOffset, aligned.byteOffset + aligned.byteLength));
    case DT.DT_INT32:
      return new Int32Array(aligned.buffer.slice(aligned.byteOffset, aligned.byteOffset + aligned.byteLength));
    case DT.DT_UINT8:
      return Int32Array.from(aligned);
    case DT.DT_BOOL:
      return Uint8Array.from(aligned, (b) => (b ? 1 : 0));
    case DT.DT_HALF:
      return Float32Array.from({ length: aligned.byteLength / 2 }, (_, i) => decodeHalf(dv.getUint16(i * 2, true)));
    default:
      throw new NnError('unsupported_operation', `tensorflow: ${dtypeName(dt)} has no tfjs dtype`);
  }
}

/** tfjs output values back to the TF dtype's little-endian bytes. */
function fromTfjsValues(dt: number, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  switch (dt) {
    case DT.DT_FLOAT:
      return new Uint8Array(Float32Array.from(values).buffer);
    case DT.DT_INT32:
      return new Uint8Array(Int32Array.from(values).buffer);
    case DT.DT_UINT8:
      return Uint8Array.from(values, (v) => v & 0xff);
    case DT.DT_HALF: {
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = encodeHalf(values[i]!);
      return new Uint8Array(out.buffer);
    }
    default:
      throw new NnError('unsupported_operation', `tensorflow: output dtype ${dtypeName(dt)}`);
  }
}

export { decodeHalf, encodeHalf };

/** The IGraphDef JSON and the weights of a flat graph; nodes are renamed n0, n1, ... */
export function toArtifacts(g: FlatGraph): { topology: object; weightSpecs: object[]; weightData: ArrayBuffer; names: Map<string, string> } {
  const names = new Map<string, string>();
  g.nodes.forEach((n, i) => names.set(n.name, `n${i}`));
  const ref = (r: string) => {
    const at = r.lastIndexOf(':');
    const name = names.get(r.slice(0, at));
    if (name === undefined) throw new Error(`tfjs graph: ${r} is not a kept node`);
    const idx = r.slice(at + 1);
    return idx === '0' ? name : `${name}:${idx}`;
  };
  const weightSpecs: object[] = [];
  const chunks: Uint8Array[] = [];
  const node = g.nodes.map((n: FlatNode) => {
    const attr: Record<string, object> = {};
    if (n.op === 'Const') {
      const v = n.value!;
      const dtype = tfjsDtype(v.dtype);
      const values = toTfjsValues(v.dtype, v.bytes);
      weightSpecs.push({ name: names.get(n.name), shape: v.dims, dtype });
      chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
      attr['dtype'] = { type: DT_JSON[dtype] };
      return { name: names.get(n.name), op: 'Const', input: [], attr };
    }
    for (const [k, a] of n.attr) {
      if (k.startsWith('_')) continue; // TF's internal attrs (_output_shapes, _class, ...)
      attr[k] = attrJson(a);
    }
    return { name: names.get(n.name), op: n.op, input: n.inputs.map(ref), attr };
  });
  const size = chunks.reduce((a, c) => a + c.byteLength, 0);
  const data = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { topology: { node, versions: { producer: 1, minConsumer: 0 }, library: {} }, weightSpecs, weightData: data.buffer, names };
}

export class TfjsModel {
  private readonly model: InstanceType<Converter['GraphModel']>;
  private readonly inputNames: string[];
  private readonly outputNames: string[];
  /** the model's own weight tensors, which an output may be and which must outlive a run */
  private readonly weightIds = new Set<number>();

  constructor(
    private readonly engine: TfjsEngine,
    private readonly graph: FlatGraph,
  ) {
    const a = toArtifacts(graph);
    const rename = (spec: IoSpec) => {
      const at = spec.ref.lastIndexOf(':');
      const idx = spec.ref.slice(at + 1);
      return `${a.names.get(spec.ref.slice(0, at))}:${idx}`;
    };
    this.inputNames = graph.inputs.map(rename);
    this.outputNames = graph.outputs.map(rename);
    const artifacts = { modelTopology: a.topology, weightSpecs: a.weightSpecs, weightData: a.weightData, format: 'graph-model', generatedBy: 'wasi-nn reference host', convertedBy: 'backends/tensorflow' };
    this.model = new engine.converter.GraphModel({ load: () => artifacts });
    let loaded: boolean | Promise<boolean>;
    try {
      loaded = this.model.load();
    } catch (e) {
      throw new NnError('unsupported_operation', `tensorflow: tfjs-converter refused the graph: ${(e as Error).message}`);
    }
    if (loaded !== true) throw new Error('tfjs GraphModel.load() did not load synchronously');
    for (const ts of Object.values(this.model.weights)) for (const t of ts) this.weightIds.add(t.id);
  }

  run(inputs: readonly Tensor[]): Tensor[] {
    const tf = this.engine.tf;
    const feeds: Record<string, TfTensor> = {};
    const made: TfTensor[] = [];
    try {
      this.graph.inputs.forEach((spec, i) => {
        const t = inputs[i]!;
        const values = toTfjsValues(spec.dtype, t.data);
        const x = tf.tensor(values, t.dims, tfjsDtype(spec.dtype));
        made.push(x);
        feeds[this.inputNames[i]!] = x;
      });
      let outs: TfTensor[];
      try {
        const r = this.model.execute(feeds, this.outputNames);
        outs = Array.isArray(r) ? r : [r];
      } catch (e) {
        throw new NnError('runtime_error', `tensorflow: tfjs: ${(e as Error).message}`);
      }
      made.push(...outs.filter((o) => !this.weightIds.has(o.id) && !made.includes(o)));
      return outs.map((o, i): Tensor => {
        const spec = this.graph.outputs[i]!;
        const type = spec.type as TensorType;
        return { type, dims: [...o.shape], data: fromTfjsValues(spec.dtype, o.dataSync() as ArrayLike<number>) };
      });
    } finally {
      for (const t of made) t.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
