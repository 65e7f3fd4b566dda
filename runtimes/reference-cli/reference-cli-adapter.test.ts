import { describe, expect, it } from 'vitest';
import { CTX, SAMPLE_JOB } from '../test-jobs.js';
import { HOST_BIN, ReferenceCliAdapter } from './reference-cli-adapter.js';

describe('reference-cli command', () => {
  it('runs bin/wasi-nn-host.js run with --nn-dialect, --dir HOST::GUEST, --env, --nn-preload and -- before the guest', () => {
    expect(new ReferenceCliAdapter('wamr').command(SAMPLE_JOB, CTX)).toEqual({
      ok: true,
      command: {
        file: '/usr/local/bin/rt',
        args: [
          HOST_BIN, 'run', '--nn-dialect', 'wamr',
          '--dir', '/h/fixtures::/fixtures', '--dir', '/tmp/case-1::/case', '--dir', '/same::/same',
          '--env', 'GREETING=hi there',
          '--nn-preload', 'affine:onnx:cpu:/h/fixtures/onnx/affine_relu.onnx',
          '--', '/h/guests/driver/witx.wasm', '/case/steps.txt', '--not-an-option',
        ],
        env: {},
        stage: [],
      },
    });
  });
  it('is available once dist/ is built, speaking every dialect', async () => {
    const a = new ReferenceCliAdapter();
    expect(await a.detect()).toMatchObject({ available: true, path: process.execPath });
    expect((await a.capabilities()).dialects).toEqual(['witx', 'wasmedge', 'wamr', 'wamr-2.1', 'witx-2020', 'wamr-legacy', 'wit-2024-10-28', 'wit-2024-08-19']);
  });
});
