/**
 * What a case may ask of a component dialect (wit-2024-10-28, wit-2024-08-19). The component
 * driver (guests/driver/wit-nn.h) does the six spec functions over the WIT interface, so most
 * cases run unchanged; what the WIT cannot express is UNSUPPORTED with the reason:
 * - pointer-level ABI probes: the canonical ABI lowers every list and string itself (a bad
 *   pointer or a length past a buffer traps in the lowering, before any host code runs);
 * - handles the guest does not hold, and enum numbers outside a WIT enum: the canonical ABI
 *   traps on both (the component cases check that with `expect.trap`);
 * - errors of get_output, and of set_input under rc-2024-08-19: rc-2024-10-28 has no get-output
 *   (compute returns named tensors), and rc-2024-08-19 takes names, so an index past the inputs
 *   or outputs is an unknown name; the component cases check each error at its WIT call.
 *   rc-2024-10-28 has no set-input either, but the tensor set_input would refuse reaches the host
 *   in compute, which must answer for it: such a case keeps the tensor and expects the error
 *   from a compute right after (or not-found for an index past the model's inputs, as a name);
 * - a caller buffer too small for an output: tensor.data() returns the whole tensor;
 * - a name that is not UTF-8: the canonical ABI traps on such a string.
 * An input is named by the model's own name where the case's fixtures tell it (an ONNX or
 * OpenVINO IR fixture with a golden file): every WIT host resolves that, while a decimal index
 * is the reference host's extension (wasmtime 49's backends answer runtime-error to "0").
 */
import type { Dialect } from '../reference-host/abi/dialects.js';
import type { BuildersStep, CallStep, TensorStep, Value } from './case-types.js';

type ErrnoName = Extract<NonNullable<CallStep['expect']>['errno'], string>;
import { DialectUnsupported, LENGTH_OF as LENGTHS } from './compile.js';

/** Parameters that are guest pointers, whatever the function. */
const POINTERS = new Set(['builders', 'name', 'config', 'out', 'result', 'dims', 'data', 'inputs']);
/** Functions whose `tensor` is a tensor resource handle (set_input's is a pointer to a witx tensor struct). */
const TENSOR_HANDLE_FUNCTIONS = new Set(['tensor_dimensions', 'tensor_type', 'tensor_data', 'set_input_named', 'drop_tensor']);

const isBufferRef = (v: Value, sigil: '@' | '$') => typeof v === 'string' && new RegExp(`^\\${sigil}[A-Za-z_][A-Za-z0-9_]*$`).test(v);

/**
 * The component checks of one case, step by step: compile.ts makes one per case under a
 * component dialect and tells it about each step; what it remembers of earlier steps decides later ones.
 */
export class ComponentCase {
  /** buffers holding a tensor struct, builder records or named-tensor records (the driver reads them to make WIT values) */
  private readonly structs = new Set<string>();
  /** bytes buffers whose content is not UTF-8 (a WIT string must be) */
  private readonly notUtf8 = new Set<string>();
  /** the ctx values (as written in the case) that an earlier step computed on */
  private readonly computed = new Set<string>();
  /** buffer → the fixture it holds */
  private readonly fixtures = new Map<string, string>();
  /** builders buffer → its first builder's buffer */
  private readonly firstBuilder = new Map<string, string>();
  /** `$g` / `$c` values → the fixture their graph was loaded from */
  private readonly modelOf = new Map<string, string>();

  constructor(private readonly dialect: Dialect) {}

  /** a fixture step */
  fixture(buffer: string, path: string): void {
    this.fixtures.set(buffer, path);
  }

  /**
   * The model's own name of the input a set_input step sets, when the case loaded an ONNX or
   * OpenVINO IR fixture into the context and a golden file names its inputs; undefined otherwise
   * (the driver then names the input by its decimal index).
   */
  inputName(step: CallStep, inputNames: (family: string) => readonly string[] | undefined): string | undefined {
    if (step.call !== 'set_input' || typeof step.args?.index !== 'number') return undefined;
    const fixture = this.modelOf.get(String(step.args.ctx));
    const m = fixture === undefined ? null : /^(?:onnx|openvino)\/([A-Za-z0-9_]+)\.(?:onnx|xml)$/.exec(fixture);
    if (!m) return undefined;
    return inputNames(m[1] as string)?.[step.args.index];
  }

  /**
   * Under rc-2024-10-28, a set_input step that expects an error becomes set_input (the driver
   * keeps the tensor: success) and a compute on the same context that expects the error: the
   * same refusal, at the WIT call that receives the tensor. An index past the inputs the
   * model's golden file names is an unknown name there (not_found), or, for a host that reads a
   * decimal name as the index (the reference host), the case's own error. Undefined: compile as written.
   */
  setInputErrorAtCompute(step: CallStep, inputNames: (family: string) => readonly string[] | undefined): { keep: CallStep; compute: CallStep } | undefined {
    if (this.dialect.witVersion !== '0.2.0-rc-2024-10-28' || step.call !== 'set_input' || step.expect?.trap === true) return undefined;
    const named: ErrnoName[] = step.expect?.errno === undefined ? ['success'] : Array.isArray(step.expect.errno) ? step.expect.errno : [step.expect.errno];
    if (named.includes('success') || step.expect?.result !== undefined || step.expect?.output !== undefined) return undefined;
    // the model's input count, whatever its format (the golden file is the family's)
    const fixture = this.modelOf.get(String(step.args?.ctx));
    const family = fixture === undefined ? undefined : /^[a-z]+\/([A-Za-z0-9_]+)\.[a-z]+$/.exec(fixture)?.[1];
    const count = family === undefined ? undefined : inputNames(family)?.length;
    const index = step.args?.index;
    const pastInputs = typeof index === 'number' && count !== undefined && index >= count;
    return {
      keep: { ...step, expect: { errno: 'success' } },
      // past the inputs the name is unknown (not_found), unless a host reads the decimal name as the index (the case's error)
      compute: { call: 'compute', args: { ctx: step.args?.ctx as string }, expect: { errno: pastInputs ? [...new Set<ErrnoName>([...named, 'not_found'])] : named } },
    };
  }

  /** Follows which fixture a graph and its contexts came from. */
  private track(step: CallStep): void {
    const ref = (v: unknown) => /^@([A-Za-z_][A-Za-z0-9_]*)$/.exec(String(v ?? ''))?.[1];
    if (step.call === 'load' && step.result) {
      const b = ref(step.args?.builders);
      const first = b === undefined ? undefined : this.firstBuilder.get(b);
      const fixture = first === undefined ? undefined : this.fixtures.get(first);
      if (fixture !== undefined) this.modelOf.set(`$${step.result}`, fixture);
    } else if (step.call === 'init_execution_context' && step.result) {
      const fixture = this.modelOf.get(String(step.args?.graph));
      if (fixture !== undefined) this.modelOf.set(`$${step.result}`, fixture);
    }
  }

  bytes(buffer: string, bytes: Uint8Array): void {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      this.notUtf8.add(buffer);
    }
  }

  /** a named_tensors step */
  struct(buffer: string): void {
    this.structs.add(buffer);
  }

  /** A tensor step's raw fields: data_len, and a type inside the WIT enum, are WIT-level; the rest is pointer-level. */
  tensor(step: TensorStep, ptr: string): void {
    for (const [key, value] of Object.entries(step.raw ?? {})) {
      if (key === 'data_len') continue;
      if (key === 'type' && typeof value === 'number' && value < this.dialect.tensorTypes.length) continue;
      throw new DialectUnsupported(this.dialect.name, `raw ${key} ${JSON.stringify(value)} is pointer-level or outside the WIT enum: a WIT tensor is made by its constructor from lists the canonical ABI copies`, `${ptr}/raw/${key}`);
    }
    this.structs.add(step.buffer);
  }

  /** A builders step: a builder given as pointer and length is pointer-level. */
  builders(step: BuildersStep, ptr: string): void {
    if (step.builders.some((b) => typeof b !== 'string')) {
      throw new DialectUnsupported(this.dialect.name, 'a builder given as pointer and length is pointer-level: the canonical ABI lowers list<list<u8>> itself', `${ptr}/builders`);
    }
    this.structs.add(step.buffer);
    if (typeof step.builders[0] === 'string') this.firstBuilder.set(step.buffer, step.builders[0]);
  }

  poke(buffer: string, ptr: string): void {
    if (this.structs.has(buffer)) {
      throw new DialectUnsupported(this.dialect.name, `it pokes the ${buffer} struct: the component driver reads it to make WIT values, so the host never sees the poked bytes`, `${ptr}/poke`);
    }
  }

  call(step: CallStep, ptr: string, size: (name: string) => number | undefined): void {
    checkComponentCall(step, this.dialect, ptr, { size, utf8: (name) => !this.notUtf8.has(name), computed: this.computed });
    this.track(step);
  }
}

interface ComponentBuffers {
  size(name: string): number | undefined;
  /** false for a buffer whose bytes are known and not UTF-8 */
  utf8(name: string): boolean;
  /** the ctx values (as written in the case) that an earlier step computed on; this call adds its own */
  computed: Set<string>;
}

function checkComponentCall(step: CallStep, dialect: Dialect, ptr: string, buffers: ComponentBuffers): void {
  const unsupported = (reason: string, at = ptr): never => {
    throw new DialectUnsupported(dialect.name, reason, at);
  };
  const expect = step.expect;
  const expectsTrap = expect?.trap === true;
  const errnos = expect?.errno === undefined ? ['success'] : Array.isArray(expect.errno) ? expect.errno : [expect.errno];
  const expectsError = !errnos.includes('success');
  for (const [param, value] of Object.entries(step.args ?? {})) {
    const at = `${ptr}/args/${param}`;
    const isHandle = param === 'graph' || param === 'ctx' || (param === 'tensor' && TENSOR_HANDLE_FUNCTIONS.has(step.call));
    if (isHandle) {
      if (!isBufferRef(value as Value, '$') && !expectsTrap) unsupported(`${param} ${JSON.stringify(value)} is not a handle the guest was given: the canonical ABI traps on it (the component cases expect that trap)`, at);
    } else if (POINTERS.has(param) || param === 'tensor') {
      if (!isBufferRef(value as Value, '@')) unsupported(`${param} ${JSON.stringify(value)} is pointer-level: the canonical ABI lowers lists and strings itself`, at);
      if (param === 'name' && !buffers.utf8(String(value).slice(1))) {
        unsupported('the name is not UTF-8: a WIT string must be, and the canonical ABI traps on one that is not (wasmtime does; jco replaces the bad bytes)', at);
      }
    } else if (LENGTHS[param]) {
      const { ptr: of, unit } = LENGTHS[param] as { ptr: string; unit: number };
      const buffer = /^@([A-Za-z_][A-Za-z0-9_]*)$/.exec(String(step.args?.[of] ?? ''))?.[1];
      const size = buffer === undefined ? undefined : buffers.size(buffer);
      if (typeof value !== 'number' || size === undefined || value * unit > size) unsupported(`${param} ${JSON.stringify(value)} reaches past its buffer: the canonical ABI traps reading it`, at);
    } else if (param === 'encoding' || param === 'target' || param === 'type') {
      const count = param === 'encoding' ? dialect.encodings.length : param === 'target' ? dialect.targets.length : dialect.tensorTypes.length;
      if (typeof value === 'number' && value >= count && !expectsTrap) unsupported(`${param} ${value} is not a value of the WIT enum (${count} cases): the canonical ABI traps on it`, at);
      if (typeof value === 'string' && /^[0-9$@%]/.test(value)) unsupported(`${param} ${JSON.stringify(value)} is computed: a WIT enum must be one of its cases`, at);
    }
  }
  if (expectsTrap) return;
  const ctx = String(step.args?.ctx ?? '');
  if (step.call === 'compute' || step.call === 'compute_named') buffers.computed.add(ctx);
  if (step.call === 'get_output' && dialect.witVersion === '0.2.0-rc-2024-10-28' && !buffers.computed.has(ctx)) {
    unsupported('it reads an output before any compute on the context: rc-2024-10-28 returns the outputs from compute, there is nothing to ask before it', `${ptr}/call`);
  }
  if (step.call === 'get_output' && errnos.includes('too_large')) {
    unsupported('it expects too_large from get_output into a small buffer: WIT has no caller buffer, tensor.data() returns the whole tensor', `${ptr}/expect/errno`);
  }
  if (expectsError && (step.call === 'get_output' || (step.call === 'set_input' && dialect.witVersion !== '0.2.0-rc-2024-10-28'))) {
    const why =
      dialect.witVersion === '0.2.0-rc-2024-10-28'
        ? `rc-2024-10-28 has no ${step.call === 'set_input' ? 'set-input (compute takes the inputs and reports a bad one)' : 'get-output (compute returns the outputs)'}`
        : `rc-2024-08-19's ${step.call === 'set_input' ? 'set-input' : 'get-output'} takes a name, so an index past the ${step.call === 'set_input' ? 'inputs' : 'outputs'} is an unknown name (not-found)`;
    unsupported(`it expects ${errnos.join(' or ')} from ${step.call}: ${why}; the component cases check that error at its WIT call`, `${ptr}/expect/errno`);
  }
  if (step.call === 'get_output' && expect?.result !== undefined && expect.result === 'unchanged') {
    unsupported('it expects get_output to leave its result untouched: tensor.data() always returns the whole tensor', `${ptr}/expect/result`);
  }
}
