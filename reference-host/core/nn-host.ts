/**
 * The state one guest instance sees: its graphs and execution contexts. It speaks plain values
 * (encoding names, copied tensors); numbering and guest memory belong to the ABI layer.
 * Every failure leaves as an NnError; an unexpected exception from an engine becomes runtime_error.
 */
import type { Backend, BackendContext, BackendGraph } from '../backends/backend.js';
import { HandleTable } from './handles.js';
import type { NamedGraphRegistry } from './named-graphs.js';
import { NnError, type Encoding, type Target, type Tensor } from './types.js';

interface GraphEntry {
  graph: BackendGraph;
  /** from load_by_name_with_config; handed to every context of this handle */
  config?: Readonly<Record<string, unknown>>;
  /** graphs from the named registry are shared and outlive this instance */
  shared: boolean;
}

interface ContextEntry {
  context: BackendContext;
}

export interface NnHostOptions {
  backends: ReadonlyMap<Encoding, Backend>;
  registry: NamedGraphRegistry;
}

/** Runs `fn`, turning anything that is not an NnError into runtime_error. */
export function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof NnError) throw e;
    throw new NnError('runtime_error', `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function parseConfig(bytes: Uint8Array): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new NnError('invalid_argument', `config is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NnError('invalid_argument', 'config must be a JSON object');
  }
  return value as Record<string, unknown>;
}

export class NnHost {
  private readonly graphs = new HandleTable<GraphEntry>('graph');
  private readonly contexts = new HandleTable<ContextEntry>('execution context');
  /** unloaded graphs, freed with the instance because live contexts may still use them */
  private readonly retired: BackendGraph[] = [];

  constructor(private readonly options: NnHostOptions) {}

  private backend(encoding: Encoding): Backend {
    const backend = this.options.backends.get(encoding);
    if (!backend) throw new NnError('invalid_encoding', `no engine for encoding ${encoding} is built into this host`);
    const availability = backend.availability();
    if (!availability.available) {
      throw new NnError('invalid_encoding', `${encoding} engine ${availability.engine} unavailable: ${availability.reason}`);
    }
    return backend;
  }

  /** Parses builders with the engine of `encoding`; used by load and by the named registry. */
  parse = (builders: readonly Uint8Array[], encoding: Encoding, target: Target): BackendGraph => {
    if (encoding === 'autodetect') throw new NnError('invalid_encoding', 'autodetect is not supported by this host yet');
    const backend = this.backend(encoding);
    return guarded(`${encoding} load`, () => backend.load(builders, target));
  };

  load(builders: readonly Uint8Array[], encoding: Encoding, target: Target): number {
    return this.graphs.add({ graph: this.parse(builders, encoding, target), shared: false });
  }

  /** `configJson`: the bytes of load_by_name_with_config; must be a JSON object (unknown keys are the engine's to ignore). */
  loadByName(name: string, configJson?: Uint8Array): number {
    const config = configJson === undefined ? undefined : parseConfig(configJson);
    const { graph } = this.options.registry.resolve(name, this.parse);
    return this.graphs.add(config ? { graph, shared: true, config } : { graph, shared: true });
  }

  initExecutionContext(graphHandle: number): number {
    const { graph, config } = this.graphs.get(graphHandle);
    const context = guarded('init_execution_context', () => graph.initExecutionContext(config));
    return this.contexts.add({ context });
  }

  setInput(ctx: number, index: number, tensor: Tensor): void {
    const { context } = this.contexts.get(ctx);
    guarded('set_input', () => context.setInput(index, tensor));
  }

  compute(ctx: number): void {
    const { context } = this.contexts.get(ctx);
    guarded('compute', () => context.compute());
  }

  getOutput(ctx: number, index: number): Tensor {
    const { context } = this.contexts.get(ctx);
    return guarded('get_output', () => context.getOutput(index));
  }

  computeSingle(ctx: number): void {
    const { context } = this.contexts.get(ctx);
    if (!context.computeSingle) throw new NnError('unsupported_operation', 'compute_single: this graph\'s engine does not stream tokens');
    guarded('compute_single', () => context.computeSingle?.());
  }

  getOutputSingle(ctx: number, index: number): Tensor {
    const { context } = this.contexts.get(ctx);
    if (!context.getOutputSingle) throw new NnError('unsupported_operation', 'get_output_single: this graph\'s engine does not stream tokens');
    const getOutputSingle = context.getOutputSingle.bind(context);
    return guarded('get_output_single', () => getOutputSingle(index));
  }

  finiSingle(ctx: number): void {
    const { context } = this.contexts.get(ctx);
    if (!context.finiSingle) throw new NnError('unsupported_operation', 'fini_single: this graph\'s engine does not stream tokens');
    guarded('fini_single', () => context.finiSingle?.());
  }

  /** Invalidates a graph handle (WasmEdge's unload). Contexts made from it stay usable. */
  unload(graphHandle: number): void {
    const entry = this.graphs.remove(graphHandle);
    if (!entry.shared) this.retired.push(entry.graph);
  }

  /** Releases every engine object this instance owns (shared named graphs stay). */
  dispose(): void {
    for (const { context } of this.contexts.values()) context.dispose();
    for (const entry of this.graphs.values()) if (!entry.shared) this.retired.push(entry.graph);
    for (const graph of this.retired.splice(0)) graph.dispose();
  }
}
