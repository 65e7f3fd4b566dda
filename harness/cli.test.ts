import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';

function capture() {
  let err = '';
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  return { err: () => err, out: () => out };
}

describe('wasi-nn-conformance run', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('an unavailable runtime is one line with the reason and the fix, exit 2', async () => {
    vi.stubEnv('WASI_NN_WASMEDGE', '/no/such/wasmedge');
    const io = capture();
    expect(await main(['run', '--runtime', 'wasmedge', '--suite', 'abi/*'])).toBe(2);
    expect(io.err()).toBe('wasi-nn-conformance: runtime wasmedge unavailable: WASI_NN_WASMEDGE=/no/such/wasmedge is not an executable file; fix: point WASI_NN_WASMEDGE at the wasmedge binary, or unset it to use `wasmedge` from PATH\n');
  });

  it.each([
    [['run', '--jobs', '0'], /--jobs 0: expected a whole number >= 1/],
    [['run', '--runtime', 'nope'], /unknown runtime nope \(known: reference, reference-cli, wamr, wasmtime, wasmedge\)/],
    [['run', '--runtime=reference-cli', '--dialect', 'x'], /--dialect x: expected one of/],
    [['frob'], /unknown command frob/],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    const io = capture();
    expect(await main(argv)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('runs a suite under any of the six dialects, wamr-legacy included', async () => {
    const io = capture();
    const status = await main(['run', '--runtime', 'reference', '--dialect', 'wamr-legacy', '--suite', 'abi/get_output']);
    expect(io.out()).toContain('reference (wamr-legacy): 9 cases\nsuite  PASS  cases\nabi       9      9\ntotal     9      9\n9 passed, 0 failed, 0 skipped\n');
    expect(status).toBe(0);
  }, 120_000);

  it('runs a suite on the reference CLI with --jobs and writes plain output without a progress line', async () => {
    const io = capture();
    const status = await main(['run', '--runtime', 'reference-cli', '--suite', 'abi/load_by_name*', '--jobs', '3']);
    expect(io.err()).toBe('');
    expect(io.out()).toMatch(/^reference-cli \(witx\): \d+ cases\nsuite +PASS +cases\n/m);
    expect(status).toBe(0);
  }, 120_000);
});
