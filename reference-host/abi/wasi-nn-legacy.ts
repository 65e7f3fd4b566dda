/**
 * WAMR's deprecated legacy import module `wasi_nn` (WAMR built with
 * WAMR_BUILD_WASI_EPHEMERAL_NN=0): the `wamr-legacy` dialect. Same host, same checks and
 * errnos as `wasi_ephemeral_nn`; only the signatures and layouts differ:
 *   load(builder_array_ptr, encoding, target, graph_out_ptr): builder_array_ptr → {buf, size}
 *     (8 bytes), buf → `size` graph_builder records {ptr, len};
 *   set_input(ctx, index, tensor_ptr): a 12-byte tensor {dimensions → tensor_dimensions {buf,
 *     size}, type (u8 + 3 pad), data} with a bare data pointer: the data is product(dims) × 4
 *     bytes whatever the type (as WAMR reads it), so only 4-byte types (f32, i32) can be passed;
 *   get_output(ctx, index, out_ptr, inout_size_ptr): *inout_size_ptr goes in as the buffer's
 *     capacity in bytes and comes back as the output's number of 4-byte (f32) elements — also on
 *     too_large, where it is the count needed; an output whose elements are not 4 bytes is
 *     unsupported_operation (this host does not convert or dequantize).
 * load_by_name, init_execution_context and compute are as in `wasi_ephemeral_nn`.
 */
import { ELEMENT_SIZE, NnError, elementCount, type Tensor } from '../core/types.js';
import { LEGACY_ELEMENT_SIZE, WASI_NN_LEGACY } from './dialects.js';
import type { GuestMemory } from './guest-memory.js';
import { NnAbi, type NnImportOptions, type NnImports } from './nn-abi.js';

export { WASI_NN_LEGACY };

/** graph_builder_array and tensor_dimensions: {u32 buf, u32 size} */
const ARRAY_STRUCT_SIZE = 8;
/** legacy tensor: dimensions pointer, type (u8 + 3 pad), data pointer */
export const LEGACY_TENSOR_SIZE = 12;

export function createWasiNnLegacy(options: NnImportOptions): NnImports {
  if (options.dialect.module !== WASI_NN_LEGACY) throw new Error(`the ${options.dialect.name} dialect is not served as ${WASI_NN_LEGACY}`);
  const abi = new NnAbi(options);
  const { host } = options;
  const call = abi.call.bind(abi);

  const readTensor = (m: GuestMemory, ptr: number): Tensor => {
    m.check(ptr, LEGACY_TENSOR_SIZE, 'tensor');
    const dimsStruct = m.u32(ptr, 'tensor.dimensions');
    const typeCode = m.u8(ptr + 4, 'tensor.type');
    const dataPtr = m.u32(ptr + 8, 'tensor.data');
    m.check(dimsStruct, ARRAY_STRUCT_SIZE, 'tensor_dimensions');
    const dims = abi.readDims(m, m.u32(dimsStruct, 'tensor_dimensions.buf'), m.u32(dimsStruct + 4, 'tensor_dimensions.size'));
    const type = abi.tensorTypeOf(typeCode);
    if (ELEMENT_SIZE[type] !== LEGACY_ELEMENT_SIZE) {
      throw new NnError('invalid_argument', `tensor type ${type}: the legacy wasi_nn tensor carries product(dims) × 4 bytes of data whatever the type, so only f32 and i32 tensors can be passed`);
    }
    const count = elementCount(dims);
    const dataLen = count === undefined ? undefined : count * LEGACY_ELEMENT_SIZE;
    if (dataLen === undefined || dataLen > 0xffffffff) throw new NnError('invalid_argument', `tensor dims [${dims.join(',')}] need more than 4 GiB of data`);
    return { type, dims, data: m.copy(dataPtr, dataLen, 'tensor data') };
  };

  return {
    ...abi.sharedFunctions(),
    load: (builderArrayPtr, encoding, target, graphOut) =>
      call('load', (m) => {
        m.check(graphOut, 4, 'graph result pointer');
        const enc = abi.encodingOf(encoding);
        const tgt = abi.targetOf(target);
        m.check(builderArrayPtr, ARRAY_STRUCT_SIZE, 'graph_builder_array');
        const builders = abi.readBuilders(m, m.u32(builderArrayPtr, 'graph_builder_array.buf'), m.u32(builderArrayPtr + 4, 'graph_builder_array.size'));
        m.writeU32(graphOut, host.load(builders, enc, tgt), 'graph result pointer');
      }),
    set_input: (ctx, index, tensorPtr) => call('set_input', (m) => host.setInput(ctx >>> 0, index >>> 0, readTensor(m, tensorPtr))),
    get_output: (ctx, index, outPtr, inoutSizePtr) =>
      call('get_output', (m) => {
        const capacity = m.u32(inoutSizePtr, 'in/out size pointer');
        m.check(outPtr, capacity, 'output buffer');
        const out = host.getOutput(ctx >>> 0, index >>> 0);
        if (ELEMENT_SIZE[out.type] !== LEGACY_ELEMENT_SIZE) {
          throw new NnError('unsupported_operation', `output ${index >>> 0} is ${out.type}: the legacy wasi_nn get_output returns 4-byte (f32) elements only, and this host does not convert`);
        }
        const elements = out.data.byteLength / LEGACY_ELEMENT_SIZE;
        if (out.data.byteLength > capacity) {
          // the one result written on failure: the element count needed, so the guest can retry
          m.writeU32(inoutSizePtr, elements, 'in/out size pointer');
          throw new NnError('too_large', `output ${index >>> 0} is ${out.data.byteLength} bytes (${elements} elements), the buffer holds ${capacity}`);
        }
        m.write(outPtr, out.data, 'output buffer');
        m.writeU32(inoutSizePtr, elements, 'in/out size pointer');
      }),
  };
}
