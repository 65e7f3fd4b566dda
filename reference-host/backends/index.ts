/** The engines built into the reference host, one per encoding. */
import type { Encoding } from '../core/types.js';
import type { Backend } from './backend.js';
import { OnnxBackend } from './onnx/onnx-backend.js';

export function createBackends(): Map<Encoding, Backend> {
  const backends: Backend[] = [new OnnxBackend()];
  return new Map(backends.map((b) => [b.encoding, b]));
}
