import { afterEach, describe, expect, it, vi } from 'vitest';
import { CTX, SAMPLE_JOB } from '../test-jobs.js';
import type { SpawnResult } from '../spawn.js';
import { WasmtimeAdapter, interpretWasmtime } from './wasmtime-adapter.js';

const run = (over: Partial<SpawnResult>): SpawnResult => ({ exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 1, ...over });

describe('wasmtime command', () => {
  const wt = new WasmtimeAdapter();
  it('enables wasi-nn, stages each preload as NAME/model.onnx and passes -S nn-graph=ENCODING::DIR', () => {
    expect(wt.command(SAMPLE_JOB, CTX)).toEqual({
      ok: true,
      command: {
        file: '/usr/local/bin/rt',
        args: [
          'run', '-S', 'nn', '-S', 'nn-graph=onnx::/tmp/stage/nn-graph/affine',
          '--dir', '/h/fixtures::/fixtures', '--dir', '/tmp/case-1::/case', '--dir', '/same::/same',
          '--env', 'GREETING=hi there',
          '/h/guests/driver/witx.wasm', '/case/steps.txt', '--not-an-option',
        ],
        env: {},
        stage: [{ path: '/tmp/stage/nn-graph/affine/model.onnx', target: '/h/fixtures/onnx/affine_relu.onnx' }],
      },
    });
  });
  it('openvino preloads stage model.xml and model.bin', () => {
    const job = { ...SAMPLE_JOB, preloads: [{ name: 'ov', encoding: 'openvino' as const, target: 'cpu' as const, paths: ['/m.xml', '/m.bin'] }] };
    const plan = wt.command(job, CTX);
    expect(plan.ok && plan.command.stage).toEqual([
      { path: '/tmp/stage/nn-graph/ov/model.xml', target: '/m.xml' },
      { path: '/tmp/stage/nn-graph/ov/model.bin', target: '/m.bin' },
    ]);
  });
  it.each([
    [{ name: 'g', encoding: 'tensorflowlite', target: 'cpu', paths: ['/m.tflite'] }, /preloads only onnx, openvino, pytorch.*not tensorflowlite/],
    [{ name: 'g', encoding: 'onnx', target: 'gpu', paths: ['/m.onnx'] }, /on the cpu; -S nn-graph cannot ask for gpu/],
    [{ name: 'a/b', encoding: 'onnx', target: 'cpu', paths: ['/m.onnx'] }, /cannot be a dir name/],
    [{ name: '..', encoding: 'onnx', target: 'cpu', paths: ['/m.onnx'] }, /cannot be a dir name/],
  ])('a preload it cannot express (%j) is UNSUPPORTED', (preload, reason) => {
    expect(wt.cannotRun({ ...SAMPLE_JOB, preloads: [preload as never] })).toMatch(reason);
  });
  it('provides the six spec functions in the witx dialect (and witx-2020 for wasmtime 13–14), the WIT calls under the component dialects', async () => {
    const caps = await wt.capabilities();
    expect(caps).toMatchObject({ dialects: ['witx', 'witx-2020', 'wit-2024-10-28', 'wit-2024-08-19'], preload: 'encoding-dir', missingImports: 'refuse' });
    expect(caps.functions).toHaveLength(6);
    expect((await new WasmtimeAdapter('wit-2024-10-28').capabilities()).functions).toContain('compute_named');
    // a component runs with the same command: wasmtime tells a component from a core module itself
    const plan = new WasmtimeAdapter('wit-2024-10-28').command({ ...SAMPLE_JOB, wasm: '/h/guests/driver/wit-2024-10-28.wasm' }, CTX);
    expect(plan.ok && plan.command.args.slice(0, 3)).toEqual(['run', '-S', 'nn']);
  });
  it.each([
    ['unknown handle index 7', 'canonical ABI: unknown handle index 7'],
    ['resource not present', 'canonical ABI: resource not present'],
    ['resource is of another type', 'canonical ABI: resource is of another type'],
  ])('a component\'s "%s" (exit 1) is the component model\'s trap', (cause, trap) => {
    const stderr = `Error: failed to run main module \`wit-2024-10-28.wasm\`\n\nCaused by:\n    0: ${cause}`;
    expect(interpretWasmtime(run({ exitCode: 1, stderr }))).toMatchObject({ trap });
  });
});

describe('wasmtime output', () => {
  const stderr = [
    'Error: failed to run main module `witx.wasm`',
    '',
    'Caused by:',
    '    0: failed to invoke command default',
    '    1: error while executing at wasm backtrace:',
    '           0:   0x1a2b - witx.wasm!do_call',
    '           1:   0x2c3d - witx.wasm!_start',
    '    2: wasm trap: out of bounds memory access',
  ].join('\n');
  it('exit 134 with "wasm trap:" is a trap, with the function of the first frame', () => {
    expect(interpretWasmtime(run({ exitCode: 134, stderr })).trap).toBe('wasm trap: out of bounds memory access (in function do_call)');
  });
  it('a host panic (exit 101) is not a trap', () => {
    const o = interpretWasmtime(run({ exitCode: 101, stdout: '{"step":1}\n', stderr: "thread 'main' panicked at crates/wasi-nn/src/witx.rs: not implemented: guest error conversion" }));
    expect(o.trap).toBeUndefined();
    expect(o.startError).toBeUndefined();
    expect(o.exitCode).toBe(101);
  });
  it('an import it refuses means the guest did not start', () => {
    const o = interpretWasmtime(run({ exitCode: 1, stderr: 'Error: failed to run main module\n\nCaused by:\n    unknown import: `wasi_ephemeral_nn::unload` has not been defined' }));
    expect(o.startError).toMatch(/wasmtime exited 1 before the guest printed anything: .*unknown import/);
  });
});

describe('wasmtime detect', () => {
  afterEach(() => vi.unstubAllEnvs());
  it('unavailable when not on PATH: reason and a fix naming WASI_NN_WASMTIME', async () => {
    vi.stubEnv('WASI_NN_WASMTIME', '');
    vi.stubEnv('PATH', '/nonexistent');
    expect(await new WasmtimeAdapter().detect()).toEqual({
      available: false,
      reason: '`wasmtime` is not on PATH and WASI_NN_WASMTIME is not set',
      fix: expect.stringContaining('WASI_NN_WASMTIME=/path/to/wasmtime'),
    });
  });
});
