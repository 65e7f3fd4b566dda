/**
 * The one interface every engine implements. Backends see copied bytes and plain values;
 * the ABI layer owns every guest pointer. A backend reports guest-visible failures by throwing
 * NnError; anything else it throws is turned into runtime_error by the host core.
 */
import type { Encoding, Target, Tensor } from '../core/types.js';

export type Availability =
  | { available: true; engine: string; version: string }
  | { available: false; engine: string; reason: string; fix: string };

export interface Backend {
  readonly encoding: Encoding;
  /**
   * Whether the engine can run here; never throws. Engines start on first use, synchronously
   * (every wasi-nn call answers synchronously), so asking may start one.
   */
  availability(): Availability;
  /** Execution targets this engine really has on this machine. */
  targets(): readonly Target[];
  /** Parses the builders into a graph. */
  load(builders: readonly Uint8Array[], target: Target): BackendGraph;
}

export interface BackendGraph {
  /** `config` is the parsed JSON object of load_by_name_with_config, when there was one. */
  initExecutionContext(config?: Readonly<Record<string, unknown>>): BackendContext;
  dispose(): void;
}

export interface BackendContext {
  setInput(index: number, tensor: Tensor): void;
  compute(): void;
  getOutput(index: number): Tensor;
  /** WasmEdge's token-at-a-time extensions; engines without them leave these out. */
  computeSingle?(): void;
  getOutputSingle?(index: number): Tensor;
  finiSingle?(): void;
  /**
   * True when input `index` takes its size from the data alone, so set_input accepts any dims
   * (an LLM prompt: WasmEdge guests pass dims [1] for any length). Absent: data_len must equal
   * product(dims) × element size.
   */
  inputTakesAnyDims?(index: number): boolean;
  /**
   * The model's input and output names, in index order, where the engine has them: the WIT
   * interface (reference-host/component/) matches tensors by name. Absent: names are decimal
   * indexes, and the outputs are as many as getOutput accepts.
   */
  inputNames?(): readonly string[];
  outputNames?(): readonly string[];
  dispose(): void;
}
