/**
 * Optional: TensorFlow's own C library through `@tensorflow/tfjs-node` (an optional peer, not a
 * dependency, not installed here; never required). The first TensorFlow load looks for it with a
 * guarded require; when present, a SavedModel is written to a private temp directory
 * (saved_model.pb, variables/variables.index, variables/variables.data-0000i-of-N) and run by
 * the node backend's synchronous `loadSavedModelMetaGraph` / `runSavedModel` (what
 * tf.node.loadSavedModel and TFSavedModel.predict call), with the signature our reader took.
 * `WASI_NN_TENSORFLOW=tfjs` skips it. This path has not been run here (the package is absent).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NnError, type Tensor } from '../../core/types.js';
import type { FlatGraph } from './graph.js';
import { dtypeName } from './proto.js';
import { decodeHalf, encodeHalf } from './tfjs-engine.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface NodeBackendApi {
  loadSavedModelMetaGraph(path: string, tags: string): number;
  runSavedModel(id: number, inputs: any[], inputInfos: { name: string; dtype: string; tfDtype: string }[], outputNames: string[]): any[];
  deleteSavedModel(id: number): void;
}

export interface NodeSavedModel {
  run(inputs: readonly Tensor[]): Tensor[];
  dispose(): void;
}

export interface TfjsNode {
  version: string;
  load(builders: readonly Uint8Array[], flat: FlatGraph): NodeSavedModel;
}

let found: TfjsNode | undefined;
let looked = false;

function loadTfjsNode(): void {
  if (looked) return;
  looked = true;
  if (process.env['WASI_NN_TENSORFLOW'] === 'tfjs') return;
  const name = '@tensorflow/tfjs-node';
  let mod: any;
  try {
    mod = createRequire(import.meta.url)(name); // absent in this checkout: a normal, silent outcome
  } catch {
    return;
  }
  const tf = mod.default ?? mod;
  // the 'tensorflow' backend object, without making it the global tfjs backend
  const backend = (): NodeBackendApi => {
    const b = tf.findBackend?.('tensorflow') as NodeBackendApi | undefined;
    if (!b) throw new Error('@tensorflow/tfjs-node registered no "tensorflow" backend');
    return b;
  };
  found = {
    version: String(tf.version?.['tfjs-node'] ?? 'unknown'),
    load(builders, flat) {
      const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-tf-'));
      let id: number;
      try {
        writeFileSync(join(dir, 'saved_model.pb'), builders[0]!);
        if (builders.length > 1) {
          mkdirSync(join(dir, 'variables'));
          writeFileSync(join(dir, 'variables', 'variables.index'), builders[1]!);
          const n = builders.length - 2;
          builders.slice(2).forEach((b, i) => writeFileSync(join(dir, 'variables', `variables.data-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}`), b));
        }
        id = backend().loadSavedModelMetaGraph(dir, 'serve');
      } catch (e) {
        throw new NnError('invalid_argument', `tensorflow (tfjs-node): ${(e as Error).message}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const infos = flat.inputs.map((i) => ({ name: i.ref, dtype: i.type === 'f32' || i.type === 'f16' ? 'float32' : 'int32', tfDtype: dtypeName(i.dtype) }));
      return {
        run(inputs) {
          const tensors = inputs.map((t, i) => {
            const spec = flat.inputs[i]!;
            const dv = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
            const n = t.dims.reduce((a, b) => a * b, 1);
            const values =
              spec.type === 'f32' ? Float32Array.from({ length: n }, (_, k) => dv.getFloat32(k * 4, true))
              : spec.type === 'f16' ? Float32Array.from({ length: n }, (_, k) => decodeHalf(dv.getUint16(k * 2, true)))
              : spec.type === 'u8' ? Int32Array.from(t.data)
              : spec.type === 'i32' ? Int32Array.from({ length: n }, (_, k) => dv.getInt32(k * 4, true))
              : undefined;
            if (!values) throw new NnError('unsupported_operation', `tensorflow (tfjs-node): input ${spec.name} of ${dtypeName(spec.dtype)}`);
            return tf.tensor(values, t.dims, values instanceof Float32Array ? 'float32' : 'int32');
          });
          try {
            const outs = backend().runSavedModel(id, tensors, infos, flat.outputs.map((o) => o.ref));
            return outs.map((o: any, i: number): Tensor => {
              const spec = flat.outputs[i]!;
              const v = o.dataSync() as ArrayLike<number>;
              const data =
                spec.type === 'f32' ? new Uint8Array(Float32Array.from(v).buffer)
                : spec.type === 'i32' ? new Uint8Array(Int32Array.from(v).buffer)
                : spec.type === 'u8' ? Uint8Array.from(v, (x) => x & 0xff)
                : spec.type === 'f16' ? new Uint8Array(Uint16Array.from(v, encodeHalf).buffer)
                : undefined;
              o.dispose();
              if (!data) throw new NnError('unsupported_operation', `tensorflow (tfjs-node): output ${spec.name} of ${dtypeName(spec.dtype)}`);
              return { type: spec.type!, dims: [...o.shape], data };
            });
          } catch (e) {
            if (e instanceof NnError) throw e;
            throw new NnError('runtime_error', `tensorflow (tfjs-node): ${(e as Error).message}`);
          } finally {
            for (const t of tensors) t.dispose();
          }
        },
        dispose() {
          backend().deleteSavedModel(id);
        },
      };
    },
  };
}

/** TensorFlow's C library through @tensorflow/tfjs-node, looked for (once) on first use; undefined when absent. */
export function tfjsNode(): TfjsNode | undefined {
  loadTfjsNode();
  return found;
}
