/**
 * The `wasi_ephemeral_nn` import object (spec witx core ABI, plus the WasmEdge extensions so
 * their guests link). Every function takes i32s and returns an errno number of the dialect.
 * Order of work in each function: validate every argument and result pointer, then act, then
 * write results — so a failing call has no side effect on guest memory.
 */
import { NnError, elementCount, ELEMENT_SIZE, type ErrnoName, type Tensor } from '../core/types.js';
import type { NnHost } from '../core/nn-host.js';
import type { Dialect } from './dialects.js';
import { GuestMemory } from './guest-memory.js';

export const WASI_EPHEMERAL_NN = 'wasi_ephemeral_nn';

/** Size of a witx tensor record: dims_ptr, dims_len, type (u8 + 3 pad), data_ptr, data_len. */
const TENSOR_RECORD_SIZE = 20;
const BUILDER_RECORD_SIZE = 8;

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
}

export type NnImports = Record<string, (...args: number[]) => number>;

export function createWasiEphemeralNn(options: NnImportOptions): NnImports {
  const { host, dialect } = options;
  const mem = () => new GuestMemory(options.memory());

  /** Runs one call; maps NnError to its errno and anything else to runtime_error. */
  const call = (fn: string, body: (m: GuestMemory) => void): number => {
    let errno: ErrnoName = 'success';
    let message: string | undefined;
    try {
      body(mem());
    } catch (e) {
      if (e instanceof NnError) {
        errno = e.errno;
        message = e.message;
      } else {
        errno = 'runtime_error';
        message = `host bug: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    options.onCall?.(message === undefined ? { fn, errno } : { fn, errno, message });
    return dialect.errno[errno];
  };

  const readName = (m: GuestMemory, ptr: number, len: number): string => {
    const bytes = m.copy(ptr, len, 'name');
    if (bytes.byteLength === 0) throw new NnError('invalid_argument', 'the name is empty');
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new NnError('invalid_argument', 'the name is not valid UTF-8');
    }
  };

  /** `anyDims`: the engine takes the input's size from data_len alone (an LLM prompt), so dims need not match it. */
  const readTensor = (m: GuestMemory, ptr: number, anyDims: () => boolean = () => false): Tensor => {
    m.check(ptr, TENSOR_RECORD_SIZE, 'tensor');
    const dimsPtr = m.u32(ptr, 'tensor.dims');
    const dimsLen = m.u32(ptr + 4, 'tensor.dims_len');
    const typeCode = m.u8(ptr + 8, 'tensor.type');
    const dataPtr = m.u32(ptr + 12, 'tensor.data');
    const dataLen = m.u32(ptr + 16, 'tensor.data_len');
    const type = dialect.tensorTypes[typeCode];
    if (type === undefined) throw new NnError('invalid_argument', `tensor type ${typeCode} is not in the ${dialect.name} dialect`);
    const dims = m.u32Array(dimsPtr, dimsLen, 'tensor dims');
    const count = elementCount(dims);
    const expected = count === undefined ? undefined : count * ELEMENT_SIZE[type];
    if (expected !== dataLen && !anyDims()) {
      throw new NnError(
        'invalid_argument',
        `tensor data is ${dataLen} bytes, dims [${dims.join(',')}] of ${type} need ${expected ?? 'more than 2^53'}`,
      );
    }
    return { type, dims, data: m.copy(dataPtr, dataLen, 'tensor data') };
  };

  const readBuilders = (m: GuestMemory, ptr: number, count: number): Uint8Array[] => {
    const n = count >>> 0;
    m.check(ptr, n * BUILDER_RECORD_SIZE, 'graph builder array');
    const builders: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const at = (ptr >>> 0) + i * BUILDER_RECORD_SIZE;
      builders.push(m.copy(m.u32(at, 'builder.ptr'), m.u32(at + 4, 'builder.len'), `builder ${i}`));
    }
    return builders;
  };

  const encodingOf = (code: number) => {
    const encoding = dialect.encodings[code >>> 0];
    if (encoding === undefined) throw new NnError('invalid_encoding', `graph encoding ${code >>> 0} is not in the ${dialect.name} dialect`);
    return encoding;
  };

  const targetOf = (code: number) => {
    const target = dialect.targets[code >>> 0];
    if (target === undefined) throw new NnError('invalid_argument', `execution target ${code >>> 0} is not in the ${dialect.name} dialect`);
    return target;
  };

  const getOutput = (fn: 'get_output' | 'get_output_single') => (ctx: number, index: number, outPtr: number, maxBytes: number, writtenPtr: number) =>
    call(fn, (m) => {
      m.check(writtenPtr, 4, 'bytes-written pointer');
      m.check(outPtr, maxBytes >>> 0, 'output buffer');
      const out = fn === 'get_output' ? host.getOutput(ctx >>> 0, index >>> 0) : host.getOutputSingle(ctx >>> 0, index >>> 0);
      if (out.data.byteLength > maxBytes >>> 0) {
        // the one result written on failure: the size needed, so the guest can retry
        m.writeU32(writtenPtr, out.data.byteLength, 'bytes-written pointer');
        throw new NnError('too_large', `output ${index >>> 0} is ${out.data.byteLength} bytes, the buffer holds ${maxBytes >>> 0}`);
      }
      m.write(outPtr, out.data, 'output buffer');
      m.writeU32(writtenPtr, out.data.byteLength, 'bytes-written pointer');
    });

  return {
    load: (buildersPtr, buildersLen, encoding, target, graphOut) =>
      call('load', (m) => {
        m.check(graphOut, 4, 'graph result pointer');
        const enc = encodingOf(encoding);
        const tgt = targetOf(target);
        const builders = readBuilders(m, buildersPtr, buildersLen);
        m.writeU32(graphOut, host.load(builders, enc, tgt), 'graph result pointer');
      }),
    load_by_name: (namePtr, nameLen, graphOut) =>
      call('load_by_name', (m) => {
        m.check(graphOut, 4, 'graph result pointer');
        m.writeU32(graphOut, host.loadByName(readName(m, namePtr, nameLen)), 'graph result pointer');
      }),
    load_by_name_with_config: (namePtr, nameLen, configPtr, configLen, graphOut) =>
      call('load_by_name_with_config', (m) => {
        m.check(graphOut, 4, 'graph result pointer');
        const name = readName(m, namePtr, nameLen);
        const config = m.copy(configPtr, configLen, 'config');
        m.writeU32(graphOut, host.loadByName(name, config), 'graph result pointer');
      }),
    init_execution_context: (graph, ctxOut) =>
      call('init_execution_context', (m) => {
        m.check(ctxOut, 4, 'context result pointer');
        m.writeU32(ctxOut, host.initExecutionContext(graph >>> 0), 'context result pointer');
      }),
    set_input: (ctx, index, tensorPtr) =>
      call('set_input', (m) => {
        host.setInput(ctx >>> 0, index >>> 0, readTensor(m, tensorPtr, () => host.inputTakesAnyDims(ctx >>> 0, index >>> 0)));
      }),
    compute: (ctx) => call('compute', () => host.compute(ctx >>> 0)),
    get_output: getOutput('get_output'),
    compute_single: (ctx) => call('compute_single', () => host.computeSingle(ctx >>> 0)),
    get_output_single: getOutput('get_output_single'),
    fini_single: (ctx) => call('fini_single', () => host.finiSingle(ctx >>> 0)),
    unload: (graph) => call('unload', () => host.unload(graph >>> 0)),
  };
}
