/**
 * The `autodetect` entry of the engine table: it is what makes the host list autodetect among
 * its encodings (capabilities, doctor). NnHost handles autodetect itself (detection, then the
 * detected engine under the target policy, with the detection recorded); this backend's own
 * load() does the same detection and delegation for an embedder that calls it directly.
 */
import type { Availability, Backend, BackendGraph } from '../backends/backend.js';
import { NnError, TARGETS, type Encoding, type Target } from '../core/types.js';
import { describeDetection, detect } from './detector.js';

export const DETECTOR_VERSION = '1';

export class AutodetectBackend implements Backend {
  readonly encoding = 'autodetect' as const;

  constructor(private readonly engines: ReadonlyMap<Encoding, Backend>) {}

  private others(): Backend[] {
    return [...this.engines.values()].filter((b) => b.encoding !== 'autodetect' && b.availability().available);
  }

  availability(): Availability {
    // the first available engine settles it: asking every engine would start every engine
    if ([...this.engines.values()].some((b) => b.encoding !== 'autodetect' && b.availability().available)) return { available: true, engine: 'reference-host/detect', version: DETECTOR_VERSION };
    return { available: false, engine: 'reference-host/detect', reason: 'no engine is available to run what it detects', fix: 'make an engine available (see `wasi-nn-host doctor`)' };
  }

  /** The targets some available engine has; a detected model still gets its engine's own. */
  targets(): readonly Target[] {
    const all = new Set(this.others().flatMap((b) => b.targets()));
    return TARGETS.filter((t) => all.has(t));
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const d = detect(builders);
    if (!d.encoding) throw new NnError('invalid_encoding', `autodetect: ${describeDetection(d)}`);
    const engine = this.engines.get(d.encoding);
    if (!engine || !engine.availability().available) throw new NnError('invalid_encoding', `autodetect: the builders are ${describeDetection(d)}, and no ${d.encoding} engine is available`);
    return engine.load(builders, target);
  }
}

/** The engine table with its autodetect entry (added once; an existing entry is kept). */
export function withAutodetect(backends: ReadonlyMap<Encoding, Backend>): ReadonlyMap<Encoding, Backend> {
  if (backends.has('autodetect')) return backends;
  const all = new Map(backends);
  all.set('autodetect', new AutodetectBackend(backends));
  return all;
}
