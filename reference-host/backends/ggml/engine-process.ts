/**
 * The GGML engine process: node-llama-cpp (asynchronous only) serving EngineRequests over the
 * IPC channel of `child_process.fork`. It is a process, not a thread, because llama.cpp aborts
 * the whole process on a failed GGML_ASSERT (measured: fixtures/bad/ggml/head-count-0.bin), and
 * the host must answer that guest with an errno and serve the next call.
 * Started once per host process by the relay worker (engine-client.ts), never per call.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getLlama,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaEmbeddingContext,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { NnError } from '../../core/types.js';
import type { EngineRequest, EngineResponse, EngineResult, GenerationConfig, GenerationResult } from './protocol.js';

interface Stream {
  iterator: AsyncGenerator<Token, void, void | Token | Token[]>;
  output: Token[];
}

interface ContextState {
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  config: GenerationConfig;
  prompt?: Token[];
  /** the prompt's text, for embeddings */
  promptText?: string;
  stream?: Stream;
  /** made on the first embedding compute */
  embedding?: LlamaEmbeddingContext;
}

let llamaPromise: Promise<Llama> | undefined;
const llama = () => (llamaPromise ??= getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, logger: () => {} }));
const graphs = new Map<number, LlamaModel>();
const contexts = new Map<number, ContextState>();
let nextId = 1;

function contextOf(id: number): ContextState {
  const state = contexts.get(id);
  if (!state) throw new NnError('invalid_argument', `engine: no context ${id}`);
  return state;
}

function evaluateOptions(config: GenerationConfig) {
  return {
    temperature: config.temperature,
    ...(config.temperature > 0 ? { seed: config.seed } : {}),
    ...(config.topK !== undefined ? { topK: config.topK } : {}),
    ...(config.topP !== undefined ? { topP: config.topP } : {}),
  };
}

function promptTokens(state: ContextState): Token[] {
  if (!state.prompt) throw new NnError('invalid_argument', 'compute before set_input: there is no prompt');
  return state.prompt;
}

/** The text of `tokens` as UTF-8 bytes (node-llama-cpp detokenizes to a JS string). */
function utf8(model: LlamaModel, tokens: readonly Token[], before: readonly Token[] = []): Uint8Array {
  return new Uint8Array(Buffer.from(model.detokenize(tokens, false, before), 'utf8'));
}

async function closeStream(state: ContextState): Promise<void> {
  const stream = state.stream;
  state.stream = undefined;
  if (stream) await stream.iterator.return();
}

/**
 * Pulls the next token, or says why there is none. `context_full` before the sequence would
 * outgrow the context (no context shift: WasmEdge answers ContextFull there too).
 */
async function step(state: ContextState, stream: Stream, prompt: readonly Token[]): Promise<'token' | 'end_of_sequence' | 'context_full'> {
  const { nPredict } = state.config;
  if (nPredict >= 0 && stream.output.length >= nPredict) return 'end_of_sequence';
  if (prompt.length + stream.output.length >= state.context.contextSize) return 'context_full';
  const reverse = state.config.reversePrompt;
  if (reverse !== undefined && stream.output.length > 0 && state.model.detokenize(stream.output).endsWith(reverse)) return 'end_of_sequence';
  const next = await stream.iterator.next();
  if (next.done) return 'end_of_sequence';
  stream.output.push(next.value);
  return 'token';
}

async function handle(req: EngineRequest): Promise<EngineResult> {
  switch (req.op) {
    case 'hello': {
      const l = await llama();
      return { info: { engine: 'node-llama-cpp', version: '3.21.1', llamaCppRelease: l.llamaCppRelease.release } };
    }
    case 'load': {
      const l = await llama();
      let dir: string | undefined;
      let modelPath = req.path;
      if (req.bytes) {
        // node-llama-cpp loads from a path only: a private temporary file, never the guest's filesystem
        dir = mkdtempSync(join(tmpdir(), 'wasi-nn-ggml-'));
        modelPath = join(dir, 'model.gguf');
        writeFileSync(modelPath, req.bytes);
      }
      try {
        const model = await l.loadModel({ modelPath: modelPath as string, gpuLayers: 0 });
        const graph = nextId++;
        graphs.set(graph, model);
        return { graph, trainContextSize: model.trainContextSize };
      } catch (e) {
        throw new NnError('invalid_argument', `not a GGUF model llama.cpp can load: ${(e as Error).message}`);
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    }
    case 'unload': {
      const model = graphs.get(req.graph);
      graphs.delete(req.graph);
      // contexts made from it keep the model alive; it is freed with its last context
      if (model && ![...contexts.values()].some((c) => c.model === model)) await model.dispose();
      return { done: true };
    }
    case 'newContext': {
      const model = graphs.get(req.graph);
      if (!model) throw new NnError('invalid_argument', `engine: no graph ${req.graph}`);
      const contextSize = req.config.ctxSize ?? model.trainContextSize;
      let context: LlamaContext;
      try {
        context = await model.createContext({
          contextSize,
          sequences: 1,
          threads: req.config.threads ?? 1,
        });
      } catch (e) {
        throw new NnError('runtime_error', `llama.cpp cannot make a context of ${contextSize} tokens: ${(e as Error).message}`);
      }
      const ctx = nextId++;
      contexts.set(ctx, { model, context, sequence: context.getSequence(), config: req.config });
      return { ctx, contextSize: context.contextSize };
    }
    case 'disposeContext': {
      const state = contexts.get(req.ctx);
      if (!state) return { done: true };
      contexts.delete(req.ctx);
      await closeStream(state);
      await state.embedding?.dispose();
      await state.context.dispose();
      const stillLoaded = [...graphs.values()].includes(state.model);
      if (!stillLoaded && ![...contexts.values()].some((c) => c.model === state.model)) await state.model.dispose();
      return { done: true };
    }
    case 'setPrompt': {
      const state = contextOf(req.ctx);
      const text = new TextDecoder('utf-8').decode(req.prompt);
      const bos = state.model.tokens.bos;
      const tokens = [...(state.model.tokens.shouldPrependBosToken && bos !== null ? [bos] : []), ...state.model.tokenize(text, true)];
      if (tokens.length >= state.context.contextSize) {
        throw new NnError('prompt_too_long', `the prompt is ${tokens.length} tokens, the context holds ${state.context.contextSize}`);
      }
      await closeStream(state);
      state.prompt = tokens;
      state.promptText = text;
      return { inputTokens: tokens.length };
    }
    case 'configure': {
      // set_input index 1: WasmEdge re-reads the metadata; a new context size or thread count needs a new llama context
      const state = contextOf(req.ctx);
      const old = state.config;
      state.config = req.config;
      if ((req.config.ctxSize ?? state.model.trainContextSize) !== state.context.contextSize || req.config.threads !== old.threads) {
        await closeStream(state);
        const contextSize = req.config.ctxSize ?? state.model.trainContextSize;
        let context: LlamaContext;
        try {
          context = await state.model.createContext({ contextSize, sequences: 1, threads: req.config.threads ?? 1 });
        } catch (e) {
          throw new NnError('runtime_error', `llama.cpp cannot make a context of ${contextSize} tokens: ${(e as Error).message}`);
        }
        await state.context.dispose();
        state.context = context;
        state.sequence = context.getSequence();
      }
      return { contextSize: state.context.contextSize };
    }
    case 'embed': {
      const state = contextOf(req.ctx);
      if (state.promptText === undefined) throw new NnError('invalid_argument', 'compute before set_input: there is no prompt');
      state.embedding ??= await state.model.createEmbeddingContext({ contextSize: state.context.contextSize, threads: state.config.threads ?? 1 });
      const { vector } = await state.embedding.getEmbeddingFor(state.promptText);
      return { embedding: Float32Array.from(vector), inputTokens: state.prompt?.length ?? 0 };
    }
    case 'compute': {
      const state = contextOf(req.ctx);
      const prompt = promptTokens(state);
      await closeStream(state);
      await state.sequence.clearHistory();
      const stream: Stream = { iterator: state.sequence.evaluate(prompt, evaluateOptions(state.config)), output: [] };
      let why: Awaited<ReturnType<typeof step>>;
      try {
        while ((why = await step(state, stream, prompt)) === 'token');
      } finally {
        await stream.iterator.return();
      }
      const result: GenerationResult = {
        text: utf8(state.model, stream.output),
        inputTokens: prompt.length,
        outputTokens: stream.output.length,
        status: why === 'context_full' ? 'context_full' : 'success',
      };
      return result;
    }
    case 'computeSingle': {
      const state = contextOf(req.ctx);
      const prompt = promptTokens(state);
      if (!state.stream) {
        await state.sequence.clearHistory();
        state.stream = { iterator: state.sequence.evaluate(prompt, evaluateOptions(state.config)), output: [] };
      }
      const stream = state.stream;
      const why = await step(state, stream, prompt);
      if (why !== 'token') {
        // after end_of_sequence or context_full the next compute_single starts over (WasmEdge)
        await closeStream(state);
        return { text: new Uint8Array(0), inputTokens: prompt.length, outputTokens: stream.output.length, status: why };
      }
      const last = stream.output.slice(-1);
      return { text: utf8(state.model, last, stream.output.slice(-9, -1)), inputTokens: prompt.length, outputTokens: stream.output.length, status: 'success' };
    }
    case 'finiSingle': {
      const state = contextOf(req.ctx);
      await closeStream(state);
      await state.sequence.clearHistory();
      return { done: true };
    }
    case 'hang':
      return new Promise<EngineResult>(() => {});
  }
}

process.on('message', (message: { id: number; req: EngineRequest }) => {
  const { id, req } = message;
  handle(req).then(
    (result) => reply({ id, ok: true, result }),
    (e: unknown) =>
      reply(
        e instanceof NnError
          ? { id, ok: false, errno: e.errno, message: e.message }
          : { id, ok: false, errno: 'runtime_error', message: `node-llama-cpp: ${e instanceof Error ? e.message : String(e)}` },
      ),
  );
});

function reply(response: EngineResponse): void {
  process.send?.(response);
}

// the host went away: nothing is left to serve
process.on('disconnect', () => process.exit(0));
