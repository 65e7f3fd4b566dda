/**
 * The JSON config of GGML graphs (load_by_name_with_config, or a u8 tensor at set_input index 1,
 * as WasmEdge's plugin takes it), with WasmEdge's key names. A known key with a value of the wrong
 * type is invalid_argument; a key the plugin reads that this engine does not implement is
 * unsupported_operation naming it; a key WasmEdge does not know is ignored, as WasmEdge does.
 */
import { NnError } from '../../core/types.js';
import type { GenerationConfig } from './protocol.js';

/** Greedy and reproducible unless the guest asks otherwise (WasmEdge samples with a random seed). */
export const DEFAULT_CONFIG: GenerationConfig = {
  nPredict: -1,
  ctxSize: undefined,
  temperature: 0,
  seed: 42,
  topK: undefined,
  topP: undefined,
  repeatPenalty: undefined,
  threads: undefined,
  reversePrompt: undefined,
  embedding: false,
};

/**
 * Every metadata key WasmEdge's GGML plugin reads (plugins/wasi_nn/GGML/metadata/metadata_parser.cpp
 * at WasmEdge d516c5d, 2026-08-21): the keys below are implemented or have no effect on this
 * CPU-only engine; every other one of these is refused with unsupported_operation naming it,
 * never silently ignored. A key WasmEdge does not know is ignored, as WasmEdge does.
 */
export const WASMEDGE_METADATA_KEYS: readonly string[] = ['always-regenerate-image-embd', 'attention-type', 'batch-size', 'batched-bench-output-jsonl', 'cache-type-k', 'cache-type-v', 'chat-template', 'check-tensors', 'chunk-separator', 'chunk-size', 'compute-ppl', 'cont-batching', 'context-files', 'control-vector-layer-end', 'control-vector-layer-start', 'cpu-moe', 'ctx-shift', 'ctx-size', 'cvector-dimre-method', 'cvector-negative-file', 'cvector-positive-file', 'display-prompt', 'dry-allowed-length', 'dry-base', 'dry-last-n-penalty', 'dry-multipier', 'dynatemp-exponent', 'dynatemp-range', 'embd-normalize', 'embd-out', 'embd-sep', 'embedding', 'enable-chat-template', 'enable-debug-log', 'enable-log', 'endpoint-metrics', 'endpoint-props', 'endpoint-slots', 'escape', 'flash-attn', 'frequency-penalty', 'grammar', 'grp-attn-n', 'grp-attn-w', 'hellaswag', 'hellaswag-tasks', 'hf-file', 'hf-file-vocoder', 'hf-repo', 'hf-repo-vocoder', 'hf-token', 'hostname', 'i-chunk', 'i-pos', 'ignore-eos', 'image', 'input-prefix', 'input-prefix-bos', 'input-suffix', 'interactive', 'interactive-first', 'is-pp-shared', 'json-schema', 'kl-divergence', 'last-n-penalty', 'log-json', 'logits-file', 'lookup-cache-dynamic', 'lookup-cache-static', 'lora-init-without-apply', 'main-gpu', 'mask-valid', 'mask-valid-batch', 'min-keep', 'min-p', 'mirostat', 'mirostat-eta', 'mmproj', 'model-alias', 'model-url', 'model-url-vocoder', 'model-vocoder', 'multiline-input', 'multiple-choice', 'multiple-choice-tasks', 'n-cache-reuse', 'n-chunks', 'n-cpu-moe', 'n-ctx-speculative', 'n-gpu-layers', 'n-gpu-layers-speculative', 'n-junk', 'n-keep', 'n-max-speculative', 'n-min-speculative', 'n-out-freq', 'n-parallel', 'n-pca-batch', 'n-pca-iterations', 'n-pl', 'n-pp', 'n-predict', 'n-prev', 'n-print', 'n-probs', 'n-save-freq', 'n-sequences', 'n-tg', 'n-threads-http', 'no-kv-offload', 'no-perf', 'no-perf-sampling', 'numa', 'out-file', 'p-min-speculative', 'p-split-speculative', 'path-prompt-cache', 'poll', 'poll-batch', 'pooling-type', 'port', 'ppl-output-type', 'ppl-stride', 'presence-penalty', 'priority', 'priority-batch', 'process-output', 'prompt-cache-all', 'prompt-cache-ro', 'prompt-file', 'public-path', 'repeat-penalty', 'reranking', 'reverse-prompt', 'rope-freq-base', 'rope-freq-scale', 'rope-scaling-type', 'seed', 'simple-io', 'slot-prompt-similarity', 'slot-save-path', 'special', 'split-mode', 'spm-infill', 'ssl-file-cert', 'ssl-file-key', 'stream-stdout', 'strict-cpu', 'strict-cpu-batch', 'temp', 'tensor-split', 'threads', 'threads-batch', 'timeout-read', 'timeout-write', 'timing-per-token', 'top-k', 'top-p', 'tts', 'tts-output-file', 'tts-speaker-file', 'typ-p', 'ubatch-size', 'usage', 'use-color', 'use-mlock', 'use-mmap', 'verbose-prompt', 'verbosity', 'warmup', 'webui', 'winogrande', 'winogrande-tasks', 'xtc-probability', 'xtc-threshold', 'yarn-attn-factor', 'yarn-beta-fast', 'yarn-beta-slow', 'yarn-ext-factor', 'yarn-orig-ctx'];

/** Keys with no effect on this engine (a CPU, one process, no logs to show), checked for type only. */
const NO_EFFECT_HERE: Record<string, 'boolean' | 'number' | 'string'> = {
  'n-gpu-layers': 'number',
  'main-gpu': 'number',
  'split-mode': 'string',
  'tensor-split': 'string',
  'enable-log': 'boolean',
  'enable-debug-log': 'boolean',
  'log-json': 'boolean',
  verbosity: 'number',
  'use-mmap': 'boolean',
  'use-mlock': 'boolean',
  'batch-size': 'number',
  'ubatch-size': 'number',
  'threads-batch': 'number',
  'no-perf': 'boolean',
  'no-perf-sampling': 'boolean',
  warmup: 'boolean',
  'use-color': 'boolean',
};

/** Boolean keys whose `false` is the plugin's default: false asks for nothing, true is refused (when not implemented). */
const OFF_BY_DEFAULT = new Set(['stream-stdout', 'tts', 'reranking', 'interactive', 'ignore-eos', 'flash-attn']);

function integer(key: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw new NnError('invalid_argument', `config "${key}" must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function number(key: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new NnError('invalid_argument', `config "${key}" must be a number ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The config after `config` (load_by_name_with_config, or set_input index 1) is applied over `base`. */
export function parseGgmlConfig(config: Readonly<Record<string, unknown>> | undefined, base: GenerationConfig = DEFAULT_CONFIG): GenerationConfig {
  const out: GenerationConfig = { ...base };
  for (const [key, value] of Object.entries(config ?? {})) {
    switch (key) {
      case 'n-predict':
        out.nPredict = integer(key, value, -1);
        break;
      case 'ctx-size':
        out.ctxSize = integer(key, value, 1);
        break;
      case 'temp':
      case 'temperature':
        out.temperature = number(key, value, 0);
        break;
      case 'seed':
        out.seed = integer(key, value, 0);
        break;
      case 'top-k':
        out.topK = integer(key, value, 0);
        break;
      case 'top-p':
        out.topP = number(key, value, 0);
        break;
      case 'repeat-penalty':
        out.repeatPenalty = number(key, value, 0);
        break;
      case 'threads':
        out.threads = integer(key, value, 1);
        break;
      case 'reverse-prompt':
        if (typeof value !== 'string') throw new NnError('invalid_argument', `config "reverse-prompt" must be a string, got ${JSON.stringify(value)}`);
        out.reversePrompt = value === '' ? undefined : value;
        break;
      case 'embedding':
        if (typeof value !== 'boolean') throw new NnError('invalid_argument', `config "embedding" must be a boolean, got ${JSON.stringify(value)}`);
        out.embedding = value;
        break;
      default: {
        const type = NO_EFFECT_HERE[key];
        if (type) {
          if (typeof value !== type) throw new NnError('invalid_argument', `config "${key}" must be a ${type}, got ${JSON.stringify(value)}`);
          break;
        }
        if (OFF_BY_DEFAULT.has(key) && value === false) break;
        if (WASMEDGE_METADATA_KEYS.includes(key)) {
          throw new NnError('unsupported_operation', `config "${key}" is a WasmEdge GGML metadata key the reference host does not implement (its llama.cpp engine is node-llama-cpp); remove it to run here`);
        }
      }
    }
  }
  return out;
}
