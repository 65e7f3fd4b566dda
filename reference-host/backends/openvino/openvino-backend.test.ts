import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { OpenVinoBackend } from './openvino-backend.js';

const hasOpenVinoNode = (() => {
  try {
    createRequire(import.meta.url).resolve('openvino-node');
    return true;
  } catch {
    return false;
  }
})();

it('looks for the optional openvino-node without failing when it is absent', () => {
  const b = new OpenVinoBackend();
  const a = b.availability();
  expect(a.available).toBe(true);
  expect(a.engine).toBe(hasOpenVinoNode ? 'openvino-node' : 'IR front-end on onnxruntime-node');
  expect(b.targets()).toEqual(['cpu']);
});

it('WASI_NN_OPENVINO=frontend keeps to the IR front-end', () => {
  const saved = process.env['WASI_NN_OPENVINO'];
  process.env['WASI_NN_OPENVINO'] = 'frontend';
  try {
    const b = new OpenVinoBackend();
    expect(b.availability().engine).toBe('IR front-end on onnxruntime-node');
  } finally {
    if (saved === undefined) delete process.env['WASI_NN_OPENVINO'];
    else process.env['WASI_NN_OPENVINO'] = saved;
  }
});
