/**
 * The named-graph registry behind load_by_name: filled by the embedder or `--nn-preload`, never
 * by a guest. A name resolves only to a registered entry; a guest-chosen host path is never opened.
 * Each entry is parsed once, on first use, and the parsed graph is shared by every load_by_name.
 */
import { readFileSync } from 'node:fs';
import type { BackendGraph } from '../backends/backend.js';
import { ENCODINGS, NnError, TARGETS, type Encoding, type Target } from './types.js';

export interface NamedGraphSpec {
  name: string;
  encoding: Encoding;
  target: Target;
  /** host paths of the builders, in order */
  paths: string[];
}

export interface SharedGraph {
  spec: NamedGraphSpec;
  graph: BackendGraph;
}

/**
 * Parses WasmEdge's `--nn-preload NAME:ENCODING:TARGET:PATH[:PATH...]` (names of encodings and
 * targets are case-insensitive). Throws an Error with a one-line message when malformed.
 */
export function parsePreloadSpec(text: string): NamedGraphSpec {
  const parts = text.split(':');
  if (parts.length < 4) throw new Error(`--nn-preload ${JSON.stringify(text)}: expected NAME:ENCODING:TARGET:PATH[:PATH...]`);
  const [name, encodingText, targetText, ...paths] = parts as [string, string, string, ...string[]];
  if (name === '') throw new Error(`--nn-preload ${JSON.stringify(text)}: the name is empty`);
  const encoding = encodingText.toLowerCase();
  if (!(ENCODINGS as readonly string[]).includes(encoding)) {
    throw new Error(`--nn-preload ${JSON.stringify(text)}: unknown encoding ${JSON.stringify(encodingText)} (one of ${ENCODINGS.join(', ')})`);
  }
  const target = targetText.toLowerCase();
  if (!(TARGETS as readonly string[]).includes(target)) {
    throw new Error(`--nn-preload ${JSON.stringify(text)}: unknown target ${JSON.stringify(targetText)} (one of ${TARGETS.join(', ')})`);
  }
  if (paths.some((p) => p === '')) throw new Error(`--nn-preload ${JSON.stringify(text)}: empty path`);
  return { name, encoding: encoding as Encoding, target: target as Target, paths };
}

export type GraphLoader = (builders: readonly Uint8Array[], encoding: Encoding, target: Target) => BackendGraph;

export class NamedGraphRegistry {
  private readonly specs = new Map<string, NamedGraphSpec>();
  private readonly loaded = new Map<string, SharedGraph>();

  register(spec: NamedGraphSpec): void {
    if (this.specs.has(spec.name)) throw new Error(`named graph ${JSON.stringify(spec.name)} is registered twice`);
    this.specs.set(spec.name, spec);
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  /** The shared parsed graph of a registered name; parses it on first use. */
  resolve(name: string, load: GraphLoader): SharedGraph {
    const cached = this.loaded.get(name);
    if (cached) return cached;
    const spec = this.specs.get(name);
    if (!spec) throw new NnError('not_found', `no graph named ${JSON.stringify(name)} is registered`);
    let builders: Uint8Array[];
    try {
      builders = spec.paths.map((p) => readFileSync(p));
    } catch (e) {
      // WasmEdge's answer for a preload whose file cannot be read (103 there; not_found where a dialect has no 103)
      throw new NnError('model_not_found', `graph ${JSON.stringify(name)}: ${(e as Error).message}`);
    }
    const shared = { spec, graph: load(builders, spec.encoding, spec.target) };
    this.loaded.set(name, shared);
    return shared;
  }

  dispose(): void {
    for (const { graph } of this.loaded.values()) graph.dispose();
    this.loaded.clear();
  }
}
