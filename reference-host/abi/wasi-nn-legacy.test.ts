/**
 * WAMR's legacy `wasi_nn` module on the reference host: the builder-array struct, the 12-byte
 * tensor with its tensor_dimensions struct and bare data pointer, get_output's in/out size
 * counted in f32 elements, and the same errno-only behaviour under hostile arguments.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackends } from '../backends/index.js';
import { NamedGraphRegistry } from '../core/named-graphs.js';
import { NnHost } from '../core/nn-host.js';
import { DIALECTS } from './dialects.js';
import type { NnCallTrace } from './nn-abi.js';
import { createWasiNnLegacy } from './wasi-nn-legacy.js';

const model = readFileSync(new URL('../../fixtures/onnx/affine_relu.onnx', import.meta.url));
const golden = JSON.parse(readFileSync(new URL('../../fixtures/goldens/affine_relu.json', import.meta.url), 'utf8')) as {
  cases: { inputs: { hex: string; dims: number[] }[]; outputs: { hex: string }[] }[];
};
const PAGES = 2;
const MEM = PAGES * 65536;
const backends = createBackends();

/**
 * Memory: model at 4096; graph_builder {4096, len} at 64; graph_builder_array {64, 1} at 96;
 * tensor_dimensions {160, rank} at 152, dims at 160; input data at 192; legacy tensor at 128.
 */
function setup() {
  const memory = new WebAssembly.Memory({ initial: PAGES });
  const registry = new NamedGraphRegistry();
  registry.register({ name: 'affine', encoding: 'onnx', target: 'cpu', paths: [new URL('../../fixtures/onnx/affine_relu.onnx', import.meta.url).pathname] });
  const host = new NnHost({ backends, registry });
  const calls: NnCallTrace[] = [];
  const nn = createWasiNnLegacy({ host, dialect: DIALECTS['wamr-legacy'], memory: () => memory, onCall: (t) => calls.push(t) });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  const input = golden.cases[0]!.inputs[0]!;
  bytes.set(model, 4096);
  view.setUint32(64, 4096, true);
  view.setUint32(68, model.byteLength, true);
  view.setUint32(96, 64, true);
  view.setUint32(100, 1, true);
  input.dims.forEach((d, i) => view.setUint32(160 + i * 4, d, true));
  view.setUint32(152, 160, true);
  view.setUint32(156, input.dims.length, true);
  bytes.set(Buffer.from(input.hex, 'hex'), 192);
  view.setUint32(128, 152, true);
  view.setUint32(132, 1, true); // fp32 = 1 in the old numbering
  view.setUint32(136, 192, true);
  bytes.set(new TextEncoder().encode('affine'), 256);
  return { nn, host, bytes, view, calls };
}

describe('wasi_nn (WAMR legacy) imports', () => {
  it('loads through the builder-array struct, reads the 12-byte tensor, and counts get_output in f32 elements', () => {
    const { nn, bytes, view } = setup();
    expect(nn.load!(96, 1, 0, 512)).toBe(0); // onnx = 1, cpu = 0, graph out at 512
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    const ctx = view.getUint32(516, true);
    expect(nn.set_input!(ctx, 0, 128)).toBe(0);
    expect(nn.compute!(ctx)).toBe(0);
    const expected = Buffer.from(golden.cases[0]!.outputs[0]!.hex, 'hex');
    // too small: 8 bytes of capacity for 12 → too_large, nothing written, the element count needed in *inout
    view.setUint32(520, 8, true);
    bytes.fill(0xaa, 600, 616);
    expect(nn.get_output!(ctx, 0, 600, 520)).toBe(7);
    expect(view.getUint32(520, true)).toBe(3);
    expect(bytes.subarray(600, 616).every((b) => b === 0xaa)).toBe(true);
    // enough: capacity in bytes goes in, the f32 element count comes out
    view.setUint32(520, 16, true);
    expect(nn.get_output!(ctx, 0, 600, 520)).toBe(0);
    expect(view.getUint32(520, true)).toBe(expected.byteLength / 4);
    expect(Buffer.from(bytes.subarray(600, 600 + expected.byteLength))).toEqual(expected);
    expect(bytes[612]).toBe(0xaa);
  });

  it('load_by_name is served by the same host as wasi_ephemeral_nn', () => {
    const { nn, view } = setup();
    expect(nn.load_by_name!(256, 6, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    expect(nn.load_by_name!(256, 5, 516)).toBe(8);
  });

  it('refuses tensor types whose elements are not 4 bytes, since the data length is product(dims) × 4', () => {
    const { nn, view, bytes, calls } = setup();
    expect(nn.load!(96, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    for (const [code, type] of [
      [0, 'f16'],
      [2, 'u8'],
    ] as const) {
      bytes[132] = code;
      expect(nn.set_input!(view.getUint32(516, true), 0, 128)).toBe(1);
      expect(calls.at(-1)?.message).toBe(`tensor type ${type}: the legacy wasi_nn tensor carries product(dims) × 4 bytes of data whatever the type, so only f32 and i32 tensors can be passed`);
    }
    bytes[132] = 4; // past ip32 = 3
    expect(nn.set_input!(view.getUint32(516, true), 0, 128)).toBe(1);
    expect(calls.at(-1)?.message).toBe('tensor type 4 is not in the wamr-legacy dialect');
  });

  it('numbers encodings the WAMR way: 5 is ggml, 6 autodetect, 7 none', () => {
    const { nn, calls } = setup();
    expect(nn.load!(96, 6, 0, 512)).toBe(0); // autodetect recognises the ONNX bytes
    expect(nn.load!(96, 7, 0, 512)).toBe(2);
    expect(nn.load!(96, 1, 3, 512)).toBe(1); // no target auto
    expect(calls.at(-1)?.message).toBe('execution target 3 is not in the wamr-legacy dialect');
  });

  it('checks the builder-array struct, the dims struct and the in/out size pointer like every other pointer', () => {
    const { nn, view } = setup();
    expect(nn.load!(MEM - 4, 1, 0, 512)).toBe(1);
    view.setUint32(100, 0x20000000, true); // 8 × count wraps in u32 arithmetic
    expect(nn.load!(96, 1, 0, 512)).toBe(1);
    view.setUint32(100, 1, true);
    expect(nn.load!(96, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    const ctx = view.getUint32(516, true);
    view.setUint32(128, MEM - 4, true); // tensor_dimensions straddles the end
    expect(nn.set_input!(ctx, 0, 128)).toBe(1);
    view.setUint32(128, 152, true);
    view.setUint32(156, 0x40000000, true); // 4 × rank wraps
    expect(nn.set_input!(ctx, 0, 128)).toBe(1);
    view.setUint32(156, 2, true);
    expect(nn.set_input!(ctx, 0, 128)).toBe(0);
    expect(nn.compute!(ctx)).toBe(0);
    expect(nn.get_output!(ctx, 0, 600, MEM - 2)).toBe(1);
    view.setUint32(520, 0xffffffff, true); // capacity past the end of memory
    expect(nn.get_output!(ctx, 0, 600, 520)).toBe(1);
  });

  it('survives 4,000 random calls: errno only, no write outside the result and output ranges', () => {
    const { nn, bytes, view } = setup();
    expect(nn.load!(96, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    const ARITY: Record<string, number> = { load: 4, load_by_name: 3, init_execution_context: 2, set_input: 3, compute: 1, get_output: 4 };
    const WRITES: Record<string, (a: number[]) => [number, number][]> = {
      load: (a) => [[a[3]!, 4]],
      load_by_name: (a) => [[a[2]!, 4]],
      init_execution_context: (a) => [[a[1]!, 4]],
      get_output: (a) => {
        const p = a[3]! >>> 0;
        const capacity = p + 4 <= MEM ? view.getUint32(p, true) : 0;
        return [
          [a[2]!, capacity],
          [a[3]!, 4],
        ];
      },
    };
    let seed = 0x2545f491;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const interesting = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 64, 96, 128, 152, 160, 192, 256, 512, 520, 4096, MEM - 4, MEM - 1, MEM, 0x7fffffff, 0xfffffff0, 0xffffffff, 0x20000000, 0x40000000];
    const pick = () => (rand() % 4 === 0 ? rand() : interesting[rand() % interesting.length]!);
    const allowed = new Set(Object.values(DIALECTS['wamr-legacy'].errno));
    const fns = Object.keys(ARITY);
    for (let i = 0; i < 4_000; i++) {
      const fn = fns[rand() % fns.length]!;
      const args = Array.from({ length: ARITY[fn]! }, pick);
      const before = bytes.slice();
      const ranges = (WRITES[fn]?.(args) ?? []).map(([p, n]) => [p >>> 0, (p >>> 0) + (n >>> 0)] as const);
      const errno = nn[fn]!(...args);
      expect(allowed.has(errno), `${fn}(${args.join(', ')}) returned ${errno}`).toBe(true);
      for (let b = 0; b < MEM; b++) {
        if (before[b] !== bytes[b] && !ranges.some(([lo, hi]) => b >= lo && b < hi)) throw new Error(`${fn}(${args.join(', ')}) wrote byte ${b} outside its result ranges`);
      }
      bytes.set(before.subarray(0, 4096 + model.byteLength));
    }
  }, 120_000);
});
