import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_STATUSES } from '../harness/cli.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { RED_STATUSES, ReportFileError, ReportWriter, buildReport, harnessGit, readReport, validateReport, writeReport } from './report-io.js';
import { caseResult, report, runInfo, twoRuntimes } from './test-reports.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'wasi-nn-reports-'));

describe('report files', () => {
  it('round-trips through the schema, with Infinity errors and run info', () => {
    const dir = tmp();
    const path = join(dir, 'r.json');
    const r = report('reference', [
      caseResult('onnx.nan_out', 'FAIL', {
        tensor_error: { maxAbs: Infinity, maxRel: Infinity, maxUlp: 3 },
        checks: [{ step: 4, what: 'output tensor f32[2]', ok: false, expected: '[0] = 1', observed: '[0] = NaN', error: { maxAbs: Infinity, maxRel: Infinity, maxUlp: 3 } }],
        calls: [{ step: 7, fn: 'compute', errno: 0, errno_name: 'success' }],
      }),
      caseResult('onnx.ok', 'PASS', { tensor_error: { maxAbs: 1e-7, maxRel: 2e-7, maxUlp: 1 } }),
      caseResult('abi.needs_wamr', 'UNSUPPORTED'),
    ]);
    writeReport(path, r);
    const back = readReport(path);
    expect(back).toEqual(r);
    expect(back.results[0]?.tensor_error).toEqual({ max_abs: 'Infinity', max_rel: 'Infinity', max_ulp: 3 });
    expect(back.results[0]?.checks[0]?.tensor_error?.max_ulp).toBe(3);
    expect(back.results[1]?.tensor_error).toEqual({ max_abs: 1e-7, max_rel: 2e-7, max_ulp: 1 });
    expect(back.counts).toMatchObject({ PASS: 1, FAIL: 1, UNSUPPORTED: 1, CRASH: 0 });
    expect(back.run_info.runtime).toEqual({ name: 'reference', version: '1.2.3', dialect: 'witx', argv: ['reference', 'run', '{wasm}'] });
    expect(back.run_info.engines).toEqual({ 'onnxruntime-node': '1.30.0' });
    expect(back.run_info.harness.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(back.run_info.host.node).toBe(process.version);
    expect(back.run_info.complete).toBe(true);
  });

  it('records the git commit of the checkout (null without git)', () => {
    let head: string | null = null;
    try {
      head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      head = null;
    }
    expect(harnessGit().commit).toBe(head);
  });

  it('names the file and the JSON pointer of what is wrong', () => {
    const dir = tmp();
    const path = join(dir, 'bad.json');
    const r = report('reference', [caseResult('a.one', 'PASS'), caseResult('a.two', 'PASS')]);
    const data = JSON.parse(JSON.stringify(r));
    data.results[1].status = 'MAYBE';
    writeFileSync(path, JSON.stringify(data));
    expect(() => readReport(path)).toThrow(ReportFileError);
    try {
      readReport(path);
    } catch (e) {
      expect((e as ReportFileError).pointer).toBe('/results/1/status');
      expect((e as Error).message).toContain(path.startsWith(process.cwd()) ? 'bad.json' : path);
      expect((e as Error).message).toContain('at /results/1/status');
    }
    data.results[1].status = 'PASS';
    data.results[1].calls = [{ step: 1, fn: 'load', errno: 0 }];
    writeFileSync(path, JSON.stringify(data));
    expect(() => readReport(path)).toThrow(/at \/results\/1\/calls\/0: must have required property 'errno_name'/);
    data.results[1].calls = [];
    data.counts.PASS = 3;
    writeFileSync(path, JSON.stringify(data));
    expect(() => readReport(path)).toThrow(/at \/counts: the counts add up to 3, but there are 2 results/);
    writeFileSync(path, '{"format": ');
    expect(() => readReport(path)).toThrow(/bad\.json: not valid JSON/);
    expect(() => readReport(join(dir, 'absent.json'))).toThrow(/absent\.json: cannot read: ENOENT/);
  });

  it('never writes an invalid report', () => {
    const dir = tmp();
    const path = join(dir, 'r.json');
    const good = report('reference', [caseResult('a.one', 'PASS')]);
    writeReport(path, good);
    const before = readFileSync(path, 'utf8');
    const bad = { ...good, counts: { ...good.counts, PASS: 7 } };
    expect(() => writeReport(path, bad)).toThrow(/r\.json \(about to be written\) at \/counts/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('writes atomically: the target is replaced whole and no temp file stays behind', () => {
    const dir = tmp();
    const path = join(dir, 'r.json');
    writeReport(path, report('reference', [caseResult('a.one', 'PASS')]));
    writeReport(path, report('reference', [caseResult('a.one', 'FAIL'), caseResult('a.two', 'PASS')]));
    expect(readdirSync(dir)).toEqual(['r.json']);
    expect(readReport(path).results.map((r) => r.status)).toEqual(['FAIL', 'PASS']);
    // a rename that fails (the target is a directory) leaves neither a temp file nor a changed target
    const blocked = join(dir, 'blocked.json');
    mkdirSync(blocked);
    expect(() => writeReport(blocked, report('reference', []))).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['blocked.json', 'r.json']);
  });

  it('finds a load_by_name that opened a guest-named host path (security) and crashes', () => {
    const { a, b } = twoRuntimes();
    expect(a.findings).toEqual([]);
    expect(b.findings.map((f) => [f.kind, f.case])).toEqual([
      ['security', 'abi.load_by_name.not_found.absolute_host_path'],
      ['crash', 'onnx.only_in_b'],
    ]);
    expect(b.findings[0]?.detail).toMatch(/step 2 load_by_name .* returned success/);
    // success of a load_by_name outside the not_found group is no finding
    const fine = report('x', [caseResult('abi.load_by_name.preloaded', 'PASS', { calls: [{ step: 2, fn: 'load_by_name', errno: 0, errno_name: 'success' }] })]);
    expect(fine.findings).toEqual([]);
    // the disagreements suite's host-path cases count too; a guest path inside a preopened dir does not
    const disagree = report('x', [
      caseResult('disagreements.06.outside_sandbox', 'FAIL', { calls: [{ step: 3, fn: 'load_by_name', errno: 0, errno_name: 'success' }] }),
      caseResult('disagreements.06.preopened_guest_path', 'FAIL', { calls: [{ step: 3, fn: 'load_by_name', errno: 0, errno_name: 'success' }] }),
    ]);
    expect(disagree.findings.map((f) => [f.kind, f.case])).toEqual([['security', 'disagreements.06.outside_sandbox']]);
    // an expected crash is still a crash finding
    const xfail = report('x', [caseResult('onnx.c', 'XFAIL', { expected_failure: { reason: 'known', actual_status: 'CRASH' } })]);
    expect(xfail.findings.map((f) => f.kind)).toEqual(['crash']);
  });

  it('agrees with the run on which statuses are red', () => {
    expect([...RED_STATUSES].sort()).toEqual([...BAD_STATUSES].sort());
  });
});

describe('ReportWriter', () => {
  it('keeps a valid complete:false file while running and sorts by plan on finish', () => {
    const dir = tmp();
    const path = join(dir, 'run.json');
    const w = new ReportWriter(path, { ...runInfo('reference'), planned_cases: 3 }, { flushIntervalMs: 0, handleSignals: false, order: ['c.1', 'c.2', 'c.3'] });
    expect(readReport(path)).toMatchObject({ results: [], run_info: { complete: false, planned_cases: 3 } });
    w.add(caseResult('c.2', 'PASS'));
    w.add(caseResult('c.1', 'FAIL'));
    const mid = readReport(path);
    expect(mid.run_info.complete).toBe(false);
    expect(mid.results.map((r) => r.id)).toEqual(['c.1', 'c.2']);
    w.add(caseResult('c.3', 'PASS'));
    const final = w.finish();
    expect(readReport(path)).toEqual(final);
    expect(final.run_info.complete).toBe(true);
    expect(final.counts).toMatchObject({ PASS: 2, FAIL: 1 });
    expect(() => w.add(caseResult('c.4', 'PASS'))).toThrow(/after finish/);
  });

  it('with no path builds the report without writing or listening', () => {
    const before = process.listenerCount('SIGINT');
    const w = new ReportWriter(undefined, runInfo('reference'));
    expect(process.listenerCount('SIGINT')).toBe(before);
    w.add(caseResult('c.1', 'PASS'));
    expect(w.finish().results).toHaveLength(1);
  });

  it('on SIGINT writes the cases so far with complete:false, then dies of the signal', async () => {
    const dir = tmp();
    const path = join(dir, 'interrupted.json');
    const child = join(dir, 'child.ts');
    writeFileSync(
      child,
      [
        `import { ReportWriter } from ${JSON.stringify(join(REPO_ROOT, 'reports', 'report-io.ts'))};`,
        `import { caseResult, runInfo } from ${JSON.stringify(join(REPO_ROOT, 'reports', 'test-reports.ts'))};`,
        `const w = new ReportWriter(${JSON.stringify(path)}, { ...runInfo('reference'), planned_cases: 5 }, { flushIntervalMs: 3_600_000 });`,
        `for (const id of ['k.1', 'k.2', 'k.3']) w.add(caseResult(id, 'PASS'));`,
        `process.stdout.write('ready\\n');`,
        `setInterval(() => {}, 1000);`,
      ].join('\n'),
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      proc.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    // the interval is an hour: only the first (empty) write happened so far
    expect(readReport(path).results).toEqual([]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    proc.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    const r = readReport(path);
    expect(r.run_info.complete).toBe(false);
    expect(r.run_info.planned_cases).toBe(5);
    expect(r.results.map((c) => c.id)).toEqual(['k.1', 'k.2', 'k.3']);
    expect(readdirSync(dir).sort()).toEqual(['child.ts', 'interrupted.json']);
  });

  // every suite, so the run is still going when the first flush appears (one suite can finish first)
  it('Ctrl-C during `run --out` leaves a valid report of the cases finished so far', async () => {
    const dir = tmp();
    const path = join(dir, 'run.json');
    const cli = join(REPO_ROOT, 'harness', 'cli.ts');
    const proc = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(cli)}).then(async (m) => { process.exitCode = await m.main(['run', '--runtime', 'reference', '--out', ${JSON.stringify(path)}]); })`], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
    // wait for the first flush that holds a result (the writer rewrites at most once a second)
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (existsSync(path) && readReport(path).results.length > 0) break;
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`no results appeared: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill('SIGINT');
    const { signal } = await exited;
    expect(signal).toBe('SIGINT');
    const r = readReport(path);
    expect(r.run_info.complete).toBe(false);
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results.length).toBeLessThan(r.run_info.planned_cases as number);
  });
});

describe('buildReport', () => {
  it('counts every status and validates', () => {
    const r = buildReport(runInfo('reference'), [caseResult('a.1', 'XPASS'), caseResult('a.2', 'XFAIL', { expected_failure: { reason: 'r', actual_status: 'FAIL' } }), caseResult('a.3', 'TIMEOUT')]);
    expect(() => validateReport(r, 'mem')).not.toThrow();
    expect(r.counts).toEqual({ PASS: 0, FAIL: 0, UNSUPPORTED: 0, ERROR: 0, TRAP: 0, CRASH: 0, TIMEOUT: 1, XFAIL: 1, XPASS: 1 });
  });
});
