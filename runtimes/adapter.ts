/**
 * The one interface for runtimes. An adapter knows how to run one guest job on its runtime and
 * what that runtime can do; the harness never knows which runtime it is talking to.
 */
import { CORE_FUNCTION_NAMES, SPEC_FUNCTIONS, type DialectName } from '../reference-host/abi/dialects.js';
import type { Encoding, Target } from '../reference-host/core/types.js';
import type { RunOutcome } from '../harness/judge.js';

export interface NamedGraph {
  name: string;
  encoding: Encoding;
  target: Target;
  /** host paths of the builders */
  paths: string[];
}

export interface GuestJob {
  /** host path of the guest .wasm */
  wasm: string;
  args: string[];
  /** guest path → host path */
  preopens: Record<string, string>;
  env?: Record<string, string>;
  preloads: NamedGraph[];
  timeoutMs: number;
}

export type Detection =
  /** details: what else the run's start-up line should say (the backends found, where a library came from) */
  /** build: how the binary was had, when the adapter knows (`setup` recorded it); `--runtime-build` wins */
  | { available: true; version: string; path?: string; details?: string; build?: string }
  | { available: false; reason: string; fix: string };

/**
 * How a runtime is told about named graphs for `load_by_name`:
 * - `embedder`: the harness registers them in process (the in-process reference host);
 * - `name-encoding-target-paths`: `--nn-preload NAME:ENCODING:TARGET:PATH[:PATH...]` (WasmEdge, our CLI);
 * - `encoding-dir`: `-S nn-graph=ENCODING::DIR`, the name is DIR's basename (wasmtime);
 * - `host-path`: no flag; `load_by_name` opens the name as a host file relative to the runtime's
 *   working dir, so the adapter stages each graph's one file under its NAME there (WAMR);
 * - `none`: no way at all.
 */
export type PreloadStyle = 'embedder' | 'name-encoding-target-paths' | 'encoding-dir' | 'host-path' | 'none';

export interface Capabilities {
  dialects: readonly DialectName[];
  encodings: readonly Encoding[];
  targets: readonly Target[];
  preload: PreloadStyle;
  /** the wasi-nn functions the runtime provides (under the run's dialect: WAMR's legacy `wasi_nn` has its own six) */
  functions: readonly string[];
  /**
   * What the runtime does with a guest importing a wasi-nn function it lacks:
   * refuse to instantiate it (wasmtime, WasmEdge), or instantiate and trap when it is called (WAMR).
   */
  missingImports: 'refuse' | 'trap-on-call';
  /** the inference engine behind each encoding, as far as the adapter can tell (report run_info.engines) */
  engines?: Record<string, string>;
}

export interface RuntimeAdapter {
  readonly name: string;
  readonly dialect: DialectName;
  /** the environment variable naming the runtime's binary (`run --binary` sets it); none for an in-process runtime */
  readonly binaryEnvVar?: string;
  detect(): Promise<Detection>;
  capabilities(): Promise<Capabilities>;
  /**
   * Why this runtime cannot run the job as asked (a preload it cannot express, a path its flag
   * syntax cannot carry), or undefined when it can. The harness reports such a case UNSUPPORTED.
   */
  cannotRun(job: GuestJob): string | undefined;
  execute(job: GuestJob): Promise<RunOutcome>;
}

/** The six functions of the witx spec, plus the extensions some runtimes add (WAMR's load_by_name_with_config, WasmEdge's five). */
export { SPEC_FUNCTIONS };
export const ALL_FUNCTIONS = CORE_FUNCTION_NAMES;
