/** Step lists the harness's tests share (not shipped: test-*.ts is left out of the build). */
import type { Step } from './case-types.js';

/** affine_relu (ONNX) loaded into `g`, a context `c` on it, and its golden input as tensor `t`. */
export const AFFINE_CONTEXT_AND_INPUT: readonly Step[] = [
  { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
  { buffer: 'b', builders: ['m'] },
  { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g' },
  { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
  { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
];
