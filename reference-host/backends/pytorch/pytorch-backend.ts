/**
 * PyTorch (TorchScript) through libtorch 1.13, in a native addon (native/torch_addon.cc, built by
 * `npm run build:torch`) that runs in a separate engine process (torch-engine.ts), called
 * synchronously. Decisions (see reference-host/README.md):
 *
 * - one builder, the bytes of a torch.jit.save zip; anything libtorch cannot load → invalid_argument
 *   (a crash of libtorch while loading counts the same: the bytes are what is wrong);
 * - the input count is forward()'s argument count (after self): an index past it → invalid_argument
 *   at set_input. TorchScript declares no dtypes or shapes for Tensor arguments, so set_input
 *   accepts any wasi-nn type and dims; a tensor forward() cannot take fails at compute as
 *   runtime_error, with libtorch's message;
 * - outputs: a tensor, or tuples/lists of tensors flattened depth-first, by index; known only after
 *   compute, so get_output before a successful compute → runtime_error and an index past the
 *   outputs → invalid_argument;
 * - every compute runs forward() again (no stale outputs), and a failed compute leaves none;
 * - CPU only: the Debian libtorch has no CUDA, so gpu and tpu → unsupported_operation.
 */
import type { Availability, Backend, BackendContext, BackendGraph } from '../backend.js';
import { ArchiveInspectionError, findForbiddenOps } from './forbidden-ops.js';
import { NnError, type Target, type Tensor } from '../../core/types.js';
import { type EngineResponse, TorchEngine, type WireTensor } from './torch-engine.js';

let sharedEngine: TorchEngine | undefined;

/** The engine process every PyTorchBackend of this node process shares (started at first use). */
function defaultEngine(): TorchEngine {
  sharedEngine ??= new TorchEngine();
  return sharedEngine;
}

interface LoadResult {
  id: number;
  inputs: number;
}

function failure(r: EngineResponse): string {
  return r.ok ? '' : r.message;
}

class TorchGraph implements BackendGraph {
  private id: number;
  private generation: number;
  private disposed = false;

  constructor(
    private readonly engine: TorchEngine,
    private readonly bytes: Uint8Array,
    loaded: LoadResult,
    generation: number,
    readonly inputs: number,
  ) {
    this.id = loaded.id;
    this.generation = generation;
  }

  /** forward() in the engine process; reloads the model first if that process was restarted since. */
  forward(inputs: WireTensor[]): EngineResponse {
    if (this.disposed) throw new NnError('runtime_error', 'pytorch: the graph was disposed');
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.generation !== this.engine.generation) {
        const r = this.engine.call('load', [this.bytes]);
        if (!r.ok) throw new NnError('runtime_error', `pytorch: reloading the model after the engine process restarted failed: ${failure(r)}`);
        this.id = (r.result as LoadResult).id;
        this.generation = r.generation;
      }
      const r = this.engine.call('forward', [this.id, inputs], this.generation);
      if (r.ok || !r.stale) return r;
    }
    throw new NnError('runtime_error', 'pytorch: the engine process keeps restarting');
  }

  initExecutionContext(): BackendContext {
    return new TorchContext(this);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.generation === this.engine.generation) this.engine.call('unload', [this.id], this.generation);
  }
}

class TorchContext implements BackendContext {
  private readonly inputs: (Tensor | undefined)[];
  private outputs: Tensor[] | undefined;

  constructor(private readonly graph: TorchGraph) {
    this.inputs = Array.from({ length: graph.inputs }, () => undefined);
  }

  setInput(index: number, tensor: Tensor): void {
    if (index >= this.inputs.length) {
      throw new NnError('invalid_argument', `input index ${index} out of range: forward() takes ${this.inputs.length} input(s)`);
    }
    this.inputs[index] = tensor;
  }

  compute(): void {
    this.outputs = undefined;
    const missing = this.inputs.findIndex((t) => t === undefined);
    if (missing >= 0) throw new NnError('invalid_argument', `input ${missing} was never set`);
    const wire = this.inputs.map((t) => ({ type: (t as Tensor).type, dims: (t as Tensor).dims, data: (t as Tensor).data }));
    const r = this.graph.forward(wire);
    if (!r.ok) {
      const what = r.crashed ? (r.timedOut ? 'forward ran past the time limit and was killed: ' : 'libtorch crashed: ') : '';
      throw new NnError('runtime_error', `pytorch: ${what}${r.message}`);
    }
    this.outputs = (r.result as WireTensor[]).map((o) => ({ type: o.type, dims: [...o.dims], data: o.data }));
  }

  getOutput(index: number): Tensor {
    if (!this.outputs) throw new NnError('runtime_error', 'get_output before a successful compute on this context');
    const out = this.outputs[index];
    if (!out) throw new NnError('invalid_argument', `output index ${index} out of range: forward() returned ${this.outputs.length} tensor(s)`);
    return out;
  }

  dispose(): void {
    this.outputs = undefined;
  }
}

/** TorchScript that would reach the host's files, network or processes is refused before libtorch compiles it (forbidden-ops.ts). */
function refuseForbiddenOps(bytes: Uint8Array): void {
  let use;
  try {
    use = findForbiddenOps(bytes);
  } catch (e) {
    if (e instanceof ArchiveInspectionError) throw new NnError('invalid_argument', `pytorch: not a loadable TorchScript model: ${e.message}`);
    throw e;
  }
  if (use) throw new NnError('unsupported_operation', `pytorch: ${use.entry} uses ${use.op}, which ${use.reaches}; this host never lets a model reach outside its process`);
}

export class PyTorchBackend implements Backend {
  readonly encoding = 'pytorch' as const;
  private availabilityCache: Availability | undefined;

  constructor(private readonly engineOverride?: TorchEngine) {}

  private get engine(): TorchEngine {
    return this.engineOverride ?? defaultEngine();
  }

  availability(): Availability {
    if (this.availabilityCache) return this.availabilityCache;
    const missing = TorchEngine.missing();
    if (missing) return { available: false, engine: 'libtorch', ...missing };
    const r = this.engine.call('start');
    if (!r.ok) {
      // not cached: a later call may succeed (e.g. after `npm run build:torch`)
      return { available: false, engine: 'libtorch', reason: r.message, fix: 'apt-get install libtorch-dev && npm run build:torch' };
    }
    const sandbox = this.engine.call('sandbox');
    this.availabilityCache = { available: true, engine: 'libtorch', version: `${String(r.result)} (engine process sandbox: ${sandbox.ok ? String(sandbox.result) : 'unknown'})` };
    return this.availabilityCache;
  }

  targets(): readonly Target[] {
    return this.availability().available ? ['cpu'] : [];
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const avail = this.availability();
    if (!avail.available) throw new NnError('invalid_encoding', `pytorch engine unavailable: ${avail.reason} (fix: ${avail.fix})`);
    if (builders.length !== 1) throw new NnError('invalid_argument', `pytorch takes exactly 1 builder, got ${builders.length}`);
    if (target !== 'cpu' && target !== 'auto') {
      throw new NnError('unsupported_operation', `pytorch: execution target ${target} is not available (this libtorch is CPU-only)`);
    }
    const bytes = builders[0] as Uint8Array;
    if (bytes.byteLength === 0) throw new NnError('invalid_argument', 'pytorch: the builder is empty');
    refuseForbiddenOps(bytes);
    const r = this.engine.call('load', [bytes]);
    if (!r.ok) {
      if (r.unavailable) throw new NnError('invalid_encoding', `pytorch engine unavailable: ${r.message}`);
      if (r.timedOut) throw new NnError('runtime_error', `pytorch: torch::jit::load ran past the time limit and was killed`);
      throw new NnError('invalid_argument', `pytorch: not a loadable TorchScript model: ${r.crashed ? 'libtorch crashed: ' : ''}${r.message}`);
    }
    const loaded = r.result as LoadResult;
    return new TorchGraph(this.engine, bytes.slice(), loaded, r.generation, loaded.inputs);
  }
}
