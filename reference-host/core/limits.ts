/**
 * What one guest instance may hold in the reference host, checked before anything is copied or
 * allocated, so a hostile guest gets an errno instead of exhausting the host. The CLI sets them
 * with --nn-max-graphs, --nn-max-contexts, --nn-max-builders, --nn-max-model-bytes,
 * --nn-max-total-model-bytes.
 *
 * | limit | default | errno when passed |
 * |---|---|---|
 * | graphs a guest loaded and the host still holds (unloaded ones stay until it ends) | 256 | busy |
 * | live execution contexts | 1024 | busy |
 * | builders in one load | 64 | too_large |
 * | bytes of all builders of one load | 2 GiB | too_large |
 * | bytes of the models of every graph held (the engines' memory follows it) | 4 GiB | too_large |
 * | tensor rank (dims_len) | 64 | invalid_argument |
 *
 * busy and too_large are numbered per dialect like every errno (reference-host/abi/dialects.ts);
 * a dialect without one of them gets the nearest it has, as for any errno.
 */
import { NnError } from './types.js';

export interface NnLimits {
  maxGraphs: number;
  maxContexts: number;
  maxBuilders: number;
  maxModelBytes: number;
  maxTotalModelBytes: number;
  maxTensorRank: number;
}

export const DEFAULT_LIMITS: Readonly<NnLimits> = {
  maxGraphs: 256,
  maxContexts: 1024,
  maxBuilders: 64,
  maxModelBytes: 2 * 1024 * 1024 * 1024,
  maxTotalModelBytes: 4 * 1024 * 1024 * 1024,
  maxTensorRank: 64,
};

/** A load of `count` builders: too_large past --nn-max-builders. */
export function checkBuilderCount(limits: NnLimits, count: number): void {
  if (count > limits.maxBuilders) throw new NnError('too_large', `${count} graph builders; this host takes at most ${limits.maxBuilders} per load (--nn-max-builders)`);
}

/** Builders adding up to `total` bytes (so far): too_large past --nn-max-model-bytes. */
export function checkModelBytes(limits: NnLimits, total: number): void {
  if (total > limits.maxModelBytes) throw new NnError('too_large', `the graph builders add up to more than ${limits.maxModelBytes} bytes, the most this host loads (--nn-max-model-bytes)`);
}

/** A tensor of `rank` dimensions: invalid_argument past the host's largest rank. */
export function checkTensorRank(limits: NnLimits, rank: number): void {
  if (rank > limits.maxTensorRank) throw new NnError('invalid_argument', `tensor dims_len ${rank} is more than the largest rank this host takes (${limits.maxTensorRank})`);
}

export function limitsWith(overrides: Partial<NnLimits> | undefined): NnLimits {
  return { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
}
