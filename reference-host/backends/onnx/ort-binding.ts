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
 * The options of every session the reference host makes. onnxruntime gives each session its own
 * intra-op thread pool sized to the machine (measured: 300 loads of one model on 2 cores made
 * 300 threads), so a guest looping over load could make the host create threads without bound.
 * With one intra-op and one inter-op thread a session runs on the calling thread: the thread
 * count stays flat however many graphs a guest loads (the same 300 loads: no new thread).
 */
export const SESSION_OPTIONS: Readonly<Record<string, unknown>> = { intraOpNumThreads: 1, interOpNumThreads: 1 };

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
