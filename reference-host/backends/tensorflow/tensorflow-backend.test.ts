import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { NnError, type Tensor } from '../../core/types.js';
import { TensorflowBackend } from './tensorflow-backend.js';
import { NnHost } from '../../core/nn-host.js';
import { NamedGraphRegistry } from '../../core/named-graphs.js';
import { withAutodetect } from '../../detect/autodetect-backend.js';
import { createBackends } from '../index.js';

const backend = new TensorflowBackend();

const read = (p: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, p)));
const VARIANTS = {
  frozen: (f: string) => [`tensorflow/frozen/${f}.pb`],
  tf1: (f: string) => [`tensorflow/tf1/${f}/saved_model.pb`],
  tf2: (f: string) => ['saved_model.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001'].map((x) => `tensorflow/tf2/${f}/${x}`),
};
const RUNS = ['affine_relu', 'conv_net', 'dynamic_batch', 'int_muladd_i32', 'softmax_f32', 'two_in_two_out', 'u8_add'];
const REFUSED: Record<string, RegExp> = {
  scale_f16: /\(Cast\) is DT_DOUBLE/,
  scale_f32: /\(Cast\) is DT_DOUBLE/,
  scale_f64: /\(Placeholder\) is DT_DOUBLE/,
  scale_u8: /\(Cast\) is DT_DOUBLE/,
  scale_i32: /\(Cast\) is DT_DOUBLE/,
  scale_i64: /\(Placeholder\) is DT_INT64/,
  int_muladd_i64: /\(Placeholder\) is DT_INT64/,
};

interface GoldenTensor { type: Tensor['type']; dims: number[]; hex: string }
const golden = (f: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, 'goldens', `${f}.json`), 'utf8')) as { cases: { name: string; inputs: GoldenTensor[]; outputs: GoldenTensor[] }[] };
const tensor = (t: GoldenTensor): Tensor => ({ type: t.type, dims: t.dims, data: new Uint8Array(Buffer.from(t.hex, 'hex')) });
const errOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof NnError) return `${e.errno}: ${e.message}`;
    throw e;
  }
  return 'success';
};

describe('TensorFlow engine against the goldens', () => {
  it('reports which tfjs backend runs', () => {
    const a = backend.availability();
    expect(a).toMatchObject({ available: true, version: 'tfjs 4.22.0', engine: expect.stringMatching(/^tfjs-converter GraphModel over our TensorFlow reader, on @tensorflow\/tfjs-backend-wasm \(SIMD, 1 thread\)$/) });
    expect(backend.targets()).toEqual(['cpu']);
  });

  for (const [variant, files] of Object.entries(VARIANTS)) {
    it.each(RUNS)(`${variant} %s matches its golden (f32 within 1e-5 + 1e-4·|exp|, integers exactly)`, (family) => {
      const g = backend.load(files(family).map(read), 'cpu');
      for (const c of golden(family).cases) {
        const ctx = g.initExecutionContext();
        c.inputs.forEach((t, i) => ctx.setInput(i, tensor(t)));
        ctx.compute();
        c.outputs.forEach((t, i) => {
          const o = ctx.getOutput(i);
          expect({ type: o.type, dims: o.dims }).toEqual({ type: t.type, dims: t.dims });
          const exp = tensor(t).data;
          if (t.type === 'f32') {
            const a = new Float32Array(o.data.slice().buffer);
            const e = new Float32Array(exp.slice().buffer);
            e.forEach((x, k) => expect(Math.abs(a[k]! - x), `${c.name} output ${i}[${k}]`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(x)));
          } else {
            expect(Buffer.from(o.data).toString('hex')).toBe(t.hex);
          }
        });
      }
      g.dispose();
    });
    it.each(Object.keys(REFUSED))(`${variant} %s is refused at load with unsupported_operation naming node and dtype`, (family) => {
      expect(errOf(() => backend.load(files(family).map(read), 'cpu'))).toMatch(new RegExp(`^unsupported_operation: tensorflow: node .*${REFUSED[family]!.source}: tfjs computes in float32, int32 and bool only`));
    });
  }
});

describe('builders, inputs, call order', () => {
  it('states the builder convention for a wrong builder count', () => {
    const [pb, idx] = VARIANTS.tf2('affine_relu').map(read);
    expect(errOf(() => backend.load([pb!, idx!], 'cpu'))).toMatch(/^invalid_argument: tensorflow: got 2 builders; tensorflow takes 1 builder .* or 2 \+ N builders \(saved_model.pb, variables.index, then the N data shards/);
    expect(errOf(() => backend.load([read('tensorflow/frozen/affine_relu.pb'), idx!], 'cpu'))).toMatch(/^invalid_argument: tensorflow: got 2 builders/);
    expect(errOf(() => backend.load([pb!], 'cpu'))).toMatch(/^invalid_argument: tensorflow: the SavedModel has variables: pass saved_model.pb, variables.index, then the data shards \(node .*ReadVariableOp.* reads variable W\)/);
    expect(errOf(() => backend.load([new Uint8Array()], 'cpu'))).toBe('invalid_argument: tensorflow: builder 0 is empty');
    expect(errOf(() => backend.load([read('onnx/affine_relu.onnx')], 'cpu'))).toMatch(/^invalid_argument: tensorflow: builder 0 is neither a SavedModel nor a GraphDef/);
  });

  it('refuses a corrupt checkpoint: a data byte changed → crc32c mismatch', () => {
    const [pb, idx, data] = VARIANTS.tf2('affine_relu').map(read);
    const bad = data!.slice();
    bad[bad.length - 1]! ^= 0xff;
    expect(errOf(() => backend.load([pb!, idx!, bad], 'cpu'))).toMatch(/^invalid_argument: tensorflow: checkpoint variables\/1\/.ATTRIBUTES\/VARIABLE_VALUE: crc32c mismatch/);
    expect(errOf(() => backend.load([pb!, idx!, data!, data!], 'cpu'))).toMatch(/variables.index says 1 data shard\(s\), 2 were given/);
  });

  it('checks set_input dtype and dims against the signature; dynamic dims take the tensor\'s', () => {
    const g = backend.load(VARIANTS.tf2('dynamic_batch').map(read), 'cpu');
    const ctx = g.initExecutionContext();
    const x = (dims: number[]): Tensor => ({ type: 'f32', dims, data: new Uint8Array(4 * dims.reduce((a, b) => a * b, 1)) });
    expect(errOf(() => ctx.setInput(0, { ...x([1, 4]), type: 'i32' }))).toBe('invalid_argument: input 0 (X) is DT_FLOAT, the tensor is i32');
    expect(errOf(() => ctx.setInput(0, x([1, 5])))).toBe('invalid_argument: input 0 (X) has shape [?,4], the tensor has dims [1,5]');
    expect(errOf(() => ctx.setInput(1, x([1, 4])))).toBe('invalid_argument: input index 1 out of range: the model has 1 input(s)');
    expect(errOf(() => ctx.compute())).toBe('invalid_argument: input 0 (X) was never set');
    expect(errOf(() => ctx.getOutput(0))).toBe('runtime_error: get_output before a successful compute on this context');
    ctx.setInput(0, x([5, 4]));
    ctx.compute();
    expect(ctx.getOutput(0).dims).toEqual([5, 2]);
    expect(errOf(() => ctx.getOutput(1))).toBe('invalid_argument: output index 1 out of range: the model has 1 output(s)');
    expect(errOf(() => backend.load(VARIANTS.frozen('affine_relu').map(read), 'gpu'))).toMatch(/^unsupported_operation: tensorflow: execution target gpu/);
  });
});

describe('autodetect and preload', () => {
  it('autodetect routes a TF2 SavedModel (3 builders) and a frozen GraphDef to this engine', () => {
    const h = new NnHost({ backends: withAutodetect(createBackends()), registry: new NamedGraphRegistry() });
    for (const files of [VARIANTS.tf2('affine_relu'), VARIANTS.frozen('affine_relu')]) {
      const g = h.load(files.map(read), 'autodetect', 'cpu');
      expect(h.graphInfo(g)).toMatchObject({ encoding: 'tensorflow', device: 'cpu' });
      const c = h.initExecutionContext(g);
      const gold = golden('affine_relu').cases[0]!;
      h.setInput(c, 0, tensor(gold.inputs[0]!));
      h.compute(c);
      const out = new Float32Array(h.getOutput(c, 0).data.slice().buffer);
      const exp = new Float32Array(tensor(gold.outputs[0]!).data.slice().buffer);
      expect(out.length).toBe(3);
      exp.forEach((x, k) => expect(Math.abs(out[k]! - x)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(x)));
    }
    h.dispose();
  });

  it('serves load_by_name of a SavedModel preloaded as its file list (--nn-preload NAME:tensorflow:cpu:PB:INDEX:DATA)', () => {
    const r = new NamedGraphRegistry();
    r.register({ name: 'm', encoding: 'tensorflow', target: 'cpu', paths: VARIANTS.tf2('conv_net').map((p) => join(FIXTURES_DIR, p)) });
    const h = new NnHost({ backends: withAutodetect(createBackends()), registry: r });
    const c = h.initExecutionContext(h.loadByName('m'));
    const gold = golden('conv_net').cases[0]!;
    h.setInput(c, 0, tensor(gold.inputs[0]!));
    h.compute(c);
    const out = new Float32Array(h.getOutput(c, 0).data.slice().buffer);
    const exp = new Float32Array(tensor(gold.outputs[0]!).data.slice().buffer);
    exp.forEach((x, k) => expect(Math.abs(out[k]! - x)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(x)));
    h.dispose();
  });
});
