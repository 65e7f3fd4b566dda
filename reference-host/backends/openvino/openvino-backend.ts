/**
 * OpenVINO IR (encoding `openvino`): two builders, the IR XML then the weights (.bin), as wasi-nn
 * guests pass them.
 *
 * The engine: our IR front-end (xml.ts → ir.ts → translate.ts) turns the IR into an ONNX model
 * in memory and runs it through the ONNX backend (onnxruntime-node), reused as is. When the
 * optional peer `openvino-node` can be loaded (it is not a dependency: a synchronous createRequire
 * in a try/catch, on first use, since wasi-nn calls answer synchronously), the model is also read and
 * compiled by OpenVINO itself and computed there; the front-end still checks the model and
 * supplies the input/output types and shapes. Set WASI_NN_OPENVINO=frontend to skip openvino-node.
 */
import { createRequire } from 'node:module';
import type { Availability, Backend, BackendContext, BackendGraph } from '../backend.js';
import { ELEMENT_SIZE, NnError, type Target, type Tensor, type TensorType } from '../../core/types.js';
import { OnnxBackend } from '../onnx/onnx-backend.js';
import { parseIr } from './ir.js';
import { encodeOnnxGraph } from './onnx-graph.js';
import { ELEMENT_TYPES, type TranslatedModel, translate } from './translate.js';
import { inputSpecAt, outputAt } from '../io-index.js';

const require = createRequire(import.meta.url);

/** The IR element type names that are wasi-nn tensor types. */
const WASI_TYPES: Readonly<Record<string, TensorType>> = { f16: 'f16', f32: 'f32', f64: 'f64', u8: 'u8', i32: 'i32', i64: 'i64', bf16: 'bf16' };
const ONNX_TO_IR: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(ELEMENT_TYPES).map(([name, info]) => [info.onnx, name]));

/** The XML and weights builders → the translated ONNX model. Throws NnError. */
export function translateIr(xml: Uint8Array, weights: Uint8Array): TranslatedModel {
  return translate(parseIr(xml), weights);
}

// ---------------------------------------------------------------- optional openvino-node

interface OvTensor {
  data: ArrayBufferView;
  getShape(): number[];
}
interface OvInferRequest {
  infer(inputs: OvTensor[]): unknown;
  getOutputTensor(index: number): OvTensor;
}
interface OvCompiledModel {
  createInferRequest(): OvInferRequest;
}
interface OvCore {
  readModelSync(model: Uint8Array, weights: unknown): unknown;
  compileModelSync(model: unknown, device: string): OvCompiledModel;
}
interface OvAddon {
  Core: new () => OvCore;
  Tensor: new (type: string, shape: number[], data?: ArrayBufferView) => OvTensor;
}

type Native = { addon: OvAddon; version: string } | { error: string };

const OPENVINO_NODE = 'openvino-node';

function nativeFrom(mod: { addon?: OvAddon } | undefined): Native {
  if (!mod?.addon || typeof mod.addon.Core !== 'function' || typeof mod.addon.Tensor !== 'function') return { error: 'openvino-node has no addon.Core/addon.Tensor' };
  let version = 'unknown';
  try {
    version = (require(`${OPENVINO_NODE}/package.json`) as { version?: string }).version ?? version;
  } catch {
    // the version is informational only
  }
  return { addon: mod.addon, version };
}

const errorOf = (e: unknown): Native => ({ error: (e as Error).message.split('\n')[0] ?? 'not loadable' });

/** Looks for openvino-node (a CommonJS package) with a guarded require. */
function loadNativeSync(): Native {
  if (process.env['WASI_NN_OPENVINO'] === 'frontend') return { error: 'WASI_NN_OPENVINO=frontend' };
  try {
    return nativeFrom(require(OPENVINO_NODE) as { addon?: OvAddon });
  } catch (e) {
    return errorOf(e);
  }
}

function typedArrayOf(type: TensorType, bytes: Uint8Array): ArrayBufferView {
  const copy = bytes.slice();
  switch (type) {
    case 'f32':
      return new Float32Array(copy.buffer);
    case 'f64':
      return new Float64Array(copy.buffer);
    case 'i32':
      return new Int32Array(copy.buffer);
    case 'i64':
      return new BigInt64Array(copy.buffer);
    case 'u8':
      return copy;
    case 'f16':
    case 'bf16':
      return new Uint16Array(copy.buffer);
  }
}

interface IoSpec {
  type: TensorType;
  dims: number[];
}

class NativeContext implements BackendContext {
  private readonly inputs: (Tensor | undefined)[];
  private outputs: Tensor[] | undefined;
  private readonly request: OvInferRequest;

  constructor(
    private readonly addon: OvAddon,
    compiled: OvCompiledModel,
    private readonly inputSpecs: readonly IoSpec[],
    private readonly outputTypes: readonly TensorType[],
  ) {
    this.request = compiled.createInferRequest();
    this.inputs = inputSpecs.map(() => undefined);
  }

  setInput(index: number, tensor: Tensor): void {
    const spec = inputSpecAt(this.inputSpecs, index);
    if (spec.type !== tensor.type) throw new NnError('invalid_argument', `input ${index} is ${spec.type}, the tensor is ${tensor.type}`);
    if (spec.dims.length !== tensor.dims.length || spec.dims.some((d, i) => d >= 0 && d !== tensor.dims[i])) {
      throw new NnError('invalid_argument', `input ${index} has shape [${spec.dims.map((d) => (d < 0 ? '?' : d)).join(',')}], the tensor has dims [${tensor.dims.join(',')}]`);
    }
    this.inputs[index] = tensor;
    this.outputs = undefined;
  }

  compute(): void {
    const missing = this.inputs.findIndex((t) => t === undefined);
    if (missing >= 0) throw new NnError('invalid_argument', `input ${missing} was never set`);
    try {
      this.request.infer(this.inputs.map((t) => new this.addon.Tensor(t!.type, t!.dims, typedArrayOf(t!.type, t!.data))));
      this.outputs = this.outputTypes.map((type, i) => {
        const t = this.request.getOutputTensor(i);
        const v = t.data;
        const data = new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
        const dims = [...t.getShape()];
        if (data.byteLength !== dims.reduce((a, b) => a * b, 1) * ELEMENT_SIZE[type]) throw new Error(`output ${i}: ${data.byteLength} bytes for dims [${dims.join(',')}] of ${type}`);
        return { type, dims, data };
      });
    } catch (e) {
      throw new NnError('runtime_error', `openvino-node: ${(e as Error).message}`);
    }
  }

  getOutput(index: number): Tensor {
    return outputAt(this.outputs, index, this.outputTypes.length);
  }

  dispose(): void {
    this.outputs = undefined;
  }
}

// ---------------------------------------------------------------- the backend

function rewrap(e: unknown): never {
  if (e instanceof NnError) {
    throw new NnError(e.errno, e.message.startsWith('openvino') ? e.message : `openvino (translated to ONNX): ${e.message}`);
  }
  throw e;
}

export class OpenVinoBackend implements Backend {
  readonly encoding = 'openvino' as const;
  private readonly onnx = new OnnxBackend();
  private native: Native | undefined;

  private nativeEngine(): Native {
    this.native ??= loadNativeSync();
    return this.native;
  }

  availability(): Availability {
    const n = this.nativeEngine();
    if ('addon' in n) return { available: true, engine: 'openvino-node', version: n.version };
    const ort = this.onnx.availability();
    if (ort.available) return { available: true, engine: 'IR front-end on onnxruntime-node', version: ort.version };
    return { ...ort, engine: 'IR front-end on onnxruntime-node' };
  }

  targets(): readonly Target[] {
    return this.onnx.targets();
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const avail = this.availability();
    if (!avail.available) throw new NnError('invalid_encoding', `openvino engine unavailable: ${avail.reason}`);
    if (builders.length !== 2) throw new NnError('invalid_argument', `openvino takes exactly 2 builders (the IR XML, then the weights), got ${builders.length}`);
    if (target !== 'cpu' && target !== 'auto') throw new NnError('unsupported_operation', `openvino: execution target ${target} is not available on this machine`);
    const [xml, weights] = builders as [Uint8Array, Uint8Array];
    const model = translateIr(xml, weights);
    const onnxBytes = encodeOnnxGraph(model.graph);
    const n = this.nativeEngine();
    if ('addon' in n) return this.loadNative(n.addon, xml, weights, model);
    try {
      return this.onnx.load([onnxBytes], target);
    } catch (e) {
      if (e instanceof NnError && e.errno === 'invalid_argument') {
        throw new NnError('invalid_argument', `openvino: the translated graph does not load (${e.message})`);
      }
      return rewrap(e);
    }
  }

  private loadNative(addon: OvAddon, xml: Uint8Array, weights: Uint8Array, model: TranslatedModel): BackendGraph {
    const wasi = (onnxType: number, what: string): TensorType => {
      const t = WASI_TYPES[ONNX_TO_IR[onnxType] ?? ''];
      if (!t) throw new NnError('unsupported_operation', `openvino: ${what} is ${ONNX_TO_IR[onnxType]}, which has no wasi-nn tensor type`);
      return t;
    };
    const inputSpecs = model.graph.inputs.map((i) => ({ type: wasi(i.type, `input ${i.name}`), dims: i.dims ?? [] }));
    const outputTypes = model.graph.outputs.map((o) => wasi(o.type, `output ${o.name}`));
    let compiled: OvCompiledModel;
    try {
      const core = new addon.Core();
      const w = new addon.Tensor('u8', [weights.byteLength], weights.slice());
      compiled = core.compileModelSync(core.readModelSync(xml.slice(), w), 'CPU');
    } catch (e) {
      throw new NnError('invalid_argument', `openvino-node: not a loadable model: ${(e as Error).message}`);
    }
    return {
      initExecutionContext: () => new NativeContext(addon, compiled, inputSpecs, outputTypes),
      dispose: () => undefined,
    };
  }
}
