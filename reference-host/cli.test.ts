/**
 * `wasi-nn-host` as a user runs it: the built CLI in a child process, with guests that are not
 * the driver (guests/examples). Needs `npm run build` first (npm test does it).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, makeTensor } from '../fixtures/gen/evaluator.js';
import { families } from '../fixtures/gen/families.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { createBackends } from './backends/index.js';
import { withoutCustomSection } from './abi/test-modules.js';
import { parseRunArgs } from './cli.js';

const BIN = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const BASICS = join(REPO_ROOT, 'guests', 'examples', 'wasi-basics.wasm');
const AFFINE = join(REPO_ROOT, 'guests', 'examples', 'onnx-affine.wasm');
const AFFINE_ANY = join(REPO_ROOT, 'guests', 'examples', 'affine-any.wasm');
const pytorch = createBackends().get('pytorch')?.availability();
const pytorchMissing = pytorch?.available === false && process.env.WASI_NN_REQUIRE_ENGINES !== 'all';

const host = (args: string[]) => execa('node', [BIN, ...args], { cwd: REPO_ROOT, reject: false });

describe('wasi-nn-host run', () => {
  it('a guest\'s output survives a reader that is slow: its stdout stays blocking, nothing is lost to EAGAIN', async () => {
    const { spawn } = await import('node:child_process');
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-slow-'));
    writeFileSync(join(dir, 'steps.txt'), `${Array.from({ length: 8 }, (_, i) => `alloc b${i} 262144 ${i}\ndump b${i} 0 262144`).join('\n')}\n`);
    const child = spawn(process.execPath, [BIN, 'run', '--nn-trace', '--dir', `${dir}::/c`, join(REPO_ROOT, 'guests', 'driver', 'witx.wasm'), '/c/steps.txt'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const chunks: Buffer[] = [];
    await new Promise((r) => setTimeout(r, 1500));
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    expect(code).toBe(0);
    expect(lines).toHaveLength(17);
    expect(lines.at(-1)).toBe('{"done":true,"steps":16}');
    expect(JSON.parse(lines[15] as string).hex).toBe('07'.repeat(262144));
  }, 60_000);

  it('a host failure is exit 70 with a message, never a trap: the guest runs in a worker whose V8 heap is capped', async () => {
    // tfjs alone needs more than 8 MiB of V8 heap
    const oom = await host(['run', '--nn-max-heap-mb', '8', '--dir', 'fixtures::/m', AFFINE_ANY, '2', '/m/tensorflow/frozen/affine_relu.pb', '1', '2', '3', '4']);
    expect(oom.exitCode).toBe(70);
    expect(oom.stderr).toBe('wasi-nn-host: host failure: the reference host ran out of memory (V8 heap limit 8 MiB, --nn-max-heap-mb) while running the guest; this is not a guest trap');
    // the same heap serves a guest that uses ONNX alone: the engines it never calls never start
    const onnxOnly = await host(['run', '--nn-max-heap-mb', '8', '--dir', 'fixtures::/m', AFFINE_ANY, '1', '/m/onnx/affine_relu.onnx', '1', '2', '3', '4']);
    expect(onnxOnly.stderr).toBe('');
    expect(onnxOnly.stdout).toBe('output: 0.000000 1.975719 1.834780');
    const trap = await host(['run', join(REPO_ROOT, 'guests', 'examples', 'wasi-basics.wasm'), 'trap']);
    expect(trap.exitCode).toBe(134);
    expect((await host(['run', '--nn-max-heap-mb', '4', AFFINE])).stderr).toMatch(/--nn-max-heap-mb 4: expected a whole number of MiB >= 8/);
  });

  it('runs a WasmEdge-style chat guest unmodified: metadata at input 1, metadata after set_input, streamed tokens, reverse-prompt, unload', async () => {
    const CHAT = join(REPO_ROOT, 'guests', 'examples', 'wasmedge-chat.wasm');
    const preload = ['--nn-preload', 'default:GGML:AUTO:fixtures/ggml/tiny-llama.gguf'];
    const r = await host(['run', ...preload, CHAT, 'wasi-nn', '{"n-predict": 8, "reverse-prompt": "~", "enable-log": false, "n-gpu-layers": 0}']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    // the golden of fixtures/ggml/golden.json for "wasi-nn" is "*+*~MY%r": the reverse prompt stops it after "~"
    expect(r.stdout.split('\n')).toEqual([
      'metadata after set_input: {"input_tokens": 8, "output_tokens": 0, "llama_build_number": 0, "llama_commit": "v0.4.0"}',
      'reply: [*] [+] [*] [~]',
      'metadata after compute: {"input_tokens": 8, "output_tokens": 4, "llama_build_number": 0, "llama_commit": "v0.4.0"}',
    ]);
    const refused = await host(['run', ...preload, CHAT, 'wasi-nn', '{"grammar": "root ::= \\"a\\""}']);
    expect(refused.stdout).toBe('set_input(1, metadata): errno 6');
  });

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
    [['run', '--nn-preload-strict', '--nn-preload', 'm:onnx:cpu:/no/such.onnx', BASICS], 'wasi-nn-host: --nn-preload m: no such file /no/such.onnx'],
    [['run', '--nn-dialect', 'wasmtime', BASICS], 'wasi-nn-host: --nn-dialect wasmtime: expected one of witx, wasmedge, wamr, wamr-2.1, witx-2020, wamr-legacy, wit-2024-10-28, wit-2024-08-19'],
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

describe('wasi-nn-host run: a preload whose file is missing', () => {
  it('starts anyway, as WasmEdge does, with a warning; load_by_name of it is model_not_found (103 in the wasmedge dialect)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-missing-preload-'));
    writeFileSync(join(dir, 'steps.txt'), ['alloc n 1', 'hex n 0 6d', 'alloc g 4 170', 'call load_by_name @n 1 @g'].join('\n') + '\n');
    const r = await host(['run', '--nn-dialect', 'wasmedge', '--nn-preload', 'm:ggml:cpu:/no/such.gguf', '--dir', `${dir}::/c`, join(REPO_ROOT, 'guests', 'driver', 'wasmedge.wasm'), '/c/steps.txt']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('wasi-nn-host: warning: --nn-preload m: no such file /no/such.gguf; load_by_name("m") will answer model_not_found (--nn-preload-strict refuses to start)');
    expect(r.stdout).toMatch(/"fn":"load_by_name","args":\[\d+,1,\d+\],"errno":103\}/);
  });
});

describe('wasi-nn-host run: ABI dialects', () => {
  const DRIVER = (d: string) => join(REPO_ROOT, 'guests', 'driver', `${d}.wasm`);
  const golden = JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', 'goldens', 'affine_relu.json'), 'utf8')) as { cases: { inputs: { hex: string }[]; outputs: { hex: string }[] }[] };
  const inputHex = golden.cases[0]!.inputs[0]!.hex;
  const outputHex = golden.cases[0]!.outputs[0]!.hex;
  const script = (lines: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-dialect-'));
    writeFileSync(join(dir, 'steps.txt'), `${lines.join('\n')}\n`);
    return dir;
  };
  const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  /** load, init, set_input, compute and get_output of affine_relu ([1,4] f32 → [1,3] f32) through WAMR's legacy wasi_nn layouts */
  const LEGACY = [
    'file m /m/affine_relu.onnx',
    'alloc b 8', 'u32 b 0 @m', 'u32 b 4 %m',
    // graph_builder_array {buf, size}
    'alloc arr 8', 'u32 arr 0 @b', 'u32 arr 4 1',
    'alloc g 4 170', 'call load @arr 1 0 @g',
    'alloc c 4 170', 'call init_execution_context $g @c',
    // tensor_dimensions {buf, size} and the 12-byte tensor {dimensions, type fp32 = 1, data}
    'alloc dims 8', 'u32 dims 0 1', 'u32 dims 4 4',
    'alloc td 8', 'u32 td 0 @dims', 'u32 td 4 2',
    'alloc data 16', `hex data 0 ${inputHex}`,
    'alloc t 12', 'u32 t 0 @td', 'u32 t 4 1', 'u32 t 8 @data',
    'call set_input $c 0 @t',
    'call compute $c',
    // *inout_size: 8 bytes of capacity (too small), then 16
    'alloc out 16 170', 'alloc n 4', 'u32 n 0 8',
    'call get_output $c 0 @out @n', 'dump n 0 4', 'dump out 0 16',
    'u32 n 0 16',
    'call get_output $c 0 @out @n', 'dump n 0 4', 'dump out 0 12',
  ];

  it('runs the wamr-legacy driver end to end on an ONNX model, chosen by its custom section', async () => {
    const dir = script(LEGACY);
    const r = await host(['run', '--nn-trace', '--dir', 'fixtures/onnx::/m', '--dir', `${dir}::/s`, DRIVER('wamr-legacy'), '/s/steps.txt']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe("wasi-nn: dialect wamr-legacy (from the guest's wasi-nn.dialect custom section)");
    const out = lines(r.stdout);
    const calls = out.filter((l) => l.op === 'call').map((l) => [l.fn, (l.args as number[]).length, l.errno]);
    expect(calls).toEqual([
      ['load', 4, 0],
      ['init_execution_context', 2, 0],
      ['set_input', 3, 0],
      ['compute', 1, 0],
      ['get_output', 4, 7],
      ['get_output', 4, 0],
    ]);
    const dumps = out.filter((l) => l.op === 'dump').map((l) => l.hex);
    expect(dumps).toEqual(['03000000', 'aa'.repeat(16), '03000000', outputHex]); // 3 f32 elements needed, then written
    expect(out.at(-1)).toEqual({ done: true, steps: LEGACY.length });
  });

  it('picks wamr-legacy from the imports of a legacy guest without the section', async () => {
    const dir = script(LEGACY);
    const bare = join(dir, 'legacy-guest.wasm');
    writeFileSync(bare, withoutCustomSection(readFileSync(DRIVER('wamr-legacy')), 'wasi-nn.dialect'));
    const r = await host(['run', '--nn-trace', '--dir', 'fixtures/onnx::/m', '--dir', `${dir}::/s`, bare, '/s/steps.txt']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe("wasi-nn: dialect wamr-legacy (from the guest's imports: module wasi_nn)");
    expect(lines(r.stdout).filter((l) => l.op === 'call').map((l) => l.errno)).toEqual([0, 0, 0, 0, 7, 0]);
  });

  it('refuses to serve a legacy guest as witx, naming the import module, exit 2', async () => {
    const r = await host(['run', '--nn-dialect', 'witx', DRIVER('wamr-legacy'), '/nothing']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^wasi-nn-host: hint: the guest says it was built for the wamr-legacy dialect \(wasi-nn\.dialect section\) but is served witx, as asked\nwasi-nn-host: .*wamr-legacy\.wasm cannot be served: it imports wasi_nn\.\w+, but the witx dialect \(as asked\) is served as module wasi_ephemeral_nn$/);
  });

  it('hints at witx-2020 when a witx guest passes an old u8 tensor (type 2 with product(dims) × 1 bytes), and witx-2020 runs it', async () => {
    // a u8 [1,4] tensor the old way (u8 = 2) into the f32 model: under witx, 2 is f64 and 4 bytes cannot be [1,4] of f64
    const steps = [
      'file m /m/affine_relu.onnx', 'alloc b 8', 'u32 b 0 @m', 'u32 b 4 %m',
      'alloc g 4', 'call load @b 1 1 0 @g', 'alloc c 4', 'call init_execution_context $g @c',
      'alloc dims 8', 'u32 dims 0 1', 'u32 dims 4 4', 'alloc data 4', 'hex data 0 01020304',
      'alloc t 20', 'u32 t 0 @dims', 'u32 t 4 2', 'u32 t 8 2', 'u32 t 12 @data', 'u32 t 16 4',
      'call set_input $c 0 @t',
    ];
    const dir = script(steps);
    const witx = await host(['run', '--dir', 'fixtures/onnx::/m', '--dir', `${dir}::/s`, DRIVER('witx'), '/s/steps.txt']);
    expect(witx.exitCode).toBe(0);
    expect(lines(witx.stdout).find((l) => l.fn === 'set_input')?.errno).toBe(1);
    expect(witx.stderr).toBe(
      'wasi-nn-host: hint: tensor type 2 is f64 in the witx dialect, but 4 bytes is what u8 (2 in old witx (u8 = 2, i32 = 3: wasi-nn crate ≤ 0.5, wasmtime ≤ 14, WasmEdge ≤ 0.14)) needs: if the guest was built for that numbering, run it with --nn-dialect witx-2020',
    );
    const old = await host(['run', '--nn-dialect', 'witx-2020', '--nn-trace', '--dir', 'fixtures/onnx::/m', '--dir', `${dir}::/s`, DRIVER('witx'), '/s/steps.txt']);
    // the size now fits (u8 [1,4]); the f32 model refuses the type, which is the model's answer, not the ABI's
    expect(lines(old.stdout).find((l) => l.fn === 'set_input')?.errno).toBe(1);
    expect(old.stderr).toMatch(/wasi-nn: set_input → invalid_argument: (?!tensor data is)/);
    expect(old.stderr).not.toMatch(/hint: tensor type/);
  });

  it('refuses a guest whose wasi-nn.dialect section names no known dialect unless --nn-dialect is given', async () => {
    const dir = script(['alloc a 4']);
    const odd = join(dir, 'odd.wasm');
    const bytes = withoutCustomSection(readFileSync(DRIVER('witx')), 'wasi-nn.dialect');
    writeFileSync(odd, Buffer.concat([bytes, Buffer.from([0, 21, 15, ...Buffer.from('wasi-nn.dialect'), ...Buffer.from('wasmt')])]));
    const r = await host(['run', odd, '/nothing']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/custom section names "wasmt", which is not a dialect this host knows .*; pass a dialect \(--nn-dialect\) to run it anyway$/);
    const forced = await host(['run', '--nn-dialect', 'witx', '--dir', `${dir}::/s`, odd, '/s/steps.txt']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toMatch(/^wasi-nn-host: hint: the dialect was given, so the guest's wasi-nn.dialect section is ignored: its wasi-nn.dialect custom section names "wasmt"/);
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
