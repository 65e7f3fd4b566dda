/**
 * Every suite case against the in-process reference host, one test per case. A failure shows
 * each check's expected and observed values.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, SUITES_DIR } from '../harness/repo-paths.js';
import { runCase } from '../harness/run-case.js';
import { loadSuites } from '../harness/suite-loader.js';
import { ReferenceAdapter } from '../runtimes/reference/reference-adapter.js';

const cases = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR });
const runtime = new ReferenceAdapter('witx');
const caps = await runtime.capabilities();
const requireAll = process.env.WASI_NN_REQUIRE_ENGINES === 'all';

describe.each([...new Set(cases.map((c) => c.suite))])('suite %s', (suite) => {
  it.each(cases.filter((c) => c.suite === suite).map((c) => [c.case.id, c] as const))('%s', async (_id, loaded) => {
    const result = await runCase(loaded, runtime, caps, { fixturesDir: FIXTURES_DIR });
    if (result.status === 'UNSUPPORTED' && !requireAll) return;
    const report = [
      `${result.status}: ${result.message ?? ''}`,
      ...result.checks.map((c) => `  step ${c.step} ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: expected ${c.expected}, observed ${c.observed}`),
    ].join('\n');
    expect(result.status, report).toBe('PASS');
  });
});
