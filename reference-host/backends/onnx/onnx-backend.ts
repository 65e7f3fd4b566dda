/** ONNX through onnxruntime-node, called synchronously (see ort-binding.ts). */
import type { Availability, Backend, BackendContext, BackendGraph } from '../backend.js';
import { ELEMENT_SIZE, NnError, type Target, type Tensor, type TensorType } from '../../core/types.js';
import { ORT_TYPE_NAMES, SESSION_THREADS, loadOrtSync, type OrtNativeSession, type OrtSync, type OrtValueMetadata } from './ort-binding.js';
import { inputSpecAt, outputAt } from '../io-index.js';
import { ModelInspectionError, findExternalData } from './external-data.js';

const WASI_TO_ORT: Partial<Record<TensorType, string>> = {
  f16: 'float16',
  f32: 'float32',
  f64: 'float64',
  u8: 'uint8',
  i32: 'int32',
  i64: 'int64',
};
const ORT_TO_WASI: Record<string, TensorType> = Object.fromEntries(
  Object.entries(WASI_TO_ORT).map(([wasi, ort]) => [ort, wasi as TensorType]),
);

interface IoSpec {
  name: string;
  /** undefined when the model's type has no wasi-nn tensor type (string, bool, ...) */
  type: TensorType | undefined;
  ortTypeName: string;
  /** -1 for a symbolic (dynamic) dimension */
  shape: number[];
}

function ioSpec(meta: OrtValueMetadata): IoSpec {
  const ortTypeName = meta.isTensor ? (ORT_TYPE_NAMES[meta.type] ?? `type ${meta.type}`) : 'non-tensor';
  return { name: meta.name, type: ORT_TO_WASI[ortTypeName], ortTypeName, shape: [...meta.shape] };
}

/**
 * A typed-array view of the tensor's bytes, as ORT's Tensor wants it. The host hands backends
 * private copies, so a view suffices; bytes at an offset the element type cannot view are copied.
 */
function typedView(type: TensorType, bytes: Uint8Array): ArrayBufferView {
  const size = ELEMENT_SIZE[type];
  const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
  const { buffer, byteOffset, byteLength } = aligned;
  switch (type) {
    case 'f32':
      return new Float32Array(buffer, byteOffset, byteLength / 4);
    case 'f64':
      return new Float64Array(buffer, byteOffset, byteLength / 8);
    case 'u8':
      return aligned;
    case 'i32':
      return new Int32Array(buffer, byteOffset, byteLength / 4);
    case 'i64':
      return new BigInt64Array(buffer, byteOffset, byteLength / 8);
    case 'f16':
    case 'bf16':
      return new Uint16Array(buffer, byteOffset, byteLength / 2);
  }
}

/** ORT allocates a fresh array for every output, so its bytes can be kept without a copy. */
function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function describeShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(',')}]`;
}

class OnnxContext implements BackendContext {
  private readonly inputs: (Tensor | undefined)[];
  private outputs: Tensor[] | undefined;

  constructor(
    private readonly ort: OrtSync,
    private readonly session: OrtNativeSession,
    private readonly inputSpecs: readonly IoSpec[],
    private readonly outputSpecs: readonly IoSpec[],
  ) {
    this.inputs = inputSpecs.map(() => undefined);
  }

  setInput(index: number, tensor: Tensor): void {
    const spec = inputSpecAt(this.inputSpecs, index);
    if (spec.type !== tensor.type) {
      throw new NnError('invalid_argument', `input ${index} (${spec.name}) is ${spec.ortTypeName}, the tensor is ${tensor.type}`);
    }
    const shapeMatches =
      spec.shape.length === tensor.dims.length && spec.shape.every((d, i) => d < 0 || d === tensor.dims[i]);
    if (!shapeMatches) {
      throw new NnError(
        'invalid_argument',
        `input ${index} (${spec.name}) has shape ${describeShape(spec.shape)}, the tensor has dims [${tensor.dims.join(',')}]`,
      );
    }
    this.inputs[index] = tensor;
    this.outputs = undefined;
  }

  compute(): void {
    const missing = this.inputs.findIndex((t) => t === undefined);
    if (missing >= 0) throw new NnError('invalid_argument', `input ${missing} (${this.inputSpecs[missing]?.name}) was never set`);
    const feeds: Record<string, unknown> = {};
    this.inputSpecs.forEach((spec, i) => {
      const t = this.inputs[i] as Tensor;
      feeds[spec.name] = new this.ort.Tensor(WASI_TO_ORT[t.type] as string, typedView(t.type, t.data), t.dims);
    });
    const fetches: Record<string, null> = {};
    for (const spec of this.outputSpecs) fetches[spec.name] = null;
    let results: ReturnType<OrtNativeSession['run']>;
    try {
      results = this.session.run(feeds, fetches, {});
    } catch (e) {
      throw new NnError('runtime_error', `onnxruntime: ${(e as Error).message}`);
    }
    this.outputs = this.outputSpecs.map((spec) => {
      const value = results[spec.name];
      const type = value ? ORT_TO_WASI[value.type] : undefined;
      if (!value || !type) {
        throw new NnError('unsupported_operation', `output ${spec.name} is ${value?.type ?? 'missing'}, which has no wasi-nn tensor type`);
      }
      return { type, dims: [...value.dims], data: bytesOf(value.data) };
    });
  }

  getOutput(index: number): Tensor {
    return outputAt(this.outputs, index, this.outputSpecs.length);
  }

  inputNames(): readonly string[] {
    return this.inputSpecs.map((s) => s.name);
  }

  outputNames(): readonly string[] {
    return this.outputSpecs.map((s) => s.name);
  }

  dispose(): void {
    this.outputs = undefined;
  }
}

class OnnxGraph implements BackendGraph {
  readonly inputSpecs: IoSpec[];
  readonly outputSpecs: IoSpec[];

  private disposed = false;

  constructor(
    private readonly ort: OrtSync,
    private readonly session: OrtNativeSession,
    /** whether the session holds one of SESSION_THREADS' thread pools */
    private readonly threaded: boolean,
  ) {
    this.inputSpecs = session.inputMetadata.map(ioSpec);
    this.outputSpecs = session.outputMetadata.map(ioSpec);
  }

  initExecutionContext(): BackendContext {
    return new OnnxContext(this.ort, this.session, this.inputSpecs, this.outputSpecs);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
    if (this.threaded) SESSION_THREADS.release();
  }
}

/**
 * A model whose tensors live in external files would make onnxruntime open files relative to
 * this process's working directory: refused before onnxruntime sees the bytes (external-data.ts).
 */
function refuseExternalData(bytes: Uint8Array): void {
  let ref;
  try {
    ref = findExternalData(bytes);
  } catch (e) {
    if (e instanceof ModelInspectionError) throw new NnError('invalid_argument', `onnx: not a loadable model: ${e.message}`);
    throw e;
  }
  if (ref) {
    throw new NnError(
      'invalid_argument',
      `onnx: ${ref.where} keeps its data in an external file${ref.location === undefined ? '' : ` (location ${JSON.stringify(ref.location)})`}; this host loads a model from its bytes only and never opens a file for it: embed the data in the model`,
    );
  }
}

export class OnnxBackend implements Backend {
  readonly encoding = 'onnx' as const;
  private ort: OrtSync | undefined;
  private loadError: string | undefined;

  private engine(): OrtSync | undefined {
    if (!this.ort && this.loadError === undefined) {
      try {
        this.ort = loadOrtSync();
      } catch (e) {
        this.loadError = (e as Error).message;
      }
    }
    return this.ort;
  }

  availability(): Availability {
    const ort = this.engine();
    if (ort) return { available: true, engine: 'onnxruntime-node', version: ort.version };
    return {
      available: false,
      engine: 'onnxruntime-node',
      reason: this.loadError ?? 'unknown',
      fix: 'run `npm ci` in the harness checkout (onnxruntime-node 1.30.0 ships its CPU binary)',
    };
  }

  targets(): readonly Target[] {
    return this.engine() ? ['cpu'] : [];
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const ort = this.engine();
    if (!ort) throw new NnError('invalid_encoding', `onnx engine unavailable: ${this.loadError}`);
    if (builders.length !== 1) throw new NnError('invalid_argument', `onnx takes exactly 1 builder, got ${builders.length}`);
    if (target !== 'cpu' && target !== 'auto') {
      throw new NnError('unsupported_operation', `onnx: execution target ${target} is not available on this machine`);
    }
    const bytes = builders[0] as Uint8Array;
    if (bytes.byteLength === 0) throw new NnError('invalid_argument', 'onnx: the builder is empty');
    refuseExternalData(bytes);
    const session = ort.createSession();
    const copy = bytes.slice();
    let slot;
    try {
      slot = SESSION_THREADS.acquire(bytes.byteLength);
    } catch (e) {
      throw new NnError('runtime_error', `onnx: ${(e as Error).message}`);
    }
    const { options, threaded } = slot;
    try {
      session.loadModel(copy.buffer, copy.byteOffset, copy.byteLength, options);
    } catch (e) {
      if (threaded) SESSION_THREADS.release();
      throw new NnError('invalid_argument', `onnx: not a loadable model: ${(e as Error).message}`);
    }
    const graph = new OnnxGraph(ort, session, threaded);
    const bad = [...graph.inputSpecs, ...graph.outputSpecs].find((s) => s.type === undefined);
    if (bad) {
      graph.dispose();
      throw new NnError('unsupported_operation', `onnx: ${bad.name} is ${bad.ortTypeName}, which has no wasi-nn tensor type`);
    }
    return graph;
  }
}
