/**
 * The committed OpenVINO IR fixtures through the backend: every family computes the evaluator's
 * golden (integers exactly; f32/f64 within the harness tolerances; f16 within 1 ULP), and every
 * file of fixtures/bad/openvino is refused quickly with the errno its index promises.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeValues } from '../../../fixtures/gen/evaluator.js';
import type { DType } from '../../../fixtures/gen/model-ir.js';
import { NnError, type TensorType } from '../../core/types.js';
import { OpenVinoBackend } from './openvino-backend.js';

const FX = new URL('../../../fixtures/', import.meta.url);
const read = (rel: string) => new Uint8Array(readFileSync(new URL(rel, FX)));
const backend = new OpenVinoBackend();

interface GoldenTensor {
  type: DType;
  dims: number[];
  hex: string;
}
interface Golden {
  cases: { name: string; inputs: GoldenTensor[]; outputs: GoldenTensor[] }[];
}

const families = readdirSync(new URL('openvino/', FX))
  .filter((f) => f.endsWith('.xml'))
  .map((f) => f.slice(0, -4))
  .filter((f) => existsSync(new URL(`goldens/${f}.json`, FX)));

/** abs error allowed for an expected value */
function allowed(type: DType, e: number): number {
  if (type === 'f32') return 1e-5 + 1e-4 * Math.abs(e);
  if (type === 'f64') return 1e-12 + 1e-10 * Math.abs(e);
  if (type === 'f16') return Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.abs(e) || 2 ** -14)) - 10));
  return 0;
}

/** The corrupt IRs whose layer the front-end cannot run (a type, version or attribute it does not translate): unsupported_operation; every other one is invalid_argument. */
const UNSUPPORTED_FILES = ['unknown-layer-type.xml', 'round-unknown-mode.xml', 'gelu-opset1.xml', 'depth-to-space-rank-2.xml', 'detection-output.xml'];

describe('fixtures/openvino families compute their goldens', () => {
  it('covers the committed families', () => {
    expect(families).toEqual(expect.arrayContaining(['affine_relu', 'conv_net', 'dynamic_batch', 'scale_f16', 'scale_i64', 'softmax_f32', 'two_in_two_out']));
  });
  it.each(families)('%s', (family) => {
    const golden = JSON.parse(readFileSync(new URL(`goldens/${family}.json`, FX), 'utf8')) as Golden;
    const graph = backend.load([read(`openvino/${family}.xml`), read(`openvino/${family}.bin`)], 'cpu');
    for (const c of golden.cases) {
      const ctx = graph.initExecutionContext();
      c.inputs.forEach((t, i) => ctx.setInput(i, { type: t.type as TensorType, dims: t.dims, data: new Uint8Array(Buffer.from(t.hex, 'hex')) }));
      ctx.compute();
      c.outputs.forEach((t, i) => {
        const out = ctx.getOutput(i);
        expect(out.type).toBe(t.type);
        expect(out.dims).toEqual(t.dims);
        const got = decodeValues(t.type, out.data);
        const exp = decodeValues(t.type, new Uint8Array(Buffer.from(t.hex, 'hex')));
        if (t.type === 'i64' || t.type === 'i32' || t.type === 'u8') {
          expect(got, `${family}/${c.name} output ${i}`).toEqual(exp);
        } else {
          (got as number[]).forEach((g, j) => {
            const e = (exp as number[])[j]!;
            expect(Math.abs(g - e), `${family}/${c.name} output ${i}[${j}]: ${g} vs ${e}`).toBeLessThanOrEqual(allowed(t.type, e));
          });
        }
      });
    }
    graph.dispose();
  });
});

describe('fixtures/bad/openvino is refused', () => {
  const index = JSON.parse(readFileSync(new URL('bad/openvino/index.json', FX), 'utf8')) as { file: string; expect: 'error' | 'any' }[];
  const weights = read('openvino/affine_relu.bin');
  it('has at least 20 files, the IR-specific ones included', () => {
    expect(index.length).toBeGreaterThanOrEqual(20);
    expect(index.map((e) => e.file)).toEqual(
      expect.arrayContaining(['const-past-weights.xml', 'edge-to-missing-layer.xml', 'cycle.xml', 'unknown-layer-type.xml', 'version-9.xml', 'deeply-nested.xml', 'billion-laughs.xml']),
    );
  });
  it.each(index)('$file', ({ file, expect: expectation }) => {
    let errno: string = 'success';
    try {
      backend.load([read(`bad/openvino/${file}`), weights], 'cpu').dispose();
    } catch (e) {
      if (!(e instanceof NnError)) throw e;
      errno = e.errno;
    }
    if (expectation === 'any') expect(['success', 'invalid_argument', 'unsupported_operation']).toContain(errno);
    else expect(errno).toBe(UNSUPPORTED_FILES.includes(file) ? 'unsupported_operation' : 'invalid_argument');
  });
});
