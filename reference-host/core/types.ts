/** Plain values shared by the ABI layer, the host core and the backends. */

export const TENSOR_TYPES = ['f16', 'f32', 'f64', 'u8', 'i32', 'i64', 'bf16'] as const;
export type TensorType = (typeof TENSOR_TYPES)[number];

export const ELEMENT_SIZE: Record<TensorType, number> = {
  f16: 2,
  bf16: 2,
  f32: 4,
  f64: 8,
  u8: 1,
  i32: 4,
  i64: 8,
};

export const ENCODINGS = ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const TARGETS = ['cpu', 'gpu', 'tpu', 'auto'] as const;
export type Target = (typeof TARGETS)[number];

/** A tensor as the host sees it: its bytes are always a private copy, never a view of guest memory. */
export interface Tensor {
  type: TensorType;
  dims: number[];
  data: Uint8Array;
}

/** Spec names of wasi-nn errors, plus the LLM extensions WAMR and WasmEdge share. */
export const ERRNO_NAMES = [
  'success',
  'invalid_argument',
  'invalid_encoding',
  'missing_memory',
  'busy',
  'runtime_error',
  'unsupported_operation',
  'too_large',
  'not_found',
  'end_of_sequence',
  'context_full',
  'prompt_too_long',
  'model_not_found',
] as const;
export type ErrnoName = (typeof ERRNO_NAMES)[number];

/** An error a wasi-nn call reports to its guest. Anything else thrown inside the host is a host bug. */
export class NnError extends Error {
  constructor(
    readonly errno: Exclude<ErrnoName, 'success'>,
    message: string,
  ) {
    super(message);
    this.name = 'NnError';
  }
}

/** The data bytes dims of `type` need, or undefined when their count does not fit in a safe integer. */
export function tensorDataBytes(type: TensorType, dims: readonly number[]): number | undefined {
  const count = elementCount(dims);
  return count === undefined ? undefined : count * ELEMENT_SIZE[type];
}

/** Number of elements of a shape, or undefined when it does not fit in a safe integer. */
export function elementCount(dims: readonly number[]): number | undefined {
  let n = 1;
  for (const d of dims) {
    n *= d;
    if (!Number.isSafeInteger(n)) return undefined;
  }
  return n;
}

/** `bytes` as a UTF-8 JSON object, else invalid_argument naming `what` ("config", "the metadata at input 1"). */
export function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new NnError('invalid_argument', `${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NnError('invalid_argument', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}
