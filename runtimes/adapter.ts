/**
 * The one interface for runtimes. An adapter knows how to run one guest job on its runtime and
 * what that runtime can do; the harness never knows which runtime it is talking to.
 */
import type { DialectName } from '../reference-host/abi/dialects.js';
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
  | { available: true; version: string; path?: string }
  | { available: false; reason: string; fix: string };

export interface Capabilities {
  dialects: readonly DialectName[];
  encodings: readonly Encoding[];
  targets: readonly Target[];
}

export interface RuntimeAdapter {
  readonly name: string;
  readonly dialect: DialectName;
  detect(): Promise<Detection>;
  capabilities(): Promise<Capabilities>;
  execute(job: GuestJob): Promise<RunOutcome>;
}
