/**
 * ABI dialects of wasi-nn core modules: the same number means different things to different
 * runtimes (and runtime versions), and WAMR's legacy module has its own layouts, so every
 * number crossing the ABI goes through one of these tables. Sources: the numbering tables of
 * the wasi-nn ABI reference (graph_encoding, execution_target, tensor_type, nn_errno).
 */
import type { Encoding, ErrnoName, Target, TensorType } from '../core/types.js';

export const DIALECT_NAMES = ['witx', 'wasmedge', 'wamr', 'wamr-2.1', 'witx-2020', 'wamr-legacy', 'wit-2024-10-28', 'wit-2024-08-19'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** Import modules a wasi-nn guest can import from. */
export const WASI_EPHEMERAL_NN = 'wasi_ephemeral_nn';
export const WASI_NN_LEGACY = 'wasi_nn';
/** The WIT package a component imports (`wasi:nn/graph@VERSION`, ...). */
export const WASI_NN_WIT = 'wasi:nn';
/** Bytes per element of WAMR's legacy `wasi_nn` ABI: tensor data is product(dims) × 4 bytes, and get_output counts 4-byte (f32) elements. */
export const LEGACY_ELEMENT_SIZE = 4;
export type NnModuleName = typeof WASI_EPHEMERAL_NN | typeof WASI_NN_LEGACY | typeof WASI_NN_WIT;

/** Every wasi-nn function of the core-module dialects (the spec six and the runtimes' extensions). */
export const CORE_FUNCTION_NAMES = [
  'load',
  'load_by_name',
  'load_by_name_with_config',
  'init_execution_context',
  'set_input',
  'compute',
  'get_output',
  'compute_single',
  'get_output_single',
  'fini_single',
  'unload',
  'finalize_execution_context',
] as const;

/** The component driver's WIT calls (guests/driver/wit-nn.h): the component dialects' own functions. */
export const WIT_CALL_NAMES = [
  'tensor_new',
  'tensor_dimensions',
  'tensor_type',
  'tensor_data',
  'set_input_named',
  'get_output_named',
  'compute_named',
  'drop_tensor',
  'drop_graph',
  'drop_context',
] as const;

/** Every function a case may call, in any dialect. */
export const NN_FUNCTION_NAMES = [...CORE_FUNCTION_NAMES, ...WIT_CALL_NAMES] as const;
export type NnFunctionName = (typeof NN_FUNCTION_NAMES)[number];

export const SPEC_FUNCTIONS = ['load', 'load_by_name', 'init_execution_context', 'set_input', 'compute', 'get_output'] as const satisfies readonly NnFunctionName[];
/** Functions only WasmEdge provides: a guest importing one of them was built for WasmEdge. */
export const WASMEDGE_ONLY_FUNCTIONS = ['compute_single', 'get_output_single', 'fini_single', 'unload', 'finalize_execution_context'] as const satisfies readonly NnFunctionName[];

/**
 * An encoding number some runtime defines but this host has no engine for (WasmEdge's
 * NeuralSpeed, Whisper, ...): `load` answers invalid_encoding naming it.
 */
export interface ForeignEncoding {
  foreign: string;
}
export type DialectEncoding = Encoding | ForeignEncoding;

export interface Dialect {
  name: DialectName;
  /** who speaks it, for messages and docs */
  summary: string;
  module: NnModuleName;
  /**
   * Memory layouts and signatures: `witx` (20-byte tensor, builder pointer + count,
   * get_output with max + *written) or `legacy` (WAMR's `wasi_nn`: builder-array struct,
   * 12-byte tensor with a tensor_dimensions pointer and a bare data pointer, get_output with
   * an in/out size that comes back as an f32 element count).
   */
  layout: 'witx' | 'legacy' | 'component';
  /** component dialects: the `wasi:nn` package version (reference-host/component/wit/) */
  witVersion?: '0.2.0-rc-2024-10-28' | '0.2.0-rc-2024-08-19';
  /** the functions a guest of this dialect imports (and its driver build) */
  functions: readonly NnFunctionName[];
  /** index = the number a guest passes */
  encodings: readonly DialectEncoding[];
  targets: readonly Target[];
  tensorTypes: readonly TensorType[];
  /** the number of every errno name the dialect has */
  errno: Readonly<Partial<Record<ErrnoName, number>>>;
  /** numbers the dialect defines for errors this host never reports (WIT's timeout, security, unknown) */
  otherErrno: Readonly<Record<number, string>>;
  /**
   * What the host returns for an error name with no number in this dialect (the trace names
   * both). Every name missing from `errno` has an entry here.
   */
  errnoFallback: Readonly<Partial<Record<ErrnoName, ErrnoName>>>;
}

/** spec witx nn_errno (wasi-nn 0.2.0-rc-2024-10-28; wasmtime ≥ v13, WasmEdge, WAMR ≥ 2.4, crates ≥ 0.6) */
const WITX_ERRNO = {
  success: 0,
  invalid_argument: 1,
  invalid_encoding: 2,
  missing_memory: 3,
  busy: 4,
  runtime_error: 5,
  unsupported_operation: 6,
  too_large: 7,
  not_found: 8,
} as const satisfies Partial<Record<ErrnoName, number>>;

/** the LLM extensions WasmEdge and WAMR (≥ 2.2.0) share */
const LLM_ERRNO = { end_of_sequence: 100, context_full: 101, prompt_too_long: 102, model_not_found: 103 } as const;

/**
 * Spec witx has no LLM codes. A witx guest can still reach an LLM through load_by_name of a
 * preloaded ggml graph, so each gets the nearest spec code.
 */
const NO_LLM_ERRNO: Partial<Record<ErrnoName, ErrnoName>> = {
  end_of_sequence: 'runtime_error',
  context_full: 'runtime_error',
  prompt_too_long: 'invalid_argument',
  model_not_found: 'not_found',
};

/** current witx tensor types (wasmtime ≥ 15, WasmEdge ≥ 0.15, WAMR ≥ 2.4, crates ≥ 0.6) */
const WITX_TENSOR_TYPES: readonly TensorType[] = ['f16', 'f32', 'f64', 'u8', 'i32', 'i64'];
/** old witx tensor types (2020 → 2023-08: crates ≤ 0.5, wasmtime ≤ 14, WasmEdge ≤ 0.14, WAMR legacy) */
const OLD_TENSOR_TYPES: readonly TensorType[] = ['f16', 'f32', 'u8', 'i32'];
/** WIT tensor-type order (WAMR 2.1.1–2.3.x used it on the core ABI) */
const WIT_TENSOR_TYPES: readonly TensorType[] = ['f16', 'f32', 'f64', 'bf16', 'u8', 'i32', 'i64'];

const WITX_ENCODINGS: readonly Encoding[] = ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'autodetect'];
/** WIT order, as WAMR's wasi_nn_types.h (≥ 2.1.1; its legacy module shares the enum) */
const WAMR_ENCODINGS: readonly Encoding[] = ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect'];
/** WasmEdge's wasinntypes.h: autodetect 5, GGML 6, then backends this host does not have */
const WASMEDGE_ENCODINGS: readonly DialectEncoding[] = [
  ...WITX_ENCODINGS,
  'ggml',
  { foreign: 'neuralspeed' },
  { foreign: 'burn' },
  { foreign: 'whisper' },
  { foreign: 'mlx' },
  { foreign: 'piper' },
  { foreign: 'chattts' },
  { foreign: 'openvinogenai' },
  { foreign: 'bitnet' },
];

const CPU_GPU_TPU: readonly Target[] = ['cpu', 'gpu', 'tpu'];
const WAMR_FUNCTIONS: readonly NnFunctionName[] = [...SPEC_FUNCTIONS, 'load_by_name_with_config'];

/** The component driver's WIT calls besides the six spec functions (guests/README.md, "Component builds"). */
const WIT_CALLS: readonly NnFunctionName[] = ['tensor_new', 'tensor_dimensions', 'tensor_type', 'tensor_data', 'drop_tensor', 'drop_graph', 'drop_context'];

/**
 * WIT error-code + 1 (0 is success), the numbering the component driver reports (as wamr-2.1's);
 * 1000 and 1001 are the driver's own answers, never the host's.
 */
const WIT_DIALECT_ERRNO = {
  errno: { success: 0, invalid_argument: 1, invalid_encoding: 2, runtime_error: 4, unsupported_operation: 5, too_large: 6, not_found: 7 },
  otherErrno: { 3: 'timeout', 8: 'security', 9: 'unknown', 1000: 'driver: no such output in the last compute', 1001: 'driver: caller buffer too small' },
  errnoFallback: {
    missing_memory: 'runtime_error',
    busy: 'runtime_error',
    end_of_sequence: 'runtime_error',
    context_full: 'runtime_error',
    prompt_too_long: 'invalid_argument',
    model_not_found: 'not_found',
  },
} as const satisfies Pick<Dialect, 'errno' | 'otherErrno' | 'errnoFallback'>;

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  witx: {
    name: 'witx',
    summary: 'spec witx (wasi_ephemeral_nn): wasmtime ≥ 15, crates wasi-nn ≥ 0.6',
    module: WASI_EPHEMERAL_NN,
    layout: 'witx',
    functions: SPEC_FUNCTIONS,
    encodings: WITX_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: WITX_TENSOR_TYPES,
    errno: WITX_ERRNO,
    otherErrno: {},
    errnoFallback: NO_LLM_ERRNO,
  },
  wasmedge: {
    name: 'wasmedge',
    summary: 'WasmEdge ≥ 0.15 (wasi_ephemeral_nn, ggml = 6, target auto = 3, errno 100–103, 12 functions)',
    module: WASI_EPHEMERAL_NN,
    layout: 'witx',
    functions: [...SPEC_FUNCTIONS, 'load_by_name_with_config', ...WASMEDGE_ONLY_FUNCTIONS],
    encodings: WASMEDGE_ENCODINGS,
    targets: [...CPU_GPU_TPU, 'auto'],
    tensorTypes: WITX_TENSOR_TYPES,
    errno: { ...WITX_ERRNO, ...LLM_ERRNO },
    otherErrno: {},
    errnoFallback: {},
  },
  wamr: {
    name: 'wamr',
    summary: 'WAMR ≥ 2.4 (wasi_ephemeral_nn, ggml = 5, autodetect = 6, 7 functions)',
    module: WASI_EPHEMERAL_NN,
    layout: 'witx',
    functions: WAMR_FUNCTIONS,
    encodings: WAMR_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: WITX_TENSOR_TYPES,
    errno: { ...WITX_ERRNO, ...LLM_ERRNO },
    otherErrno: {},
    errnoFallback: {},
  },
  'wamr-2.1': {
    name: 'wamr-2.1',
    summary: 'WAMR 2.1.1–2.3.x (wasi_ephemeral_nn with WIT-shaped tensor types and errno)',
    module: WASI_EPHEMERAL_NN,
    layout: 'witx',
    functions: WAMR_FUNCTIONS,
    encodings: WAMR_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: WIT_TENSOR_TYPES,
    errno: {
      success: 0,
      invalid_argument: 1,
      invalid_encoding: 2,
      runtime_error: 4,
      unsupported_operation: 5,
      too_large: 6,
      not_found: 7,
      ...LLM_ERRNO,
    },
    otherErrno: { 3: 'timeout', 8: 'security', 9: 'unknown' },
    // WIT has neither: WAMR itself reports exhausted handle slots as runtime_error
    errnoFallback: { missing_memory: 'runtime_error', busy: 'runtime_error' },
  },
  'witx-2020': {
    name: 'witx-2020',
    summary: 'old witx (tensor types f16 f32 u8 i32): crates wasi-nn ≤ 0.5, wasmtime 13–14, WasmEdge ≤ 0.14',
    module: WASI_EPHEMERAL_NN,
    layout: 'witx',
    functions: SPEC_FUNCTIONS,
    encodings: WITX_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: OLD_TENSOR_TYPES,
    errno: WITX_ERRNO,
    otherErrno: {},
    errnoFallback: NO_LLM_ERRNO,
  },
  'wamr-legacy': {
    name: 'wamr-legacy',
    summary: "WAMR's deprecated wasi_nn module (WAMR_BUILD_WASI_EPHEMERAL_NN=0): legacy layouts, old tensor types",
    module: WASI_NN_LEGACY,
    layout: 'legacy',
    functions: SPEC_FUNCTIONS,
    encodings: WAMR_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: OLD_TENSOR_TYPES,
    errno: { ...WITX_ERRNO, ...LLM_ERRNO },
    otherErrno: {},
    errnoFallback: {},
  },
  'wit-2024-10-28': {
    name: 'wit-2024-10-28',
    summary: 'WIT wasi:nn@0.2.0-rc-2024-10-28, components (compute with named tensors): wasmtime ≥ 35 with -S nn',
    module: WASI_NN_WIT,
    layout: 'component',
    witVersion: '0.2.0-rc-2024-10-28',
    functions: [...SPEC_FUNCTIONS, ...WIT_CALLS, 'compute_named'],
    encodings: WAMR_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: WIT_TENSOR_TYPES,
    ...WIT_DIALECT_ERRNO,
  },
  'wit-2024-08-19': {
    name: 'wit-2024-08-19',
    summary: 'WIT wasi:nn@0.2.0-rc-2024-08-19, components (set-input, compute, get-output): wasmtime 25–34 with -S nn',
    module: WASI_NN_WIT,
    layout: 'component',
    witVersion: '0.2.0-rc-2024-08-19',
    functions: [...SPEC_FUNCTIONS, ...WIT_CALLS, 'set_input_named', 'get_output_named'],
    encodings: WAMR_ENCODINGS,
    targets: CPU_GPU_TPU,
    tensorTypes: WIT_TENSOR_TYPES,
    ...WIT_DIALECT_ERRNO,
  },
};

/** The component dialect serving a `wasi:nn` WIT version, or undefined. */
export function witDialect(version: string): Dialect | undefined {
  return Object.values(DIALECTS).find((d) => d.witVersion === version);
}

export function isDialectName(name: string): name is DialectName {
  return (DIALECT_NAMES as readonly string[]).includes(name);
}

/** The number of an encoding in a dialect, or -1 when it has none. */
export function encodingNumber(dialect: Dialect, encoding: Encoding): number {
  return dialect.encodings.indexOf(encoding);
}

export function isForeign(e: DialectEncoding | undefined): e is ForeignEncoding {
  return typeof e === 'object';
}

/** The errno number of a name, or undefined when the dialect has no number for it. */
export function errnoNumber(dialect: Dialect, name: ErrnoName): number | undefined {
  return dialect.errno[name];
}

/**
 * What the host sends for an error name: its number, or (for a name with no number in the
 * dialect) the number of its fallback. `sentAs` names the fallback when one was used.
 */
export function encodeErrno(dialect: Dialect, name: ErrnoName): { code: number; sentAs?: ErrnoName } {
  const code = dialect.errno[name];
  if (code !== undefined) return { code };
  const fallback = dialect.errnoFallback[name];
  const fallbackCode = fallback === undefined ? undefined : dialect.errno[fallback];
  if (fallback === undefined || fallbackCode === undefined) throw new Error(`dialect ${dialect.name}: errno ${name} has neither a number nor a fallback`);
  return { code: fallbackCode, sentAs: fallback };
}

/** The name of an errno number in a dialect (including names the host never reports), or undefined. */
export function errnoName(dialect: Dialect, code: number): string | undefined {
  for (const [name, value] of Object.entries(dialect.errno)) if (value === code) return name;
  return dialect.otherErrno[code];
}
