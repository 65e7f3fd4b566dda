/** The engines built into the reference host, one per encoding. */
import type { Encoding } from '../core/types.js';
import type { Backend } from './backend.js';
import { GgmlBackend } from './ggml/ggml-backend.js';
import { OnnxBackend } from './onnx/onnx-backend.js';
import { OpenVinoBackend } from './openvino/openvino-backend.js';
import { PyTorchBackend } from './pytorch/pytorch-backend.js';
import { TensorflowBackend } from './tensorflow/tensorflow-backend.js';
import { TfliteBackend } from './tflite/tflite-backend.js';

export function createBackends(): Map<Encoding, Backend> {
  const backends: Backend[] = [new OnnxBackend(), new OpenVinoBackend(), new PyTorchBackend(), new GgmlBackend(), new TfliteBackend(), new TensorflowBackend()];
  return new Map(backends.map((b) => [b.encoding, b]));
}
