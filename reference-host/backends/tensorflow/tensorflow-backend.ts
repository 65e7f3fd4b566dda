/**
 * The `tensorflow` encoding: a frozen GraphDef, or a SavedModel (saved_model.pb, then
 * variables.index and the data shards when it has variables), read by our own strict parser
 * (proto.ts, bundle.ts), flattened by graph.ts and executed by tfjs (tfjs-engine.ts).
 *
 * With `@tensorflow/tfjs-node` installed (an optional peer, never a dependency), the first load
 * finds it and a SavedModel is also run by TensorFlow's C library (tfjs-node-engine.ts); the checks
 * and the signature still come from our reader, so both engines accept the same models.
 */
import type { Availability, Backend, BackendContext, BackendGraph } from '../backend.js';
import { NnError, type Target, type Tensor } from '../../core/types.js';
import { parseModel, type FlatGraph, type IoSpec } from './graph.js';
import { dtypeName } from './proto.js';
import { TfjsModel, tfjs, tfjsError } from './tfjs-engine.js';
import { tfjsNode, type NodeSavedModel } from './tfjs-node-engine.js';
import { inputSpecAt, outputAt } from '../io-index.js';

interface Runner {
  run(inputs: readonly Tensor[]): Tensor[];
  dispose(): void;
}

function describeShape(shape: readonly number[] | undefined): string {
  return shape ? `[${shape.map((d) => (d < 0 ? '?' : String(d))).join(',')}]` : '(any rank)';
}

class TensorflowContext implements BackendContext {
  private readonly inputs: (Tensor | undefined)[];
  private outputs: Tensor[] | undefined;

  constructor(private readonly graph: TensorflowGraph) {
    this.inputs = graph.flat.inputs.map(() => undefined);
  }

  setInput(index: number, tensor: Tensor): void {
    const spec: IoSpec = inputSpecAt(this.graph.flat.inputs, index);
    if (spec.type !== tensor.type) throw new NnError('invalid_argument', `input ${index} (${spec.name}) is ${dtypeName(spec.dtype)}, the tensor is ${tensor.type}`);
    const ok = !spec.shape || (spec.shape.length === tensor.dims.length && spec.shape.every((d, i) => d < 0 || d === tensor.dims[i]));
    if (!ok) throw new NnError('invalid_argument', `input ${index} (${spec.name}) has shape ${describeShape(spec.shape)}, the tensor has dims [${tensor.dims.join(',')}]`);
    this.inputs[index] = tensor;
    this.outputs = undefined;
  }

  compute(): void {
    const missing = this.inputs.findIndex((t) => t === undefined);
    if (missing >= 0) throw new NnError('invalid_argument', `input ${missing} (${this.graph.flat.inputs[missing]?.name}) was never set`);
    this.outputs = undefined;
    this.outputs = this.graph.runner.run(this.inputs as Tensor[]);
  }

  getOutput(index: number): Tensor {
    return outputAt(this.outputs, index, this.graph.flat.outputs.length);
  }

  dispose(): void {
    this.outputs = undefined;
  }
}

export class TensorflowGraph implements BackendGraph {
  constructor(
    readonly flat: FlatGraph,
    readonly runner: Runner,
  ) {}

  initExecutionContext(): BackendContext {
    return new TensorflowContext(this);
  }

  dispose(): void {
    this.runner.dispose();
  }
}

export class TensorflowBackend implements Backend {
  readonly encoding = 'tensorflow' as const;

  availability(): Availability {
    const e = tfjs();
    const node = tfjsNode();
    const engine = node ? `TensorFlow C via @tensorflow/tfjs-node ${node.version} for SavedModels; tfjs for frozen GraphDefs` : 'tfjs-converter GraphModel over our TensorFlow reader';
    if (!e) return { available: false, engine, reason: `tfjs did not start: ${tfjsError() ?? 'unknown'}`, fix: 'run `npm ci` (the harness pins @tensorflow/tfjs-core, -converter, -backend-cpu and -backend-wasm 4.22.0)' };
    const backend = e.backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm (SIMD, 1 thread)' : `@tensorflow/tfjs-backend-cpu (wasm not used: ${e.wasmError})`;
    return { available: true, engine: `${engine}, on ${backend}`, version: `tfjs ${e.version}` };
  }

  targets(): readonly Target[] {
    return tfjs() ? ['cpu'] : [];
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const e = tfjs();
    if (!e) throw new NnError('invalid_encoding', `tensorflow engine unavailable: ${tfjsError()}`);
    // builder checks first, then the target (as the other engines do)
    const flat = parseModel(builders);
    if (target !== 'cpu' && target !== 'auto') throw new NnError('unsupported_operation', `tensorflow: execution target ${target} is not available on this machine`);
    const node = tfjsNode();
    if (node && flat.kind === 'SavedModel') {
      const m: NodeSavedModel = node.load(builders, flat);
      return new TensorflowGraph(flat, m);
    }
    return new TensorflowGraph(flat, new TfjsModel(e, flat));
  }
}
