import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_ORT_VERSION, loadOrtSync } from './ort-binding.js';

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
