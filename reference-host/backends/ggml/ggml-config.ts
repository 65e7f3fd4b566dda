/**
 * The JSON config of load_by_name_with_config for GGML graphs, with WasmEdge's key names
 * (plugins/wasi_nn/ggml.cpp `parseMetadata`). Unknown keys are ignored, as WasmEdge does; a known
 * key with a value of the wrong type is invalid_argument.
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
};

/** Keys WasmEdge reads that change nothing on this CPU-only engine; checked for type, then ignored. */
const ACCEPTED_IGNORED: Record<string, 'boolean' | 'number' | 'string'> = {
  'n-gpu-layers': 'number',
  'main-gpu': 'number',
  'enable-log': 'boolean',
  'enable-debug-log': 'boolean',
  'stream-stdout': 'boolean',
  'use-mmap': 'boolean',
  'batch-size': 'number',
  'ubatch-size': 'number',
  'n-keep': 'number',
  'presence-penalty': 'number',
  'frequency-penalty': 'number',
  'reverse-prompt': 'string',
  'tensor-split': 'string',
};

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

export function parseGgmlConfig(config: Readonly<Record<string, unknown>> | undefined): GenerationConfig {
  const out: GenerationConfig = { ...DEFAULT_CONFIG };
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
      default: {
        const type = ACCEPTED_IGNORED[key];
        if (type && typeof value !== type) throw new NnError('invalid_argument', `config "${key}" must be a ${type}, got ${JSON.stringify(value)}`);
      }
    }
  }
  return out;
}
