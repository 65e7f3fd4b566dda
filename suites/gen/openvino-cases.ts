/**
 * Generates suites/openvino/openvino.json: every family written as OpenVINO IR
 * (fixtures/openvino/<family>.xml + .bin, when its golden exists) computes its golden through two
 * builders, plus builder counts, weights bounds, unsupported ops, targets, output sizes, call
 * order, set_input checks and dynamic dims. `npm run suites`; a test checks it is current.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CallExpectation, CaseFile, Step } from '../../harness/case-types.js';
import type { ErrnoName } from '../../reference-host/core/types.js';

type Case = CaseFile['cases'][number];

interface GoldenJson {
  cases: { name: string; inputs: unknown[]; outputs: { type: string; dims: number[] }[] }[];
}

export function openvinoCaseFiles(fixturesDir: string): Record<string, CaseFile> {
  const golden = (m: string): GoldenJson => JSON.parse(readFileSync(join(fixturesDir, 'goldens', `${m}.json`), 'utf8')) as GoldenJson;
  const families = readdirSync(join(fixturesDir, 'openvino'))
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -4))
    .filter((m) => existsSync(join(fixturesDir, 'goldens', `${m}.json`)))
    .sort();
  const ENC = { encodings: ['openvino' as const] };
  const SIZES: Record<string, number> = { f16: 2, f32: 4, f64: 8, u8: 1, i32: 4, i64: 8 };
  const cases: Case[] = [];
  const load = (xml = 'affine_relu', expect: CallExpectation = { errno: 'success', result: 'written' }): Step[] => [
    { buffer: 'x', fixture: `openvino/${xml}.xml` },
    { buffer: 'wt', fixture: `openvino/${xml}.bin` },
    { buffer: 'b', builders: ['x', 'wt'] },
    { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect },
  ];
  const init: Step = { call: 'init_execution_context', args: { graph: '$g' }, result: 'c', expect: { errno: 'success', result: 'written' } };
  const setInputs = (model: string, c: string, n: number): Step[] => Array.from({ length: n }, (_, i): Step[] => [
    { buffer: `t${i}`, tensor: { golden: { model, case: c, input: i } } },
    { call: 'set_input', args: { ctx: '$c', index: i, tensor: `@t${i}` } },
  ]).flat();
  const getOutputs = (model: string, c: string, outs: { type: string; dims: number[] }[]): Step[] => outs.map((o, i): Step => ({
    call: 'get_output', args: { ctx: '$c', index: i }, output: { buffer: `o${i}`, size: o.dims.reduce((a: number, b: number) => a * b, 1) * SIZES[o.type]! }, result: `w${i}`,
    expect: { errno: 'success', output: { tensor: { golden: { model, case: c, output: i } } } },
  }));
  for (const fam of families) {
    const g = golden(fam);
    for (const c of g.cases) {
      cases.push({
        id: `openvino.golden.${fam}.${c.name}`,
        title: `${fam} as OpenVINO IR v11 (case ${c.name}) matches the evaluator's golden`,
        spec: 'wasi-nn witx: load(openvino, [xml, weights]) → init_execution_context → set_input → compute → get_output',
        requires: ENC,
        steps: [...load(fam), init, ...setInputs(fam, c.name, c.inputs.length), { call: 'compute', args: { ctx: '$c' } }, ...getOutputs(fam, c.name, c.outputs)],
      });
    }
  }
  // IR v10: the same XML with version="10"
  const xmlText = readFileSync(join(fixturesDir, 'openvino', 'affine_relu.xml'), 'latin1');
  const vAt = xmlText.indexOf('version="11">') + 'version="1'.length;
  cases.push({
    id: 'openvino.ir_v10.affine_relu',
    title: 'the affine_relu IR with <net version="10"> loads and computes the golden',
    spec: 'OpenVINO IR: versions 10 and 11 share the layer/edge format read here',
    requires: ENC,
    steps: [...load().slice(0, 2), { poke: 'x', offset: vAt, hex: '30' }, ...load().slice(2), init, ...setInputs('affine_relu', 'default', 1), { call: 'compute', args: { ctx: '$c' } }, ...getOutputs('affine_relu', 'default', golden('affine_relu').cases[0]!.outputs)],
  });
  const fail = (errno: ErrnoName): CallExpectation => ({ errno, result: 'unchanged' });
  const BUILDERS = 'reference host: openvino takes exactly two builders, the IR XML then the weights → otherwise invalid_argument';
  cases.push({ id: 'openvino.load.builders_1', title: 'openvino load with only the XML builder', spec: BUILDERS, requires: ENC,
    steps: [{ buffer: 'x', fixture: 'openvino/affine_relu.xml' }, { buffer: 'b', builders: ['x'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('invalid_argument') }] });
  cases.push({ id: 'openvino.load.builders_3', title: 'openvino load with XML, weights and the weights again', spec: BUILDERS, requires: ENC,
    steps: [...load().slice(0, 2), { buffer: 'b', builders: ['x', 'wt', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('invalid_argument') }] });
  cases.push({ id: 'openvino.load.builders_swapped', title: 'weights first, XML second', spec: BUILDERS, requires: ENC,
    steps: [...load().slice(0, 2), { buffer: 'b', builders: ['wt', 'x'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('invalid_argument') }] });
  cases.push({ id: 'openvino.load.weights_one_byte_short', title: 'affine_relu.xml with 59 bytes of weights (its Consts need 60)', spec: 'reference host: a Const whose offset+size lies past the end of the weights builder → invalid_argument', requires: ENC,
    steps: [{ buffer: 'x', fixture: 'openvino/affine_relu.xml' }, { buffer: 'wt', size: 59 }, { buffer: 'b', builders: ['x', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('invalid_argument') }] });
  cases.push({ id: 'openvino.load.weights_of_another_model', title: 'affine_relu.xml with scale_f32.bin (16 bytes) as weights', spec: 'reference host: a Const whose offset+size lies past the end of the weights builder → invalid_argument', requires: ENC,
    steps: [{ buffer: 'x', fixture: 'openvino/affine_relu.xml' }, { buffer: 'wt', fixture: 'openvino/scale_f32.bin' }, { buffer: 'b', builders: ['x', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('invalid_argument') }] });
  cases.push({ id: 'openvino.load.weights_longer_than_needed', title: 'affine_relu.xml with 4096 bytes of weights loads (Consts read at their offsets)', spec: 'reference host: weights past the last Const are ignored, as OpenVINO does', requires: ENC,
    steps: [{ buffer: 'x', fixture: 'openvino/affine_relu.xml' }, { buffer: 'wt', size: 4096, fill: 0 }, { buffer: 'b', builders: ['x', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: { errno: 'success', result: 'written' } }] });
  cases.push({ id: 'openvino.load.onnx_bytes', title: 'an ONNX model with the affine_relu weights, loaded as openvino', spec: 'reference host: a known encoding with bytes that are not a model of it → invalid_argument', requires: ENC,
    steps: [{ buffer: 'x', fixture: 'onnx/affine_relu.onnx' }, { buffer: 'wt', fixture: 'openvino/affine_relu.bin' }, { buffer: 'b', builders: ['x', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('invalid_argument') }] });
  const refusedIr = [
    '<?xml version="1.0"?>',
    '<net name="ssd_head" version="11"><layers>',
    '<layer id="0" name="X" type="Parameter" version="opset1"><data shape="1,4" element_type="f32"/><output><port id="0" precision="FP32"><dim>1</dim><dim>4</dim></port></output></layer>',
    '<layer id="1" name="D" type="DetectionOutput" version="opset8"><input><port id="0"><dim>1</dim><dim>4</dim></port></input><output><port id="1" precision="FP32"><dim>1</dim><dim>4</dim></port></output></layer>',
    '<layer id="2" name="Y" type="Result" version="opset1"><input><port id="0"><dim>1</dim><dim>4</dim></port></input></layer>',
    '</layers><edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/><edge from-layer="1" from-port="1" to-layer="2" to-port="0"/></edges></net>',
  ].join('\n');
  cases.push({ id: 'openvino.load.refused_op_detection_output', title: 'an IR with a DetectionOutput layer (an OpenVINO op this host refuses, reference-host/backends/openvino/README.md)', spec: 'reference host: a layer type the engine cannot run → unsupported_operation, naming the op and the reason in the trace', requires: ENC,
    steps: [{ buffer: 'x', text: refusedIr }, { buffer: 'wt', size: 8 }, { buffer: 'b', builders: ['x', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('unsupported_operation') }] });
  cases.push({ id: 'openvino.load.unknown_layer_type', title: 'affine_relu with its ReLU retyped FancyActivation', spec: 'reference host: a layer type the engine cannot run → unsupported_operation, naming the op in the trace', requires: ENC,
    steps: [{ buffer: 'x', fixture: 'bad/openvino/unknown-layer-type.xml' }, { buffer: 'wt', fixture: 'openvino/affine_relu.bin' }, { buffer: 'b', builders: ['x', 'wt'] }, { call: 'load', args: { builders: '@b', encoding: 'openvino', target: 'cpu' }, result: 'g', expect: fail('unsupported_operation') }] });
  for (const t of ['gpu', 'tpu']) cases.push({ id: `openvino.target.${t}_without_device`, title: `openvino load on target ${t}`, spec: 'reference host: a target the engine or machine lacks → unsupported_operation', requires: ENC,
    steps: [...load().slice(0, 3), { call: 'load', args: { builders: '@b', encoding: 'openvino', target: t }, result: 'g', expect: fail('unsupported_operation') }] });
  const upToCompute: Step[] = [...load(), init, ...setInputs('affine_relu', 'default', 1), { call: 'compute', args: { ctx: '$c' } }];
  const OUT = 'reference host: get_output into a too-small buffer → too_large, buffer untouched, needed size written to *written';
  cases.push({ id: 'openvino.output_size.exact', title: 'a 12-byte buffer for the f32[1,3] output', spec: OUT, requires: ENC, steps: [...upToCompute, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'success', result: 12 } }] });
  cases.push({ id: 'openvino.output_size.one_short', title: 'an 11-byte buffer gets too_large, untouched', spec: OUT, requires: ENC, steps: [...upToCompute, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 11 }, result: 'w', expect: { errno: 'too_large', result: 12, output: { unchanged: true } } }] });
  cases.push({ id: 'openvino.output_size.larger', title: 'a 64-byte buffer: 12 bytes written', spec: OUT, requires: ENC, steps: [...upToCompute, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 64 }, result: 'w', expect: { errno: 'success', result: 12 } }] });
  cases.push({ id: 'openvino.get_output.index_out_of_range', title: 'get_output index 1 of a one-output model', spec: 'reference host: an output index out of range → invalid_argument', requires: ENC, steps: [...upToCompute, { call: 'get_output', args: { ctx: '$c', index: 1 }, output: { buffer: 'o', size: 64 }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged', output: { unchanged: true } } }] });
  cases.push({ id: 'openvino.order.get_output_before_compute', title: 'get_output before compute is an error, never stale or zero data', spec: 'reference host: get_output before a successful compute → runtime_error, buffer and *written untouched', requires: ENC,
    steps: [...load(), init, ...setInputs('affine_relu', 'default', 1), { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'runtime_error', result: 'unchanged', output: { unchanged: true } } }] });
  cases.push({ id: 'openvino.order.compute_before_set_input', title: 'compute before any set_input', spec: 'reference host: compute before every input is set → invalid_argument', requires: ENC,
    steps: [...load(), init, { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'invalid_argument' } }] });
  cases.push({ id: 'openvino.order.compute_with_one_of_two_inputs', title: 'two_in_two_out with only input 0 set', spec: 'reference host: compute before every input is set → invalid_argument', requires: ENC,
    steps: [...load('two_in_two_out'), init, ...setInputs('two_in_two_out', 'default', 1), { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'invalid_argument' } }] });
  const SET = 'reference host: set_input type, rank or static dims differ from the model → invalid_argument at set_input';
  cases.push({ id: 'openvino.set_input.wrong_type_i32', title: 'an i32[1,4] tensor into the f32[1,4] Parameter', spec: SET, requires: ENC,
    steps: [...load(), init, { buffer: 't', tensor: { type: 'i32', dims: [1, 4], values: [1, 2, 3, 4] } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }] });
  cases.push({ id: 'openvino.set_input.wrong_dim', title: 'an f32[1,5] tensor into the f32[1,4] Parameter', spec: SET, requires: ENC,
    steps: [...load(), init, { buffer: 't', tensor: { type: 'f32', dims: [1, 5], values: [1, 2, 3, 4, 5] } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }] });
  cases.push({ id: 'openvino.set_input.dynamic_wrong_static_dim', title: 'dynamic_batch (Parameter shape "?,4") given f32[2,5]', spec: SET, requires: ENC,
    steps: [...load('dynamic_batch'), init, { buffer: 't', tensor: { type: 'f32', dims: [2, 5], values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }] });
  cases.push({ id: 'openvino.set_input.index_out_of_range', title: 'set_input index 1 of a one-input model', spec: 'reference host: an input index out of range → invalid_argument', requires: ENC,
    steps: [...load(), init, { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } }, { call: 'set_input', args: { ctx: '$c', index: 1, tensor: '@t' }, expect: { errno: 'invalid_argument' } }] });
  const dynOut = golden('dynamic_batch').cases;
  cases.push({ id: 'openvino.dynamic_dims.resize_on_same_context', title: 'N=1 then N=3 on one context (dynamic dim -1 / "?")', spec: 'reference host: dynamic dims take their size from the tensor given to set_input', requires: ENC,
    steps: [...load('dynamic_batch'), init, ...setInputs('dynamic_batch', 'n1', 1), { call: 'compute', args: { ctx: '$c' } }, ...getOutputs('dynamic_batch', 'n1', dynOut[0]!.outputs),
      { buffer: 'u0', tensor: { golden: { model: 'dynamic_batch', case: 'n3', input: 0 } } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@u0' } }, { call: 'compute', args: { ctx: '$c' } },
      { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'p0', size: 24 }, result: 'v0', expect: { errno: 'success', output: { tensor: { golden: { model: 'dynamic_batch', case: 'n3', output: 0 } } } } }] });
  cases.push({ id: 'openvino.contexts.independent', title: 'two contexts of one graph keep their own inputs', spec: 'wasi-nn witx: each execution context holds its own inputs and outputs', requires: ENC,
    steps: [...load(), init, { call: 'init_execution_context', args: { graph: '$g' }, result: 'c2', expect: { errno: 'success', result: 'written' } },
      { buffer: 't0', tensor: { golden: { model: 'affine_relu', case: 'default', input: 0 } } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t0' } },
      { buffer: 't1', tensor: { golden: { model: 'affine_relu', case: 'second', input: 0 } } }, { call: 'set_input', args: { ctx: '$c2', index: 0, tensor: '@t1' } },
      { call: 'compute', args: { ctx: '$c2' } }, { call: 'compute', args: { ctx: '$c' } },
      { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o0', size: 12 }, result: 'w0', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', case: 'default', output: 0 } } } } },
      { call: 'get_output', args: { ctx: '$c2', index: 0 }, output: { buffer: 'o1', size: 12 }, result: 'w1', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', case: 'second', output: 0 } } } } }] });
  return {
    'openvino.json': {
      suite: 'openvino',
      description: 'OpenVINO IR (XML + weights) through the reference host: its IR front-end on onnxruntime-node, or openvino-node when installed',
      cases,
    },
  };
}
