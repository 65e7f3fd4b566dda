/**
 * Numbering dialects of the `wasi_ephemeral_nn` core ABI: the same number means different
 * things to different runtimes, so every number crossing the ABI goes through one of these tables.
 */
import type { Encoding, ErrnoName, Target, TensorType } from '../core/types.js';

export const DIALECT_NAMES = ['witx', 'wamr'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

export interface Dialect {
  name: DialectName;
  /** index = the number a guest passes */
  encodings: readonly Encoding[];
  targets: readonly Target[];
  tensorTypes: readonly TensorType[];
  errno: Readonly<Record<ErrnoName, number>>;
}

const WITX_ERRNO: Record<ErrnoName, number> = {
  success: 0,
  invalid_argument: 1,
  invalid_encoding: 2,
  missing_memory: 3,
  busy: 4,
  runtime_error: 5,
  unsupported_operation: 6,
  too_large: 7,
  not_found: 8,
  end_of_sequence: 100,
  context_full: 101,
  prompt_too_long: 102,
  model_not_found: 103,
};

/** current witx tensor types (wasmtime >= 15, WasmEdge >= 0.15, WAMR >= 2.4) */
const WITX_TENSOR_TYPES: readonly TensorType[] = ['f16', 'f32', 'f64', 'u8', 'i32', 'i64'];

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  /** spec witx, with WasmEdge's extensions: ggml = 6 and execution target auto = 3 */
  witx: {
    name: 'witx',
    encodings: ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'autodetect', 'ggml'],
    targets: ['cpu', 'gpu', 'tpu', 'auto'],
    tensorTypes: WITX_TENSOR_TYPES,
    errno: WITX_ERRNO,
  },
  /** WAMR's core ABI (WIT order of encodings): ggml = 5, autodetect = 6; no auto target */
  wamr: {
    name: 'wamr',
    encodings: ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect'],
    targets: ['cpu', 'gpu', 'tpu'],
    tensorTypes: WITX_TENSOR_TYPES,
    errno: WITX_ERRNO,
  },
};

export function isDialectName(name: string): name is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(name);
}

export function encodingNumber(dialect: Dialect, encoding: Encoding): number {
  return dialect.encodings.indexOf(encoding);
}

export function errnoName(dialect: Dialect, code: number): ErrnoName | undefined {
  for (const [name, value] of Object.entries(dialect.errno)) if (value === code) return name as ErrnoName;
  return undefined;
}
