import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { DT, TfFormatError, decodeGraph, decodeSavedModel } from './proto.js';

const read = (p: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, 'tensorflow', p)));

describe('SavedModel reader on fixtures/tensorflow/tf2/affine_relu/saved_model.pb', () => {
  const sm = decodeSavedModel(read('tf2/affine_relu/saved_model.pb'));
  const mg = sm.metaGraphs[0]!;

  it('reads SavedModel → MetaGraphDef (tags, saver_def, signature_def)', () => {
    expect(sm.schemaVersion).toBe(1);
    expect(sm.metaGraphs).toHaveLength(1);
    expect(mg.tags).toEqual(['serve']);
    expect(mg.saver).toEqual({ filenameTensorName: 'saver_filename:0', saveTensorName: 'StatefulPartitionedCall_1:0', restoreOpName: 'StatefulPartitionedCall_2', version: 2 });
    const sig = mg.signatures.get('serving_default')!;
    expect(sig.methodName).toBe('tensorflow/serving/predict');
    expect(sig.inputs.get('X')).toEqual({ name: 'serving_default_X:0', dtype: DT.DT_FLOAT, shape: { dims: [1, 4], unknownRank: false }, other: undefined });
    expect([...sig.outputs.entries()].map(([k, v]) => [k, v.name, v.dtype])).toEqual([['output_0', 'StatefulPartitionedCall:0', DT.DT_FLOAT]]);
  });

  it('reads the GraphDef nodes with their attrs, and the FunctionDefLibrary', () => {
    const g = mg.graph!;
    expect(g.node.map((n) => `${n.name}:${n.op}`)).toEqual([
      'W:VarHandleOp', 'b:VarHandleOp', 'serving_default_X:Placeholder', 'StatefulPartitionedCall:StatefulPartitionedCall',
      'saver_filename:Placeholder', 'Const:Const', 'StatefulPartitionedCall_1:StatefulPartitionedCall', 'StatefulPartitionedCall_2:StatefulPartitionedCall',
    ]);
    const w = g.node[0]!;
    expect(w.attr.get('dtype')).toEqual({ kind: 'type', type: DT.DT_FLOAT });
    expect(w.attr.get('shape')).toEqual({ kind: 'shape', shape: { dims: [4, 3], unknownRank: false } });
    const call = g.node[3]!;
    expect(call.input).toEqual(['serving_default_X', 'W', 'b']);
    expect(call.attr.get('f')).toMatchObject({ kind: 'func', func: { name: '__inference_signature_wrapper_200' } });
    expect(g.library.function.map((f) => f.signature.name)).toEqual(['__inference_affine_relu_100', '__inference_signature_wrapper_200', '__inference__traced_save_300', '__inference__traced_restore_400']);
    const model = g.library.function[0]!;
    expect(model.signature.inputArg.map((a) => a.name)).toEqual(['x', 'w_readvariableop_resource', 'b_readvariableop_resource']);
    expect(model.nodeDef.find((n) => n.op === 'MatMul')?.input[0]).toBe('x');
    expect([...model.ret.keys()]).toEqual(['identity']);
    expect(g.versions).toEqual({ producer: 1286, minConsumer: 12 });
  });

  it('reads a frozen GraphDef: tensor_content Consts and Identity outputs', () => {
    const g = decodeGraph(read('frozen/affine_relu.pb'), 'GraphDef');
    const w = g.node.find((n) => n.name === 'W')!;
    const v = w.attr.get('value');
    expect(v?.kind).toBe('tensor');
    if (v?.kind !== 'tensor') return;
    expect(v.tensor.dtype).toBe(DT.DT_FLOAT);
    expect(v.tensor.shape.dims).toEqual([4, 3]);
    expect(v.tensor.content?.length).toBe(48);
    expect(g.node.at(-1)).toMatchObject({ name: 'output_0', op: 'Identity' });
  });

  it('refuses malformed bytes with a message naming the message path', () => {
    const b = read('tf2/affine_relu/saved_model.pb');
    expect(() => decodeSavedModel(b.subarray(0, b.length - 7))).toThrow(TfFormatError);
    // field 1 (schema version) as a length-delimited field: wrong wire type
    expect(() => decodeSavedModel(new Uint8Array([0x0a, 0x00]))).toThrow(/SavedModel: field 1 has wire type 2, the schema says 0/);
    // a NodeDef whose name is not UTF-8
    expect(() => decodeGraph(new Uint8Array([0x0a, 0x03, 0x0a, 0x01, 0xff]), 'GraphDef')).toThrow(/GraphDef.node\[0\].name: not UTF-8/);
  });
});
