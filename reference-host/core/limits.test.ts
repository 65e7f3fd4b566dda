/**
 * Bounded resources: what a hostile guest asks for is refused with an errno, before any copy or
 * allocation, and onnxruntime's thread count stays flat in the number of graphs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBackends } from '../backends/index.js';
import { DIALECTS, errnoName } from '../abi/dialects.js';
import { createWasiEphemeralNn } from '../abi/wasi-ephemeral-nn.js';
import { NamedGraphRegistry } from './named-graphs.js';
import { NnHost } from './nn-host.js';
import type { NnLimits } from './limits.js';

const model = readFileSync(new URL('../../fixtures/onnx/affine_relu.onnx', import.meta.url));
const backends = createBackends();
const ONNX = DIALECTS.witx.encodings.indexOf('onnx');

function guest(pages: number, limits?: Partial<NnLimits>) {
  const memory = new WebAssembly.Memory({ initial: pages });
  const host = new NnHost({ backends, registry: new NamedGraphRegistry(), ...(limits ? { limits } : {}) });
  const calls: { fn: string; errno: string; message?: string }[] = [];
  const nn = createWasiEphemeralNn({ host, dialect: DIALECTS.witx, memory: () => memory, onCall: (c) => calls.push(c) });
  const view = () => new DataView(memory.buffer);
  const name = (code: number) => errnoName(DIALECTS.witx, code);
  return { memory, host, nn, view, name, calls };
}

const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
const rss = () => process.memoryUsage().rss;

describe('resource limits', () => {
  it('4,096 builder records aliasing one 1 MiB buffer: too_large before any byte is copied', () => {
    const g = guest(40); // 2.5 MiB
    const bytes = new Uint8Array(g.memory.buffer);
    bytes.set(model, 1 << 20);
    const at = 64;
    for (let i = 0; i < 4096; i++) {
      g.view().setUint32(at + 0 + i * 8, 1 << 20, true);
      g.view().setUint32(at + 4 + i * 8, 1 << 20, true);
    }
    const before = rss();
    expect(g.name(g.nn.load!(at, 4096, ONNX, 0, 16) as number)).toBe('too_large');
    expect(g.calls.at(-1)?.message).toBe('4096 graph builders; this host takes at most 64 per load (--nn-max-builders)');
    expect(rss() - before).toBeLessThan(64 * 1024 * 1024);
    // within the count limit, the total is what counts: 64 × 1 MiB > a 16 MiB budget
    const small = guest(40, { maxModelBytes: 16 << 20 });
    new Uint8Array(small.memory.buffer).set(new Uint8Array(g.memory.buffer));
    expect(small.name(small.nn.load!(at, 64, ONNX, 0, 16) as number)).toBe('too_large');
  });

  it('dims_len 250 M: invalid_argument, the host alive, nothing allocated', () => {
    const g = guest(1);
    g.view().setUint32(128, 256, true); // dims_ptr
    g.view().setUint32(132, 250_000_000, true); // dims_len
    g.view().setUint32(136, 1, true); // f32
    g.view().setUint32(140, 512, true);
    g.view().setUint32(144, 16, true);
    expect(g.name(g.nn.set_input!(0, 0, 128) as number)).toBe('invalid_argument');
    expect(g.calls.at(-1)?.message).toBe('tensor dims_len 250000000 is more than the largest rank this host takes (64)');
  });

  it('graphs and contexts are bounded: busy past the limit; an unloaded graph is freed when no context uses it', () => {
    const g = guest(2, { maxGraphs: 3, maxContexts: 2 });
    new Uint8Array(g.memory.buffer).set(model, 4096);
    g.view().setUint32(64, 4096, true);
    g.view().setUint32(68, model.byteLength, true);
    const handles: number[] = [];
    const load = () => {
      const r = g.name(g.nn.load!(64, 1, ONNX, 0, 16) as number);
      if (r === 'success') handles.push(g.view().getUint32(16, true));
      return r;
    };
    expect([load(), load(), load(), load()]).toEqual(['success', 'success', 'success', 'busy']);
    const [a, b] = handles as [number, number];
    const init = () => g.name(g.nn.init_execution_context!(a, 20) as number);
    expect([init(), init(), init()]).toEqual(['success', 'success', 'busy']);
    // b has no context: unloading it frees it, so a load fits again
    expect(g.name(g.nn.unload!(b) as number)).toBe('success');
    expect(load()).toBe('success');
    // a still has contexts: unloaded, it stays held until they go, so the limit still counts it
    expect(g.name(g.nn.unload!(a) as number)).toBe('success');
    expect(load()).toBe('busy');
    expect(g.calls.at(-1)?.message).toMatch(/^3 graphs loaded by this guest are held/);
  });

  it('the models of the graphs held are bounded in bytes: too_large, and room again after an unload', () => {
    const g = guest(2, { maxTotalModelBytes: 2 * model.byteLength });
    new Uint8Array(g.memory.buffer).set(model, 4096);
    g.view().setUint32(64, 4096, true);
    g.view().setUint32(68, model.byteLength, true);
    const load = () => g.name(g.nn.load!(64, 1, ONNX, 0, 16) as number);
    expect([load(), load(), load()]).toEqual(['success', 'success', 'too_large']);
    expect(g.name(g.nn.unload!(0) as number)).toBe('success');
    expect(load()).toBe('success');
  });

  it('10,000 ONNX loads in one guest: the thread count stays flat, memory bounded by the graph limit', () => {
    const g = guest(2, { maxGraphs: 10_000 });
    new Uint8Array(g.memory.buffer).set(model, 4096);
    g.view().setUint32(64, 4096, true);
    g.view().setUint32(68, model.byteLength, true);
    const before = threads();
    const started = Date.now();
    for (let i = 0; i < 10_000; i++) expect(g.nn.load!(64, 1, ONNX, 0, 16)).toBe(0);
    expect(threads() - before).toBeLessThanOrEqual(4);
    expect(Date.now() - started).toBeLessThan(60_000);
    g.host.dispose();
  }, 120_000);
});
