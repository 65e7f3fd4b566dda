import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CTX, SAMPLE_JOB } from '../test-jobs.js';
import type { SpawnResult } from '../spawn.js';
import { WasmedgeAdapter, interpretWasmedge } from './wasmedge-adapter.js';

const run = (over: Partial<SpawnResult>): SpawnResult => ({ exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 1, ...over });

describe('wasmedge command', () => {
  const we = new WasmedgeAdapter();
  it('maps preopens to --dir=GUEST:HOST, env to --env=, preloads to --nn-preload=NAME:ENCODING:TARGET:PATH', () => {
    expect(we.command(SAMPLE_JOB, CTX)).toEqual({
      ok: true,
      command: {
        file: '/usr/local/bin/rt',
        args: [
          '--dir=/fixtures:/h/fixtures', '--dir=/case:/tmp/case-1', '--dir=/same:/same',
          '--env=GREETING=hi there',
          '--nn-preload=affine:ONNX:CPU:/h/fixtures/onnx/affine_relu.onnx',
          '/h/guests/driver/witx.wasm', '/case/steps.txt', '--not-an-option',
        ],
        env: {},
        stage: [],
      },
    });
  });
  it('speaks the wasmedge dialect by default, with its twelve functions', async () => {
    expect(we.dialect).toBe('wasmedge');
    const caps = await we.capabilities();
    expect(caps.dialects).toEqual(['wasmedge']);
    expect(caps.functions).toHaveLength(12);
    expect(caps.functions).toContain('finalize_execution_context');
  });
  it('a ":" in a name or path cannot be carried', () => {
    expect(we.cannotRun({ ...SAMPLE_JOB, preloads: [{ name: 'a:b', encoding: 'onnx', target: 'cpu', paths: ['/m'] }] })).toMatch(/cannot carry "a:b"/);
    expect(we.cannotRun({ ...SAMPLE_JOB, preopens: { '/x': '/c:/x' } })).toMatch(/--dir=GUEST:HOST cannot carry/);
  });
});

describe('wasmedge output', () => {
  it('"[error] execution failed: ..." with exit 134 is a trap', () => {
    const stderr = '[2026-08-21 10:00:00.000] [error] execution failed: out of bounds memory access, Code: 0x408\n[2026-08-21 10:00:00.000] [error]     When executing function name: "_start"\n';
    expect(interpretWasmedge(run({ exitCode: 134, stdout: '{"step":1}\n', stderr })).trap).toBe('execution failed: out of bounds memory access (code 0x408) (in function _start)');
  });
  it('an instantiation failure means the guest did not start', () => {
    const o = interpretWasmedge(run({ exitCode: 1, stderr: '[error] instantiation failed: unknown import, Code: 0x302\n' }));
    expect(o.startError).toMatch(/instantiation failed: unknown import/);
    expect(o.trap).toBeUndefined();
  });
});

describe('wasmedge detect', () => {
  afterEach(() => vi.unstubAllEnvs());
  const fake = (out: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-wasmedge-'));
    const bin = join(dir, 'wasmedge');
    writeFileSync(bin, `#!/bin/sh\nprintf '%s' '${out}'\n`);
    chmodSync(bin, 0o755);
    return bin;
  };
  it('unavailable without the wasi_nn plugin', async () => {
    vi.stubEnv('WASI_NN_WASMEDGE', fake('wasmedge version 0.14.1\n'));
    expect(await new WasmedgeAdapter().detect()).toMatchObject({ available: false, reason: expect.stringMatching(/no wasi_nn plugin/) });
  });
  it('available with it, version and plugin version', async () => {
    const bin = fake('wasmedge version 0.14.1\n/p/libwasmedgePluginWasiNN.so (plugin "wasi_nn") version 0.1.28.0\n');
    vi.stubEnv('WASI_NN_WASMEDGE', bin);
    expect(await new WasmedgeAdapter().detect()).toEqual({ available: true, version: 'wasmedge version 0.14.1, wasi_nn plugin 0.1.28.0', path: bin });
  });
});
