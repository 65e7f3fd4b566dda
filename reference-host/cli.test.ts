/**
 * `wasi-nn-host` as a user runs it: the built CLI in a child process, with guests that are not
 * the driver (guests/examples). Needs `npm run build` first (npm test does it).
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, makeTensor } from '../fixtures/gen/evaluator.js';
import { families } from '../fixtures/gen/families.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { createBackends } from './backends/index.js';
import { parseRunArgs } from './cli.js';

const BIN = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const BASICS = join(REPO_ROOT, 'guests', 'examples', 'wasi-basics.wasm');
const AFFINE = join(REPO_ROOT, 'guests', 'examples', 'onnx-affine.wasm');
const AFFINE_ANY = join(REPO_ROOT, 'guests', 'examples', 'affine-any.wasm');
const pytorch = createBackends().get('pytorch')?.availability();
const pytorchMissing = pytorch?.available === false && process.env.WASI_NN_REQUIRE_ENGINES !== 'all';

const host = (args: string[]) => execa('node', [BIN, ...args], { cwd: REPO_ROOT, reject: false });

describe('wasi-nn-host run', () => {
  it('runs a C program that does load → init → set_input → compute → get_output and prints the right numbers', async () => {
    const input = [1, 2, 3, 4];
    const family = families().find((f) => f.name === 'affine_relu');
    const expected = evaluate(family!.model, { X: makeTensor('f32', [1, 4], input) }).Y!.data as number[];
    const r = await host(['run', '--dir', 'fixtures/onnx::/m', AFFINE, '/m/affine_relu.onnx', ...input.map(String)]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const [outputLine, tooLargeLine] = r.stdout.split('\n');
    const printed = outputLine!.replace(/^output \(12 bytes\):/, '').trim().split(' ').map(Number);
    expect(printed).toHaveLength(3);
    printed.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(tooLargeLine).toBe('get_output into 4 bytes: errno 7, size needed 12');
  });

  it.each([
    ['tensorflowlite', '4', '/m/tflite/affine_relu.tflite'],
    ['openvino (two builders)', '0', '/m/openvino/affine_relu.xml+/m/openvino/affine_relu.bin'],
    ['autodetect of ONNX', '5', '/m/onnx/affine_relu.onnx'],
    ['autodetect of TFLite', '5', '/m/tflite/affine_relu.tflite'],
    ['autodetect of OpenVINO', '5', '/m/openvino/affine_relu.xml+/m/openvino/affine_relu.bin'],
    ...(pytorchMissing
      ? []
      : [
          ['pytorch', '3', '/m/pytorch/affine_relu.pt'],
          ['autodetect of TorchScript', '5', '/m/pytorch/affine_relu.pt'],
        ]),
  ])('a C program loads %s (encoding %s) and prints the right numbers', async (_what, encoding, files) => {
    const input = [0.5, -1, 2, 0.25];
    const family = families().find((f) => f.name === 'affine_relu');
    const expected = evaluate(family!.model, { X: makeTensor('f32', [1, 4], input) }).Y!.data as number[];
    const r = await host(['run', '--dir', 'fixtures::/m', AFFINE_ANY, encoding, files, ...input.map(String)]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const printed = r.stdout.replace(/^output:/, '').trim().split(' ').map(Number);
    expect(printed).toHaveLength(3);
    printed.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('autodetect (encoding 5) refuses bytes that are not a model with invalid_encoding (2)', async () => {
    const r = await host(['run', '--dir', 'fixtures::/m', AFFINE_ANY, '5', '/m/bad/onnx/text.bin', '1', '2', '3', '4']);
    expect(r.stdout).toBe('load: errno 2');
    expect(r.exitCode).toBe(1);
  });

  it('passes args, env and preopened dirs to the guest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-host-'));
    writeFileSync(join(dir, 'hello.txt'), 'hello from the host\n');
    expect((await host(['run', BASICS, 'args', 'one', 'two words'])).stdout).toBe('one\ntwo words');
    expect((await host(['run', '--env', 'GREETING=hi there', BASICS, 'env', 'GREETING'])).stdout).toBe('hi there');
    expect((await host(['run', '--dir', `${dir}::/data`, BASICS, 'cat', '/data/hello.txt'])).stdout).toBe('hello from the host');
    const unopened = await host(['run', BASICS, 'cat', '/data/hello.txt']);
    expect(unopened.exitCode).toBe(1);
  });

  it('passes the exit status through', async () => {
    expect((await host(['run', BASICS, 'exit', '42'])).exitCode).toBe(42);
    expect((await host(['run', BASICS, 'exit', '0'])).exitCode).toBe(0);
  });

  it.each([
    ['trap', 'unreachable', 'trap_here'],
    ['oob', 'memory access out of bounds', 'read_out_of_bounds'],
  ])('reports a %s as a wasm trap with reason and function, never a Node stack trace', async (cmd, reason, fn) => {
    const r = await host(['run', BASICS, cmd]);
    expect(r.exitCode).toBe(134);
    expect(r.stderr).toBe(`wasi-nn-host: wasm trap: ${reason} (in function ${fn})`);
  });

  it.each([
    [['run', 'no-such.wasm'], 'wasi-nn-host: no such file: no-such.wasm'],
    [['run', '--frobnicate', BASICS], 'wasi-nn-host: unknown option --frobnicate'],
    [['run', '--dir', '/no/such/dir', BASICS], 'wasi-nn-host: --dir /no/such/dir: /no/such/dir is not a directory'],
    [['run', '--nn-preload', 'm:onnx:cpu:/no/such.onnx', BASICS], 'wasi-nn-host: --nn-preload m: no such file /no/such.onnx'],
    [['run', '--nn-dialect', 'wasmtime', BASICS], 'wasi-nn-host: --nn-dialect wasmtime: expected one of witx, wamr'],
    [['run', 'package.json'], /^wasi-nn-host: package.json is not a valid WebAssembly module/],
    [['frobnicate'], /^wasi-nn-host: unknown command frobnicate\nusage:/],
  ])('a usage error %j is one line and exit 2', async (args, message) => {
    const r = await host(args as string[]);
    expect(r.exitCode).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('parseRunArgs', () => {
  it('stops at the guest: later flags belong to the guest', () => {
    const cmd = parseRunArgs(['--env', 'A=1', '--nn-dialect=wamr', BASICS, '--env', 'x']);
    expect(cmd.env).toEqual({ A: '1' });
    expect(cmd.dialect).toBe('wamr');
    expect(cmd.args).toEqual(['--env', 'x']);
  });

  it('maps --dir HOST to the same guest path, and HOST::GUEST to GUEST', () => {
    const cmd = parseRunArgs(['--dir', 'fixtures', '--dir', 'suites::/s', BASICS]);
    expect(Object.keys(cmd.preopens)).toEqual(['fixtures', '/s']);
    expect(cmd.preopens['/s']).toBe(join(process.cwd(), 'suites'));
  });

  it('parses preloads in WasmEdge syntax', () => {
    const cmd = parseRunArgs(['--nn-preload', 'affine:ONNX:CPU:fixtures/onnx/affine_relu.onnx', BASICS]);
    expect(cmd.preloads).toEqual([{ name: 'affine', encoding: 'onnx', target: 'cpu', paths: ['fixtures/onnx/affine_relu.onnx'] }]);
  });
});
