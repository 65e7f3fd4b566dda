/**
 * Every suite case against the in-process reference host under every ABI dialect, one test per
 * case and dialect. A case the dialect cannot express (a number it lacks, a function its driver
 * does not import, a field of the witx layout under wamr-legacy) must come back UNSUPPORTED
 * with that reason; every other case must PASS. A failure shows each check's expected and
 * observed values.
 */
import { describe, expect, it } from 'vitest';
import { DIALECT_NAMES } from '../reference-host/abi/dialects.js';
import { DialectUnsupported, compileCase } from '../harness/compile.js';
import { FIXTURES_DIR, SUITES_DIR } from '../harness/repo-paths.js';
import { runCase } from '../harness/run-case.js';
import { loadSuites } from '../harness/suite-loader.js';
import { ReferenceAdapter } from '../runtimes/reference/reference-adapter.js';

const cases = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR });
/** With WASI_NN_REQUIRE_ENGINES=all (CI), a case whose engine is unavailable fails instead of skipping. */
const requireAll = process.env.WASI_NN_REQUIRE_ENGINES === 'all';
const suites = [...new Set(cases.map((c) => c.suite))];

describe.each(DIALECT_NAMES)('reference host, %s dialect', async (dialect) => {
  const runtime = new ReferenceAdapter(dialect);
  const caps = await runtime.capabilities();
  // a suite whose every case is pinned to other dialects (suites/component under a core dialect) has nothing to run here
  const runnableIn = (suite: string) => cases.filter((c) => c.suite === suite && (!c.case.requires?.dialects || c.case.requires.dialects.includes(dialect)));
  describe.each(suites.filter((s) => runnableIn(s).length > 0))('suite %s', (suite) => {
    const runnable = runnableIn(suite);
    it.each(runnable.map((c) => [c.case.id, c] as const))('%s', async (_id, loaded) => {
      let inexpressible: DialectUnsupported | undefined;
      try {
        compileCase(loaded.case, { fixturesDir: FIXTURES_DIR, dialect });
      } catch (e) {
        if (!(e instanceof DialectUnsupported)) throw e;
        inexpressible = e;
      }
      const result = await runCase(loaded, runtime, caps, { fixturesDir: FIXTURES_DIR });
      const missingEngines = (loaded.case.requires?.encodings ?? []).filter((e) => !caps.encodings.includes(e));
      if (missingEngines.length > 0 && !requireAll) {
        // an engine this machine lacks (e.g. no libtorch-dev): the requirement is checked first and named
        expect(result.status).toBe('UNSUPPORTED');
        expect(result.message).toBe(`needs encoding(s) ${missingEngines.join(', ')}, which reference does not have here`);
        return;
      }
      if (inexpressible) {
        expect(result).toMatchObject({ status: 'UNSUPPORTED', message: inexpressible.message });
        return;
      }
      const report = [
        `${result.status}: ${result.message ?? ''}`,
        ...result.checks.map((c) => `  step ${c.step} ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: expected ${c.expected}, observed ${c.observed}`),
      ].join('\n');
      expect(result.status, report).toBe('PASS');
    });
  });
});

it('has at least 80 cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(80);
});
