/**
 * The one place that reaches into onnxruntime-node's internals. Its public
 * InferenceSession.create/run only wrap the native binding's synchronous loadModel/run in
 * setImmediate + Promise (dist/backend.js); a wasm import must answer synchronously, so we call
 * the binding directly. The version is pinned in package.json; ort-binding.test.ts fails loudly
 * if the package layout changes.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const SUPPORTED_ORT_VERSION = '1.30.0';

/**
 * Session options, and how many sessions get a thread pool. onnxruntime gives each session its
 * own intra-op thread pool sized to the machine (one thread per physical core; measured: 300 loads
 * of one model on 2 cores made 300 threads), so a guest looping over load could make the host
 * create threads without bound; with one intra-op and one inter-op thread a session runs on the
 * calling thread and makes none. Native hosts (WAMR's ONNX backend, wasmtime's) keep ORT's default
 * pool, which on 2 cores computed a 4×1024² MLP in 308 µs where one thread took 620 µs
 * (bench/host-overhead.ts). So the first MAX_THREADED_SESSIONS live sessions of a model of at
 * least THREADED_MIN_MODEL_BYTES get ORT's default intra-op pool and every other session runs on
 * the calling thread: the host's threads stay bounded by MAX_THREADED_SESSIONS × cores whatever a
 * guest does, and an ordinary guest (one or a few real models) computes as fast as on a native
 * host. Tiny models stay on the calling thread: a pool only costs them its start and its spinning
 * (the 1,122-case conformance run took 10.4 s with a pool for every model, 9.4 s without).
 * WASI_NN_ORT_INTRA_OP_THREADS=N sets the pool size of the threaded sessions (1: every session on
 * the calling thread, the behaviour before).
 */
export const SESSION_OPTIONS: Readonly<Record<string, unknown>> = { intraOpNumThreads: 1, interOpNumThreads: 1 };
export const MAX_THREADED_SESSIONS = 4;
export const THREADED_MIN_MODEL_BYTES = 1 << 20;

/** The options of a threaded session: ORT's own intra-op pool size unless WASI_NN_ORT_INTRA_OP_THREADS says otherwise. */
export function threadedSessionOptions(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, unknown>> {
  const v = env.WASI_NN_ORT_INTRA_OP_THREADS;
  if (v === undefined || v === '') return { interOpNumThreads: 1 };
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new Error(`WASI_NN_ORT_INTRA_OP_THREADS=${JSON.stringify(v)}: give a thread count from 1 to 1024`);
  return { intraOpNumThreads: n, interOpNumThreads: 1 };
}

/** Hands out thread pools to at most MAX_THREADED_SESSIONS live sessions of this process. */
export class SessionThreadBudget {
  private live = 0;
  constructor(private readonly max = MAX_THREADED_SESSIONS) {}

  /** The options for a new session of a `modelBytes`-byte model, and whether it took a threaded slot (give it back with release()). */
  acquire(modelBytes: number, env: NodeJS.ProcessEnv = process.env): { options: Record<string, unknown>; threaded: boolean } {
    if (this.live >= this.max || modelBytes < THREADED_MIN_MODEL_BYTES) return { options: { ...SESSION_OPTIONS }, threaded: false };
    const options = { ...threadedSessionOptions(env) };
    this.live++;
    return { options, threaded: true };
  }

  release(): void {
    if (this.live > 0) this.live--;
  }

  get threadedLive(): number {
    return this.live;
  }
}

/** The budget every ONNX session of this process shares (the engines of the openvino front-end included). */
export const SESSION_THREADS = new SessionThreadBudget();

/** ORT's element type numbers (ONNX TensorProto.DataType) as the binding reports them. */
export const ORT_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

export interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  symbolicDimensions: string[];
  shape: number[];
  type: number;
}

export interface OrtTensorLike {
  type: string;
  dims: readonly number[];
  data: ArrayBufferView;
}

export interface OrtNativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  readonly inputMetadata: OrtValueMetadata[];
  readonly outputMetadata: OrtValueMetadata[];
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: object): Record<string, OrtTensorLike>;
  dispose(): void;
}

export interface OrtSync {
  version: string;
  createSession(): OrtNativeSession;
  /** onnxruntime-common's Tensor constructor, the type the binding accepts as a feed */
  Tensor: new (type: string, data: ArrayBufferView, dims: readonly number[]) => unknown;
}

let cached: OrtSync | undefined;

/** Loads the synchronous binding; throws an Error with the reason when it cannot. */
export function loadOrtSync(): OrtSync {
  if (cached) return cached;
  const pkg = require('onnxruntime-node/package.json') as { version: string };
  const bindingModule = require('onnxruntime-node/dist/binding.js') as {
    binding?: { InferenceSession?: new () => OrtNativeSession };
    initOrt?: () => void;
  };
  const requireFromOrt = createRequire(require.resolve('onnxruntime-node/package.json'));
  const common = requireFromOrt('onnxruntime-common') as { Tensor?: OrtSync['Tensor']; env?: { logLevel?: string } };
  // ORT logs warnings about odd models to stderr, which belongs to the guest; keep errors only
  if (common.env) common.env.logLevel = 'error';
  const Session = bindingModule.binding?.InferenceSession;
  if (typeof Session !== 'function' || typeof bindingModule.initOrt !== 'function' || typeof common.Tensor !== 'function') {
    throw new Error(
      `onnxruntime-node ${pkg.version}: dist/binding.js no longer exports binding.InferenceSession and initOrt; ` +
        `the reference host supports ${SUPPORTED_ORT_VERSION} (pinned in package.json)`,
    );
  }
  bindingModule.initOrt();
  cached = { version: pkg.version, createSession: () => new Session(), Tensor: common.Tensor };
  return cached;
}
