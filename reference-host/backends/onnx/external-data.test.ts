import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../../fixtures/gen/onnx-writer.js';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { NnError } from '../../core/types.js';
import { OnnxBackend } from './onnx-backend.js';
import { ModelInspectionError, findExternalData } from './external-data.js';

const fixture = (path: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, path)));

/** A TensorProto named `name` whose data is in the external file `location`. */
const externalTensor = (t: ProtoWriter, name: string, location: string) => t.string(8, name).int(2, 1).message(13, (e) => e.string(1, 'location').string(2, location)).int(14, 1);

describe('ONNX external data is found before onnxruntime sees the model', () => {
  it('names the initializer and its location in the security fixtures; the inline control has none', () => {
    expect(findExternalData(fixture('security/onnx_external_relative.onnx'))).toEqual({ where: 'graph.initializer[0] (secret)', location: 'package.json' });
    expect(findExternalData(fixture('security/onnx_external_absolute.onnx'))).toEqual({ where: 'graph.initializer[0] (secret)', location: '/etc/passwd' });
    expect(findExternalData(fixture('security/onnx_inline_control.onnx'))).toBeUndefined();
  });

  it('finds none in any model fixture', () => {
    for (const f of readdirSync(join(FIXTURES_DIR, 'onnx'))) expect(findExternalData(fixture(`onnx/${f}`)), f).toBeUndefined();
  });

  it('looks inside nested graphs (an If branch), sparse initializers, node attribute tensors, functions and training graphs', () => {
    const model = (build: (g: ProtoWriter) => void, top?: (m: ProtoWriter) => void) => {
      const w = new ProtoWriter().int(1, 8);
      w.message(7, build);
      top?.(w);
      return w.bytes();
    };
    const inBranch = model((g) => g.message(1, (n) => n.string(4, 'If').message(5, (a) => a.string(1, 'then_branch').message(6, (b) => b.message(5, (t) => externalTensor(t, 'w', 'a.bin'))))));
    expect(findExternalData(inBranch)).toEqual({ where: 'graph.node[0].attribute[0].graph.initializer[0] (w)', location: 'a.bin' });
    const sparse = model((g) => g.message(15, (s) => s.message(1, (t) => externalTensor(t, 'v', 'b.bin'))));
    expect(findExternalData(sparse)).toEqual({ where: 'graph.sparse_initializer[0].values (v)', location: 'b.bin' });
    const constant = model((g) => g.message(1, (n) => n.string(4, 'Constant').message(5, (a) => a.string(1, 'value').message(5, (t) => externalTensor(t, 'c', 'c.bin')))));
    expect(findExternalData(constant)).toEqual({ where: 'graph.node[0].attribute[0].tensor (c)', location: 'c.bin' });
    const fn = model(() => {}, (m) => m.message(25, (f) => f.message(7, (n) => n.message(5, (a) => a.message(5, (t) => externalTensor(t, 'f', 'f.bin'))))));
    expect(findExternalData(fn)).toEqual({ where: 'functions[0].node[0].attribute[0].tensor (f)', location: 'f.bin' });
    const training = model(() => {}, (m) => m.message(20, (ti) => ti.message(1, (g) => g.message(5, (t) => externalTensor(t, 'i', 'i.bin')))));
    expect(findExternalData(training)).toEqual({ where: 'training_info[0].initialization.initializer[0] (i)', location: 'i.bin' });
  });

  it('refuses what it cannot inspect: a malformed message, nesting past the limit', () => {
    expect(() => findExternalData(new Uint8Array([0x3a, 0x05, 0x01]))).toThrow(ModelInspectionError);
    let g = new ProtoWriter().message(5, (t) => externalTensor(t, 'deep', 'd.bin')).bytes();
    for (let i = 0; i < 80; i++) {
      const inner = g;
      g = new ProtoWriter().message(1, (n) => n.message(5, (a) => a.message(6, (b) => b.raw(inner)))).bytes();
    }
    const deep = new ProtoWriter().message(7, (m) => m.raw(g)).bytes();
    expect(() => findExternalData(deep)).toThrow(/nests deeper than 64 levels/);
  });

  it('the onnx engine refuses the model with invalid_argument, naming the file, and never hands it to onnxruntime', () => {
    const backend = new OnnxBackend();
    let error: unknown;
    try {
      backend.load([fixture('security/onnx_external_relative.onnx')], 'cpu');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NnError);
    expect((error as NnError).errno).toBe('invalid_argument');
    expect((error as NnError).message).toMatch(/graph\.initializer\[0\] \(secret\) keeps its data in an external file \(location "package\.json"\); this host loads a model from its bytes only/);
    const control = backend.load([fixture('security/onnx_inline_control.onnx')], 'cpu');
    control.dispose?.();
  });
});
