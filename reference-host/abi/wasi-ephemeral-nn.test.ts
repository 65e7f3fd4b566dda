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
import { NnError } from '../core/types.js';
import { NnAbi } from './nn-abi.js';
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

describe('wasi_ephemeral_nn under each dialect', () => {
  function under(dialect: keyof typeof DIALECTS) {
    const memory = new WebAssembly.Memory({ initial: PAGES });
    const registry = new NamedGraphRegistry();
    const host = new NnHost({ backends: createBackends(), registry });
    const hints: string[] = [];
    const calls: { fn: string; errno: string; message?: string }[] = [];
    const nn = createWasiEphemeralNn({ host, dialect: DIALECTS[dialect], memory: () => memory, onCall: (t) => calls.push(t), onHint: (h) => hints.push(h) });
    const bytes = new Uint8Array(memory.buffer);
    const view = new DataView(memory.buffer);
    bytes.set(model, 4096);
    view.setUint32(64, 4096, true);
    view.setUint32(68, model.byteLength, true);
    return { nn, bytes, view, hints, calls };
  }
  /** a tensor record at 128: dims [1,4] at 160, data at 192 */
  function tensor(view: DataView, bytes: Uint8Array, type: number, dataLen: number) {
    view.setUint32(160, 1, true);
    view.setUint32(164, 4, true);
    view.setUint32(128, 160, true);
    view.setUint32(132, 2, true);
    view.setUint32(136, type, true);
    view.setUint32(140, 192, true);
    view.setUint32(144, dataLen, true);
    bytes.fill(0, 192, 192 + 16);
  }

  it('answers errno numbers of the dialect: not_found is 8 in witx, 7 in wamr-2.1', () => {
    for (const [dialect, code] of [
      ['witx', 8],
      ['wasmedge', 8],
      ['wamr-2.1', 7],
    ] as const) {
      const { nn, bytes } = under(dialect);
      bytes.set(new TextEncoder().encode('nothing'), 256);
      expect(nn.load_by_name!(256, 7, 512), dialect).toBe(code);
    }
  });

  it('numbers encodings and targets per dialect: autodetect 5 or 6, WasmEdge 7 has no engine, auto = 3 only in wasmedge', () => {
    // ONNX bytes: autodetect (witx 5, wamr 6) loads; wasmedge 7 is NeuralSpeed, which has no engine here
    expect(under('witx').nn.load!(64, 1, 5, 0, 512)).toBe(0);
    expect(under('wamr').nn.load!(64, 1, 6, 0, 512)).toBe(0);
    expect(under('witx').nn.load!(64, 1, 6, 0, 512)).toBe(2);
    const wasmedge = under('wasmedge');
    expect(wasmedge.nn.load!(64, 1, 7, 0, 512)).toBe(2);
    expect(wasmedge.calls.at(-1)?.message).toBe('graph encoding 7 is neuralspeed in the wasmedge dialect, which this host has no engine for');
    expect(wasmedge.nn.load!(64, 1, 1, 3, 512)).toBe(0); // target auto
    expect(under('witx').nn.load!(64, 1, 1, 3, 512)).toBe(1);
  });

  it('finalize_execution_context frees a context; an unknown or freed one is invalid_argument', () => {
    const { nn, view } = under('wasmedge');
    expect(nn.load!(64, 1, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    const ctx = view.getUint32(516, true);
    expect(nn.finalize_execution_context!(ctx)).toBe(0);
    expect(nn.finalize_execution_context!(ctx)).toBe(1);
    expect(nn.compute!(ctx)).toBe(1);
    expect(nn.finalize_execution_context!(9999)).toBe(1);
  });

  it('hints at old witx when a type 2 (f64) tensor carries the bytes of an old u8 tensor, and old witx takes it as u8', () => {
    const { nn, view, bytes, hints, calls } = under('witx');
    expect(nn.load!(64, 1, 1, 0, 512)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(512, true), 516)).toBe(0);
    tensor(view, bytes, 2, 4); // [1,4] of "type 2" in 4 bytes: u8 in old witx, f64 (32 bytes) in witx
    expect(nn.set_input!(view.getUint32(516, true), 0, 128)).toBe(1);
    expect(calls.at(-1)?.message).toMatch(/^tensor data is 4 bytes, dims \[1,4\] of f64 need 32; tensor type 2 is f64 in the witx dialect, but 4 bytes is what u8 \(2 in old witx/);
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatch(/run it with --nn-dialect witx-2020$/);
    expect(nn.set_input!(view.getUint32(516, true), 0, 128)).toBe(1);
    expect(hints).toHaveLength(1); // once per guest
    // a real f64 of the wrong size gets no hint
    const other = under('witx');
    expect(other.nn.load!(64, 1, 1, 0, 512)).toBe(0);
    expect(other.nn.init_execution_context!(other.view.getUint32(512, true), 516)).toBe(0);
    tensor(other.view, other.bytes, 2, 12);
    expect(other.nn.set_input!(other.view.getUint32(516, true), 0, 128)).toBe(1);
    expect(other.hints).toEqual([]);
    // under witx-2020 the same record is a u8 tensor: the size is right, the model (f32 input) refuses the type
    const old = under('witx-2020');
    expect(old.nn.load!(64, 1, 1, 0, 512)).toBe(0);
    expect(old.nn.init_execution_context!(old.view.getUint32(512, true), 516)).toBe(0);
    tensor(old.view, old.bytes, 2, 4);
    expect(old.nn.set_input!(old.view.getUint32(516, true), 0, 128)).toBe(1);
    expect(old.calls.at(-1)?.message).not.toMatch(/tensor data is/);
    expect(old.hints).toEqual([]);
    tensor(old.view, old.bytes, 1, 16); // fp32 = 1 in both
    expect(old.nn.set_input!(old.view.getUint32(516, true), 0, 128)).toBe(0);
  });

  it('sends an error name with no number in the dialect as its fallback, and the trace says so', () => {
    const traces: { fn: string; errno: string; message?: string }[] = [];
    const abi = (dialect: keyof typeof DIALECTS) =>
      new NnAbi({ host: new NnHost({ backends: new Map(), registry: new NamedGraphRegistry() }), dialect: DIALECTS[dialect], memory: () => new WebAssembly.Memory({ initial: 1 }), onCall: (t) => traces.push(t) });
    const fail = (errno: 'prompt_too_long' | 'busy') => () => {
      throw new NnError(errno, 'why');
    };
    expect(abi('witx').call('set_input', fail('prompt_too_long'))).toBe(1);
    expect(traces.at(-1)).toEqual({ fn: 'set_input', errno: 'prompt_too_long', message: 'why (prompt_too_long has no number in the witx dialect: sent as invalid_argument = 1)' });
    expect(abi('wamr').call('set_input', fail('prompt_too_long'))).toBe(102);
    expect(traces.at(-1)).toEqual({ fn: 'set_input', errno: 'prompt_too_long', message: 'why' });
    expect(abi('wamr-2.1').call('load', fail('busy'))).toBe(4);
    expect(traces.at(-1)?.message).toBe('why (busy has no number in the wamr-2.1 dialect: sent as runtime_error = 4)');
    expect(abi('witx').call('load', () => {
      throw new Error('oops');
    })).toBe(5);
    expect(traces.at(-1)).toEqual({ fn: 'load', errno: 'runtime_error', message: 'host bug: oops' });
  });
});
