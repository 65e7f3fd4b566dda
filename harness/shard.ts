/**
 * `run --shard K/N`: splits the selected cases into N shards, deterministically (the same cases
 * give the same split on every machine) and evenly by estimated cost, so a CI matrix of N jobs
 * finishes at about the same time. The estimate counts what makes a case slow on any runtime:
 * one process start per case, every wasi-nn call, and model loads, weighted by the engines whose
 * loads are expensive (an LLM, a TorchScript engine process, a TensorFlow graph import).
 * Assignment is longest-first onto the least-loaded shard; each shard keeps the run order.
 */
import type { LoadedCase } from './case-types.js';
import type { Encoding } from '../reference-host/core/types.js';

export interface Shard {
  /** 1-based */
  index: number;
  total: number;
}

export class ShardSyntaxError extends Error {}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new ShardSyntaxError(`--shard ${text}: expected K/N, e.g. 1/4`);
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) throw new ShardSyntaxError(`--shard ${text}: K must be between 1 and N, and N at least 1`);
  return { index, total };
}

/** Relative cost of a model load per encoding, beyond an ordinary call (measured on the reference host). */
const LOAD_WEIGHT: Partial<Record<Encoding, number>> = { ggml: 20, pytorch: 8, tensorflow: 6, openvino: 3, tensorflowlite: 2, autodetect: 2, onnx: 1 };
const LOAD_CALLS: ReadonlySet<string> = new Set(['load', 'load_by_name', 'load_by_name_with_config']);
/** One process start and the driver's set-up, in units of one call. */
const CASE_BASE_COST = 4;

/** The estimated cost of running one case, in units of one wasi-nn call. */
export function caseCost(loaded: LoadedCase): number {
  const c = loaded.case;
  const encodings = c.requires?.encodings ?? [];
  const loadWeight = Math.max(1, ...encodings.map((e) => LOAD_WEIGHT[e] ?? 1));
  let cost = CASE_BASE_COST + (c.preload?.length ?? 0) * loadWeight;
  for (const step of c.steps) {
    if (!('call' in step)) continue;
    cost += LOAD_CALLS.has(step.call) ? 1 + loadWeight : 1;
  }
  return cost;
}

/** For every case, the 1-based shard it belongs to. */
export function assignShards(cases: readonly LoadedCase[], total: number): number[] {
  const costs = cases.map(caseCost);
  const order = costs.map((_, i) => i).sort((a, b) => (costs[b] as number) - (costs[a] as number) || a - b);
  const load = new Array<number>(total).fill(0);
  const shardOf = new Array<number>(cases.length).fill(0);
  for (const i of order) {
    let best = 0;
    for (let s = 1; s < total; s++) if ((load[s] as number) < (load[best] as number)) best = s;
    load[best] = (load[best] as number) + (costs[i] as number);
    shardOf[i] = best + 1;
  }
  return shardOf;
}

/** The cases of one shard, in run order, with their positions in the whole selection. */
export function selectShard<T extends LoadedCase>(cases: readonly T[], shard: Shard): { cases: T[]; positions: number[] } {
  const shardOf = assignShards(cases, shard.total);
  const positions = shardOf.flatMap((s, i) => (s === shard.index ? [i] : []));
  return { cases: positions.map((i) => cases[i] as T), positions };
}
