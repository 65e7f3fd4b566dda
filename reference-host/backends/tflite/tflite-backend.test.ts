import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { NnError, type Tensor, type TensorType } from '../../core/types.js';
import { createLiteRtInstance } from './litert-wasm.js';
import { TfliteBackend } from './tflite-backend.js';

const fixture = (p: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, p)));
interface G { cases: { name: string; inputs: { type: TensorType; dims: number[]; hex: string }[]; outputs: { type: TensorType; dims: number[]; hex: string }[] }[] }
const golden = (m: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, 'goldens', `${m}.json`), 'utf8')) as G;
const tensor = (t: { type: TensorType; dims: number[]; hex: string }): Tensor => ({ type: t.type, dims: [...t.dims], data: new Uint8Array(Buffer.from(t.hex, 'hex')) });
const errno = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof NnError) return e.errno;
    throw e;
  }
  return 'success';
};

describe('LiteRT loading', () => {
  it('adds nothing to globalThis (no self / importScripts / Module shims)', () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    createLiteRtInstance();
    expect(Object.getOwnPropertyNames(globalThis).filter((n) => !before.has(n))).toEqual([]);
    expect('self' in globalThis || 'importScripts' in globalThis || 'Module' in globalThis).toBe(false);
  });

  it('makes an instance synchronously: it is ready when the call returns', () => {
    const instance = createLiteRtInstance();
    expect(instance.aborted).toBeUndefined();
    expect(typeof instance.module._malloc).toBe('function');
  });

  it('starts LiteRT when a guest first needs it, not when the backend is made, and once', () => {
    const b = new TfliteBackend();
    expect(b.startedForTest()).toBe(0);
    const graph = b.load([fixture('tflite/affine_relu.tflite')], 'cpu');
    expect(b.startedForTest()).toBe(1);
    b.load([fixture('tflite/affine_relu.tflite')], 'cpu').dispose();
    expect(b.availability().available).toBe(true);
    expect(b.startedForTest()).toBe(1);
    graph.dispose();
  });
});

describe('TfliteBackend', () => {
  const backend = new TfliteBackend();

  for (const family of ['affine_relu', 'two_in_two_out', 'softmax_f32', 'conv_net', 'int_muladd_i32', 'int_muladd_i64', 'u8_add']) {
    it(`${family} matches its golden (integers exactly, f32 within 1e-5 + 1e-4·|x|)`, () => {
      const graph = backend.load([fixture(`tflite/${family}.tflite`)], 'cpu');
      const ctx = graph.initExecutionContext();
      for (const c of golden(family).cases) {
        c.inputs.forEach((t, i) => ctx.setInput(i, tensor(t)));
        ctx.compute();
        c.outputs.forEach((o, i) => {
          const out = ctx.getOutput(i);
          expect(out.type).toBe(o.type);
          expect(out.dims).toEqual(o.dims);
          const exp = Buffer.from(o.hex, 'hex');
          if (o.type !== 'f32') expect(Buffer.from(out.data).toString('hex')).toBe(o.hex);
          else {
            const a = new Float32Array(new Uint8Array(out.data).buffer);
            const e = new Float32Array(new Uint8Array(exp).buffer);
            e.forEach((x, k) => expect(Math.abs(a[k]! - x)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(x)));
          }
        });
      }
      graph.dispose();
    });
  }

  it('answers errnos like the ONNX engine', () => {
    const good = fixture('tflite/affine_relu.tflite');
    expect(errno(() => backend.load([], 'cpu'))).toBe('invalid_argument');
    expect(errno(() => backend.load([good, good], 'cpu'))).toBe('invalid_argument');
    expect(errno(() => backend.load([good], 'gpu'))).toBe('unsupported_operation');
    expect(errno(() => backend.load([good], 'tpu'))).toBe('unsupported_operation');
    expect(errno(() => backend.load([new Uint8Array([1, 2, 3])], 'cpu'))).toBe('invalid_argument');
    const ctx = backend.load([good], 'cpu').initExecutionContext();
    expect(errno(() => ctx.getOutput(0))).toBe('runtime_error');
    expect(errno(() => ctx.compute())).toBe('invalid_argument');
    expect(errno(() => ctx.setInput(0, { type: 'i32', dims: [1, 4], data: new Uint8Array(16) }))).toBe('invalid_argument');
    expect(errno(() => ctx.setInput(0, { type: 'f32', dims: [4, 1], data: new Uint8Array(16) }))).toBe('invalid_argument');
    expect(errno(() => ctx.setInput(1, { type: 'f32', dims: [1, 4], data: new Uint8Array(16) }))).toBe('invalid_argument');
    expect(errno(() => ctx.getOutput(1))).toBe('invalid_argument');
  });

  it('turns a LiteRT abort into invalid_argument and serves the next load from a fresh instance', () => {
    const b = new TfliteBackend();
    const first = b.activeInstanceForTest();
    const survivor = b.load([fixture('tflite/affine_relu.tflite')], 'cpu').initExecutionContext();
    // a TFLite-looking header padded with zeros makes LiteRT 2.5.3 abort inside its wasm instance
    expect(errno(() => b.load([fixture('bad/tflite/tflite-header.bin')], 'cpu'))).toBe('invalid_argument');
    expect(first?.aborted).toBeDefined();
    expect(b.activeInstanceForTest()).not.toBe(first);
    const g = golden('affine_relu').cases[0]!;
    const ctx = b.load([fixture('tflite/affine_relu.tflite')], 'cpu').initExecutionContext();
    ctx.setInput(0, tensor(g.inputs[0]!));
    ctx.compute();
    expect(ctx.getOutput(0).dims).toEqual([1, 3]);
    // a context of the dead instance answers runtime_error, it does not crash
    survivor.setInput(0, tensor(g.inputs[0]!));
    expect(errno(() => survivor.compute())).toBe('runtime_error');
    expect(b.startedForTest()).toBe(2);
    expect(b.availability().available).toBe(true);
  });

  it('every corrupt file in fixtures/bad/tflite gives an errno or loads, and a good model loads after each', () => {
    const index = JSON.parse(readFileSync(join(FIXTURES_DIR, 'bad/tflite/index.json'), 'utf8')) as { file: string; expect: 'error' | 'any' }[];
    expect(index.length).toBeGreaterThanOrEqual(20);
    const b = new TfliteBackend();
    for (const e of index) {
      const r = errno(() => b.load([fixture(`bad/tflite/${e.file}`)], 'cpu').dispose());
      if (e.expect === 'error') expect(r, e.file).toBe('invalid_argument');
      else expect(['success', 'invalid_argument'], e.file).toContain(r);
      expect(errno(() => b.load([fixture('tflite/affine_relu.tflite')], 'cpu').dispose()), `good after ${e.file}`).toBe('success');
    }
  });
});
