/**
 * Messages between the GGML backend (main thread), its relay worker and the engine process.
 * Every value survives structured clone (the IPC channel uses `serialization: 'advanced'`).
 */
import type { ErrnoName } from '../../core/types.js';

/** What an execution context generates with (WasmEdge's config keys, parsed by ggml-config.ts). */
export interface GenerationConfig {
  /** tokens to generate; -1 = until end of sequence or a full context */
  nPredict: number;
  /** context size in tokens; undefined = the model's training context */
  ctxSize: number | undefined;
  temperature: number;
  seed: number;
  topK: number | undefined;
  topP: number | undefined;
  repeatPenalty: number | undefined;
  threads: number | undefined;
  /** generation stops once the text ends with it (WasmEdge "reverse-prompt") */
  reversePrompt: string | undefined;
  /** compute returns the prompt's embedding (f32) instead of generating (WasmEdge "embedding") */
  embedding: boolean;
}

export type EngineRequest =
  | { op: 'hello' }
  | { op: 'load'; bytes: Uint8Array; path?: undefined }
  | { op: 'load'; path: string; bytes?: undefined }
  | { op: 'unload'; graph: number }
  | { op: 'newContext'; graph: number; config: GenerationConfig }
  | { op: 'disposeContext'; ctx: number }
  /** tokenizes the prompt and keeps it; prompt_too_long when it does not fit the context */
  | { op: 'setPrompt'; ctx: number; prompt: Uint8Array }
  | { op: 'configure'; ctx: number; config: GenerationConfig }
  | { op: 'embed'; ctx: number }
  | { op: 'compute'; ctx: number }
  | { op: 'computeSingle'; ctx: number }
  | { op: 'finiSingle'; ctx: number }
  /** test hook: the engine process never answers */
  | { op: 'hang' };

export interface EngineInfo {
  engine: string;
  version: string;
  llamaCppRelease: string;
}

export interface GenerationResult {
  /** UTF-8 of the generated text (compute) or of the last token (computeSingle) */
  text: Uint8Array;
  inputTokens: number;
  outputTokens: number;
  /** success, or how generation stopped early (end_of_sequence, context_full) */
  status: 'success' | 'end_of_sequence' | 'context_full';
}

export type EngineResult =
  | { info: EngineInfo }
  | { graph: number; trainContextSize: number }
  | { ctx: number; contextSize: number }
  | { contextSize: number }
  | { inputTokens: number }
  | { embedding: Float32Array; inputTokens: number }
  | GenerationResult
  | { done: true };

export type EngineResponse =
  | { id: number; ok: true; result: EngineResult }
  | { id: number; ok: false; errno: Exclude<ErrnoName, 'success'>; message: string };
