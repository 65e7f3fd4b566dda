/**
 * The engine process's own sandbox, tested behind the host's operator check: TorchScript that
 * reads a host file with torch.from_file or writes one with torch.save is loaded straight into
 * the engine. Sandboxed (Landlock), the read fails and no file appears; with the sandbox off the
 * same models do read and write, which is what the sandbox stops.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { TorchEngine } from './torch-engine.js';

const missing = TorchEngine.missing();
const requireAll = process.env.WASI_NN_REQUIRE_ENGINES === 'all';
/** WASI_NN_REQUIRE_SANDBOX=1 (CI): Landlock must be in force, so the read/write checks below cannot pass by not running. */
const requireSandbox = process.env.WASI_NN_REQUIRE_SANDBOX === '1';
const model = (f: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, 'security', f)));
const SAVED = join(process.cwd(), 'wasi-nn-saved.pt');
const input = [{ type: 'f32', dims: [1, 4], data: new Uint8Array(16) }];

/** Asked of a short-lived engine process, before the tests: a kernel without Landlock skips the check that needs it, visibly. */
function landlockInForce(): boolean {
  if (missing !== undefined) return false;
  const probe = new TorchEngine();
  try {
    const r = probe.call('sandbox');
    return r.ok && String(r.result).startsWith('Landlock');
  } finally {
    probe.dispose?.();
  }
}

function run(engine: TorchEngine, file: string) {
  const loaded = engine.call('load', [model(file)]);
  if (!loaded.ok) throw new Error(`load ${file}: ${loaded.message}`);
  return engine.call('forward', [(loaded.result as { id: number }).id, input], loaded.generation);
}

describe.skipIf(missing !== undefined && !requireAll)('the pytorch engine process sandbox', () => {
  const sandboxed = new TorchEngine();
  const open = new TorchEngine({ env: { WASI_NN_TORCH_SANDBOX: 'off' } });
  afterAll(() => {
    sandboxed.dispose?.();
    open.dispose?.();
    rmSync(SAVED, { force: true });
  });

  it('is in force where the kernel has Landlock, and says so', () => {
    expect(sandboxed.call('start').ok).toBe(true);
    const r = sandboxed.call('sandbox');
    const status = r.ok ? String(r.result) : r.message;
    // in force, or the kernel's reason why not — never silently absent
    expect(status).toMatch(/^Landlock ABI \d+: no filesystem access|^not in force: Landlock is not available in this kernel/);
  });

  it.skipIf(!requireSandbox && !landlockInForce())('a model that got past the operator check still cannot read or write a host file', () => {
    const r = sandboxed.call('sandbox');
    expect(r.ok && String(r.result), 'WASI_NN_REQUIRE_SANDBOX=1 but the sandbox is not in force').toMatch(/^Landlock/);
    rmSync(SAVED, { force: true });
    const read = run(sandboxed, 'torch_from_file_read.pt');
    expect(read.ok).toBe(false);
    run(sandboxed, 'torch_save.pt');
    expect(existsSync(SAVED)).toBe(false);
  });

  it('an engine process past its memory limit is killed and the call gets an errno', () => {
    const small = new TorchEngine({ env: { WASI_NN_TORCH_MAX_RSS_MB: '16' } });
    try {
      const r = small.call('load', [new Uint8Array(readFileSync(join(FIXTURES_DIR, 'pytorch', 'affine_relu.pt')))]);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.message).toMatch(/^the libtorch engine process passed its memory limit \(\d+ MiB resident, WASI_NN_TORCH_MAX_RSS_MB=16\) and was killed during load/);
    } finally {
      small.dispose?.();
    }
  });

  it('without the sandbox the same models read and write (what the sandbox stops)', () => {
    rmSync(SAVED, { force: true });
    expect(run(open, 'torch_from_file_read.pt').ok).toBe(true);
    run(open, 'torch_save.pt');
    expect(existsSync(SAVED)).toBe(true);
  });
});
