import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CTX, NO_PRELOAD_JOB, SAMPLE_JOB } from '../test-jobs.js';
import type { SpawnResult } from '../spawn.js';
import { WamrAdapter, interpretIwasm, iwasmLibraryPath, splitWamrLog, wamrBackendEncodings } from './wamr-adapter.js';

const run = (over: Partial<SpawnResult>): SpawnResult => ({ exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 1, ...over });

describe('wamr command', () => {
  const wamr = new WamrAdapter('wamr', {}, { path: '/work', entries: () => ['fixtures', 'affine'] });
  it('maps preopens to --dir= / --map-dir=GUEST::HOST and env to --env=; the backends dirs go on LD_LIBRARY_PATH', () => {
    expect(wamr.command(NO_PRELOAD_JOB, CTX)).toEqual({
      ok: true,
      command: {
        file: '/usr/local/bin/rt',
        args: ['--map-dir=/fixtures::/h/fixtures', '--map-dir=/case::/tmp/case-1', '--dir=/same', '--env=GREETING=hi there', SAMPLE_JOB.wasm, '/case/steps.txt', '--not-an-option'],
        env: { LD_LIBRARY_PATH: '/usr/local/bin:/usr/local/lib' },
        stage: [],
      },
    });
  });
  it('keeps the inherited LD_LIBRARY_PATH after the binary\'s own dirs', () => {
    const plan = new WamrAdapter('wamr', { LD_LIBRARY_PATH: '/opt/ort/lib::/x' }).command(NO_PRELOAD_JOB, { file: '/b/wamr/build/iwasm', stageDir: '/tmp/s' });
    expect(plan.ok && plan.command.env).toEqual({ LD_LIBRARY_PATH: '/b/wamr/build:/b/wamr/lib:/opt/ort/lib:/x' });
    expect(iwasmLibraryPath('/p/bin/iwasm', undefined)).toBe('/p/bin:/p/lib');
  });
  it('a preloaded name is a host file in iwasm\'s cwd: staged as a symlink, iwasm runs in the stage dir', () => {
    expect(wamr.command(SAMPLE_JOB, CTX)).toEqual({
      ok: true,
      command: {
        file: '/bin/sh',
        args: ['-c', 'cd -- "$0" && exec "$@"', '/tmp/stage', '/usr/local/bin/rt', '--map-dir=/fixtures::/h/fixtures', '--map-dir=/case::/tmp/case-1', '--dir=/same', '--env=GREETING=hi there', SAMPLE_JOB.wasm, '/case/steps.txt', '--not-an-option'],
        env: { LD_LIBRARY_PATH: '/usr/local/bin:/usr/local/lib' },
        // the harness's cwd entries are mirrored, except one a preloaded name shadows
        stage: [
          { path: '/tmp/stage/affine', target: '/h/fixtures/onnx/affine_relu.onnx' },
          { path: '/tmp/stage/fixtures', target: '/work/fixtures' },
        ],
      },
    });
    expect(wamr.cannotRun(SAMPLE_JOB)).toBeUndefined();
    expect(wamr.cannotRun(NO_PRELOAD_JOB)).toBeUndefined();
  });
  it('a preloaded name that cannot be a file name, or a graph of two files, is UNSUPPORTED with the reason', () => {
    const named = (name: string) => ({ ...SAMPLE_JOB, preloads: [{ ...SAMPLE_JOB.preloads[0]!, name }] });
    for (const name of ['', '.', '..', 'a/b', 'nul\0']) expect(wamr.cannotRun(named(name))).toMatch(/cannot be a file name/);
    const ov = { ...SAMPLE_JOB, preloads: [{ name: 'ir', encoding: 'openvino' as const, target: 'cpu' as const, paths: ['/m.xml', '/m.bin'] }] };
    expect(wamr.cannotRun(ov)).toMatch(/"ir" has 2 files/);
    expect(wamr.cannotRun({ ...SAMPLE_JOB, wasm: 'guests/x.wasm' })).toMatch(/guests\/x.wasm must be an absolute path/);
  });
  it('speaks the WAMR dialects (HEAD, 2.1.1-2.3.x numbering, legacy wasi_nn) and provides load_by_name_with_config', async () => {
    const caps = await wamr.capabilities();
    expect(caps.dialects).toEqual(['wamr', 'wamr-2.1', 'wamr-legacy']);
    expect(caps.preload).toBe('host-path');
    expect(caps.functions).toContain('load_by_name_with_config');
    expect(caps.functions).not.toContain('unload');
  });
});

// iwasm 2.4.3 (main 646b5a9, ONNX backend) printed these on stdout, between the guest's lines
const WAMR_STDOUT = [
  '{"step":1,"op":"alloc","name":"b","addr":93680,"size":0}',
  '[04:09:40:205 - 7FFA285E8BC0]: warning: wasm_runtime_malloc with size zero',
  '[wasi_nn.c:344 ERROR] Error loading libwasi_nn_tflite.so. libwasi_nn_tflite.so: cannot open shared object file: No such file or directory',
  '[wasi_nn.c:420 ERROR] load backend failed',
  '{"step":2,"op":"call","fn":"load","args":[93680,0,4,0,93696],"errno":2}',
  '[wasi_nn_onnx.cpp:766 ERROR] Output buffer too small: 4 bytes provided, 12 bytes needed',
  '[wasi_nn.c:299 WARNING] load_by_name_with_config() not found',
  '{"done":true,"steps":2}',
  '',
].join('\n');

describe('wamr output', () => {
  it('moves WAMR\'s log lines (wasi-nn logger, bh_log) from stdout to stderr', () => {
    const { guest, log } = splitWamrLog(WAMR_STDOUT);
    expect(guest).toBe('{"step":1,"op":"alloc","name":"b","addr":93680,"size":0}\n{"step":2,"op":"call","fn":"load","args":[93680,0,4,0,93696],"errno":2}\n{"done":true,"steps":2}\n');
    expect(log).toHaveLength(5);
    const o = interpretIwasm(run({ stdout: WAMR_STDOUT, stderr: 'ort says hi' }));
    expect(o.stdout).toBe(guest);
    expect(o.stderr).toBe(`ort says hi\n${log.join('\n')}\n`);
    expect(o.trap).toBeUndefined();
    expect(o.startError).toBeUndefined();
  });
  it('a log message over several lines (ORT\'s error text) is one log entry', () => {
    const { guest, log } = splitWamrLog(
      '{"step":32}\n[wasi_nn_onnx.cpp:66 ERROR] ONNX Runtime error: Got invalid dimensions for input: X for the following indices\n index: 0 Got: 0 Expected: 1\n Please fix either the inputs/outputs or the model.\n[wasi_nn.c:739 ERROR] Error compute() -> 1\n{"step":33}\n  indented guest line\n',
    );
    expect(guest).toBe('{"step":32}\n{"step":33}\n  indented guest line\n');
    expect(log).toEqual([
      '[wasi_nn_onnx.cpp:66 ERROR] ONNX Runtime error: Got invalid dimensions for input: X for the following indices\n index: 0 Got: 0 Expected: 1\n Please fix either the inputs/outputs or the model.',
      '[wasi_nn.c:739 ERROR] Error compute() -> 1',
    ]);
  });
  it('an application guest\'s plain output after a WAMR warning stays guest output', () => {
    expect(splitWamrLog('[wasi_nn.c:299 WARNING] load_by_name_with_config() not found\noutput (12 bytes): 0.000000 1.975719 1.834780\n').guest).toBe('output (12 bytes): 0.000000 1.975719 1.834780\n');
  });
  it('a guest line that merely starts with "[" stays guest output', () => {
    expect(splitWamrLog('[1, 2]\n[x.c:1 NOTE] y\n').log).toEqual([]);
  });
  it('a trap after WAMR log lines is still a trap, and the log is kept', () => {
    const o = interpretIwasm(run({ exitCode: 1, stdout: '{"step":1}\n[wasi_nn.c:675 ERROR] ctx is invalid\nException: out of bounds memory access\n' }));
    expect(o.trap).toBe('Exception: out of bounds memory access');
    expect(o.stdout).toBe('{"step":1}\n');
    expect(o.stderr).toBe('[wasi_nn.c:675 ERROR] ctx is invalid\n');
  });
  it('reads "Exception: ..." on stdout as a trap and drops that line', () => {
    const o = interpretIwasm(run({ exitCode: 1, stdout: '{"step":1,"op":"alloc"}\nException: out of bounds memory access\n' }));
    expect(o.trap).toBe('Exception: out of bounds memory access');
    expect(o.stdout).toBe('{"step":1,"op":"alloc"}\n');
  });
  it('an abort is a signal, not a trap', () => {
    const o = interpretIwasm(run({ exitCode: null, signal: 'SIGABRT', stdout: '{"step":1}\n' }));
    expect(o).toMatchObject({ signal: 'SIGABRT', exitCode: null });
    expect(o.trap).toBeUndefined();
  });
  it('a module iwasm cannot load did not start', () => {
    const o = interpretIwasm(run({ exitCode: 255, stdout: 'WASM module load failed: magic header not detected\n' }));
    expect(o.startError).toMatch(/iwasm exited 255 before the guest printed anything: WASM module load failed/);
  });
});

describe('wamr backends', () => {
  it('an encoding is there when its backend library is on the child\'s library path; autodetect with any', () => {
    const have = new Set(['/b/build/libwasi_nn_onnx.so', '/usr/lib/libwasi_nn_llamacpp.so']);
    expect(wamrBackendEncodings('/b/build:/b/lib', (p) => have.has(p))).toEqual(['onnx', 'ggml', 'autodetect']);
    expect(wamrBackendEncodings('/b/build', () => false)).toEqual([]);
  });
  it('capabilities: the libraries beside the detected iwasm; WASI_NN_IWASM_ENCODINGS overrides', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-iwasm-'));
    const bin = join(dir, 'iwasm');
    writeFileSync(bin, '#!/bin/sh\n[ "$1" = --version ] && printf "iwasm 2.4.3\\n" && exit 0\nexit 1\n');
    chmodSync(bin, 0o755);
    writeFileSync(join(dir, 'libwasi_nn_onnx.so'), '');
    const caps = await new WamrAdapter('wamr', { WASI_NN_IWASM: bin, PATH: '' }).capabilities();
    expect(caps.encodings).toEqual(['onnx', 'autodetect']);
    const narrowed = await new WamrAdapter('wamr', { WASI_NN_IWASM: bin, PATH: '', WASI_NN_IWASM_ENCODINGS: 'onnx' }).capabilities();
    expect(narrowed.encodings).toEqual(['onnx']);
  });
});

describe('wamr detect', () => {
  afterEach(() => vi.unstubAllEnvs());
  it('unavailable: names WASI_NN_IWASM in the fix', async () => {
    vi.stubEnv('WASI_NN_IWASM', '/no/such/iwasm');
    const d = await new WamrAdapter().detect();
    expect(d).toEqual({ available: false, reason: 'WASI_NN_IWASM=/no/such/iwasm is not an executable file', fix: expect.stringContaining('WASI_NN_IWASM') });
  });
  it('available: the version is what --version printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-iwasm-'));
    const bin = join(dir, 'iwasm');
    writeFileSync(bin, '#!/bin/sh\n[ "$1" = --version ] && printf "iwasm 2.4.1\\n\\n" && exit 0\nexit 1\n');
    chmodSync(bin, 0o755);
    vi.stubEnv('WASI_NN_IWASM', bin);
    expect(await new WamrAdapter().detect()).toEqual({ available: true, version: 'iwasm 2.4.1', path: bin });
  });
});
