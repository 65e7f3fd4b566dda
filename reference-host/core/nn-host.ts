/**
 * The state one guest instance sees: its graphs and execution contexts. It speaks plain values
 * (encoding names, copied tensors); numbering and guest memory belong to the ABI layer.
 * Every failure leaves as an NnError; an unexpected exception from an engine becomes runtime_error.
 */
import type { Backend, BackendContext, BackendGraph } from '../backends/backend.js';
import { describeDetection, detect, type Detection } from '../detect/detector.js';
import { HandleTable } from './handles.js';
import { limitsWith, type NnLimits } from './limits.js';
import type { NamedGraphRegistry } from './named-graphs.js';
import { NnError, parseJsonObject, type Encoding, type Target, type Tensor } from './types.js';

interface GraphEntry {
  graph: BackendGraph;
  /** builder bytes, for the held-bytes limit (0 for shared graphs) */
  bytes: number;
  /** from load_by_name_with_config; handed to every context of this handle */
  config?: Readonly<Record<string, unknown>>;
  /** graphs from the named registry are shared and outlive this instance */
  shared: boolean;
  info: GraphInfo;
}

/**
 * What a graph is and where it really runs. `target` is what the guest asked for, `device` the
 * target the engine was given: they differ after `auto` or a fallback (see TargetPolicy).
 */
export interface GraphInfo {
  /** the engine's encoding (never autodetect: a detected graph names what was detected) */
  encoding: Exclude<Encoding, 'autodetect'>;
  target: Target;
  device: Exclude<Target, 'auto'>;
  /** true when the target policy moved the graph to cpu */
  fellBack: boolean;
  /** present when the guest asked for autodetect */
  detection?: Detection;
}

/**
 * What happens to a target the engine or machine lacks. strict: unsupported_operation (never
 * pretend a GPU ran). fallback: the graph runs on cpu and GraphInfo.device says so.
 */
export const TARGET_POLICIES = ['strict', 'fallback'] as const;
export type TargetPolicy = (typeof TARGET_POLICIES)[number];

/** Info of every parsed graph; named graphs are parsed once and shared across instances. */
const GRAPH_INFO = new WeakMap<BackendGraph, GraphInfo>();

interface ContextEntry {
  context: BackendContext;
  /** the graph it was made from */
  graph: BackendGraph;
}

export interface NnHostOptions {
  backends: ReadonlyMap<Encoding, Backend>;
  registry: NamedGraphRegistry;
  /** default strict */
  targetPolicy?: TargetPolicy;
  /** told about every graph handle made by load or load_by_name (the CLI's --nn-trace prints it) */
  onGraph?: (handle: number, info: GraphInfo) => void;
  /** resource limits per guest instance (limits.ts); default DEFAULT_LIMITS */
  limits?: Partial<NnLimits>;
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

export class NnHost {
  readonly limits: NnLimits;
  private readonly graphs: HandleTable<GraphEntry>;
  private readonly contexts: HandleTable<ContextEntry>;
  /** unloaded graphs a live context still uses: freed with their last context, or with the instance */
  private readonly retired: { graph: BackendGraph; bytes: number }[] = [];
  /** live graphs this instance loaded itself (not shared named graphs) */
  private ownGraphs = 0;
  /** builder bytes of every graph this instance loaded and still holds (live or retired) */
  private heldBytes = 0;

  constructor(private readonly options: NnHostOptions) {
    this.limits = limitsWith(options.limits);
    this.graphs = new HandleTable<GraphEntry>('graph', this.limits.maxGraphs, '--nn-max-graphs');
    this.contexts = new HandleTable<ContextEntry>('execution context', this.limits.maxContexts, '--nn-max-contexts');
  }

  private backend(encoding: Encoding): Backend {
    const backend = this.options.backends.get(encoding);
    if (!backend) throw new NnError('invalid_encoding', `no engine for encoding ${encoding} is built into this host`);
    const availability = backend.availability();
    if (!availability.available) {
      throw new NnError('invalid_encoding', `${encoding} engine ${availability.engine} unavailable: ${availability.reason}`);
    }
    return backend;
  }

  /**
   * The target the engine is given, under the target policy. `auto` becomes the first of gpu,
   * tpu, cpu the engine has. Strict passes a missing target on, so the engine answers
   * unsupported_operation in its own order of checks (after its builder checks); fallback gives
   * the engine cpu instead, when it has cpu.
   */
  private device(backend: Backend, target: Target): { device: Exclude<Target, 'auto'>; fellBack: boolean } {
    const has = backend.targets();
    if (target === 'auto') return { device: (['gpu', 'tpu', 'cpu'] as const).find((t) => has.includes(t)) ?? 'cpu', fellBack: false };
    if (has.includes(target) || (this.options.targetPolicy ?? 'strict') === 'strict' || !has.includes('cpu')) return { device: target, fellBack: false };
    return { device: 'cpu', fellBack: true };
  }

  /** Parses builders with the engine of `encoding` (autodetect: of the detected format); used by load and by the named registry. */
  parse = (builders: readonly Uint8Array[], encoding: Encoding, target: Target): BackendGraph => {
    let detection: Detection | undefined;
    let engine: Exclude<Encoding, 'autodetect'>;
    if (encoding === 'autodetect') {
      detection = detect(builders);
      if (!detection.encoding) throw new NnError('invalid_encoding', `autodetect: ${describeDetection(detection)}`);
      engine = detection.encoding;
    } else engine = encoding;
    let backend: Backend;
    try {
      backend = this.backend(engine);
    } catch (e) {
      if (detection && e instanceof NnError) throw new NnError(e.errno, `autodetect: the builders are ${describeDetection(detection)}; ${e.message}`);
      throw e;
    }
    const { device, fellBack } = this.device(backend, target);
    const graph = guarded(`${engine} load`, () => backend.load(builders, device));
    GRAPH_INFO.set(graph, { encoding: engine, target, device, fellBack, ...(detection ? { detection } : {}) });
    return graph;
  };

  private addGraph(graph: BackendGraph, shared: boolean, config?: Readonly<Record<string, unknown>>, bytes = 0): number {
    const info = GRAPH_INFO.get(graph);
    if (!info) throw new Error('host bug: a graph without GraphInfo');
    const handle = this.graphs.add({ graph, shared, info, bytes, ...(config ? { config } : {}) });
    this.options.onGraph?.(handle, info);
    return handle;
  }

  /**
   * An unloaded graph is freed at once when no live context uses it, else when its last context
   * is finalized or the instance ends; the limits count every graph still held, checked before
   * the engine parses.
   */
  load(builders: readonly Uint8Array[], encoding: Encoding, target: Target): number {
    const bytes = builders.reduce((n, b) => n + b.byteLength, 0);
    const held = this.ownGraphs + this.retired.length;
    if (held >= this.limits.maxGraphs) {
      throw new NnError('busy', `${held} graphs loaded by this guest are held (an unloaded one stays while a context uses it), the most this host allows (--nn-max-graphs)`);
    }
    if (this.heldBytes + bytes > this.limits.maxTotalModelBytes) {
      throw new NnError('too_large', `the graphs this guest holds have ${this.heldBytes} bytes of models; ${bytes} more would pass ${this.limits.maxTotalModelBytes} (--nn-max-total-model-bytes)`);
    }
    const graph = this.parse(builders, encoding, target);
    const handle = this.addGraph(graph, false, undefined, bytes);
    this.ownGraphs++;
    this.heldBytes += bytes;
    return handle;
  }

  /** What a graph handle is and where it runs (the engine, the detection, the device). */
  graphInfo(graphHandle: number): GraphInfo {
    return this.graphs.get(graphHandle).info;
  }

  /** `configJson`: the bytes of load_by_name_with_config; must be a JSON object (unknown keys are the engine's to ignore). */
  loadByName(name: string, configJson?: Uint8Array): number {
    const config = configJson === undefined ? undefined : parseJsonObject(configJson, 'config');
    const { graph } = this.options.registry.resolve(name, this.parse);
    return this.addGraph(graph, true, config);
  }

  initExecutionContext(graphHandle: number): number {
    const { graph, config } = this.graphs.get(graphHandle);
    const context = guarded('init_execution_context', () => graph.initExecutionContext(config));
    return this.contexts.add({ context, graph });
  }

  /** Whether set_input on this context and index accepts any dims (see BackendContext); false for an unknown handle. */
  inputTakesAnyDims(ctx: number, index: number): boolean {
    let context: BackendContext;
    try {
      ({ context } = this.contexts.get(ctx));
    } catch {
      return false; // set_input reports the bad handle
    }
    return context.inputTakesAnyDims?.(index) ?? false;
  }

  /** The model's input names in index order, when the engine has them (the WIT interface matches by name). */
  inputNames(ctx: number): readonly string[] | undefined {
    return this.contexts.get(ctx).context.inputNames?.();
  }

  outputNames(ctx: number): readonly string[] | undefined {
    return this.contexts.get(ctx).context.outputNames?.();
  }

  /** How many outputs a compute gives, when the engine says (by naming them). */
  outputCount(ctx: number): number | undefined {
    return this.contexts.get(ctx).context.outputNames?.().length;
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
    if (entry.shared) return;
    this.ownGraphs--;
    this.retired.push({ graph: entry.graph, bytes: entry.bytes });
    this.freeUnused();
  }

  /** Frees an execution context (WasmEdge's finalize_execution_context); its handle is invalid afterwards. */
  finalizeExecutionContext(ctx: number): void {
    const { context } = this.contexts.remove(ctx);
    guarded('finalize_execution_context', () => context.dispose());
    this.freeUnused();
  }

  /** Disposes the unloaded graphs no live context uses any more. */
  private freeUnused(): void {
    const used = new Set<BackendGraph>();
    for (const { graph } of this.contexts.values()) used.add(graph);
    for (let i = this.retired.length - 1; i >= 0; i--) {
      const r = this.retired[i] as { graph: BackendGraph; bytes: number };
      if (used.has(r.graph)) continue;
      this.retired.splice(i, 1);
      this.heldBytes -= r.bytes;
      guarded('unload', () => r.graph.dispose());
    }
  }

  /** Releases every engine object this instance owns (shared named graphs stay). */
  dispose(): void {
    for (const { context } of this.contexts.values()) context.dispose();
    for (const entry of this.graphs.values()) if (!entry.shared) this.retired.push({ graph: entry.graph, bytes: entry.bytes });
    for (const { graph } of this.retired.splice(0)) graph.dispose();
  }
}
