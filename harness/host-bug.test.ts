/**
 * A host bug never passes: a call that fails inside the reference host for a reason of its own
 * (not an NnError) reaches the guest as runtime_error, and a case that accepts runtime_error would
 * PASS on it; the host reports the failure beside the errno, and the judge makes the case ERROR.
 * WASI_NN_INJECT_HOST_BUG=FN forces such a failure in every call of FN.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReferenceCliAdapter } from '../runtimes/reference-cli/reference-cli-adapter.js';
import { ReferenceAdapter } from '../runtimes/reference/reference-adapter.js';
import type { RuntimeAdapter } from '../runtimes/adapter.js';
import type { Case, LoadedCase } from './case-types.js';
import { FIXTURES_DIR } from './repo-paths.js';
import { runCase } from './run-case.js';
import { AFFINE_CONTEXT_AND_INPUT } from './test-steps.js';

const accepting = (dialect: 'witx' | 'wit-2024-10-28'): LoadedCase => {
  const c: Case = {
    id: 'test.host_bug',
    title: 'compute accepts runtime_error',
    spec: 's',
    steps: [
      ...AFFINE_CONTEXT_AND_INPUT,
      { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } },
      { call: 'compute', args: { ctx: '$c' }, expect: { errno: ['success', 'runtime_error'] } },
    ],
    ...(dialect === 'witx' ? {} : { requires: { dialects: [dialect] } }),
  };
  return { suite: 'test', file: 'test.json', pointer: '/cases/0', case: c };
};

async function run(runtime: RuntimeAdapter, dialect: 'witx' | 'wit-2024-10-28') {
  return runCase(accepting(dialect), runtime, await runtime.capabilities(), { fixturesDir: FIXTURES_DIR });
}

describe('a host bug is an ERROR whatever the case accepts', () => {
  afterEach(() => vi.unstubAllEnvs());
  it.each([
    ['in process, a core module', () => new ReferenceAdapter('witx'), 'witx'],
    ['in process, a component', () => new ReferenceAdapter('wit-2024-10-28'), 'wit-2024-10-28'],
    ['the reference CLI, a core module', () => new ReferenceCliAdapter('witx'), 'witx'],
    ['the reference CLI, a component', () => new ReferenceCliAdapter('wit-2024-10-28'), 'wit-2024-10-28'],
  ] as const)('%s', async (_, make, dialect) => {
    expect((await run(make(), dialect)).status).toBe('PASS');
    vi.stubEnv('WASI_NN_INJECT_HOST_BUG', 'compute');
    const r = await run(make(), dialect);
    expect(r.status).toBe('ERROR');
    expect(r.message).toMatch(/^the reference host failed inside a call \(host bug in compute: host bug: injected by WASI_NN_INJECT_HOST_BUG=compute\): the guest saw runtime_error, but a host bug never passes a case/);
    // the guest itself saw the errno the case accepts
    expect(r.calls.find((c) => c.fn === 'compute')?.errno_name).toBe('runtime_error');
  }, 60_000);
});
