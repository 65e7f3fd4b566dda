/**
 * Components on `wasi-nn-host` as a user runs them (the built CLI in a child process): the
 * example component application, components the host must refuse, and the transpile cache.
 */
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, makeTensor } from '../../fixtures/gen/evaluator.js';
import { families } from '../../fixtures/gen/families.js';
import { REPO_ROOT } from '../../harness/repo-paths.js';
import { componentCacheDir, loadComponent, wasmKind } from './load-component.js';

const BIN = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const WIT_ANY = join(REPO_ROOT, 'guests', 'examples', 'wit-any.wasm');
const cache = mkdtempSync(join(tmpdir(), 'wasi-nn-component-cache-'));
const host = (args: string[]) => execa('node', [BIN, ...args], { cwd: REPO_ROOT, reject: false, env: { WASI_NN_COMPONENT_CACHE: cache } });

function affine(input: number[]): string {
  const family = families().find((f) => f.name === 'affine_relu');
  const y = evaluate(family!.model, { X: makeTensor('f32', [1, 4], input) }).Y!.data as number[];
  return y.map((v) => v.toFixed(6)).join(' ');
}

describe('wasi-nn-host run COMPONENT', () => {
  it('runs the example component: load, compute with named tensors, outputs named by the model, the evaluator\'s numbers', async () => {
    const r = await host(['run', '--dir', 'fixtures::/m', WIT_ANY, 'onnx', '/m/onnx/affine_relu.onnx', '1', '2', '3', '4']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`Y: ${affine([1, 2, 3, 4])}`);
    const traced = await host(['run', '--nn-trace', '--dir', 'fixtures::/m', WIT_ANY, 'onnx', '/m/onnx/affine_relu.onnx', '1', '2', '3', '4']);
    expect(traced.stderr.split('\n')).toEqual([
      'wasi-nn: dialect wit-2024-10-28 (from the component\'s imports: wasi:nn@0.2.0-rc-2024-10-28)',
      'wasi-nn: graph 0: onnx on cpu',
      'wasi-nn: load → ok',
      'wasi-nn: init-execution-context → ok',
      'wasi-nn: compute → ok',
    ]);
    const ir = await host(['run', '--dir', 'fixtures::/m', WIT_ANY, 'openvino', '/m/openvino/affine_relu.xml+/m/openvino/affine_relu.bin', '0.5', '-1', '2', '0']);
    expect(ir.stdout).toBe(`Y: ${affine([0.5, -1, 2, 0])}`);
  });

  it('prints a failed call\'s error code and error.data(); the guest\'s non-zero exit is 1 (WASI 0.2 exit carries ok or err only)', async () => {
    const r = await host(['run', '--dir', 'fixtures::/m', WIT_ANY, 'tensorflowlite', '/m/onnx/affine_relu.onnx', '1', '2', '3', '4']);
    expect(r.stdout).toMatch(/^load: invalid-argument: tensorflowlite: /);
    expect(r.exitCode).toBe(1);
  });

  it('caches the transpiled component by hash: one folder per component, reused by the next run', async () => {
    const bytes = readFileSync(WIT_ANY);
    expect(wasmKind(bytes)).toBe('component');
    expect(wasmKind(readFileSync(join(REPO_ROOT, 'guests', 'driver', 'witx.wasm')))).toBe('module');
    expect(wasmKind(Buffer.from('not wasm'))).toBe('not wasm');
    process.env.WASI_NN_COMPONENT_CACHE = mkdtempSync(join(tmpdir(), 'wasi-nn-component-cache-'));
    try {
      expect(componentCacheDir()).toBe(process.env.WASI_NN_COMPONENT_CACHE);
      const first = await loadComponent(bytes);
      expect(first.nnVersion).toBe('0.2.0-rc-2024-10-28');
      expect(first.imports).toContain('wasi:nn/inference@0.2.0-rc-2024-10-28');
      const entries = readdirSync(componentCacheDir()).filter((e) => !e.startsWith('.'));
      expect(entries).toHaveLength(1);
      expect(readdirSync(join(componentCacheDir(), entries[0] as string))).toEqual(expect.arrayContaining(['component.js', 'meta.json']));
      expect(await loadComponent(bytes)).toBe(first);
    } finally {
      delete process.env.WASI_NN_COMPONENT_CACHE;
    }
  });

  it.each([
    ['(component)', /: it is not a WASI command: it exports no wasi:cli\/run@0\.2\.x \(exports: none\)$/],
    ['(component (import "wasi:nn/graph@0.2.0-rc-2024-06-25" (instance)))', /: it imports wasi:nn@0\.2\.0-rc-2024-06-25; this host serves wasi:nn@0\.2\.0-rc-2024-10-28 and @0\.2\.0-rc-2024-08-19$/],
    ['(component (import "wasi:keyvalue/store@0.2.0-draft" (instance)))', /: it imports wasi:keyvalue\/store@0\.2\.0-draft, which this host does not serve/],
    ['garbage', /: not a valid component: /],
  ])('refuses %s with one line and exit 2', async (wat, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-bad-component-'));
    const file = join(dir, 'bad.wasm');
    const bytes = wat === 'garbage' ? Buffer.concat([Buffer.from(await parse('(component)')), Buffer.from([1, 2, 3, 4, 5])]) : Buffer.from(await parse(wat));
    writeFileSync(file, bytes);
    const r = await host(['run', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a dialect that does not fit: a core dialect for a component, another WIT version, a component dialect for a core module', async () => {
    expect((await host(['run', '--nn-dialect', 'witx', WIT_ANY])).stderr).toMatch(/the witx dialect is for core modules; this is a component/);
    const version = await host(['run', '--nn-dialect', 'wit-2024-08-19', WIT_ANY]);
    expect(version.stderr).toMatch(/it imports wasi:nn@0\.2\.0-rc-2024-10-28, but the wit-2024-08-19 dialect serves wasi:nn@0\.2\.0-rc-2024-08-19$/);
    expect(version.exitCode).toBe(2);
    const core = await host(['run', '--nn-dialect', 'wit-2024-10-28', join(REPO_ROOT, 'guests', 'examples', 'affine-any.wasm')]);
    expect(core.stderr).toMatch(/is a core module; the wit-2024-10-28 dialect is for components$/);
    expect(core.exitCode).toBe(2);
  });
});
