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

export function limitsWith(overrides: Partial<NnLimits> | undefined): NnLimits {
  return { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
}
