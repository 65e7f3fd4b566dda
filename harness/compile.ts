/**
 * Compiles a case into a step script for the driver guest (guests/README.md) plus the checks the
 * judge runs on what the guest prints. Everything that depends on the ABI dialect is resolved
 * here, so one case runs under every dialect: numbers (encodings, targets, tensor types, the
 * errnos a check accepts), the driver build, and for wamr-legacy its layouts (builder-array
 * struct, 12-byte tensor with a tensor_dimensions struct, get_output's in/out size counted in
 * f32 elements). What a dialect cannot express is a DialectUnsupported, never a silent skip.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECTS, LEGACY_ELEMENT_SIZE, isForeign, type Dialect, type DialectName } from '../reference-host/abi/dialects.js';
import { ELEMENT_SIZE, elementCount, type ErrnoName, type TensorType } from '../reference-host/core/types.js';
import type { Case, CallStep, NnFunction, PreloadSpec, Step, TensorData, Tolerance, Value } from './case-types.js';
import { encodeValues } from './tensor-bytes.js';
import { ComponentCase } from './compile-component.js';

/** The byte every result / output buffer is filled with before a call, to tell "untouched" apart. */
export const SENTINEL_FILL = 0xaa;
/** Where the guest sees the fixtures directory and the case's own files. */
export const GUEST_FIXTURES_DIR = '/fixtures';
export const GUEST_CASE_DIR = '/case';

export interface ResolvedTensor {
  type: TensorType;
  dims: number[];
  bytes: Uint8Array;
}

export type Check =
  /** `refusal`: an errno that ends the case here as a PASS (an engine limit the case accepts in place of the right answer) */
  | { kind: 'errno'; line: number; step: number; fn: NnFunction; allowed: ErrnoName[]; refusal?: ErrnoName }
  /** `initialLine`: a dump of the result buffer before the call (wamr-legacy's preset in/out size), else it held the sentinel */
  | { kind: 'result'; line: number; step: number; expect: 'unchanged' | 'written' | number; initialLine?: number }
  | { kind: 'output-unchanged'; line: number; step: number; size: number }
  /** `writtenUnit`: bytes per unit of the written count (1; 4 where wamr-legacy returns f32 elements) */
  | { kind: 'output-tensor'; line: number; step: number; tensor: ResolvedTensor; tolerance: Tolerance | undefined; writtenLine: number | undefined; writtenUnit?: number }
  | { kind: 'output-text'; line: number; step: number; text: string; writtenLine: number | undefined }
  | { kind: 'same-as' | 'different-from'; line: number; otherLine: number; step: number; other: string }
  | { kind: 'guest-file'; line: number; step: number; path: string; readable: boolean }
  /** the call on `line` traps: no record for it, the runtime reports a trap (a case's last step only) */
  | { kind: 'trap'; line: number; step: number; fn: NnFunction }
  /** the names of the outputs compute_named returned, in order */
  | { kind: 'names'; line: number; step: number; names: string[] }
  /** the failed call's error.data() is not empty (component dialects) */
  | { kind: 'error-data'; line: number; step: number };

export interface CompiledCase {
  script: string;
  /** the driver build: guests/driver/<dialect>.wasm */
  guest: DialectName;
  preloads: PreloadSpec[];
  checks: Check[];
  /** number of step-script lines, i.e. the `steps` the done line must report */
  lines: number;
  /** for each script line (index line - 1), the index of the case step it belongs to (`/steps/N`) */
  lineSteps: number[];
}

export class CompileError extends Error {
  constructor(
    message: string,
    /** JSON pointer inside the case */
    readonly pointer: string,
  ) {
    super(message);
  }
}

/** The case is fine but the dialect cannot express it (a number it lacks, a function its driver does not import, a field its layout has not): UNSUPPORTED. */
export class DialectUnsupported extends Error {
  constructor(
    readonly dialect: DialectName,
    readonly reason: string,
    /** JSON pointer inside the case */
    readonly pointer: string,
  ) {
    super(`the ${dialect} dialect cannot express this case: ${reason} (at ${pointer})`);
    this.name = 'DialectUnsupported';
  }
}

/** Parameters of each function, in ABI order; `result`, `out` and `out_max` have defaults from the step. */
export const PARAMS: Record<NnFunction, readonly string[]> = {
  load: ['builders', 'builders_len', 'encoding', 'target', 'result'],
  load_by_name: ['name', 'name_len', 'result'],
  load_by_name_with_config: ['name', 'name_len', 'config', 'config_len', 'result'],
  init_execution_context: ['graph', 'result'],
  set_input: ['ctx', 'index', 'tensor'],
  compute: ['ctx'],
  get_output: ['ctx', 'index', 'out', 'out_max', 'result'],
  compute_single: ['ctx'],
  get_output_single: ['ctx', 'index', 'out', 'out_max', 'result'],
  fini_single: ['ctx'],
  unload: ['graph'],
  finalize_execution_context: ['ctx'],
  tensor_new: ['dims', 'dims_len', 'type', 'data', 'data_len', 'result'],
  tensor_dimensions: ['tensor', 'out', 'out_max', 'result'],
  tensor_type: ['tensor', 'result'],
  tensor_data: ['tensor', 'out', 'out_max', 'result'],
  set_input_named: ['ctx', 'name', 'name_len', 'tensor'],
  get_output_named: ['ctx', 'name', 'name_len', 'result'],
  compute_named: ['ctx', 'inputs', 'inputs_len', 'out', 'out_max'],
  drop_tensor: ['tensor'],
  drop_graph: ['graph'],
  drop_context: ['ctx'],
};


/** A length parameter defaults from the buffer its pointer parameter names. */
export const LENGTH_OF: Readonly<Record<string, { ptr: string; unit: number }>> = {
  builders_len: { ptr: 'builders', unit: 8 },
  name_len: { ptr: 'name', unit: 1 },
  config_len: { ptr: 'config', unit: 1 },
  dims_len: { ptr: 'dims', unit: 4 },
  data_len: { ptr: 'data', unit: 1 },
  inputs_len: { ptr: 'inputs', unit: 12 },
};

const TERM = /[@$%]([A-Za-z_][A-Za-z0-9_]*)/g;

export interface CompileOptions {
  fixturesDir: string;
  dialect: DialectName;
}

/** Parsed golden files by path: every case is compiled once per dialect at load and again to run. */
const goldenFiles = new Map<string, { mtimeMs: number; golden: GoldenFile }>();

/** The input names a golden file gives its model (undefined when there is no golden file, or a name is missing or over 63 bytes). */
function goldenInputNames(fixturesDir: string, family: string): readonly string[] | undefined {
  const path = join(fixturesDir, 'goldens', `${family}.json`);
  if (!existsSync(path)) return undefined;
  const inputs = (readGoldenFile(path).cases[0]?.inputs ?? []) as { name?: string }[];
  const names = inputs.map((i) => i.name);
  return names.every((n): n is string => typeof n === 'string' && n !== '' && Buffer.byteLength(n) <= 63) ? names : undefined;
}

/** A golden file, parsed once per change of the file. */
function readGoldenFile(path: string): GoldenFile {
  const { mtimeMs } = statSync(path);
  let cached = goldenFiles.get(path);
  if (!cached || cached.mtimeMs !== mtimeMs) {
    cached = { mtimeMs, golden: JSON.parse(readFileSync(path, 'utf8')) as GoldenFile };
    goldenFiles.set(path, cached);
  }
  return cached.golden;
}

export function loadGolden(fixturesDir: string, ref: { model: string; case?: string }, pointer: string): GoldenFile['cases'][number] {
  const path = join(fixturesDir, 'goldens', `${ref.model}.json`);
  if (!existsSync(path)) throw new CompileError(`no golden file fixtures/goldens/${ref.model}.json`, pointer);
  const golden = readGoldenFile(path);
  const name = ref.case ?? 'default';
  const found = golden.cases.find((c) => c.name === name);
  if (!found) throw new CompileError(`golden ${ref.model} has no case ${JSON.stringify(name)}`, pointer);
  return found;
}

export interface GoldenTensor {
  name: string;
  type: TensorType;
  dims: number[];
  hex: string;
}

export interface GoldenFile {
  model: string;
  format: string;
  file: string;
  cases: { name: string; inputs: GoldenTensor[]; outputs: GoldenTensor[] }[];
}

export function resolveTensor(data: TensorData, fixturesDir: string, pointer: string): ResolvedTensor {
  if (data.golden) {
    const g = loadGolden(fixturesDir, data.golden, `${pointer}/golden`);
    const which = data.golden.output !== undefined ? 'outputs' : 'inputs';
    const index = data.golden.output ?? data.golden.input ?? 0;
    const t = g[which][index];
    if (!t) throw new CompileError(`golden ${data.golden.model} has no ${which.slice(0, -1)} ${index}`, `${pointer}/golden`);
    return { type: t.type, dims: [...t.dims], bytes: Buffer.from(t.hex, 'hex') };
  }
  const type = data.type as TensorType;
  const dims = [...(data.dims ?? [])];
  if (data.hex !== undefined) return { type, dims, bytes: Buffer.from(data.hex, 'hex') };
  const values = data.values ?? [];
  const count = elementCount(dims);
  if (count !== values.length) {
    throw new CompileError(`${values.length} value(s) given for dims [${dims.join(',')}] (${count ?? 'too many'} elements)`, `${pointer}/values`);
  }
  try {
    return { type, dims, bytes: encodeValues(type, values) };
  } catch (e) {
    throw new CompileError((e as Error).message, `${pointer}/values`);
  }
}

class ScriptWriter {
  readonly lines: string[] = [];
  /** the case step each line belongs to */
  readonly lineSteps: number[] = [];
  readonly buffers = new Map<string, { size: number }>();
  /** the case step being compiled */
  step = 0;

  emit(line: string): number {
    this.lines.push(line);
    this.lineSteps.push(this.step);
    return this.lines.length;
  }

  define(name: string, size: number, pointer: string): void {
    if (this.buffers.has(name)) throw new CompileError(`buffer ${name} is defined twice`, pointer);
    this.buffers.set(name, { size });
  }

  /** Checks the buffers a value names exist; returns the value as script text. */
  value(v: Value, pointer: string): string {
    const text = typeof v === 'number' ? String(v >>> 0) : v;
    for (const m of text.matchAll(TERM)) {
      const name = m[1] as string;
      if (!(m[0].startsWith('%') && name === 'mem') && !this.buffers.has(name)) {
        throw new CompileError(`value ${JSON.stringify(text)} names buffer ${name}, which no earlier step defines`, pointer);
      }
    }
    return text;
  }

  alloc(name: string, size: number, fill: number, pointer: string): void {
    this.define(name, size, pointer);
    this.emit(`alloc ${name} ${size} ${fill}`);
  }

  bytes(name: string, bytes: Uint8Array, pointer: string): void {
    this.alloc(name, bytes.byteLength, 0, pointer);
    if (bytes.byteLength > 0) this.emit(`hex ${name} 0 ${Buffer.from(bytes).toString('hex')}`);
  }
}

function isCall(step: Step): step is CallStep {
  return 'call' in step;
}

export function compileCase(c: Case, options: CompileOptions): CompiledCase {
  const dialect: Dialect = DIALECTS[options.dialect];
  const w = new ScriptWriter();
  const checks: Check[] = [];
  const component = dialect.layout === 'component' ? new ComponentCase(dialect) : undefined;
  const trapAt = c.steps.findIndex((s) => isCall(s) && s.expect?.trap === true);
  if (trapAt >= 0 && trapAt !== c.steps.length - 1) throw new CompileError('only the last step of a case may expect a trap', `/steps/${trapAt}/expect/trap`);
  for (const p of c.preload ?? []) {
    p.fixtures.forEach((f, i) => {
      if (!existsSync(join(options.fixturesDir, f))) throw new CompileError(`no fixture ${f}`, `/preload/${i}`);
    });
  }

  c.steps.forEach((step, index) => {
    const ptr = `/steps/${index}`;
    w.step = index;
    if (isCall(step)) {
      const atCompute = component?.setInputErrorAtCompute(step, (family) => goldenInputNames(options.fixturesDir, family));
      if (atCompute) {
        // rc-2024-10-28 has no set-input: the tensor reaches the host in compute, which answers for it
        compileCall(atCompute.keep, index, ptr, w, dialect, options, checks, component);
        compileCall(atCompute.compute, index, ptr, w, dialect, options, checks, component);
      } else {
        compileCall(step, index, ptr, w, dialect, options, checks, component);
      }
    } else if ('poke' in step) {
      component?.poke(step.poke, ptr);
      const target = w.buffers.get(step.poke);
      if (!target) throw new CompileError(`poke names buffer ${step.poke}, which no earlier step defines`, `${ptr}/poke`);
      const offset = step.offset ?? 0;
      if (offset + step.hex.length / 2 > target.size) throw new CompileError(`poke runs past the end of buffer ${step.poke}`, ptr);
      w.emit(`hex ${step.poke} ${offset} ${step.hex}`);
    } else if ('size' in step) {
      w.alloc(step.buffer, step.size, step.fill ?? 0, `${ptr}/buffer`);
    } else if ('guest_file' in step) {
      // the size is unknown until the guest reads it: later steps may not name this buffer's size
      w.define(step.buffer, 0, `${ptr}/buffer`);
      const line = w.emit(`file ${step.buffer} ${step.guest_file}`);
      checks.push({ kind: 'guest-file', line, step: index, path: step.guest_file, readable: step.readable });
    } else if ('fixture' in step) {
      const host = join(options.fixturesDir, step.fixture);
      if (!existsSync(host)) throw new CompileError(`no fixture ${step.fixture}`, `${ptr}/fixture`);
      component?.fixture(step.buffer, step.fixture);
      w.define(step.buffer, statSync(host).size, `${ptr}/buffer`);
      w.emit(`file ${step.buffer} ${GUEST_FIXTURES_DIR}/${step.fixture}`);
    } else if ('tensor' in step) {
      component?.tensor(step, ptr);
      compileTensor(step.buffer, step.tensor, step.raw ?? {}, ptr, w, dialect, options);
    } else if ('named_tensors' in step) {
      component?.struct(step.buffer);
      w.alloc(step.buffer, step.named_tensors.length * 12, 0, `${ptr}/buffer`);
      step.named_tensors.forEach((n, i) => {
        const at = `${ptr}/named_tensors/${i}`;
        w.emit(`u32 ${step.buffer} ${i * 12} ${w.value(`@${n.name}`, `${at}/name`)}`);
        w.emit(`u32 ${step.buffer} ${i * 12 + 4} ${w.value(`%${n.name}`, `${at}/name`)}`);
        w.emit(`u32 ${step.buffer} ${i * 12 + 8} ${w.value(n.tensor, `${at}/tensor`)}`);
      });
    } else if ('builders' in step) {
      // the graph_builder records are the same in every dialect (wamr-legacy points at them from a struct made at the call)
      const n = step.builders.length;
      component?.builders(step, ptr);
      w.alloc(step.buffer, n * 8, 0, `${ptr}/buffer`);
      step.builders.forEach((b, i) => {
        const at = `${ptr}/builders/${i}`;
        const [p, l] = typeof b === 'string' ? [w.value(`@${b}`, at), w.value(`%${b}`, at)] : [w.value(b.ptr, `${at}/ptr`), w.value(b.len, `${at}/len`)];
        w.emit(`u32 ${step.buffer} ${i * 8} ${p}`);
        w.emit(`u32 ${step.buffer} ${i * 8 + 4} ${l}`);
      });
    } else {
      const bytes = step.hex !== undefined ? Buffer.from(step.hex, 'hex') : Buffer.from(step.text ?? '', 'utf8');
      component?.bytes(step.buffer, bytes);
      w.bytes(step.buffer, bytes, `${ptr}/buffer`);
    }
  });
  return { script: `${w.lines.join('\n')}\n`, guest: dialect.name, preloads: c.preload ?? [], checks, lines: w.lines.length, lineSteps: w.lineSteps };
}


function compileTensor(
  name: string,
  data: TensorData,
  raw: NonNullable<import('./case-types.js').TensorStep['raw']>,
  ptr: string,
  w: ScriptWriter,
  dialect: Dialect,
  options: CompileOptions,
): void {
  const t = resolveTensor(data, options.fixturesDir, `${ptr}/tensor`);
  const typeCode = dialect.tensorTypes.indexOf(t.type);
  if (typeCode < 0 && raw.type === undefined) throw new DialectUnsupported(dialect.name, `tensor type ${t.type} has no number`, `${ptr}/tensor`);
  const dims = new Uint8Array(t.dims.length * 4);
  t.dims.forEach((d, i) => new DataView(dims.buffer).setUint32(i * 4, d, true));
  const field = (key: keyof typeof raw, fallback: string) => (raw[key] === undefined ? fallback : w.value(raw[key] as Value, `${ptr}/raw/${key}`));
  if (dialect.layout === 'legacy') {
    if (raw.data_len !== undefined) throw new DialectUnsupported(dialect.name, 'the legacy tensor has no data_len field (its data is product(dims) × 4 bytes)', `${ptr}/raw/data_len`);
    if (ELEMENT_SIZE[t.type] !== LEGACY_ELEMENT_SIZE && raw.type === undefined) {
      throw new DialectUnsupported(dialect.name, `a ${t.type} tensor: the legacy tensor carries product(dims) × 4 bytes, so only f32 and i32 tensors can be passed`, `${ptr}/tensor`);
    }
    const count = elementCount(t.dims);
    if (raw.dims_ptr === undefined && raw.dims_len === undefined && (count === undefined || count * LEGACY_ELEMENT_SIZE !== t.bytes.byteLength)) {
      throw new DialectUnsupported(dialect.name, `${t.bytes.byteLength} data bytes for dims [${t.dims.join(',')}]: the legacy tensor has no data_len, the host reads product(dims) × 4 bytes`, `${ptr}/tensor`);
    }
    w.bytes(`${name}_dims`, dims, `${ptr}/buffer`);
    w.bytes(`${name}_data`, t.bytes, `${ptr}/buffer`);
    // tensor_dimensions {buf, size}, then the 12-byte tensor {dimensions, type (u8 + 3 pad), data}
    w.alloc(`${name}_dimstruct`, 8, 0, `${ptr}/buffer`);
    w.emit(`u32 ${name}_dimstruct 0 ${field('dims_ptr', `@${name}_dims`)}`);
    w.emit(`u32 ${name}_dimstruct 4 ${field('dims_len', String(t.dims.length))}`);
    w.alloc(name, 12, 0, `${ptr}/buffer`);
    w.emit(`u32 ${name} 0 @${name}_dimstruct`);
    w.emit(`u32 ${name} 4 ${field('type', String(typeCode))}`);
    w.emit(`u32 ${name} 8 ${field('data_ptr', `@${name}_data`)}`);
    return;
  }
  w.bytes(`${name}_dims`, dims, `${ptr}/buffer`);
  w.bytes(`${name}_data`, t.bytes, `${ptr}/buffer`);
  w.alloc(name, 20, 0, `${ptr}/buffer`);
  w.emit(`u32 ${name} 0 ${field('dims_ptr', `@${name}_dims`)}`);
  w.emit(`u32 ${name} 4 ${field('dims_len', String(t.dims.length))}`);
  w.emit(`u32 ${name} 8 ${field('type', String(typeCode))}`);
  w.emit(`u32 ${name} 12 ${field('data_ptr', `@${name}_data`)}`);
  w.emit(`u32 ${name} 16 ${field('data_len', String(t.bytes.byteLength))}`);
}

function compileCall(
  step: CallStep,
  index: number,
  ptr: string,
  w: ScriptWriter,
  dialect: Dialect,
  options: CompileOptions,
  checks: Check[],
  component: ComponentCase | undefined,
): void {
  const args = step.args ?? {};
  const params = PARAMS[step.call];
  for (const key of Object.keys(args)) {
    if (!params.includes(key)) throw new CompileError(`${step.call} has no parameter ${key} (it takes ${params.join(', ')})`, `${ptr}/args/${key}`);
  }
  if (!dialect.functions.includes(step.call)) {
    throw new DialectUnsupported(dialect.name, `it calls ${step.call}, which the ${dialect.name} driver does not import (it has ${dialect.functions.join(', ')})`, `${ptr}/call`);
  }
  component?.call(step, ptr, (name) => w.buffers.get(name)?.size);
  const inputName = component?.inputName(step, (family) => goldenInputNames(options.fixturesDir, family));
  if (inputName !== undefined) {
    w.bytes(`.input_name${index}`, Buffer.from(inputName, 'utf8'), `${ptr}/args/index`);
    w.emit(`name .input_name${index}`);
  }
  const legacy = dialect.layout === 'legacy';
  const legacyGetOutput = legacy && step.call === 'get_output';
  const expect = step.expect ?? { errno: 'success' as const };
  const traps = expect.trap === true;
  if (traps && (expect.errno !== undefined || expect.result !== undefined || expect.output !== undefined || expect.names !== undefined || expect.error_data !== undefined)) {
    throw new CompileError('a call expected to trap has no errno, result, output or names to check', `${ptr}/expect`);
  }
  if (expect.names !== undefined && step.call !== 'compute_named') throw new CompileError('expect.names is for compute_named', `${ptr}/expect/names`);
  // the errnos a check accepts, as far as the dialect has numbers for them
  const named = expect.errno === undefined ? [] : Array.isArray(expect.errno) ? expect.errno : [expect.errno];
  const allowed = named.filter((e) => dialect.errno[e] !== undefined);
  if (allowed.length === 0 && !traps) throw new DialectUnsupported(dialect.name, `it expects errno ${named.join(' or ')}, which has no number`, `${ptr}/expect/errno`);
  if (legacyGetOutput && expect.output?.text !== undefined) {
    throw new DialectUnsupported(dialect.name, 'it expects text: the legacy get_output returns f32 elements only', `${ptr}/expect/output/text`);
  }

  if (step.result) w.alloc(step.result, 4, SENTINEL_FILL, `${ptr}/result`);
  if (step.output) w.alloc(step.output.buffer, step.output.size, SENTINEL_FILL, `${ptr}/output/buffer`);

  const argText = params.map((param) => {
    const at = `${ptr}/args/${param}`;
    const given = args[param];
    if (param === 'encoding' && typeof given === 'string' && !/^[0-9@$%]/.test(given)) {
      const n = dialect.encodings.findIndex((e) => e === given);
      if (n < 0) throw new DialectUnsupported(dialect.name, `encoding ${given} has no number`, at);
      return String(n);
    }
    if (param === 'type' && typeof given === 'string' && !/^[0-9@$%]/.test(given)) {
      const n = dialect.tensorTypes.indexOf(given as TensorType);
      if (n < 0) throw new DialectUnsupported(dialect.name, `tensor type ${given} has no number`, at);
      return String(n);
    }
    if (param === 'target' && typeof given === 'string' && !/^[0-9@$%]/.test(given)) {
      const n = dialect.targets.indexOf(given as (typeof dialect.targets)[number]);
      if (n < 0) throw new DialectUnsupported(dialect.name, `target ${given} has no number`, at);
      return String(n);
    }
    if (given !== undefined) return w.value(given, at);
    if (param === 'target') return String(dialect.targets.indexOf('cpu'));
    if (param === 'result' && step.result) return `@${step.result}`;
    if (param === 'out' && step.output) return `@${step.output.buffer}`;
    if (param === 'out_max' && step.output) return String(step.output.size);
    const length = LENGTH_OF[param];
    if (length) {
      const p = args[length.ptr];
      const m = typeof p === 'string' ? /^@([A-Za-z_][A-Za-z0-9_]*)$/.exec(p) : null;
      const size = m ? w.buffers.get(m[1] as string)?.size : undefined;
      if (size !== undefined) return String(size / length.unit);
    }
    throw new CompileError(`${step.call}: argument ${param} is missing and has no default`, `${ptr}/args`);
  });

  let callArgs = argText;
  let initialLine: number | undefined;
  if (legacy && step.call === 'load') {
    // load(builder_array_ptr, encoding, target, graph_out): the builders pointer and count go in a graph_builder_array struct
    const [builders, count, encoding, target, result] = argText as [string, string, string, string, string];
    const array = `.builder_array${index}`;
    w.alloc(array, 8, 0, `${ptr}/args/builders`);
    w.emit(`u32 ${array} 0 ${builders}`);
    w.emit(`u32 ${array} 4 ${count}`);
    callArgs = [`@${array}`, encoding, target, result];
  } else if (legacyGetOutput) {
    // get_output(ctx, index, out, inout_size): the capacity in bytes goes in through the result buffer
    const [ctx, outIndex, out, max, result] = argText as [string, string, string, string, string];
    if (step.result && args.result === undefined) {
      w.emit(`u32 ${step.result} 0 ${max}`);
      if (expect.result === 'unchanged' || expect.result === 'written') initialLine = w.emit(`dump ${step.result} 0 4`);
    } else if (args.out_max !== undefined) {
      throw new DialectUnsupported(dialect.name, 'out_max with an explicit result pointer: the legacy capacity travels in the *inout_size the result points at', `${ptr}/args/out_max`);
    }
    callArgs = [ctx, outIndex, out, result];
  }

  const callLine = w.emit(`call ${step.call} ${callArgs.join(' ')}`);
  if (traps) {
    checks.push({ kind: 'trap', line: callLine, step: index, fn: step.call });
    return;
  }
  if (expect.refusal !== undefined && (traps || named.includes(expect.refusal))) throw new CompileError('expect.refusal is an errno the call may answer instead of expect.errno', `${ptr}/expect/refusal`);
  const refusal = expect.refusal !== undefined && dialect.errno[expect.refusal] !== undefined ? { refusal: expect.refusal } : {};
  checks.push({ kind: 'errno', line: callLine, step: index, fn: step.call, allowed, ...refusal });
  if (expect.names !== undefined) checks.push({ kind: 'names', line: callLine, step: index, names: expect.names });
  if (expect.error_data) {
    if (dialect.layout !== 'component') throw new DialectUnsupported(dialect.name, 'it checks error.data(): only the WIT interface has error resources', `${ptr}/expect/error_data`);
    checks.push({ kind: 'error-data', line: callLine, step: index });
  }

  const resultBuffer = step.result;
  let resultLine: number | undefined;
  if (resultBuffer) resultLine = w.emit(`dump ${resultBuffer} 0 4`);
  if (expect.result !== undefined) {
    if (resultLine === undefined) throw new CompileError('expect.result needs the step to name a result buffer', `${ptr}/expect/result`);
    let expected = expect.result;
    if (legacyGetOutput && typeof expected === 'number') {
      // the legacy get_output returns a count of f32 elements, not bytes
      if (expected % LEGACY_ELEMENT_SIZE !== 0) throw new DialectUnsupported(dialect.name, `it expects ${expected} bytes written: the legacy get_output counts 4-byte elements`, `${ptr}/expect/result`);
      expected = expected / LEGACY_ELEMENT_SIZE;
    }
    checks.push({ kind: 'result', line: resultLine, step: index, expect: expected, ...(initialLine === undefined ? {} : { initialLine }) });
  }
  for (const [key, kind] of [
    ['same_as', 'same-as'],
    ['different_from', 'different-from'],
  ] as const) {
    const other = expect[key];
    if (other === undefined) continue;
    if (resultLine === undefined) throw new CompileError(`expect.${key} needs the step to name a result buffer`, `${ptr}/expect/${key}`);
    if (!w.buffers.has(other)) throw new CompileError(`expect.${key} names buffer ${other}, which no earlier step defines`, `${ptr}/expect/${key}`);
    const otherLine = w.emit(`dump ${other} 0 4`);
    checks.push({ kind, line: resultLine, otherLine, step: index, other });
  }
  if (expect.output) {
    const out = step.output;
    if (!out) throw new CompileError('expect.output needs the step to name an output buffer', `${ptr}/expect/output`);
    const line = w.emit(`dump ${out.buffer} 0 ${out.size}`);
    if (expect.output.unchanged) {
      checks.push({ kind: 'output-unchanged', line, step: index, size: out.size });
    } else if (expect.output.tensor) {
      const tensor = resolveTensor(expect.output.tensor, options.fixturesDir, `${ptr}/expect/output/tensor`);
      const needed = (elementCount(tensor.dims) ?? 0) * ELEMENT_SIZE[tensor.type];
      if (needed !== tensor.bytes.byteLength) throw new CompileError('expected tensor bytes do not match its dims', `${ptr}/expect/output/tensor`);
      if (legacyGetOutput && ELEMENT_SIZE[tensor.type] !== LEGACY_ELEMENT_SIZE) {
        throw new DialectUnsupported(dialect.name, `it expects a ${tensor.type} output: the legacy get_output returns 4-byte (f32) elements only`, `${ptr}/expect/output/tensor`);
      }
      // the written count is in bytes, or in 4-byte elements (wamr-legacy get_output; tensor_dimensions counts dims)
      const unit = legacyGetOutput ? LEGACY_ELEMENT_SIZE : step.call === 'tensor_dimensions' ? 4 : undefined;
      checks.push({ kind: 'output-tensor', line, step: index, tensor, tolerance: expect.output.tolerance, writtenLine: resultLine, ...(unit === undefined ? {} : { writtenUnit: unit }) });
    } else if (expect.output.text !== undefined) {
      checks.push({ kind: 'output-text', line, step: index, text: expect.output.text, writtenLine: resultLine });
    }
  }
}
