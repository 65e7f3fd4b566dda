/**
 * The import object under hostile arguments: every call returns an errno of the dialect, never
 * throws, and changes guest memory only inside the result / output ranges the call was given.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackends } from '../backends/index.js';
import { NamedGraphRegistry } from '../core/named-graphs.js';
import { NnHost } from '../core/nn-host.js';
import { DIALECTS } from './dialects.js';
import { createWasiEphemeralNn } from './wasi-ephemeral-nn.js';

const model = readFileSync(new URL('../../fixtures/onnx/affine_relu.onnx', import.meta.url));
const PAGES = 2;
const MEM = PAGES * 65536;

/** Which argument positions a call may write through, and how many bytes. */
const WRITES: Record<string, (a: number[]) => [number, number][]> = {
  load: (a) => [[a[4]!, 4]],
  load_by_name: (a) => [[a[2]!, 4]],
  load_by_name_with_config: (a) => [[a[4]!, 4]],
  init_execution_context: (a) => [[a[1]!, 4]],
  get_output: (a) => [
    [a[2]!, a[3]!],
    [a[4]!, 4],
  ],
  get_output_single: (a) => [
    [a[2]!, a[3]!],
    [a[4]!, 4],
  ],
};
const ARITY: Record<string, number> = {
  load: 5,
  load_by_name: 3,
  load_by_name_with_config: 5,
  init_execution_context: 2,
  set_input: 3,
  compute: 1,
  get_output: 5,
  compute_single: 1,
  get_output_single: 5,
  fini_single: 1,
  unload: 1,
};

function setup() {
  const memory = new WebAssembly.Memory({ initial: PAGES });
  const registry = new NamedGraphRegistry();
  registry.register({ name: 'affine', encoding: 'onnx', target: 'cpu', paths: [new URL('../../fixtures/onnx/affine_relu.onnx', import.meta.url).pathname] });
  const host = new NnHost({ backends: createBackends(), registry });
  const nn = createWasiEphemeralNn({ host, dialect: DIALECTS.witx, memory: () => memory });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  // a valid world: model at 4096, builder at 64, tensor record at 128 with dims at 160 and data at 192
  bytes.set(model, 4096);
  view.setUint32(64, 4096, true);
  view.setUint32(68, model.byteLength, true);
  view.setUint32(160, 1, true);
  view.setUint32(164, 4, true);
  view.setUint32(128, 160, true);
  view.setUint32(132, 2, true);
  bytes[136] = 1;
  view.setUint32(140, 192, true);
  view.setUint32(144, 16, true);
  bytes.set(new TextEncoder().encode('affine'), 256);
  return { memory, host, nn, bytes, view };
}

describe('wasi_ephemeral_nn imports', () => {
  it('runs the happy path and writes results only where told', () => {
    const { nn, view } = setup();
    expect(nn.load!(64, 1, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    const ctx = view.getUint32(516, true);
    expect(nn.set_input!(ctx, 0, 128)).toBe(0);
    expect(nn.compute!(ctx)).toBe(0);
    view.setUint32(520, 0xaaaaaaaa, true);
    expect(nn.get_output!(ctx, 0, 600, 4, 520)).toBe(7);
    expect(view.getUint32(520, true)).toBe(12);
    expect(view.getUint32(600, true)).toBe(0);
    expect(nn.get_output!(ctx, 0, 600, 12, 520)).toBe(0);
    expect(view.getUint32(520, true)).toBe(12);
  });

  it('load_by_name resolves the registry and shares the parsed graph', () => {
    const { nn, view } = setup();
    expect(nn.load_by_name!(256, 6, 512)).toBe(0);
    expect(nn.load_by_name!(256, 6, 516)).toBe(0);
    expect(view.getUint32(512, true)).not.toBe(view.getUint32(516, true));
    expect(nn.load_by_name!(256, 5, 516)).toBe(8);
  });

  it('survives 20,000 random calls: errno only, no write outside the given ranges', () => {
    const { nn, bytes, view } = setup();
    expect(nn.load!(64, 1, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    let seed = 0x9e3779b9;
    const rand = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const interesting = [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 64, 128, 160, 192, 256, 512, 4096, MEM - 4, MEM - 1, MEM, MEM + 1, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff, 0x20000000, 0x40000000];
    const pick = () => (rand() % 4 === 0 ? rand() : interesting[rand() % interesting.length]!);
    const allowed = new Set(Object.values(DIALECTS.witx.errno));
    const fns = Object.keys(ARITY);
    for (let i = 0; i < 20_000; i++) {
      const fn = fns[rand() % fns.length]!;
      const args = Array.from({ length: ARITY[fn]! }, pick);
      const before = bytes.slice();
      let errno: number;
      try {
        errno = nn[fn]!(...args);
      } catch (e) {
        throw new Error(`${fn}(${args.join(', ')}) threw ${(e as Error).message}`);
      }
      expect(allowed.has(errno), `${fn}(${args.join(', ')}) returned ${errno}`).toBe(true);
      const ranges = (WRITES[fn]?.(args) ?? []).map(([p, n]) => [p >>> 0, (p >>> 0) + (n >>> 0)] as const);
      for (let b = 0; b < MEM; b++) {
        if (before[b] !== bytes[b] && !ranges.some(([lo, hi]) => b >= lo && b < hi)) {
          throw new Error(`${fn}(${args.join(', ')}) wrote byte ${b} outside its result ranges`);
        }
      }
      // keep the valid world intact so later calls still reach deep code paths
      bytes.set(before.subarray(0, 4096 + model.byteLength));
    }
  }, 120_000);
});
