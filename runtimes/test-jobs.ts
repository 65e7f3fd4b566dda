/** A sample guest job shared by the adapters' command tests (not a test itself). */
import type { GuestJob } from './adapter.js';

export const SAMPLE_JOB: GuestJob = {
  wasm: '/h/guests/driver/witx.wasm',
  args: ['/case/steps.txt', '--not-an-option'],
  preopens: { '/fixtures': '/h/fixtures', '/case': '/tmp/case-1', '/same': '/same' },
  env: { GREETING: 'hi there' },
  preloads: [{ name: 'affine', encoding: 'onnx', target: 'cpu', paths: ['/h/fixtures/onnx/affine_relu.onnx'] }],
  timeoutMs: 1000,
};

export const NO_PRELOAD_JOB: GuestJob = { ...SAMPLE_JOB, preloads: [] };
export const CTX = { file: '/usr/local/bin/rt', stageDir: '/tmp/stage' };
