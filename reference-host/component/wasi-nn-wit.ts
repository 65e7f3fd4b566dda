/**
 * The `wasi:nn` WIT interfaces (tensor, graph, inference, errors) as the host objects a
 * jco-transpiled component imports, over one NnHost: the same engines, limits and named graphs
 * as the core-module dialects, no second engine path. Two versions (wit/):
 *   0.2.0-rc-2024-10-28: compute(list<named-tensor>) -> result<list<named-tensor>, error>
 *   0.2.0-rc-2024-08-19: set-input(name, tensor), compute(), get-output(name)
 *
 * The reference host's choices where the WIT leaves room (reference-host/README.md, "Components"):
 * - An input name is the model's input name, else a decimal index ("0", "1"; no sign, no
 *   leading zero), else not-found naming the inputs. Outputs are named by the model's output
 *   names where the engine has them (onnx, and openvino's IR front-end that runs on it), else
 *   by decimal index.
 * - The tensor constructor cannot fail (the WIT gives it no result): data whose length is not
 *   product(dims) × element size is kept and refused with invalid-argument where it is used as
 *   an input, as set_input refuses it on the core ABI.
 * - compute consumes its input tensors (they are `own` parameters: the canonical ABI takes
 *   them from the guest either way) and returns new output tensors.
 * - Errors: an NnError's errno becomes the nearest error-code (busy and missing_memory, which
 *   the WIT lacks, become runtime-error); error.data() is the host's message.
 * - A bad, dropped or consumed resource handle traps, as the canonical ABI requires and
 *   wasmtime's resource table does. jco's lifting does not check a host resource's handle (it
 *   hands over a bare object of the class), so every method checks that its resource is live
 *   here and throws ResourceTrap otherwise, which the component runner reports as a trap. One
 *   gap remains: jco keeps one handle table per resource type, so a handle number that is live
 *   in another type's table (a graph's number passed as a context) finds that type's resource.
 * - Dropping a graph unloads it (a live context keeps its engine objects until it is dropped);
 *   dropping a context finalizes it.
 */
import type { NnHost } from '../core/nn-host.js';
import { DIALECTS, encodeErrno } from '../abi/dialects.js';
import { injectHostBug } from '../abi/nn-abi.js';
import { checkBuilderCount, checkModelBytes, checkTensorRank } from '../core/limits.js';
import { NnError, tensorDataBytes, type Encoding, type ErrnoName, type Target, type Tensor, type TensorType } from '../core/types.js';

export const WIT_VERSIONS = ['0.2.0-rc-2024-10-28', '0.2.0-rc-2024-08-19'] as const;
export type WitVersion = (typeof WIT_VERSIONS)[number];

/** WIT enum tensor-type, in declaration order (the canonical ABI's discriminants). */
export const WIT_TENSOR_TYPES = ['FP16', 'FP32', 'FP64', 'BF16', 'U8', 'I32', 'I64'] as const;
const TENSOR_TYPE_OF: Record<(typeof WIT_TENSOR_TYPES)[number], TensorType> = { FP16: 'f16', FP32: 'f32', FP64: 'f64', BF16: 'bf16', U8: 'u8', I32: 'i32', I64: 'i64' };
const WIT_TYPE_OF = Object.fromEntries(Object.entries(TENSOR_TYPE_OF).map(([w, t]) => [t, w])) as Record<TensorType, (typeof WIT_TENSOR_TYPES)[number]>;

/** WIT enum error-code, in declaration order. */
export const WIT_ERROR_CODES = ['invalid-argument', 'invalid-encoding', 'timeout', 'runtime-error', 'unsupported-operation', 'too-large', 'not-found', 'security', 'unknown'] as const;
export type WitErrorCode = (typeof WIT_ERROR_CODES)[number];

/**
 * The error-code an errno is sent as: the component dialects number errors as WIT error-code + 1
 * (abi/dialects.ts, with the fallbacks for the errnos the WIT lacks), so the table is theirs.
 */
function errorCodeOf(errno: Exclude<ErrnoName, 'success'>): WitErrorCode {
  return WIT_ERROR_CODES[encodeErrno(DIALECTS['wit-2024-10-28'], errno).code - 1] as WitErrorCode;
}

export interface WitCallTrace {
  fn: string;
  /** undefined: success */
  error?: WitErrorCode;
  message?: string;
}

export interface WasiNnWitOptions {
  host: NnHost;
  version: WitVersion;
  /** told every call that returns a result, with its outcome */
  onCall?: (trace: WitCallTrace) => void;
  /** told a call that failed inside the host for a reason that is not an NnError: a host bug (the guest sees runtime-error) */
  onHostBug?: (fn: string, message: string) => void;
}

/** A canonical-ABI violation by the guest (a resource it does not hold): the component traps. */
export class ResourceTrap extends Error {
  override name = 'ResourceTrap';
}

/** Live resources of one kind: made by this host, not yet dropped or moved into a call. */
class LiveSet<T extends object> {
  private readonly live = new WeakSet<T>();
  constructor(private readonly kind: string) {}
  add(r: T): T {
    this.live.add(r);
    return r;
  }
  /** the resource, when the guest still holds it; else a trap */
  check(r: T): T {
    if (!this.live.has(r)) throw new ResourceTrap(`unknown handle: the guest passed a ${this.kind} it does not hold (dropped, consumed or never issued)`);
    return r;
  }
  remove(r: T): void {
    this.live.delete(r);
  }
}

/** A tensor's index by the model's name for it, else by a decimal index ("0", no sign or leading zero), else not-found. */
function indexOfName(kind: 'input' | 'output', names: readonly string[] | undefined, name: string): number {
  const byName = names?.indexOf(name) ?? -1;
  if (byName >= 0) return byName;
  if (/^(0|[1-9][0-9]{0,8})$/.test(name)) return Number(name);
  const known = names && names.length > 0 ? `the model's ${kind}s are ${names.map((n) => JSON.stringify(n)).join(', ')}` : `this engine names its ${kind}s by index only`;
  throw new NnError('not_found', `no ${kind} named ${JSON.stringify(name)}: ${known} (a decimal index also works)`);
}

/** Outputs are probed by index up to this many when the engine does not say how many it has. */
const MAX_PROBED_OUTPUTS = 4096;

/** The four interfaces, keyed as jco's `instantiate` wants them (`wasi:nn/tensor`, ...). */
export function createWasiNnWit(options: WasiNnWitOptions): Record<string, Record<string, unknown>> {
  const { host } = options;

  /** WIT `error` resource: what a failed call returns. */
  class NnWitError {
    constructor(
      private readonly errorCode: WitErrorCode,
      private readonly message: string,
    ) {}
    code(): WitErrorCode {
      return this.errorCode;
    }
    data(): string {
      return this.message;
    }
  }

  /** Runs a call returning result<T, error>: an NnError (or any other failure, as runtime-error) becomes the error resource. */
  function call<T>(fn: string, body: () => T): T {
    try {
      injectHostBug(fn);
      const value = body();
      options.onCall?.({ fn });
      return value;
    } catch (e) {
      const errno = e instanceof NnError ? e.errno : 'runtime_error';
      const message = e instanceof NnError ? e.message : `host bug: ${e instanceof Error ? e.message : String(e)}`;
      if (!(e instanceof NnError)) options.onHostBug?.(fn, message);
      const code = errorCodeOf(errno);
      options.onCall?.({ fn, error: code, message });
      // jco takes `payload` as the err value of the result
      throw { payload: new NnWitError(code, message) };
    }
  }

  const tensors = new LiveSet<WitTensor>('tensor');
  const contexts = new LiveSet<GraphExecutionContext>('graph-execution-context');
  const graphs = new LiveSet<Graph>('graph');

  class WitTensor {
    readonly tensor: Tensor;
    /** `data` is the host's own: jco's lifting copies a list<u8> out of guest memory (`buffer.slice`), so it is not copied again */
    constructor(dimensions: Uint32Array | readonly number[], ty: (typeof WIT_TENSOR_TYPES)[number], data: Uint8Array) {
      this.tensor = { type: TENSOR_TYPE_OF[ty], dims: Array.from(dimensions), data };
      tensors.add(this);
    }
    /** An engine's output, copied: an engine may reuse the memory behind it at its next compute. */
    static of(t: Tensor): WitTensor {
      return new WitTensor(t.dims, WIT_TYPE_OF[t.type], t.data.slice());
    }
    dimensions(): Uint32Array {
      return Uint32Array.from(tensors.check(this).tensor.dims);
    }
    ty(): (typeof WIT_TENSOR_TYPES)[number] {
      return WIT_TYPE_OF[tensors.check(this).tensor.type];
    }
    data(): Uint8Array {
      return tensors.check(this).tensor.data.slice();
    }
    [Symbol.dispose](): void {
      tensors.remove(this);
    }
  }

  /** An own<tensor> parameter: the guest gives it up, whatever the call's outcome. */
  function take(t: WitTensor): WitTensor {
    tensors.check(t);
    tensors.remove(t);
    return t;
  }

  /** The data length check set_input makes on the core ABI (an engine that takes any dims skips it). */
  function checkedInput(ctx: number, index: number, t: WitTensor): Tensor {
    const { type, dims, data } = t.tensor;
    checkTensorRank(host.limits, dims.length);
    const want = tensorDataBytes(type, dims);
    if (want !== data.byteLength && !host.inputTakesAnyDims(ctx, index)) {
      throw new NnError('invalid_argument', `the tensor has ${data.byteLength} data bytes; dims [${dims.join(',')}] of ${type} need ${want ?? 'too many'}`);
    }
    return t.tensor;
  }

  class GraphExecutionContext {
    constructor(readonly handle: number) {
      contexts.add(this);
    }

    private inputIndex(name: string): number {
      return indexOfName('input', host.inputNames(this.handle), name);
    }

    private outputIndex(name: string): number {
      return indexOfName('output', host.outputNames(this.handle), name);
    }

    /** `given`: the indexes set so far by this call, so one input cannot be given twice */
    private setNamedInput(name: string, tensor: WitTensor, given = new Set<number>()): void {
      const index = this.inputIndex(name);
      if (given.has(index)) throw new NnError('invalid_argument', `input ${JSON.stringify(name)} is given twice (index ${index})`);
      given.add(index);
      host.setInput(this.handle, index, checkedInput(this.handle, index, tensor));
    }

    /** rc-2024-10-28: compute(inputs) -> result<list<named-tensor>, error> */
    computeNamed(inputs: [string, WitTensor][]): [string, WitTensor][] {
      contexts.check(this);
      for (const [, t] of inputs) take(t);
      return call('compute', () => {
        const given = new Set<number>();
        for (const [name, tensor] of inputs) this.setNamedInput(name, tensor, given);
        host.compute(this.handle);
        return this.outputs();
      });
    }

    /** Every output of the last compute, named by the model or by index. */
    private outputs(): [string, WitTensor][] {
      const names = host.outputNames(this.handle);
      const count = host.outputCount(this.handle);
      const out: [string, WitTensor][] = [];
      for (let i = 0; i < (count ?? MAX_PROBED_OUTPUTS); i++) {
        let t: Tensor;
        try {
          t = host.getOutput(this.handle, i);
        } catch (e) {
          // an engine that does not say how many outputs it has: the first index it refuses ends them
          if (count === undefined && e instanceof NnError && e.errno === 'invalid_argument' && i > 0) break;
          throw e;
        }
        out.push([names?.[i] ?? String(i), WitTensor.of(t)]);
      }
      return out;
    }

    /** rc-2024-08-19: set-input(name, tensor) -> result<_, error> */
    setInputByName(name: string, tensor: WitTensor): void {
      contexts.check(this);
      take(tensor);
      call('set-input', () => this.setNamedInput(name, tensor));
    }

    /** rc-2024-08-19: compute() -> result<_, error> */
    computeSetInputs(): void {
      contexts.check(this);
      call('compute', () => host.compute(this.handle));
    }

    /** rc-2024-08-19: get-output(name) -> result<tensor, error> */
    outputByName(name: string): WitTensor {
      contexts.check(this);
      return call('get-output', () => WitTensor.of(host.getOutput(this.handle, this.outputIndex(name))));
    }

    [Symbol.dispose](): void {
      contexts.check(this);
      contexts.remove(this);
      host.finalizeExecutionContext(this.handle);
    }
  }

  /** The resource class jco hands the guest: the methods its WIT version has. */
  class ContextRc20241028 extends GraphExecutionContext {
    compute(inputs: [string, WitTensor][]): [string, WitTensor][] {
      return this.computeNamed(inputs);
    }
  }
  class ContextRc20240819 extends GraphExecutionContext {
    setInput(name: string, tensor: WitTensor): void {
      this.setInputByName(name, tensor);
    }
    compute(): void {
      this.computeSetInputs();
    }
    getOutput(name: string): WitTensor {
      return this.outputByName(name);
    }
  }
  const Context = options.version === '0.2.0-rc-2024-10-28' ? ContextRc20241028 : ContextRc20240819;

  class Graph {
    constructor(readonly handle: number) {
      graphs.add(this);
    }
    initExecutionContext(): GraphExecutionContext {
      graphs.check(this);
      return call('init-execution-context', () => new Context(host.initExecutionContext(this.handle)));
    }
    [Symbol.dispose](): void {
      graphs.check(this);
      graphs.remove(this);
      host.unload(this.handle);
    }
  }

  const graph = {
    Graph,
    load(builders: Uint8Array[], encoding: Encoding, target: Target): Graph {
      return call('load', () => {
        checkBuilderCount(host.limits, builders.length);
        checkModelBytes(host.limits, builders.reduce((n, b) => n + b.byteLength, 0));
        // the builders are copies jco's lifting made; the canonical ABI already checked the enum cases
        return new Graph(host.load(builders, encoding, target));
      });
    },
    loadByName(name: string): Graph {
      return call('load-by-name', () => {
        if (name.length === 0) throw new NnError('invalid_argument', 'the name is empty');
        return new Graph(host.loadByName(name));
      });
    },
  };

  return {
    'wasi:nn/tensor': { Tensor: WitTensor },
    'wasi:nn/graph': graph,
    'wasi:nn/inference': { GraphExecutionContext: Context },
    'wasi:nn/errors': { Error: NnWitError },
  };
}
