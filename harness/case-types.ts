/** TypeScript shapes of suite case files; suites/schema/case-file.schema.json is the authority. */
import { NN_FUNCTION_NAMES, type NnFunctionName } from '../reference-host/abi/dialects.js';
import type { Encoding, ErrnoName, Target, TensorType } from '../reference-host/core/types.js';

export type Value = number | string;

export interface GoldenRef {
  model: string;
  case?: string;
  input?: number;
  output?: number;
}

export interface TensorData {
  type?: TensorType;
  dims?: number[];
  values?: (number | string)[];
  hex?: string;
  golden?: GoldenRef;
}

export interface Tolerance {
  abs?: number;
  rel?: number;
  ulp?: number;
}

export interface AllocStep {
  buffer: string;
  size: number;
  fill?: number;
}
export interface FixtureStep {
  buffer: string;
  fixture: string;
}
export interface BytesStep {
  buffer: string;
  hex?: string;
  text?: string;
}
export interface TensorStep {
  buffer: string;
  tensor: TensorData;
  raw?: Partial<Record<'dims_ptr' | 'dims_len' | 'type' | 'data_ptr' | 'data_len', Value>>;
}
export interface BuildersStep {
  buffer: string;
  builders: (string | { ptr: Value; len: Value })[];
}
/** compute_named's inputs: WIT list<named-tensor> records {name ptr, name len, tensor handle}; `name` names a bytes buffer */
export interface NamedTensorsStep {
  buffer: string;
  named_tensors: { name: string; tensor: Value }[];
}
export interface PokeStep {
  poke: string;
  offset?: number;
  hex: string;
}

/** Every wasi-nn function a case may call (which ones a dialect imports is the dialect's business). */
export const NN_FUNCTIONS = NN_FUNCTION_NAMES;
export type NnFunction = NnFunctionName;

export interface CallExpectation {
  /** required unless `trap` */
  errno?: ErrnoName | ErrnoName[];
  /** the call may answer this instead (a documented engine limit where the right answer is known): the case then ends here and passes */
  refusal?: ErrnoName;
  /** the call traps (component model: a handle the guest does not hold); only on a case's last step */
  trap?: true;
  /** compute_named: the output names, in order */
  names?: string[];
  /** component dialects: error.data() of the failure is not empty */
  error_data?: true;
  result?: 'unchanged' | 'written' | number;
  output?: { unchanged?: true; tensor?: TensorData; tolerance?: Tolerance; text?: string };
  same_as?: string;
  different_from?: string;
}

export interface CallStep {
  call: NnFunction;
  args?: Record<string, Value | Encoding | Target | TensorType>;
  result?: string;
  output?: { buffer: string; size: number };
  expect?: CallExpectation;
}

/** The guest reads a file by guest path; `readable`: must it succeed (true) or be refused (false). */
export interface GuestFileStep {
  buffer: string;
  guest_file: string;
  readable: boolean;
}

export type Step = AllocStep | FixtureStep | BytesStep | TensorStep | BuildersStep | NamedTensorsStep | PokeStep | CallStep | GuestFileStep;

export interface PreloadSpec {
  name: string;
  encoding: Encoding;
  target: Target;
  fixtures: string[];
}

export interface Case {
  id: string;
  title: string;
  spec: string;
  /** dialects: names of reference-host/abi/dialects.ts (the schema checks them) */
  requires?: { encodings?: Encoding[]; dialects?: string[] };
  preload?: PreloadSpec[];
  /** entries the harness makes in the per-case folder (/case) before the run */
  case_dir?: { symlinks: { name: string; target: string }[] };
  steps: Step[];
}

export interface CaseFile {
  suite: string;
  description?: string;
  cases: Case[];
}

/** A case with where it came from, for error messages. */
export interface LoadedCase {
  suite: string;
  file: string;
  /** JSON pointer of the case inside its file */
  pointer: string;
  case: Case;
}
