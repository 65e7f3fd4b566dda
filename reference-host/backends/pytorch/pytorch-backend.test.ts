import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Tensor as EvalTensor, encodeValues, evaluate } from '../../../fixtures/gen/evaluator.js';
import { torchscriptFamilies, PYTORCH_FIXTURES_DIR } from '../../../fixtures/gen/torchscript/export.js';
import { NnError, type Tensor } from '../../core/types.js';
import { PyTorchBackend } from './pytorch-backend.js';
import { TorchEngine } from './torch-engine.js';

const missing = TorchEngine.missing();
const pt = (name: string) => new Uint8Array(readFileSync(path.join(PYTORCH_FIXTURES_DIR, `${name}.pt`)));
const wasi = (t: EvalTensor): Tensor => ({ type: t.type, dims: [...t.dims], data: encodeValues(t.type, t.data) });

describe.skipIf(missing !== undefined)(`pytorch backend${missing ? ` (skipped: ${missing.reason}; fix: ${missing.fix})` : ''}`, () => {
  const engine = new TorchEngine({ env: { WASI_NN_TORCH_ALLOW_TEST_CRASH: '1' } });
  const backend = new PyTorchBackend(engine);
  afterAll(() => engine.dispose());

  it('every TorchScript fixture matches the evaluator (ints exact, floats within 1e-5 + 1e-4·|expected|, f16 1 ULP)', () => {
    let maxAbs = 0;
    let maxRel = 0;
    for (const family of torchscriptFamilies().exported) {
      const graph = backend.load([pt(family.name)], 'cpu');
      const ctx = graph.initExecutionContext();
      for (const c of family.cases) {
        family.model.inputs.forEach((d, i) => ctx.setInput(i, wasi(c.inputs[d.name]!)));
        ctx.compute();
        const want = evaluate(family.model, c.inputs);
        family.model.outputs.forEach((d, i) => {
          const got = ctx.getOutput(i);
          const w = want[d.name]!;
          expect(got.type, `${family.name}/${c.name} output ${i}`).toBe(w.type);
          expect(got.dims).toEqual(w.dims);
          const wantBytes = encodeValues(w.type, w.data);
          if (w.type === 'u8' || w.type === 'i32' || w.type === 'i64') {
            expect(Buffer.from(got.data).equals(Buffer.from(wantBytes)), `${family.name}/${c.name}`).toBe(true);
            return;
          }
          const view = (b: Uint8Array) =>
            w.type === 'f32' ? new Float32Array(b.slice().buffer) : w.type === 'f64' ? new Float64Array(b.slice().buffer) : new Uint16Array(b.slice().buffer);
          const g = view(got.data);
          const e = view(wantBytes);
          for (let k = 0; k < e.length; k++) {
            if (w.type === 'f16') {
              expect(Math.abs(g[k]! - e[k]!), `${family.name}/${c.name}[${k}] f16 bits`).toBeLessThanOrEqual(1);
              continue;
            }
            const abs = Math.abs(g[k]! - e[k]!);
            maxAbs = Math.max(maxAbs, abs);
            if (e[k] !== 0) maxRel = Math.max(maxRel, abs / Math.abs(e[k]!));
            expect(abs, `${family.name}/${c.name}[${k}]`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(e[k]!));
          }
        });
      }
      ctx.dispose();
      graph.dispose();
    }
    console.log(`pytorch vs evaluator: max abs error ${maxAbs}, max rel error ${maxRel}`);
  });

  it('a crash of the engine process is an errno, and the next load and an earlier graph still work', () => {
    const graph = backend.load([pt('affine_relu')], 'cpu');
    const family = torchscriptFamilies().exported.find((f) => f.name === 'affine_relu')!;
    const input = wasi(family.cases[0]!.inputs['X']!);
    const want = Buffer.from(encodeValues('f32', evaluate(family.model, family.cases[0]!.inputs)['Y']!.data));
    for (const kind of ['segv', 'abort']) {
      const before = engine.generation;
      const r = engine.call('crashForTest', [kind]);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.crashed, JSON.stringify(r)).toBe(true);
      expect(!r.ok && r.message).toMatch(kind === 'segv' ? /SIGSEGV/ : /SIGABRT/);
      const again = backend.load([pt('two_in_two_out')], 'cpu');
      expect(engine.generation).toBe(before + 1);
      again.dispose();
      const ctx = graph.initExecutionContext();
      ctx.setInput(0, input);
      ctx.compute(); // the graph loaded before the crash is reloaded into the new engine process
      expect(Buffer.from(ctx.getOutput(0).data).equals(want)).toBe(true);
    }
  });

  it('maps engine failures to errnos', () => {
    const errno = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof NnError ? e.errno : `not an NnError: ${String(e)}`;
      }
      return 'success';
    };
    expect(errno(() => backend.load([new Uint8Array([1, 2, 3])], 'cpu'))).toBe('invalid_argument');
    expect(errno(() => backend.load([], 'cpu'))).toBe('invalid_argument');
    expect(errno(() => backend.load([pt('affine_relu')], 'gpu'))).toBe('unsupported_operation');
    const ctx = backend.load([pt('affine_relu')], 'cpu').initExecutionContext();
    expect(errno(() => ctx.getOutput(0))).toBe('runtime_error');
    expect(errno(() => ctx.setInput(1, { type: 'f32', dims: [1, 4], data: new Uint8Array(16) }))).toBe('invalid_argument');
    ctx.setInput(0, { type: 'bf16', dims: [1, 4], data: new Uint8Array(8) });
    expect(errno(() => ctx.compute())).toBe('runtime_error');
  });
});
