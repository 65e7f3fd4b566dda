import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';
import { capture } from './test-capture.js';


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
    [['run', '--timeout', '0'], /--timeout 0: expected seconds/],
    [['run', '--shard', '3/2'], /--shard 3\/2: K must be between 1 and N/],
    [['run', '--shard', 'x'], /--shard x: expected K\/N/],
    [['run', '--case', 'no.such.case.*'], /no case matches --case no\.such\.case\.\*/],
    [['run', '--binary', '/bin/true'], /--binary: runtime reference runs in this process/],
    [['run', '--no-builtin-suites'], /--no-builtin-suites needs at least one --suites DIR/],
    [['merge', 'a.json'], /merge needs --out FILE/],
  ])('%j is a usage error, exit 2', async (argv, message) => {
    const io = capture();
    expect(await main(argv)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('runs a suite under a dialect other than the default: wamr-legacy, with its own import module and layouts', async () => {
    const io = capture();
    const status = await main(['run', '--runtime', 'reference', '--dialect', 'wamr-legacy', '--suite', 'abi/get_output']);
    expect(io.out()).toContain('reference (wamr-legacy): 9 cases\nsuite  PASS  cases\nabi       9      9\ntotal     9      9\n9 passed, 0 failed, 0 skipped\n');
    expect(status).toBe(0);
  }, 120_000);

  it('runs a suite on the reference CLI with --jobs; without a terminal, progress is plain lines, never an updating one', async () => {
    const io = capture();
    const status = await main(['run', '--runtime', 'reference-cli', '--suite', 'abi/load_by_name*', '--jobs', '3']);
    expect(io.err()).not.toContain('\r');
    const [startup, ...rest] = io.err().split('\n').filter(Boolean);
    // first the start-up line: which binary, then only progress lines
    expect(startup).toMatch(/^reference-cli: \S+ \(wasi-nn-host /);
    for (const line of rest) expect(line).toMatch(/^progress: \d+\/\d+ cases \(\d+%\), \d+ not passing, \d+ s$/);
    expect(io.out()).toMatch(/^reference-cli \(witx\): \d+ cases\nsuite +PASS( +UNSUPPORTED)? +cases\nabi +\d+/m);
    expect(status).toBe(0);
  }, 120_000);
});

describe('the installed command', () => {
  it('ends quietly when its output pipe closes early (render | head)', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { REPO_ROOT } = await import('./repo-paths.js');
    const { writeReport } = await import('../reports/report-io.js');
    const { caseResult, report } = await import('../reports/test-reports.js');
    // a report whose Markdown is far larger than a pipe buffer
    const file = join(mkdtempSync(join(tmpdir(), 'wasi-nn-epipe-')), 'big.json');
    writeReport(file, report('wamr', Array.from({ length: 3000 }, (_, i) => caseResult(`abi.case_${i}`, 'FAIL', { message: 'x'.repeat(150) })), 'wamr'));
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'wasi-nn-conformance.js'), 'render', '--format', 'markdown', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
