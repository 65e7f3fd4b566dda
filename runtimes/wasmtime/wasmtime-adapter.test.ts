import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { findRepoRoot } from '../../reference-host/repo-root.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readManifest } from '../../setup/manifest.js';
import { CTX, SAMPLE_JOB } from '../test-jobs.js';
import type { SpawnResult } from '../spawn.js';
import { WasmtimeAdapter, interpretWasmtime, libraryDirsFor, wasmtimeDialects, wasmtimeMajor } from './wasmtime-adapter.js';
import { classifyProbe } from './wasmtime-probe.js';

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
  it('a host function\'s error (exit 1 after the wasm backtrace) is a trap naming the host call (measured on 49.0.3)', () => {
    const hostError = [
      'Error: failed to run main module `/h/guests/driver/witx.wasm`',
      '',
      'Caused by:',
      '    0: failed to invoke command default',
      '    1: error while executing at wasm backtrace:',
      '           0:   0x109d - <unknown>!main',
      '           1:   0x5c3a - <unknown>!__main_void',
      '    2: In func wasi_ephemeral_nn::set_input at read tensor: Invalid enum value TensorType',
      '    3: Invalid enum value TensorType',
    ].join('\n');
    expect(interpretWasmtime(run({ exitCode: 1, stdout: '{"step":1}\n', stderr: hostError })).trap).toBe('host error: In func wasi_ephemeral_nn::set_input at read tensor: Invalid enum value TensorType (in function main)');
  });
  it('a panic of a release build (panic=abort: SIGABRT) is a crash with the panic message', () => {
    const stderr = "\nthread 'main' (20595) panicked at crates/wasi-nn/src/backend/openvino.rs:219:17:\nnot implemented: OpenVINO does not support TPU execution targets\nstack backtrace:\n";
    const o = interpretWasmtime(run({ exitCode: null, signal: 'SIGABRT', stdout: '{"step":1}\n', stderr }));
    expect(o.crash).toBe("the runtime panicked (SIGABRT): thread 'main' (20595) panicked at crates/wasi-nn/src/backend/openvino.rs:219:17: not implemented: OpenVINO does not support TPU execution targets");
    expect(o.trap).toBeUndefined();
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
  it('unavailable when not on PATH and not set up: reason and a fix naming setup and WASI_NN_WASMTIME', async () => {
    vi.stubEnv('WASI_NN_WASMTIME', '');
    vi.stubEnv('PATH', '/nonexistent');
    vi.stubEnv('WASI_NN_CONFORMANCE_CACHE', mkdtempSync(join(tmpdir(), 'wasi-nn-no-setup-')));
    expect(await new WasmtimeAdapter().detect()).toEqual({
      available: false,
      reason: '`wasmtime` is not on PATH, WASI_NN_WASMTIME is not set, and `setup wasmtime` has not been run',
      fix: expect.stringMatching(/npx wasi-nn-conformance setup wasmtime.*WASI_NN_WASMTIME=\/path\/to\/wasmtime/),
    });
  });
  it('reads the major version and the dialects it serves', () => {
    expect(wasmtimeMajor('wasmtime 49.0.3 (f96eabaa1 2026-10-14)')).toBe(49);
    expect(wasmtimeMajor('wasmtime-cli 14.0.4')).toBe(14);
    expect(wasmtimeMajor('something else')).toBeUndefined();
    expect(wasmtimeDialects(49)).toEqual(['witx', 'wit-2024-10-28']);
    expect(wasmtimeDialects(30)).toEqual(['witx', 'wit-2024-08-19']);
    expect(wasmtimeDialects(14)).toEqual(['witx', 'witx-2020']);
    expect(wasmtimeDialects(undefined)).toHaveLength(4);
  });
  it('gives the child the library folders setup recorded for that binary, and OpenVINO\'s unless the user has an OpenVINO', () => {
    const manifest = {
      openvino: { version: '2026.4.1', wheel: 'openvino==2026.4.1', libDir: '/c/ov/lib', wheelLibDir: '/c/site/openvino/libs' },
      'wasmtime-onnx': { binary: '/c/onnx/bin/wasmtime', version: 'wasmtime 48.0.2', source: 'crate', libDirs: ['/c/onnx/ort'] },
    };
    expect(libraryDirsFor('/c/onnx/bin/wasmtime', manifest, {})).toEqual(['/c/onnx/ort', '/c/ov/lib']);
    expect(libraryDirsFor('/usr/bin/wasmtime', manifest, {})).toEqual(['/c/ov/lib']);
    expect(libraryDirsFor('/usr/bin/wasmtime', manifest, { OPENVINO_INSTALL_DIR: '/opt/intel/openvino' })).toEqual([]);
  });
  it('classifies what the probe guest saw (messages measured on 49.0.3 with WASMTIME_LOG=wasmtime_wasi_nn=debug)', () => {
    expect(classifyProbe(0, 'output: 0.000000 1.975612 1.840951\n', '')).toEqual({ state: 'works', printed: 'output: 0.000000 1.975612 1.840951' });
    expect(classifyProbe(1, 'load: errno 6\n', 'DEBUG wasmtime_wasi_nn::witx::generated: host error: UsageError(InvalidEncoding(GraphEncoding::Onnx))').state).toBe('not-built');
    expect(classifyProbe(1, 'load: errno 5\n', 'host error: BackendError(BackendAccess(library loading error: ... Unable to find the `openvino_c` library to load').state).toBe('library-missing');
    expect(classifyProbe(1, '', 'Caused by:\n    1: unknown import: `wasi_ephemeral_nn::load` has not been defined').state).toBe('no-wasi-nn');
    expect(classifyProbe(1, 'load: errno 5\n', 'ERROR: something else')).toMatchObject({ state: 'fails', detail: expect.stringContaining('something else') });
  });
  it('a compiled guest (.cwasm) is run with --allow-precompiled', () => {
    const plan = new WasmtimeAdapter().command({ ...SAMPLE_JOB, wasm: '/tmp/x/0-witx.cwasm', preloads: [] }, CTX);
    expect(plan.ok && plan.command.args.slice(0, 4)).toEqual(['run', '-S', 'nn', '--allow-precompiled']);
  });
});

// The real binary, where `setup wasmtime` was run (CI runs it first and sets WASI_NN_REQUIRE_WASMTIME=1, so it cannot skip there).
const setUp = readManifest().wasmtime;
const required = process.env.WASI_NN_REQUIRE_WASMTIME === '1';
describe.skipIf(!setUp && !required)('the wasmtime that `setup wasmtime` installed', () => {
  it('is found without settings, with its OpenVINO backend working and the others named', async () => {
    expect(setUp, 'WASI_NN_REQUIRE_WASMTIME=1 but `npx wasi-nn-conformance setup wasmtime` has not been run').toBeDefined();
    vi.stubEnv('WASI_NN_WASMTIME', '');
    vi.stubEnv('PATH', '/nonexistent');
    const wt = new WasmtimeAdapter();
    const d = await wt.detect();
    expect(d).toMatchObject({ available: true, path: setUp?.binary, version: expect.stringMatching(/^wasmtime 49\.0\.3 /) });
    expect(d.available && d.details).toMatch(/openvino: works; onnx: not built in.*; pytorch: not built in/);
    const caps = await wt.capabilities();
    expect(caps.encodings).toEqual(['openvino']);
    expect(caps.dialects).toEqual(['witx', 'wit-2024-10-28']);
    vi.unstubAllEnvs();
  });
  it('a bad setup is one line and exit 2: no binary, OpenVINO not found, a binary that runs no wasi-nn model', async () => {
    const cli = join(findRepoRoot(), 'bin', 'wasi-nn-conformance.js');
    const run = (env: Record<string, string>) => execa('node', [cli, 'run', '--runtime', 'wasmtime', '--suite', 'onnx'], { reject: false, env: { ...process.env, WASI_NN_WASMTIME: '', ...env } });
    const none = await run({ PATH: dirname(process.execPath), WASI_NN_CONFORMANCE_CACHE: mkdtempSync(join(tmpdir(), 'wasi-nn-empty-')) });
    expect(none.exitCode).toBe(2);
    expect(none.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^wasi-nn-conformance: runtime wasmtime unavailable: .*`setup wasmtime` has not been run; fix: run `npx wasi-nn-conformance setup wasmtime`/)]);
    const noOv = await run({ OPENVINO_INSTALL_DIR: '/nonexistent-openvino' });
    expect(noOv.exitCode).toBe(2);
    expect(noOv.stderr.trim().split('\n')).toEqual([expect.stringMatching(/unavailable: .* has the OpenVINO backend, but OpenVINO's libopenvino_c\.so was not found.*fix: run `npx wasi-nn-conformance setup openvino`/)]);
    // the wheel's wasmtime-min has no compiler: it runs no guest, so no backend answers
    const min = join(dirname(setUp?.binary ?? ''), 'wasmtime-min');
    chmodSync(min, 0o755);
    const noNn = await run({ WASI_NN_WASMTIME: min });
    expect(noNn.exitCode).toBe(2);
    expect(noNn.stderr.trim().split('\n')).toEqual([expect.stringMatching(/unavailable: .*wasmtime-min: no wasi-nn backend ran the probe model \(openvino: this build cannot compile wasm/)]);
  });
});
