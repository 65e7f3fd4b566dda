/**
 * load(…, autodetect) through NnHost, the target policy, and the CLI pieces of issue 4 (doctor,
 * --target-policy, --nn-trace's device line, `wasi-nn-conformance detect`). The CLI tests run the
 * built bins (npm test builds first).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from '../../harness/repo-paths.js';
import { createBackends } from '../backends/index.js';
import { OnnxBackend } from '../backends/onnx/onnx-backend.js';
import { parseRunArgs } from '../cli.js';
import { NamedGraphRegistry } from '../core/named-graphs.js';
import { NnHost, type TargetPolicy } from '../core/nn-host.js';
import { NnError, type Encoding } from '../core/types.js';
import type { Backend } from '../backends/backend.js';
import { doctorReport, formatDoctor } from '../doctor.js';
import { withAutodetect } from './autodetect-backend.js';

const read = (rel: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, rel)));
const backends = withAutodetect(createBackends());
const registry = new NamedGraphRegistry();
const host = (targetPolicy?: TargetPolicy, b: ReadonlyMap<Encoding, Backend> = backends) => new NnHost({ backends: b, registry, ...(targetPolicy ? { targetPolicy } : {}) });
const errnoOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof NnError) return `${e.errno}: ${e.message}`;
    throw e;
  }
  return 'success';
};
afterAll(() => registry.dispose());

describe('load with autodetect', () => {
  it('loads an ONNX model with the ONNX engine, records the detection, and computes', () => {
    const h = host();
    const g = h.load([read('onnx/affine_relu.onnx')], 'autodetect', 'cpu');
    const info = h.graphInfo(g);
    expect(info).toMatchObject({ encoding: 'onnx', target: 'cpu', device: 'cpu', fellBack: false });
    expect(info.detection?.confidence).toBeGreaterThanOrEqual(0.9);
    const c = h.initExecutionContext(g);
    h.setInput(c, 0, { type: 'f32', dims: [1, 4], data: new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer) });
    h.compute(c);
    expect(h.getOutput(c, 0).dims).toEqual([1, 3]);
    h.dispose();
  });

  it.each([
    ['JSON text', 'detect/json.json'],
    ['an empty builder', 'detect/empty.bin'],
    ['an ONNX model inside a zip', 'detect/onnx-in-zip.zip'],
  ])('refuses %s with invalid_encoding', (_what, file) => {
    expect(errnoOf(() => host().load([read(file)], 'autodetect', 'cpu'))).toMatch(/^invalid_encoding: autodetect: no answer/);
  });

  it('names the detected format when its engine is not built in', () => {
    const onlyOnnx0 = withAutodetect(new Map<Encoding, Backend>([['onnx', new OnnxBackend()]]));
    expect(errnoOf(() => host(undefined, onlyOnnx0).load([read('detect/graphdef-frozen.pb')], 'autodetect', 'cpu'))).toMatch(/^invalid_encoding: autodetect: the builders are tensorflow \(frozen GraphDef.*no engine for encoding tensorflow/);
    // with the tensorflow engine built in, the same bytes reach it and get its error (x has no dtype)
    expect(errnoOf(() => host().load([read('detect/graphdef-frozen.pb')], 'autodetect', 'cpu'))).toMatch(/^invalid_argument: tensorflow: node x \(Placeholder\) has no dtype attr/);
    const onlyOnnx = withAutodetect(new Map<Encoding, Backend>([['onnx', new OnnxBackend()]]));
    const pt = readFileSync(join(FIXTURES_DIR, 'pytorch', 'affine_relu.pt'));
    expect(errnoOf(() => host(undefined, onlyOnnx).load([new Uint8Array(pt)], 'autodetect', 'cpu'))).toMatch(/^invalid_encoding: .*pytorch/);
  });

  it('gives the engine\'s error for a recognisable but broken model', () => {
    expect(errnoOf(() => host().load([read('detect/onnx-unknown-op.onnx')], 'autodetect', 'cpu'))).toMatch(/^invalid_argument/);
  });

  it('serves load_by_name of a graph preloaded as autodetect', () => {
    const r = new NamedGraphRegistry();
    r.register({ name: 'm', encoding: 'autodetect', target: 'cpu', paths: [join(FIXTURES_DIR, 'onnx', 'affine_relu.onnx')] });
    const h = new NnHost({ backends, registry: r });
    expect(h.graphInfo(h.loadByName('m')).encoding).toBe('onnx');
    h.dispose();
    r.dispose();
  });
});

describe('target policy', () => {
  it('strict (the default): a target the engine lacks is unsupported_operation', () => {
    expect(errnoOf(() => host().load([read('onnx/affine_relu.onnx')], 'onnx', 'gpu'))).toMatch(/^unsupported_operation/);
    expect(errnoOf(() => host('strict').load([read('onnx/affine_relu.onnx')], 'autodetect', 'tpu'))).toMatch(/^unsupported_operation/);
  });

  it('fallback: runs on cpu and records the device that ran', () => {
    const h = host('fallback');
    const g = h.load([read('onnx/affine_relu.onnx')], 'onnx', 'gpu');
    expect(h.graphInfo(g)).toMatchObject({ encoding: 'onnx', target: 'gpu', device: 'cpu', fellBack: true });
    const c = h.initExecutionContext(g);
    h.setInput(c, 0, { type: 'f32', dims: [1, 4], data: new Uint8Array(16) });
    h.compute(c);
    h.dispose();
  });

  it('fallback keeps the engine\'s other checks: a bad builder count is still invalid_argument', () => {
    expect(errnoOf(() => host('fallback').load([read('onnx/affine_relu.onnx'), read('onnx/affine_relu.onnx')], 'onnx', 'gpu'))).toMatch(/^invalid_argument/);
  });

  it('auto picks a target the engine has, under either policy', () => {
    const h = host();
    expect(h.graphInfo(h.load([read('onnx/affine_relu.onnx')], 'onnx', 'auto'))).toMatchObject({ target: 'auto', device: 'cpu', fellBack: false });
    h.dispose();
  });

  it('the CLI parses --target-policy and refuses other values', () => {
    const wasm = join(REPO_ROOT, 'guests', 'driver', 'witx.wasm');
    expect(parseRunArgs([wasm]).targetPolicy).toBe('strict');
    expect(parseRunArgs(['--target-policy', 'fallback', wasm]).targetPolicy).toBe('fallback');
    expect(parseRunArgs(['--target-policy=strict', wasm]).targetPolicy).toBe('strict');
    expect(() => parseRunArgs(['--target-policy', 'maybe', wasm])).toThrow(/expected one of strict, fallback/);
  });
});

describe('doctor', () => {
  const report = doctorReport(backends, { gpu: { found: false, evidence: 'test' }, tpu: { found: false, evidence: 'test' } });
  it('has one row per encoding and a reason and a fix for every unavailable cell', () => {
    expect(report.engines.map((r) => r.encoding)).toEqual(['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect']);
    for (const r of report.engines) {
      for (const [t, cell] of Object.entries(r.targets)) {
        if (!cell.available) {
          expect(cell.reason, `${r.encoding} ${t}`).toBeTruthy();
          expect(cell.fix, `${r.encoding} ${t}`).toBeTruthy();
        }
      }
    }
  });
  it('agrees with the engines: onnx on cpu with its version, no gpu, tensorflow on tfjs', () => {
    const onnx = report.engines.find((r) => r.encoding === 'onnx')!;
    expect(onnx).toMatchObject({ engine: 'onnxruntime-node', version: '1.30.0', available: true });
    expect(onnx.targets.cpu.available).toBe(true);
    expect(onnx.targets.gpu.available).toBe(false);
    const tf = report.engines.find((r) => r.encoding === 'tensorflow')!;
    expect(tf).toMatchObject({ available: true, version: 'tfjs 4.22.0' });
    expect(tf.engine).toMatch(/tfjs-converter GraphModel .* on @tensorflow\/tfjs-backend-(wasm|cpu)/);
    expect(tf.targets.cpu.available).toBe(true);
    expect(tf.targets.gpu).toMatchObject({ available: false, reason: expect.stringMatching(/tfjs runs here on its wasm or cpu backend/) });
  });
  it('prints a table with numbered notes', () => {
    const text = formatDoctor(report);
    expect(text).toMatch(/^encoding +engine +version +cpu +gpu +tpu\n/);
    expect(text).toMatch(/\nonnx +onnxruntime-node +1\.30\.0 +yes +no \(\d+\) +no \(\d+\)\n/);
    expect(text).toMatch(/\n\(1\) .*\n {6}fix: /);
  });
});

describe('the CLIs (built)', () => {
  const HOST = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
  const CONF = join(REPO_ROOT, 'bin', 'wasi-nn-conformance.js');
  const DRIVER = join(REPO_ROOT, 'guests', 'driver', 'witx.wasm');
  const script = (encoding: number, target: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-autodetect-'));
    const path = join(dir, 'steps.txt');
    writeFileSync(path, ['file m /m/affine_relu.onnx', 'alloc b 8', 'u32 b 0 @m', 'u32 b 4 %m', 'alloc g 4 170', `call load @b 1 ${encoding} ${target} @g`, ''].join('\n'));
    return { dir, path };
  };
  const run = (policy: string, encoding: number, target: number) => {
    const s = script(encoding, target);
    return execa('node', [HOST, 'run', '--dir', `${join(FIXTURES_DIR, 'onnx')}::/m`, '--dir', `${s.dir}::/s`, '--nn-trace', '--target-policy', policy, DRIVER, '/s/steps.txt'], { reject: false });
  };
  const loadErrno = (stdout: string) => (JSON.parse(stdout.split('\n').find((l) => l.includes('"fn":"load"')) ?? '{}') as { errno?: number }).errno;

  it('--target-policy fallback runs a gpu load on cpu and --nn-trace says so', async () => {
    const r = await run('fallback', 1, 1);
    expect(loadErrno(r.stdout)).toBe(0);
    expect(r.stderr).toContain('wasi-nn: graph 0: onnx on cpu (requested gpu; fallback policy)');
  });

  it('--target-policy strict answers unsupported_operation (6)', async () => {
    const r = await run('strict', 1, 1);
    expect(loadErrno(r.stdout)).toBe(6);
    expect(r.stderr).toMatch(/wasi-nn: load → unsupported_operation/);
  });

  it('autodetect (5 in witx) loads and --nn-trace prints the detection', async () => {
    const r = await run('strict', 5, 0);
    expect(loadErrno(r.stdout)).toBe(0);
    expect(r.stderr).toMatch(/wasi-nn: graph 0: onnx \(autodetected: ModelProto, confidence 0\.\d+\) on cpu/);
  });

  it('wasi-nn-host doctor --json prints the table as JSON', async () => {
    const r = await execa('node', [HOST, 'doctor', '--json'], { reject: false });
    expect(r.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as { engines: { encoding: string; targets: Record<string, { available: boolean }> }[] };
    expect(json.engines.find((e) => e.encoding === 'onnx')?.targets.cpu?.available).toBe(true);
    expect((await execa('node', [HOST, 'doctor', '--bogus'], { reject: false })).exitCode).toBe(2);
  });

  it('wasi-nn-conformance detect --json: one entry per FILE, a+b for two builders, exit 1 when one is not detected', async () => {
    const f = (p: string) => join(FIXTURES_DIR, p);
    const ok = await execa('node', [CONF, 'detect', '--json', f('onnx/affine_relu.onnx'), `${f('openvino/affine_relu.xml')}+${f('openvino/affine_relu.bin')}`], { reject: false });
    expect(ok.exitCode).toBe(0);
    expect((JSON.parse(ok.stdout) as { encoding: string }[]).map((e) => e.encoding)).toEqual(['onnx', 'openvino']);
    const bad = await execa('node', [CONF, 'detect', '--json', f('detect/json.json')], { reject: false });
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject([{ encoding: null, confidence: 0 }]);
    const text = await execa('node', [CONF, 'detect', f('detect/graphdef-frozen.pb')], { reject: false });
    expect(text.stdout).toMatch(/tensorflow \(frozen GraphDef\), confidence 0\.6\n {2}- /);
    expect((await execa('node', [CONF, 'detect', '/no/such/file'], { reject: false })).exitCode).toBe(2);
  });
});
