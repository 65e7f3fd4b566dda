/**
 * What a guest gets from get_output is byte for byte what onnxruntime gives when called directly:
 * every committed ONNX fixture (each golden case) and a 16 MiB MLP (which the host runs on ORT's
 * own thread pool) go through the wasi_ephemeral_nn import object — guest memory, set_input,
 * compute, get_output — and through onnxruntime-node's public InferenceSession with the same
 * session options, and the output bytes must be equal (not merely within a tolerance).
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeValues } from '../../../fixtures/gen/evaluator.js';
import { mlpInput, mlpModel } from '../../../fixtures/gen/families.js';
import type { GoldenFile } from '../../../fixtures/gen/generate.js';
import type { DType } from '../../../fixtures/gen/model-ir.js';
import { writeOnnx } from '../../../fixtures/gen/onnx-writer.js';
import { DIALECTS } from '../../abi/dialects.js';
import { createWasiEphemeralNn } from '../../abi/wasi-ephemeral-nn.js';
import { NamedGraphRegistry } from '../../core/named-graphs.js';
import { NnHost } from '../../core/nn-host.js';
import { createBackends } from '../index.js';
import { SESSION_OPTIONS, THREADED_MIN_MODEL_BYTES, threadedSessionOptions } from './ort-binding.js';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);
/** witx tensor-type numbers */
const WITX_TYPE: Record<DType, number> = { f16: 0, f32: 1, f64: 2, u8: 3, i32: 4, i64: 5 };
const ORT_TYPE: Record<DType, ort.Tensor.Type> = { f16: 'float16', f32: 'float32', f64: 'float64', u8: 'uint8', i32: 'int32', i64: 'int64' };

interface Input {
  type: DType;
  dims: number[];
  bytes: Uint8Array;
}

function typed(type: DType, bytes: Uint8Array): ort.Tensor.DataType {
  const b = new Uint8Array(bytes).buffer;
  switch (type) {
    case 'f16':
      return new Uint16Array(b);
    case 'f32':
      return new Float32Array(b);
    case 'f64':
      return new Float64Array(b);
    case 'u8':
      return new Uint8Array(b);
    case 'i32':
      return new Int32Array(b);
    case 'i64':
      return new BigInt64Array(b);
  }
}

/** The outputs a guest reads through the witx import object, as bytes. */
function throughHost(model: Uint8Array, inputs: Input[], outputCount: number): Uint8Array[] {
  const dataBytes = inputs.reduce((n, t) => n + t.bytes.byteLength, 0);
  const pages = Math.ceil((model.byteLength + 2 * dataBytes + (1 << 20)) / 65536) + 1;
  const memory = new WebAssembly.Memory({ initial: pages });
  const host = new NnHost({ backends: createBackends(), registry: new NamedGraphRegistry() });
  const nn = createWasiEphemeralNn({ host, dialect: DIALECTS.witx, memory: () => memory });
  const bytes = new Uint8Array(memory.buffer);
  const view = new DataView(memory.buffer);
  let top = 4096;
  const place = (b: Uint8Array): number => {
    const at = top;
    bytes.set(b, at);
    top = (at + b.byteLength + 15) & ~15;
    return at;
  };
  const modelAt = place(model);
  view.setUint32(0, modelAt, true);
  view.setUint32(4, model.byteLength, true);
  try {
    expect(nn.load!(0, 1, 1, 0, 8)).toBe(0);
    expect(nn.init_execution_context!(view.getUint32(8, true), 12)).toBe(0);
    const ctx = view.getUint32(12, true);
    inputs.forEach((t, i) => {
      const dimsAt = place(new Uint8Array(new Uint32Array(t.dims).buffer));
      const dataAt = place(t.bytes);
      const rec = place(new Uint8Array(20));
      view.setUint32(rec, dimsAt, true);
      view.setUint32(rec + 4, t.dims.length, true);
      view.setUint8(rec + 8, WITX_TYPE[t.type]);
      view.setUint32(rec + 12, dataAt, true);
      view.setUint32(rec + 16, t.bytes.byteLength, true);
      expect(nn.set_input!(ctx, i, rec)).toBe(0);
    });
    expect(nn.compute!(ctx)).toBe(0);
    const outAt = top;
    const room = bytes.byteLength - outAt;
    return Array.from({ length: outputCount }, (_, i) => {
      expect(nn.get_output!(ctx, i, outAt, room, 16)).toBe(0);
      return bytes.slice(outAt, outAt + view.getUint32(16, true));
    });
  } finally {
    host.dispose();
  }
}

/** The same inputs through onnxruntime-node's public API with the session options the host picks for this model. */
async function direct(model: Uint8Array, inputs: Input[]): Promise<Uint8Array[]> {
  const options = model.byteLength >= THREADED_MIN_MODEL_BYTES ? threadedSessionOptions() : SESSION_OPTIONS;
  const session = await ort.InferenceSession.create(model, options as ort.InferenceSession.SessionOptions);
  try {
    const feeds = Object.fromEntries(session.inputNames.map((name, i) => [name, new ort.Tensor(ORT_TYPE[inputs[i]!.type], typed(inputs[i]!.type, inputs[i]!.bytes), inputs[i]!.dims)]));
    const results = await session.run(feeds);
    return session.outputNames.map((name) => {
      const d = results[name]!.data as ArrayBufferView;
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
    });
  } finally {
    await session.release();
  }
}

const goldens = readdirSync(new URL('goldens/', FIXTURES))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(`goldens/${f}`, FIXTURES), 'utf8')) as GoldenFile);
const cases = goldens.flatMap((g) => g.cases.map((c) => ({ id: `${g.model}/${c.name}`, file: g.file, golden: c })));

describe('get_output bytes equal onnxruntime called directly', () => {
  it('covers every golden case of the committed ONNX fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(26);
  });

  it.each(cases)('$id', async ({ file, golden }) => {
    const model = new Uint8Array(readFileSync(new URL(file, FIXTURES)));
    const inputs = golden.inputs.map((t) => ({ type: t.type, dims: t.dims, bytes: new Uint8Array(Buffer.from(t.hex, 'hex')) }));
    const viaHost = throughHost(model, inputs, golden.outputs.length);
    const viaOrt = await direct(model, inputs);
    expect(viaHost.length).toBe(viaOrt.length);
    viaHost.forEach((b, i) => expect(Buffer.from(b).equals(Buffer.from(viaOrt[i]!)), `output ${i} (${golden.outputs[i]!.name})`).toBe(true));
  });

  it('a 16 MiB MLP, which the host runs on ORT\'s intra-op thread pool', async () => {
    const model = writeOnnx(mlpModel(1024, 1024, 7, { layers: 4 }));
    expect(model.byteLength).toBeGreaterThanOrEqual(THREADED_MIN_MODEL_BYTES);
    const x = mlpInput(1024, 11);
    const inputs = [{ type: 'f32' as const, dims: [1, 1024], bytes: encodeValues('f32', x.data as number[]) }];
    const [viaHost] = throughHost(model, inputs, 1);
    const [viaOrt] = await direct(model, inputs);
    expect(viaHost!.byteLength).toBe(4096);
    expect(Buffer.from(viaHost!).equals(Buffer.from(viaOrt!))).toBe(true);
  });
});
