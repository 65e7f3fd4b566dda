/**
 * The reference host as a library: engines, the named-graph registry and a dialect, shared by
 * every guest it runs. This is what the CLI and the harness's in-process runtime use.
 */
import { DIALECTS, type DialectName } from './abi/dialects.js';
import type { Backend } from './backends/backend.js';
import { createBackends } from './backends/index.js';
import { NamedGraphRegistry, type NamedGraphSpec } from './core/named-graphs.js';
import type { Encoding } from './core/types.js';
import { runGuest, type GuestResult, type GuestRun } from './wasi/run-guest.js';

export interface ReferenceHostOptions {
  dialect?: DialectName;
  preloads?: readonly NamedGraphSpec[];
  backends?: ReadonlyMap<Encoding, Backend>;
}

export class ReferenceHost {
  readonly dialect: DialectName;
  readonly backends: ReadonlyMap<Encoding, Backend>;
  readonly registry = new NamedGraphRegistry();

  constructor(options: ReferenceHostOptions = {}) {
    this.dialect = options.dialect ?? 'witx';
    if (!DIALECTS[this.dialect]) throw new Error(`unknown dialect ${this.dialect}`);
    this.backends = options.backends ?? createBackends();
    for (const spec of options.preloads ?? []) this.registry.register(spec);
  }

  run(run: Omit<GuestRun, 'dialect'> & { dialect?: DialectName }): Promise<GuestResult> {
    return runGuest({ ...run, dialect: run.dialect ?? this.dialect }, { backends: this.backends, registry: this.registry });
  }

  dispose(): void {
    this.registry.dispose();
  }
}
