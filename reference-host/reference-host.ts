/**
 * The reference host as a library: engines, the named-graph registry and a dialect, shared by
 * every guest it runs. This is what the CLI and the harness's in-process runtime use.
 */
import type { NnLimits } from './core/limits.js';
import { DIALECTS, type DialectName } from './abi/dialects.js';
import type { Backend } from './backends/backend.js';
import { createBackends } from './backends/index.js';
import { NamedGraphRegistry, type NamedGraphSpec } from './core/named-graphs.js';
import type { GraphInfo, TargetPolicy } from './core/nn-host.js';
import type { Encoding } from './core/types.js';
import { withAutodetect } from './detect/autodetect-backend.js';
import { runGuest, type GuestResult, type GuestRun } from './wasi/run-guest.js';

export interface ReferenceHostOptions {
  /** the dialect every guest is served; undefined: each guest's own (custom section, else imports, else witx) */
  dialect?: DialectName;
  preloads?: readonly NamedGraphSpec[];
  backends?: ReadonlyMap<Encoding, Backend>;
  /** a target the engine or machine lacks: strict (default) → unsupported_operation, fallback → cpu */
  targetPolicy?: TargetPolicy;
  /** what one guest may hold (core/limits.ts); default DEFAULT_LIMITS */
  limits?: Partial<NnLimits>;
}

export class ReferenceHost {
  readonly dialect: DialectName | undefined;
  readonly backends: ReadonlyMap<Encoding, Backend>;
  readonly registry = new NamedGraphRegistry();
  readonly targetPolicy: TargetPolicy;
  readonly limits: Partial<NnLimits>;

  constructor(options: ReferenceHostOptions = {}) {
    this.dialect = options.dialect;
    if (this.dialect !== undefined && !DIALECTS[this.dialect]) throw new Error(`unknown dialect ${this.dialect}`);
    // the engines, plus the autodetect entry (reference-host/detect) that routes to them
    this.backends = withAutodetect(options.backends ?? createBackends());
    this.targetPolicy = options.targetPolicy ?? 'strict';
    this.limits = { ...(options.limits ?? {}) };
    for (const spec of options.preloads ?? []) this.registry.register(spec);
  }

  /** `onGraph` is told about every graph handle: its engine, detection and the device it runs on. */
  run(run: Omit<GuestRun, 'dialect'> & { dialect?: DialectName; onGraph?: (handle: number, info: GraphInfo) => void }): Promise<GuestResult> {
    const { onGraph, ...guest } = run;
    const dialect = run.dialect ?? this.dialect;
    return runGuest(
      { ...guest, ...(dialect === undefined ? {} : { dialect }) },
      { backends: this.backends, registry: this.registry, targetPolicy: this.targetPolicy, limits: this.limits, ...(onGraph ? { onGraph } : {}) },
    );
  }

  dispose(): void {
    this.registry.dispose();
  }
}
