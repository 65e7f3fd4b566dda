/**
 * TensorFlow Lite through LiteRT (@litertjs/core 2.5.3, its wasm build; see litert-wasm.ts).
 *
 * LiteRT starts when a guest first needs it (a load, its targets, its availability): the
 * instance is made synchronously (litert-wasm.ts), so a guest that never uses TensorFlow Lite
 * never pays for it, and every wasi-nn call stays synchronous.
 *
 * Crash containment: LiteRT runs inside its own wasm instance, so nothing it does can take the
 * Node process down; the worst case is an emscripten abort (a C++ CHECK, an out-of-bounds trap),
 * which kills that instance only. The call that hit it gets an errno (invalid_argument at load,
 * runtime_error later) and the next call that needs LiteRT gets a fresh instance. Graphs of the
 * dead instance answer runtime_error from then on.
 *
 * Tensors are read and written as stored: a quantized u8 tensor comes back as its u8 values.
 */
import type { Availability, Backend, BackendContext, BackendGraph } from '../backend.js';
import { ELEMENT_SIZE, NnError, type Target, type Tensor, type TensorType } from '../../core/types.js';
import { inputSpecAt, outputAt } from '../io-index.js';
import {
  createLiteRtInstance,
  errorText,
  litertVersion,
  type LiteRtCompiledModel,
  type LiteRtInstance,
  type LiteRtModel,
  type LiteRtRankedTensorType,
  type LiteRtTensorBuffer,
} from './litert-wasm.js';

/** LiteRtElementType (= TfLiteType) numbers of the wasi-nn tensor types. */
const ELEMENT_TO_WASI: Record<number, TensorType> = { 1: 'f32', 2: 'i32', 3: 'u8', 4: 'i64', 10: 'f16', 11: 'f64' };
const ELEMENT_NAMES: Record<number, string> = { 0: 'none', 1: 'float32', 2: 'int32', 3: 'uint8', 4: 'int64', 5: 'string', 6: 'bool', 7: 'int16', 8: 'complex64', 9: 'int8', 10: 'float16', 11: 'float64' };

interface IoSpec {
  name: string;
  element: number;
  type: TensorType | undefined;
  shape: number[];
}

function dimsOf(tt: LiteRtRankedTensorType): number[] {
  const layout = tt.layout();
  const v = layout.dimensions();
  const dims: number[] = [];
  for (let i = 0; i < v.size(); i++) dims.push(v.get(i));
  v.delete();
  layout.delete();
  return dims;
}

function names(v: { size(): number; get(i: number): string; delete(): void }): string[] {
  const out: string[] = [];
  for (let i = 0; i < v.size(); i++) out.push(v.get(i));
  v.delete();
  return out;
}

/** An abort inside the wasm instance; the instance is dead afterwards. */
function isAbort(instance: LiteRtInstance, e: unknown): boolean {
  // a trap's RuntimeError may come from the glue's realm, so it is recognised by name
  return instance.aborted !== undefined || e instanceof WebAssembly.RuntimeError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'RuntimeError');
}

const message = errorText;

class TfliteGraph implements BackendGraph {
  readonly inputSpecs: IoSpec[];
  readonly outputSpecs: IoSpec[];
  private disposed = false;

  constructor(
    readonly instance: LiteRtInstance,
    private readonly ptr: number,
    private readonly model: LiteRtModel,
    readonly compiled: LiteRtCompiledModel,
  ) {
    const sig = model.getSignature(0);
    const inNames = names(sig.inputNames());
    const outNames = names(sig.outputNames());
    sig.delete();
    const spec = (name: string, tt: LiteRtRankedTensorType): IoSpec => {
      const element = tt.elementType().value;
      const s = { name, element, type: ELEMENT_TO_WASI[element], shape: dimsOf(tt) };
      tt.delete();
      return s;
    };
    this.inputSpecs = inNames.map((n, i) => spec(n, model.getInputTensorType(0, i)));
    this.outputSpecs = outNames.map((n, i) => spec(n, model.getOutputTensorType(0, i)));
  }

  alive(): void {
    if (this.instance.aborted !== undefined) throw new NnError('runtime_error', `tflite: the LiteRT instance of this graph aborted (${this.instance.aborted})`);
  }

  inputType(index: number): LiteRtRankedTensorType {
    return this.model.getInputTensorType(0, index);
  }

  initExecutionContext(): BackendContext {
    this.alive();
    return new TfliteContext(this);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.instance.aborted !== undefined) return;
    try {
      this.compiled.delete();
      this.model.delete();
      this.instance.module._free(this.ptr);
    } catch {
      // an instance that died meanwhile has nothing left to free
    }
  }
}

class TfliteContext implements BackendContext {
  private readonly inputs: (Tensor | undefined)[];
  private outputs: Tensor[] | undefined;

  constructor(private readonly graph: TfliteGraph) {
    this.inputs = graph.inputSpecs.map(() => undefined);
  }

  setInput(index: number, tensor: Tensor): void {
    const spec = inputSpecAt(this.graph.inputSpecs, index);
    if (spec.type !== tensor.type) {
      throw new NnError('invalid_argument', `input ${index} (${spec.name}) is ${ELEMENT_NAMES[spec.element] ?? spec.element}, the tensor is ${tensor.type}`);
    }
    const same = spec.shape.length === tensor.dims.length && spec.shape.every((d, i) => d === tensor.dims[i]);
    if (!same) {
      throw new NnError('invalid_argument', `input ${index} (${spec.name}) has shape [${spec.shape.join(',')}], the tensor has dims [${tensor.dims.join(',')}]`);
    }
    this.inputs[index] = tensor;
    this.outputs = undefined;
  }

  compute(): void {
    this.graph.alive();
    const missing = this.inputs.findIndex((t) => t === undefined);
    if (missing >= 0) throw new NnError('invalid_argument', `input ${missing} (${this.graph.inputSpecs[missing]?.name}) was never set`);
    const { module: m, env } = this.graph.instance;
    const buffers: LiteRtTensorBuffer[] = [];
    let results: LiteRtTensorBuffer[] = [];
    try {
      this.inputs.forEach((t, i) => {
        const tt = this.graph.inputType(i);
        try {
          const tb = m.LiteRtTensorBuffer.createManaged(env, m.LiteRtTensorBufferType.HOST_MEMORY, tt, (t as Tensor).data.byteLength);
          buffers.push(tb);
          const p = tb.lock(m.LiteRtTensorBufferLockMode.WRITE);
          m.HEAPU8.set((t as Tensor).data, p);
          tb.unlock();
        } finally {
          tt.delete();
        }
      });
      results = this.graph.compiled.run(0, buffers);
      this.outputs = results.map((tb, i) => {
        const tt = tb.tensorType();
        const element = tt.elementType().value;
        const dims = dimsOf(tt);
        tt.delete();
        const type = ELEMENT_TO_WASI[element];
        if (!type) throw new NnError('unsupported_operation', `output ${i} is ${ELEMENT_NAMES[element] ?? element}, which has no wasi-nn tensor type`);
        const size = tb.packedSize();
        const p = tb.lock(m.LiteRtTensorBufferLockMode.READ);
        const data = m.HEAPU8.slice(p, p + size);
        tb.unlock();
        if (data.byteLength !== dims.reduce((a, b) => a * b, 1) * ELEMENT_SIZE[type]) {
          throw new NnError('runtime_error', `output ${i}: ${data.byteLength} bytes for ${type}[${dims.join(',')}]`);
        }
        return { type, dims, data };
      });
    } catch (e) {
      this.outputs = undefined;
      if (e instanceof NnError) throw e;
      const why = isAbort(this.graph.instance, e) ? 'LiteRT aborted' : 'LiteRT';
      throw new NnError('runtime_error', `tflite: ${why}: ${message(e)}`);
    } finally {
      if (this.graph.instance.aborted === undefined) for (const b of [...buffers, ...results]) b.delete();
    }
  }

  getOutput(index: number): Tensor {
    return outputAt(this.outputs, index, this.graph.outputSpecs.length);
  }

  dispose(): void {
    this.outputs = undefined;
  }
}

export class TfliteBackend implements Backend {
  readonly encoding = 'tensorflowlite' as const;
  private active: LiteRtInstance | undefined;
  private initError: string | undefined;
  /** instances made so far (the first start, and one after each abort) */
  private started = 0;

  /** The live instance, started (or restarted after an abort) on demand; undefined when LiteRT cannot start here. */
  private instance(): LiteRtInstance | undefined {
    if (this.active?.aborted === undefined && this.active) return this.active;
    if (this.initError !== undefined) return undefined;
    try {
      this.active = createLiteRtInstance();
      this.started++;
      return this.active;
    } catch (e) {
      this.initError = message(e);
      this.active = undefined;
      return undefined;
    }
  }

  availability(): Availability {
    if (this.instance()) return { available: true, engine: 'LiteRT (@litertjs/core wasm, compat build)', version: litertVersion() };
    return {
      available: false,
      engine: 'LiteRT (@litertjs/core wasm, compat build)',
      reason: this.initError ?? 'LiteRT did not start',
      fix: 'run `npm ci` (the harness pins @litertjs/core 2.5.3, whose wasm/ holds litert_wasm_compat_internal.{js,wasm}) on Node.js >= 20',
    };
  }

  targets(): readonly Target[] {
    return this.instance() ? ['cpu'] : [];
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const instance = this.instance();
    if (!instance) throw new NnError('invalid_encoding', `tensorflowlite engine unavailable: ${this.availability().available ? '' : (this.availability() as { reason: string }).reason}`);
    if (builders.length !== 1) throw new NnError('invalid_argument', `tensorflowlite takes exactly 1 builder, got ${builders.length}`);
    if (target !== 'cpu' && target !== 'auto') {
      throw new NnError('unsupported_operation', `tensorflowlite: execution target ${target} is not available on this machine`);
    }
    const bytes = builders[0] as Uint8Array;
    if (bytes.byteLength === 0) throw new NnError('invalid_argument', 'tensorflowlite: the builder is empty');
    const m = instance.module;
    let ptr = 0;
    let model: LiteRtModel | undefined;
    let compiled: LiteRtCompiledModel | undefined;
    instance.clearLog();
    try {
      ptr = m._malloc(bytes.byteLength);
      if (!ptr) throw new Error(`cannot allocate ${bytes.byteLength} bytes in LiteRT's memory`);
      m.HEAPU8.set(bytes, ptr);
      model = m.loadModel(instance.env, ptr, bytes.byteLength);
      if (model.getNumSignatures() < 1) throw new Error('the model has no signature');
      compiled = m.compileModel(instance.env, model, { cpuOptions: { numThreads: 1 }, accelerator: 'wasm', gpuOptions: {}, webNNOptions: {} });
      const graph = new TfliteGraph(instance, ptr, model, compiled);
      const bad = [...graph.inputSpecs, ...graph.outputSpecs].find((s) => s.type === undefined);
      if (bad) {
        graph.dispose();
        throw new NnError('unsupported_operation', `tensorflowlite: ${bad.name} is ${ELEMENT_NAMES[bad.element] ?? bad.element}, which has no wasi-nn tensor type`);
      }
      return graph;
    } catch (e) {
      if (e instanceof NnError) throw e;
      const aborted = isAbort(instance, e);
      if (!aborted) {
        try {
          compiled?.delete();
          model?.delete();
          if (ptr) m._free(ptr);
        } catch {
          // nothing more to free
        }
      } else {
        instance.aborted ??= message(e); // the next call that needs LiteRT gets a fresh instance
      }
      const log = instance.log().filter((l) => /error|fail|invalid|abort/i.test(l)).slice(-2).map((l) => l.trim()).join(' | ');
      throw new NnError('invalid_argument', `tensorflowlite: not a loadable model${aborted ? ' (LiteRT aborted; a fresh instance serves the next call)' : ''}: ${message(e)}${log ? ` [${log}]` : ''}`);
    }
  }

  /** Test hook: the instance that serves the next load, and how many have been started. */
  activeInstanceForTest(): LiteRtInstance | undefined {
    return this.instance();
  }

  startedForTest(): number {
    return this.started;
  }
}
