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
  /** Whether the engine can run here; never throws. */
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
  dispose(): void;
}
