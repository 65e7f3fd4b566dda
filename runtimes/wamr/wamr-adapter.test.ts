import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CTX, NO_PRELOAD_JOB, SAMPLE_JOB } from '../test-jobs.js';
import type { SpawnResult } from '../spawn.js';
import { WamrAdapter, interpretIwasm } from './wamr-adapter.js';

const run = (over: Partial<SpawnResult>): SpawnResult => ({ exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, truncated: false, durationMs: 1, ...over });

describe('wamr command', () => {
  const wamr = new WamrAdapter();
  it('maps preopens to --dir= / --map-dir=GUEST::HOST and env to --env=', () => {
    expect(wamr.command(NO_PRELOAD_JOB, CTX)).toEqual({
      ok: true,
      command: {
        file: '/usr/local/bin/rt',
        args: ['--map-dir=/fixtures::/h/fixtures', '--map-dir=/case::/tmp/case-1', '--dir=/same', '--env=GREETING=hi there', '/h/guests/driver/wasi_ephemeral_nn-core.wasm', '/case/steps.txt', '--not-an-option'],
        env: {},
        stage: [],
      },
    });
  });
  it('cannot express a preloaded graph: the case is UNSUPPORTED with the reason', () => {
    expect(wamr.command(SAMPLE_JOB, CTX)).toEqual({ ok: false, reason: expect.stringMatching(/no preload flag.*"affine"/) });
    expect(wamr.cannotRun(SAMPLE_JOB)).toMatch(/iwasm has no preload flag/);
    expect(wamr.cannotRun(NO_PRELOAD_JOB)).toBeUndefined();
  });
  it('speaks only the wamr dialect and provides load_by_name_with_config', async () => {
    const caps = await wamr.capabilities();
    expect(caps.dialects).toEqual(['wamr']);
    expect(caps.preload).toBe('none');
    expect(caps.functions).toContain('load_by_name_with_config');
    expect(caps.functions).not.toContain('unload');
  });
});

describe('wamr output', () => {
  it('reads "Exception: ..." on stdout as a trap and drops that line', () => {
    const o = interpretIwasm(run({ exitCode: 1, stdout: '{"step":1,"op":"alloc"}\nException: out of bounds memory access\n' }));
    expect(o.trap).toBe('Exception: out of bounds memory access');
    expect(o.stdout).toBe('{"step":1,"op":"alloc"}\n');
  });
  it('an abort is a signal, not a trap', () => {
    const o = interpretIwasm(run({ exitCode: null, signal: 'SIGABRT', stdout: '{"step":1}\n' }));
    expect(o).toMatchObject({ signal: 'SIGABRT', exitCode: null });
    expect(o.trap).toBeUndefined();
  });
  it('a module iwasm cannot load did not start', () => {
    const o = interpretIwasm(run({ exitCode: 255, stdout: 'WASM module load failed: magic header not detected\n' }));
    expect(o.startError).toMatch(/iwasm exited 255 before the guest printed anything: WASM module load failed/);
  });
});

describe('wamr detect', () => {
  afterEach(() => vi.unstubAllEnvs());
  it('unavailable: names WASI_NN_IWASM in the fix', async () => {
    vi.stubEnv('WASI_NN_IWASM', '/no/such/iwasm');
    const d = await new WamrAdapter().detect();
    expect(d).toEqual({ available: false, reason: 'WASI_NN_IWASM=/no/such/iwasm is not an executable file', fix: expect.stringContaining('WASI_NN_IWASM') });
  });
  it('available: the version is what --version printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-iwasm-'));
    const bin = join(dir, 'iwasm');
    writeFileSync(bin, '#!/bin/sh\n[ "$1" = --version ] && printf "iwasm 2.4.1\\n\\n" && exit 0\nexit 1\n');
    chmodSync(bin, 0o755);
    vi.stubEnv('WASI_NN_IWASM', bin);
    expect(await new WamrAdapter().detect()).toEqual({ available: true, version: 'iwasm 2.4.1', path: bin });
  });
});
