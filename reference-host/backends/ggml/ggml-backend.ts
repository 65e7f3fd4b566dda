/**
 * GGML (GGUF llama models) through node-llama-cpp 3.21.1 in an engine process, called
 * synchronously through engine-client.ts. Semantics follow WasmEdge's GGML backend:
 * set_input(0) is the prompt (u8 bytes, any dims), compute generates, get_output(0) is the text,
 * get_output(1) the metadata JSON; compute_single / get_output_single / fini_single stream.
 */
import { createRequire } from 'node:module';
import type { Availability, Backend, BackendContext, BackendGraph } from '../backend.js';
import { NnError, parseJsonObject, type Target, type Tensor } from '../../core/types.js';
import { sharedEngineClient, type EngineClient } from './engine-client.js';
import { parseGgmlConfig } from './ggml-config.js';
import type { EngineInfo, GenerationConfig, GenerationResult } from './protocol.js';

const ENGINE = 'node-llama-cpp';
const GGUF_MAGIC = [0x47, 0x47, 0x55, 0x46];

function u8(bytes: Uint8Array): Tensor {
  return { type: 'u8', dims: [bytes.byteLength], data: bytes };
}

/** WasmEdge's metadata JSON (output_generator.cpp spacing). */
function metadata(inputTokens: number, outputTokens: number, info: EngineInfo): Tensor {
  const build = /^b(\d+)$/.exec(info.llamaCppRelease)?.[1] ?? '0';
  return u8(
    new TextEncoder().encode(
      `{"input_tokens": ${inputTokens}, "output_tokens": ${outputTokens}, "llama_build_number": ${build}, "llama_commit": ${JSON.stringify(info.llamaCppRelease)}}`,
    ),
  );
}

class GgmlContext implements BackendContext {
  /** the last compute's output 0 (generated text, or the embedding under "embedding": true) */
  private outputs: { text: Uint8Array; inputTokens: number; outputTokens: number; embedding?: Float32Array } | undefined;
  private single: { text: Uint8Array; inputTokens: number; outputTokens: number } | undefined;
  private inputTokens = 0;
  private disposed = false;

  constructor(
    private readonly graph: GgmlGraph,
    private readonly id: number,
    public contextSize: number,
    /** what it generates with: the graph's config, then whatever set_input index 1 changed */
    private config: GenerationConfig,
  ) {}

  private call(req: Parameters<EngineClient['call']>[0]) {
    return this.graph.engineCall(req);
  }

  /** WasmEdge guests pass dims [1] for a prompt or a metadata JSON of any length: the data length is what counts. */
  inputTakesAnyDims(index: number): boolean {
    return index === 0 || index === 1;
  }

  setInput(index: number, tensor: Tensor): void {
    if (index === 1) {
      // WasmEdge's plugin takes metadata JSON at input 1 (GGML/core/input_processor.cpp)
      const json = parseJsonObject(tensor.data, 'ggml: the metadata at input 1');
      const config = parseGgmlConfig(json, this.config);
      const { result } = this.call({ op: 'configure', ctx: this.id, config });
      this.config = config;
      this.contextSize = (result as { contextSize: number }).contextSize;
      return;
    }
    if (index !== 0) throw new NnError('invalid_argument', `ggml: input ${index} out of range: input 0 is the prompt, 1 the metadata JSON`);
    if (tensor.type !== 'u8') throw new NnError('invalid_argument', `ggml: the prompt must be a u8 tensor of UTF-8 bytes, got ${tensor.type}`);
    const { result } = this.call({ op: 'setPrompt', ctx: this.id, prompt: tensor.data });
    this.inputTokens = (result as { inputTokens: number }).inputTokens;
    this.outputs = undefined;
    this.single = undefined;
  }

  compute(): void {
    if (this.config.embedding) {
      const { result } = this.call({ op: 'embed', ctx: this.id });
      const r = result as { embedding: Float32Array; inputTokens: number };
      this.outputs = { text: new Uint8Array(0), inputTokens: r.inputTokens, outputTokens: 0, embedding: r.embedding };
      return;
    }
    const { result } = this.call({ op: 'compute', ctx: this.id });
    const r = result as GenerationResult;
    this.outputs = { text: r.text, inputTokens: r.inputTokens, outputTokens: r.outputTokens };
    if (r.status === 'context_full') {
      throw new NnError('context_full', `ggml: the context (${this.contextSize} tokens) filled after ${r.outputTokens} generated tokens; the text so far is output 0`);
    }
  }

  getOutput(index: number): Tensor {
    if (index > 1) throw new NnError('invalid_argument', `ggml: output ${index} out of range: 0 is the text, 1 the metadata`);
    // the metadata is there from set_input on, as WasmEdge answers it (GGML/core/output_generator.cpp)
    if (index === 1) return metadata(this.outputs?.inputTokens ?? this.inputTokens, this.outputs?.outputTokens ?? 0, this.graph.info);
    if (!this.outputs) throw new NnError('runtime_error', 'get_output before a successful compute on this context');
    const e = this.outputs.embedding;
    if (e) return { type: 'f32', dims: [e.length], data: new Uint8Array(e.buffer, e.byteOffset, e.byteLength) };
    return u8(this.outputs.text);
  }

  computeSingle(): void {
    const { result } = this.call({ op: 'computeSingle', ctx: this.id });
    const r = result as GenerationResult;
    if (r.status === 'success') {
      this.single = { text: r.text, inputTokens: r.inputTokens, outputTokens: r.outputTokens };
      return;
    }
    if (r.status === 'end_of_sequence') throw new NnError('end_of_sequence', `ggml: generation ended after ${r.outputTokens} tokens`);
    throw new NnError('context_full', `ggml: the context (${this.contextSize} tokens) is full after ${r.outputTokens} generated tokens`);
  }

  getOutputSingle(index: number): Tensor {
    if (index > 1) throw new NnError('invalid_argument', `ggml: output ${index} out of range: 0 is the last token, 1 the metadata`);
    const s = this.single ?? { text: new Uint8Array(0), inputTokens: this.inputTokens, outputTokens: 0 };
    return index === 0 ? u8(s.text) : metadata(s.inputTokens, s.outputTokens, this.graph.info);
  }

  finiSingle(): void {
    this.call({ op: 'finiSingle', ctx: this.id });
    this.single = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.graph.engineDispose({ op: 'disposeContext', ctx: this.id });
  }
}

export class GgmlGraph implements BackendGraph {
  private disposed = false;

  constructor(
    private readonly client: EngineClient,
    private readonly id: number,
    private readonly epoch: number,
    readonly info: EngineInfo,
    readonly trainContextSize: number,
  ) {}

  /** A call for this graph or its contexts; runtime_error once the engine process restarted. */
  engineCall(req: Parameters<EngineClient['call']>[0]) {
    if (this.client.epoch !== this.epoch) {
      throw new NnError('runtime_error', 'ggml: the engine process stopped after an earlier failure; load the graph again');
    }
    return this.client.call(req);
  }

  /** Frees engine objects; nothing to free when the process that held them is gone. */
  engineDispose(req: Parameters<EngineClient['call']>[0]): void {
    if (this.client.epoch !== this.epoch) return;
    try {
      this.client.call(req);
    } catch {
      // disposal must not throw; a dead engine has freed everything already
    }
  }

  initExecutionContext(config?: Readonly<Record<string, unknown>>): BackendContext {
    if (this.disposed) throw new NnError('invalid_argument', 'ggml: the graph was disposed');
    const generation = parseGgmlConfig(config);
    const { result } = this.engineCall({ op: 'newContext', graph: this.id, config: generation });
    const r = result as { ctx: number; contextSize: number };
    return new GgmlContext(this, r.ctx, r.contextSize, generation);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.engineDispose({ op: 'unload', graph: this.id });
  }
}

export interface GgmlBackendOptions {
  /** defaults to the host process's shared engine */
  client?: EngineClient;
}

export class GgmlBackend implements Backend {
  readonly encoding = 'ggml' as const;
  private info: EngineInfo | undefined;
  private failure: string | undefined;
  private readonly client: EngineClient;

  constructor(options: GgmlBackendOptions = {}) {
    this.client = options.client ?? sharedEngineClient();
  }

  /** Starts the engine process once and asks for its version; the answer is kept. */
  private engine(): EngineInfo | undefined {
    if (this.info || this.failure !== undefined) return this.info;
    try {
      createRequire(import.meta.url).resolve('node-llama-cpp');
      this.info = (this.client.call({ op: 'hello' }).result as { info: EngineInfo }).info;
    } catch (e) {
      this.failure = (e as Error).message;
    }
    return this.info;
  }

  availability(): Availability {
    const info = this.engine();
    if (info) return { available: true, engine: ENGINE, version: `${info.version} (llama.cpp ${info.llamaCppRelease})` };
    return {
      available: false,
      engine: ENGINE,
      reason: this.failure ?? 'unknown',
      fix: 'run `npm ci` in the harness checkout (node-llama-cpp 3.21.1 ships prebuilt CPU binaries)',
    };
  }

  targets(): readonly Target[] {
    return this.engine() ? ['cpu'] : [];
  }

  load(builders: readonly Uint8Array[], target: Target): BackendGraph {
    const info = this.engine();
    if (!info) throw new NnError('invalid_encoding', `ggml engine unavailable: ${this.failure}`);
    if (builders.length !== 1) throw new NnError('invalid_argument', `ggml takes exactly 1 builder (a GGUF file), got ${builders.length}`);
    if (target !== 'cpu' && target !== 'auto') {
      throw new NnError('unsupported_operation', `ggml: execution target ${target} is not available on this machine`);
    }
    const bytes = builders[0] as Uint8Array;
    if (bytes.byteLength < 4 || GGUF_MAGIC.some((b, i) => bytes[i] !== b)) {
      throw new NnError('invalid_argument', 'ggml: not a GGUF file (it must start with "GGUF")');
    }
    let call;
    try {
      call = this.client.call({ op: 'load', bytes });
    } catch (e) {
      // a model that kills the engine (llama.cpp aborts on some corrupt files) is a bad model
      if (e instanceof NnError && e.errno === 'runtime_error' && /engine process died/.test(e.message)) {
        throw new NnError('invalid_argument', `ggml: llama.cpp cannot load this model: ${e.message}`);
      }
      throw e;
    }
    const r = call.result as { graph: number; trainContextSize: number };
    return new GgmlGraph(this.client, r.graph, call.epoch, info, r.trainContextSize);
  }
}
