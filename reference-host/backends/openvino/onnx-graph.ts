/**
 * A tiny in-memory ONNX graph and its ModelProto encoding, for the IR translator. Protobuf is
 * written with fixtures/gen/onnx-writer.ts's ProtoWriter (reused, not copied).
 */
import { ProtoWriter } from '../../../fixtures/gen/onnx-writer.js';

/** ONNX IR version and default-domain opset of translated models (opset 18: ReduceMean takes axes as an input). */
export const TRANSLATED_IR_VERSION = 8;
export const TRANSLATED_OPSET = 18;

export type OnnxAttr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, OnnxAttr>;
}

export interface OnnxInitializer {
  name: string;
  /** onnx.TensorProto.DataType */
  type: number;
  dims: number[];
  raw: Uint8Array;
}

export interface OnnxIo {
  name: string;
  type: number;
  /** -1: a symbolic dimension; undefined: no shape declared (ORT infers it) */
  dims: number[] | undefined;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxIo[];
  outputs: OnnxIo[];
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const;

function writeIo(w: ProtoWriter, v: OnnxIo, symbolPrefix: string): void {
  w.string(1, v.name);
  w.message(2, (tp) =>
    tp.message(1, (tt) => {
      tt.int(1, v.type);
      const dims = v.dims;
      if (dims) {
        tt.message(2, (shape) => {
          dims.forEach((d, i) => shape.message(1, (dim) => (d >= 0 ? dim.int(1, d) : dim.string(2, `${symbolPrefix}_d${i}`))));
        });
      }
    }),
  );
}

export function encodeOnnxGraph(g: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, TRANSLATED_IR_VERSION);
  w.string(2, 'wasi-nn-conformance openvino front-end');
  w.message(7, (gw) => {
    g.nodes.forEach((n, i) =>
      gw.message(1, (nw) => {
        for (const x of n.inputs) nw.string(1, x);
        for (const x of n.outputs) nw.string(2, x);
        nw.string(3, `n${i}_${n.op}`);
        nw.string(4, n.op);
        for (const key of Object.keys(n.attrs).sort()) {
          const a = n.attrs[key]!;
          nw.message(5, (aw) => {
            aw.string(1, key);
            switch (a.kind) {
              case 'float':
                aw.float(2, a.value);
                break;
              case 'int':
                aw.int(3, a.value);
                break;
              case 'string':
                aw.string(4, a.value);
                break;
              case 'ints':
                for (const v of a.value) aw.int(8, v);
                break;
            }
            aw.int(20, ATTR_TYPE[a.kind]);
          });
        }
      }),
    );
    gw.string(2, g.name);
    for (const t of g.initializers) {
      gw.message(5, (tw) => {
        for (const d of t.dims) tw.int(1, d);
        tw.int(2, t.type);
        tw.string(8, t.name);
        tw.bytesField(9, t.raw);
      });
    }
    g.inputs.forEach((v, i) => gw.message(11, (vw) => writeIo(vw, v, `in${i}`)));
    g.outputs.forEach((v, i) => gw.message(12, (vw) => writeIo(vw, v, `out${i}`)));
  });
  w.message(8, (op) => op.int(2, TRANSLATED_OPSET));
  return w.bytes();
}
