import { describe, expect, it } from 'vitest';
import type { BackendGraph } from '../backends/backend.js';
import { NamedGraphRegistry, parsePreloadSpec } from './named-graphs.js';
import { NnError } from './types.js';

describe('parsePreloadSpec', () => {
  it('parses WasmEdge syntax with case-insensitive encoding and target', () => {
    expect(parsePreloadSpec('default:GGML:AUTO:model.gguf')).toEqual({ name: 'default', encoding: 'ggml', target: 'auto', paths: ['model.gguf'] });
    expect(parsePreloadSpec('ir:OpenVINO:cpu:m.xml:m.bin').paths).toEqual(['m.xml', 'm.bin']);
  });

  it.each([
    ['x:onnx:cpu', /expected NAME:ENCODING:TARGET:PATH/],
    [':onnx:cpu:a.onnx', /name is empty/],
    ['x:keras:cpu:a.h5', /unknown encoding "keras"/],
    ['x:onnx:npu:a.onnx', /unknown target "npu"/],
    ['x:onnx:cpu:a.onnx:', /empty path/],
  ])('rejects %s', (spec, message) => {
    expect(() => parsePreloadSpec(spec)).toThrow(message);
  });
});

describe('NamedGraphRegistry', () => {
  const fakeGraph = (): BackendGraph => ({ initExecutionContext: () => { throw new Error('unused'); }, dispose: () => {} });

  it('parses a registered graph once and shares it', () => {
    const registry = new NamedGraphRegistry();
    registry.register({ name: 'm', encoding: 'onnx', target: 'cpu', paths: [new URL('../../package.json', import.meta.url).pathname] });
    let loads = 0;
    const loader = () => {
      loads++;
      return fakeGraph();
    };
    const a = registry.resolve('m', loader);
    const b = registry.resolve('m', loader);
    expect(loads).toBe(1);
    expect(a.graph).toBe(b.graph);
  });

  it('answers not_found for names it does not have, without touching the file system', () => {
    const registry = new NamedGraphRegistry();
    let loads = 0;
    const err = (() => {
      try {
        registry.resolve('/etc/passwd', () => {
          loads++;
          return fakeGraph();
        });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NnError);
    expect((err as NnError).errno).toBe('not_found');
    expect(loads).toBe(0);
  });

  it('answers model_not_found (WasmEdge 103) for a registered name whose file cannot be read', () => {
    const registry = new NamedGraphRegistry();
    registry.register({ name: 'm', encoding: 'ggml', target: 'cpu', paths: ['/no/such/model.gguf'] });
    expect(() => registry.resolve('m', () => fakeGraph())).toThrow(expect.objectContaining({ errno: 'model_not_found' }));
  });

  it('refuses a name registered twice', () => {
    const registry = new NamedGraphRegistry();
    registry.register({ name: 'm', encoding: 'onnx', target: 'cpu', paths: ['a'] });
    expect(() => registry.register({ name: 'm', encoding: 'onnx', target: 'cpu', paths: ['b'] })).toThrow(/twice/);
  });
});
