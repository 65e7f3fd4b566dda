/**
 * What both wasi-nn import objects (`wasi_ephemeral_nn` and WAMR's legacy `wasi_nn`) share: the
 * call wrapper that turns NnError into the dialect's errno, and the readers of names, builder
 * arrays, enum numbers and tensor data. Each import object only knows its own layouts; the
 * host behind both is one NnHost (core/nn-host.ts).
 */
import { checkBuilderCount, checkModelBytes, checkTensorRank } from '../core/limits.js';
import type { NnHost } from '../core/nn-host.js';
import { ELEMENT_SIZE, NnError, elementCount, tensorDataBytes, type Encoding, type ErrnoName, type Target, type TensorType } from '../core/types.js';
import { DIALECTS, encodeErrno, isForeign, type Dialect, type DialectName } from './dialects.js';
import { GuestMemory } from './guest-memory.js';

export interface NnCallTrace {
  fn: string;
  errno: ErrnoName;
  message?: string;
}

export interface NnImportOptions {
  host: NnHost;
  dialect: Dialect;
  /** the guest's memory; set after instantiation */
  memory: () => WebAssembly.Memory;
  /** called after every call with its outcome (for logs and tests) */
  onCall?: (trace: NnCallTrace) => void;
  /** called once per distinct hint: what the guest passes suggests it was built for another dialect */
  onHint?: (hint: string) => void;
  /** called when a call failed inside the host for a reason that is not an NnError: a host bug (the guest sees runtime_error) */
  onHostBug?: (fn: string, message: string) => void;
}

export type NnImports = Record<string, (...args: number[]) => number>;

/**
 * WASI_NN_INJECT_HOST_BUG=FN makes every call of FN fail inside the host with a plain Error, the
 * way a host bug does (the tests that show a host bug never passes, and `npm run mutate`).
 */
export function injectHostBug(fn: string): void {
  const target = process.env.WASI_NN_INJECT_HOST_BUG;
  if (target !== undefined && target !== '' && target === fn) throw new Error(`injected by WASI_NN_INJECT_HOST_BUG=${fn}`);
}

const BUILDER_RECORD_SIZE = 8;

/** Tensor-type numberings a guest may have been built with, to explain a size mismatch. */
const NUMBERINGS: readonly { dialect: DialectName; who: string }[] = [
  { dialect: 'witx-2020', who: 'old witx (u8 = 2, i32 = 3: wasi-nn crate ≤ 0.5, wasmtime ≤ 14, WasmEdge ≤ 0.14)' },
  { dialect: 'witx', who: 'current witx (f64 = 2, u8 = 3: wasi-nn crate ≥ 0.6, wasmtime ≥ 15, WasmEdge ≥ 0.15, WAMR ≥ 2.4)' },
  { dialect: 'wamr-2.1', who: 'WIT order (bf16 = 3, u8 = 4: WAMR 2.1.1–2.3.x)' },
];

export class NnAbi {
  readonly host: NnHost;
  readonly dialect: Dialect;
  private readonly hinted = new Set<string>();

  constructor(private readonly options: NnImportOptions) {
    this.host = options.host;
    this.dialect = options.dialect;
  }

  /** Runs one call; maps NnError to its errno and anything else to runtime_error. */
  call(fn: string, body: (m: GuestMemory) => void): number {
    let errno: ErrnoName = 'success';
    let message: string | undefined;
    try {
      injectHostBug(fn);
      body(new GuestMemory(this.options.memory()));
    } catch (e) {
      if (e instanceof NnError) {
        errno = e.errno;
        message = e.message;
      } else {
        errno = 'runtime_error';
        message = `host bug: ${e instanceof Error ? e.message : String(e)}`;
        this.options.onHostBug?.(fn, message);
      }
    }
    const { code, sentAs } = encodeErrno(this.dialect, errno);
    if (sentAs) message = `${message ?? errno} (${errno} has no number in the ${this.dialect.name} dialect: sent as ${sentAs} = ${code})`;
    this.options.onCall?.(message === undefined ? { fn, errno } : { fn, errno, message });
    return code;
  }

  hint(text: string): void {
    if (this.hinted.has(text)) return;
    this.hinted.add(text);
    this.options.onHint?.(text);
  }

  readName(m: GuestMemory, ptr: number, len: number): string {
    const bytes = m.copy(ptr, len, 'name');
    if (bytes.byteLength === 0) throw new NnError('invalid_argument', 'the name is empty');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new NnError('invalid_argument', 'the name is not valid UTF-8');
    }
  }

  /**
   * `count` graph_builder records {ptr, len} at `ptr`; count × 8 is computed without wrapping.
   * The count and the sum of the lengths are checked against the host's limits before a single
   * byte is copied: 4,096 records aliasing one large buffer cost nothing but an errno.
   */
  readBuilders(m: GuestMemory, ptr: number, count: number): Uint8Array[] {
    const n = count >>> 0;
    m.check(ptr, n * BUILDER_RECORD_SIZE, 'graph builder array');
    checkBuilderCount(this.host.limits, n);
    const records: { ptr: number; len: number }[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const at = (ptr >>> 0) + i * BUILDER_RECORD_SIZE;
      const builderPtr = m.u32(at, 'builder.ptr');
      const len = m.u32(at + 4, 'builder.len');
      m.check(builderPtr, len, `builder ${i}`); // a bad pointer is invalid_argument, whatever the total
      total += len;
      checkModelBytes(this.host.limits, total);
      records.push({ ptr: builderPtr, len });
    }
    return records.map((r, i) => m.copy(r.ptr, r.len, `builder ${i}`));
  }

  /** A tensor's dims: the rank is checked against the host's limit before anything is read. */
  readDims(m: GuestMemory, ptr: number, count: number): number[] {
    const n = count >>> 0;
    checkTensorRank(this.host.limits, n);
    return m.u32Array(ptr, n, 'tensor dims');
  }

  encodingOf(code: number): Encoding {
    const encoding = this.dialect.encodings[code >>> 0];
    if (encoding === undefined) throw new NnError('invalid_encoding', `graph encoding ${code >>> 0} is not in the ${this.dialect.name} dialect`);
    if (isForeign(encoding)) {
      throw new NnError('invalid_encoding', `graph encoding ${code >>> 0} is ${encoding.foreign} in the ${this.dialect.name} dialect, which this host has no engine for`);
    }
    return encoding;
  }

  targetOf(code: number): Target {
    const target = this.dialect.targets[code >>> 0];
    if (target === undefined) throw new NnError('invalid_argument', `execution target ${code >>> 0} is not in the ${this.dialect.name} dialect`);
    return target;
  }

  tensorTypeOf(code: number): TensorType {
    const type = this.dialect.tensorTypes[code];
    if (type === undefined) throw new NnError('invalid_argument', `tensor type ${code} is not in the ${this.dialect.name} dialect`);
    return type;
  }

  /**
   * Checks that `dataLen` is what dims of `type` need (unless the engine takes any dims for
   * this input), then copies the data. A mismatch that another numbering of `typeCode` would
   * explain (an old-witx u8 = 2 read as f64) also gives a hint naming that numbering.
   */
  tensorData(m: GuestMemory, typeCode: number, type: TensorType, dims: readonly number[], dataPtr: number, dataLen: number, anyDims: () => boolean): Uint8Array {
    const expected = tensorDataBytes(type, dims);
    if (expected !== dataLen && !anyDims()) {
      const count = elementCount(dims);
      let message = `tensor data is ${dataLen} bytes, dims [${dims.join(',')}] of ${type} need ${expected ?? 'more than 2^53'}`;
      const other = count ? this.otherNumbering(typeCode, count, dataLen) : undefined;
      if (other) {
        message += `; ${other}`;
        this.hint(other);
      }
      throw new NnError('invalid_argument', message);
    }
    return m.copy(dataPtr, dataLen, 'tensor data');
  }

  private otherNumbering(typeCode: number, count: number, dataLen: number): string | undefined {
    for (const n of NUMBERINGS) {
      const theirs = DIALECTS[n.dialect].tensorTypes;
      if (theirs === this.dialect.tensorTypes) continue;
      const type = theirs[typeCode];
      if (type === undefined || count * ELEMENT_SIZE[type] !== dataLen) continue;
      return (
        `tensor type ${typeCode} is ${this.dialect.tensorTypes[typeCode] ?? 'undefined'} in the ${this.dialect.name} dialect, but ${dataLen} bytes is what ${type} (${typeCode} in ${n.who}) needs: ` +
        `if the guest was built for that numbering, run it with --nn-dialect ${n.dialect}`
      );
    }
    return undefined;
  }

  /** The functions whose signature and layout every dialect shares. */
  sharedFunctions(): NnImports {
    const { host } = this;
    return {
      load_by_name: (namePtr, nameLen, graphOut) =>
        this.call('load_by_name', (m) => {
          m.check(graphOut, 4, 'graph result pointer');
          m.writeU32(graphOut, host.loadByName(this.readName(m, namePtr, nameLen)), 'graph result pointer');
        }),
      init_execution_context: (graph, ctxOut) =>
        this.call('init_execution_context', (m) => {
          m.check(ctxOut, 4, 'context result pointer');
          m.writeU32(ctxOut, host.initExecutionContext(graph >>> 0), 'context result pointer');
        }),
      compute: (ctx) => this.call('compute', () => host.compute(ctx >>> 0)),
    };
  }
}
