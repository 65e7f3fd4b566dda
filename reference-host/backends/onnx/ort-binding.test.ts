import { readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { mlpModel } from '../../../fixtures/gen/families.js';
import { writeOnnx } from '../../../fixtures/gen/onnx-writer.js';
import { OnnxBackend } from './onnx-backend.js';
import { MAX_THREADED_SESSIONS, SESSION_OPTIONS, SESSION_THREADS, SUPPORTED_ORT_VERSION, SessionThreadBudget, THREADED_MIN_MODEL_BYTES, loadOrtSync, threadedSessionOptions } from './ort-binding.js';

const model = readFileSync(new URL('../../../fixtures/onnx/affine_relu.onnx', import.meta.url));

describe('onnxruntime-node synchronous binding', () => {
  it('is the pinned version', () => {
    expect(loadOrtSync().version).toBe(SUPPORTED_ORT_VERSION);
  });

  it('loads and runs a model synchronously (no promise in between)', () => {
    const ort = loadOrtSync();
    const session = ort.createSession();
    const copy = model.slice();
    session.loadModel(copy.buffer, copy.byteOffset, copy.byteLength, {});
    expect(session.inputMetadata.map((m) => m.name)).toEqual(['X']);
    const x = new ort.Tensor('float32', new Float32Array([1, 0, 0, 0]), [1, 4]);
    const out = session.run({ X: x }, { Y: null }, {});
    expect(out.Y?.type).toBe('float32');
    expect(out.Y?.dims).toEqual([1, 3]);
    expect(out.Y?.data).toBeInstanceOf(Float32Array);
    session.dispose();
  });
});

describe('session thread budget', () => {
  it('gives ORT its own intra-op pool to the first sessions only, and takes slots back', () => {
    const budget = new SessionThreadBudget(2);
    const big = THREADED_MIN_MODEL_BYTES;
    const tiny = budget.acquire(big - 1, {});
    const a = budget.acquire(big, {});
    const b = budget.acquire(big, {});
    const c = budget.acquire(big, {});
    expect([tiny.threaded, a.threaded, b.threaded, c.threaded]).toEqual([false, true, true, false]);
    expect(tiny.options).toEqual(SESSION_OPTIONS);
    expect(a.options).toEqual({ interOpNumThreads: 1 });
    expect(c.options).toEqual(SESSION_OPTIONS);
    budget.release();
    expect(budget.threadedLive).toBe(1);
    expect(budget.acquire(big, {}).threaded).toBe(true);
  });

  it('WASI_NN_ORT_INTRA_OP_THREADS sets the pool size, and refuses what is not a count', () => {
    expect(threadedSessionOptions({ WASI_NN_ORT_INTRA_OP_THREADS: '3' })).toEqual({ intraOpNumThreads: 3, interOpNumThreads: 1 });
    expect(threadedSessionOptions({ WASI_NN_ORT_INTRA_OP_THREADS: '' })).toEqual({ interOpNumThreads: 1 });
    expect(() => threadedSessionOptions({ WASI_NN_ORT_INTRA_OP_THREADS: 'many' })).toThrow(/give a thread count from 1 to 1024/);
    expect(() => threadedSessionOptions({ WASI_NN_ORT_INTRA_OP_THREADS: '0' })).toThrow(/give a thread count/);
  });

  it.runIf(process.platform === 'linux')('a guest holding 40 graphs of a 1 MiB model makes at most MAX_THREADED_SESSIONS pools of threads', () => {
    const threads = (): number => readdirSync('/proc/self/task').length;
    const backend = new OnnxBackend();
    const big = writeOnnx(mlpModel(512, 512, 3)); // 1 MiB of weights
    expect(big.byteLength).toBeGreaterThanOrEqual(THREADED_MIN_MODEL_BYTES);
    const before = threads();
    const liveBefore = SESSION_THREADS.threadedLive;
    const graphs = Array.from({ length: 40 }, () => backend.load([big], 'cpu'));
    const grown = threads() - before;
    expect(SESSION_THREADS.threadedLive).toBe(MAX_THREADED_SESSIONS);
    expect(grown).toBeLessThanOrEqual((MAX_THREADED_SESSIONS - liveBefore) * availableParallelism());
    for (const g of graphs) g.dispose();
    expect(SESSION_THREADS.threadedLive).toBe(liveBefore);
    graphs[0]!.dispose(); // a second dispose gives nothing back twice
    expect(SESSION_THREADS.threadedLive).toBe(liveBefore);
  });
});
