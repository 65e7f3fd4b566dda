/**
 * The `wasi_ephemeral_nn` import object (the witx core ABI), for every dialect served through
 * that module (witx, wasmedge, wamr, wamr-2.1, witx-2020): the layouts are the same, the
 * numbers are the dialect's. It always links all twelve functions (the spec six, WAMR's and
 * WasmEdge's extensions), so no guest is refused for importing an extension.
 * Order of work in each function: validate every argument and result pointer, then act, then
 * write results — so a failing call has no side effect on guest memory.
 */
import { NnError, type Tensor } from '../core/types.js';
import { WASI_EPHEMERAL_NN } from './dialects.js';
import type { GuestMemory } from './guest-memory.js';
import { NnAbi, type NnImportOptions, type NnImports } from './nn-abi.js';

export { WASI_EPHEMERAL_NN };
export type { NnCallTrace, NnImportOptions, NnImports } from './nn-abi.js';

/** Size of a witx tensor record: dims_ptr, dims_len, type (u8 + 3 pad), data_ptr, data_len. */
const TENSOR_RECORD_SIZE = 20;

export function createWasiEphemeralNn(options: NnImportOptions): NnImports {
  if (options.dialect.module !== WASI_EPHEMERAL_NN) throw new Error(`the ${options.dialect.name} dialect is not served as ${WASI_EPHEMERAL_NN}`);
  const abi = new NnAbi(options);
  const { host } = options;
  const call = abi.call.bind(abi);

  /** `anyDims`: the engine takes the input's size from data_len alone (an LLM prompt), so dims need not match it. */
  const readTensor = (m: GuestMemory, ptr: number, anyDims: () => boolean): Tensor => {
    m.check(ptr, TENSOR_RECORD_SIZE, 'tensor');
    const dimsPtr = m.u32(ptr, 'tensor.dims');
    const dimsLen = m.u32(ptr + 4, 'tensor.dims_len');
    const typeCode = m.u8(ptr + 8, 'tensor.type');
    const dataPtr = m.u32(ptr + 12, 'tensor.data');
    const dataLen = m.u32(ptr + 16, 'tensor.data_len');
    const type = abi.tensorTypeOf(typeCode);
    const dims = abi.readDims(m, dimsPtr, dimsLen);
    return { type, dims, data: abi.tensorData(m, typeCode, type, dims, dataPtr, dataLen, anyDims) };
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
    ...abi.sharedFunctions(),
    load: (buildersPtr, buildersLen, encoding, target, graphOut) =>
      call('load', (m) => {
        m.check(graphOut, 4, 'graph result pointer');
        const enc = abi.encodingOf(encoding);
        const tgt = abi.targetOf(target);
        const builders = abi.readBuilders(m, buildersPtr, buildersLen);
        m.writeU32(graphOut, host.load(builders, enc, tgt), 'graph result pointer');
      }),
    load_by_name_with_config: (namePtr, nameLen, configPtr, configLen, graphOut) =>
      call('load_by_name_with_config', (m) => {
        m.check(graphOut, 4, 'graph result pointer');
        const name = abi.readName(m, namePtr, nameLen);
        const config = m.copy(configPtr, configLen, 'config');
        m.writeU32(graphOut, host.loadByName(name, config), 'graph result pointer');
      }),
    set_input: (ctx, index, tensorPtr) =>
      call('set_input', (m) => {
        host.setInput(ctx >>> 0, index >>> 0, readTensor(m, tensorPtr, () => host.inputTakesAnyDims(ctx >>> 0, index >>> 0)));
      }),
    get_output: getOutput('get_output'),
    compute_single: (ctx) => call('compute_single', () => host.computeSingle(ctx >>> 0)),
    get_output_single: getOutput('get_output_single'),
    fini_single: (ctx) => call('fini_single', () => host.finiSingle(ctx >>> 0)),
    unload: (graph) => call('unload', () => host.unload(graph >>> 0)),
    finalize_execution_context: (ctx) => call('finalize_execution_context', () => host.finalizeExecutionContext(ctx >>> 0)),
  };
}
