/**
 * Generates suites/component/*.json: what only the WIT interface has (resources, names, error
 * resources), run by the component driver's WIT calls (guests/driver/wit-nn.h) under the two
 * component dialects. Every other suite runs there too, through the driver's witx-shaped
 * functions (harness/compile-component.ts says what cannot).
 */
import type { Case, CaseFile, Step } from '../../harness/case-types.js';
import type { Encoding } from '../../reference-host/core/types.js';

const RC1028 = 'wit-2024-10-28';
const RC0819 = 'wit-2024-08-19';
type Version = typeof RC1028 | typeof RC0819;
const BOTH: Version[] = [RC1028, RC0819];

const WIT = 'wasi:nn@0.2.0-rc-2024-10-28 (and -08-19)';
const TENSOR_DATA = `${WIT} tensor.tensor-data: "the array length must match the product of all of the dimensions and the number of bytes in the type"`;
const NAMED_TENSOR = 'wasi:nn@0.2.0-rc-2024-10-28 inference.named-tensor: "Identify a tensor by name; this is necessary to associate tensors to graph inputs and outputs"';
const OWN = 'component model canonical ABI: an own<T> parameter moves the resource out of the caller\'s table; a handle the caller does not hold traps (wasmtime: ResourceTableError → trap)';
const ERRORS = `${WIT} errors.error: code() and data() ("Errors can propagated with backend specific status through a string value")`;
const REFERENCE_NAMES = 'reference host: an input or output is named by the model\'s name, else by its decimal index, else not-found';

const requires = (dialects: Version[], encodings: Encoding[] = ['onnx']): Case['requires'] => ({ encodings, dialects });

/** graph `g` and context `c` of a model */
function model(fixture = 'onnx/affine_relu.onnx', encoding: Encoding = 'onnx', builders: string[] = [fixture]): Step[] {
  return [
    ...builders.map((f, i): Step => ({ buffer: `m${i}`, fixture: f })),
    { buffer: 'b', builders: builders.map((_, i) => `m${i}`) },
    { call: 'load', args: { builders: '@b', encoding, target: 'cpu' }, result: 'g' },
    { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
  ];
}

/** a tensor resource `${name}_h` from a golden input (its dims and data buffers come from a tensor step) */
function tensor(name: string, golden = { model: 'affine_relu', input: 0 }, type = 'f32'): Step[] {
  return [
    { buffer: name, tensor: { golden } },
    { call: 'tensor_new', args: { dims: `@${name}_dims`, type, data: `@${name}_data` }, result: `${name}_h` },
  ];
}

const text = (buffer: string, value: string): Step => ({ buffer, text: value });

/** rc-2024-10-28: compute with the given (name buffer, tensor value) inputs; the output handles go to `outs` */
function computeNamed(inputs: { name: string; tensor: string }[], expect: NonNullable<Extract<Step, { call: string }>['expect']>, list = 'in'): Step[] {
  return [
    { buffer: list, named_tensors: inputs },
    { call: 'compute_named', args: { ctx: '$c', inputs: `@${list}` }, output: { buffer: `${list}_outs`, size: 16 }, expect },
  ];
}

const affineOut = (tensorValue: string, id = 'y'): Step => ({
  call: 'tensor_data',
  args: { tensor: tensorValue },
  output: { buffer: id, size: 64 },
  result: `${id}_w`,
  expect: { errno: 'success', result: 12, output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } },
});

function tensorCases(): Case[] {
  return [
    {
      id: 'component.tensor.accessors_f32',
      title: 'a tensor made by the constructor answers dimensions(), ty() and data() with what it was given',
      spec: `${WIT} tensor.tensor: constructor(dimensions, ty, data); dimensions(), ty(), data()`,
      requires: requires(BOTH),
      steps: [
        ...tensor('t'),
        { call: 'tensor_dimensions', args: { tensor: '$t_h' }, output: { buffer: 'd', size: 16 }, result: 'dn', expect: { errno: 'success', result: 2, output: { tensor: { type: 'i32', dims: [2], values: [1, 4] } } } },
        { call: 'tensor_type', args: { tensor: '$t_h' }, result: 'ty', expect: { errno: 'success', result: 1 } },
        { call: 'tensor_data', args: { tensor: '$t_h' }, output: { buffer: 'x', size: 64 }, result: 'xw', expect: { errno: 'success', result: 16, output: { tensor: { golden: { model: 'affine_relu', input: 0 } } } } },
      ],
    },
    {
      id: 'component.tensor.keeps_its_data',
      title: 'a tensor keeps the data it was made with when the guest changes its buffer afterwards',
      spec: `${WIT} tensor.tensor constructor(dimensions, ty, data): data is a list<u8>, passed by value`,
      requires: requires(BOTH),
      steps: [
        { buffer: 'd', hex: '0200000002000000' },
        { buffer: 'x', hex: '0000803f000000400000404000008040' },
        { call: 'tensor_new', args: { dims: '@d', type: 'f32', data: '@x' }, result: 'th' },
        { poke: 'x', hex: 'ffffffffffffffffffffffffffffffff' },
        { call: 'tensor_data', args: { tensor: '$th' }, output: { buffer: 'o', size: 16 }, result: 'ow', expect: { errno: 'success', result: 16, output: { tensor: { type: 'f32', dims: [2, 2], values: [1, 2, 3, 4] } } } },
      ],
    },
    {
      id: 'component.tensor.bf16',
      title: 'a BF16 tensor keeps its type and bytes, and an f32 model refuses it as an input',
      spec: `${WIT} tensor.tensor-type BF16; reference host: an input of the wrong type → invalid-argument`,
      requires: requires(BOTH),
      steps: [
        { buffer: 'bd', hex: '0200000002000000' },
        // 1.0, 2.0, -1.5, 0.5 in bfloat16 (the upper halves of their f32 encodings)
        { buffer: 'bx', hex: '803f0040c0bf003f' },
        { call: 'tensor_new', args: { dims: '@bd', type: 'bf16', data: '@bx' }, result: 'bh' },
        { call: 'tensor_type', args: { tensor: '$bh' }, result: 'ty', expect: { errno: 'success', result: 3 } },
        { call: 'tensor_data', args: { tensor: '$bh' }, output: { buffer: 'x', size: 8 }, result: 'xw', expect: { errno: 'success', result: 8, output: { tensor: { type: 'bf16', dims: [2, 2], hex: '803f0040c0bf003f' } } } },
      ],
    },
    {
      id: 'component.tensor.every_type_round_trips',
      title: 'a tensor made with each of the seven tensor types reports that type back (FP16 and BF16, both two bytes, stay apart)',
      spec: `${WIT} tensor.tensor-type: the type the constructor was given`,
      requires: requires(BOTH),
      steps: (['f16', 'f32', 'f64', 'bf16', 'u8', 'i32', 'i64'] as const).flatMap((type, i): Step[] => [
        { buffer: `d${i}`, hex: '0100000001000000' },
        { buffer: `x${i}`, hex: '00'.repeat({ f16: 2, f32: 4, f64: 8, bf16: 2, u8: 1, i32: 4, i64: 8 }[type]) },
        { call: 'tensor_new', args: { dims: `@d${i}`, type, data: `@x${i}` }, result: `h${i}` },
        { call: 'tensor_type', args: { tensor: `$h${i}` }, result: `ty${i}`, expect: { errno: 'success', result: i } },
      ]),
    },
    {
      id: 'component.tensor.data_length_mismatch',
      title: 'the constructor keeps data shorter than dims × element size; using it as an input is invalid-argument',
      spec: `${TENSOR_DATA}; the constructor has no result, so the reference host refuses the tensor where it is used, as set_input does on the core ABI`,
      requires: requires(BOTH),
      steps: [
        ...model(),
        { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
        { call: 'tensor_new', args: { dims: '@t_dims', type: 'f32', data: '@t_data', data_len: 8 }, result: 'th' },
        { call: 'tensor_data', args: { tensor: '$th' }, output: { buffer: 'x', size: 64 }, result: 'xw', expect: { errno: 'success', result: 8 } },
      ],
    },
  ];
}

/** The same input-name cases under each version's calls. */
function nameCases(): Case[] {
  const cases: Case[] = [];
  const inputs = [
    { id: 'model_name', name: 'X', title: 'by the model\'s input name' },
    { id: 'decimal_index', name: '0', title: 'by decimal index "0"' },
  ];
  // the same over OpenVINO IR: wasmtime's OpenVINO backend sets an input by OpenVINO tensor name
  // and names every output by its decimal index (crates/wasi-nn/src/backend/openvino.rs compute;
  // measured on 49.0.3), where its ONNX backend uses the model's names for both
  for (const i of inputs) {
    cases.push({
      id: `component.names.openvino_input_${i.id}.rc1028`,
      title: `OpenVINO IR: compute takes an input ${i.title} and names the output by the model's output name`,
      spec: `${NAMED_TENSOR}; ${REFERENCE_NAMES} (an IR's names are its ports' names)`,
      requires: requires([RC1028], ['openvino']),
      steps: [...model('openvino/affine_relu.xml', 'openvino', ['openvino/affine_relu.xml', 'openvino/affine_relu.bin']), ...tensor('t'), text('n', i.name), ...computeNamed([{ name: 'n', tensor: '$t_h' }], { errno: 'success', names: ['Y'] }), affineOut('$in_outs')],
    });
  }
  for (const i of inputs) {
    cases.push({
      id: `component.names.input_${i.id}.rc1028`,
      title: `compute takes an input ${i.title} and names the output by the model's output name`,
      spec: `${NAMED_TENSOR}; ${REFERENCE_NAMES}`,
      requires: requires([RC1028]),
      steps: [...model(), ...tensor('t'), text('n', i.name), ...computeNamed([{ name: 'n', tensor: '$t_h' }], { errno: 'success', names: ['Y'] }), affineOut('$in_outs')],
    });
    cases.push({
      id: `component.names.input_${i.id}.rc0819`,
      title: `set-input takes an input ${i.title}; get-output takes the model's output name`,
      spec: `wasi:nn@0.2.0-rc-2024-08-19 inference.graph-execution-context.set-input(name, tensor), get-output(name); ${REFERENCE_NAMES}`,
      requires: requires([RC0819]),
      steps: [
        ...model(),
        ...tensor('t'),
        text('n', i.name),
        { call: 'set_input_named', args: { ctx: '$c', name: '@n', tensor: '$t_h' } },
        { call: 'compute', args: { ctx: '$c' } },
        text('on', 'Y'),
        { call: 'get_output_named', args: { ctx: '$c', name: '@on' }, result: 'o' },
        affineOut('$o'),
      ],
    });
  }
  cases.push(
    {
      id: 'component.names.unknown_input.rc1028',
      title: 'compute with an input name the model does not have is not-found, with a message',
      spec: `${NAMED_TENSOR}; ${REFERENCE_NAMES}; ${ERRORS}`,
      requires: requires([RC1028]),
      steps: [...model(), ...tensor('t'), text('n', 'nope'), ...computeNamed([{ name: 'n', tensor: '$t_h' }], { errno: 'not_found', error_data: true })],
    },
    {
      id: 'component.names.leading_zero_index.rc1028',
      title: 'compute with an input named "00" is not-found: a decimal index has no leading zero, so "00" is an unknown name, not index 0',
      spec: `${NAMED_TENSOR}; ${REFERENCE_NAMES} (the decimal index is "0" or starts with 1-9)`,
      requires: requires([RC1028]),
      steps: [...model(), ...tensor('t'), text('n', '00'), ...computeNamed([{ name: 'n', tensor: '$t_h' }], { errno: 'not_found', error_data: true })],
    },
    {
      id: 'component.names.unknown_input.rc0819',
      title: 'set-input with an input name the model does not have is not-found, with a message',
      spec: `wasi:nn@0.2.0-rc-2024-08-19 set-input(name, tensor); ${REFERENCE_NAMES}; ${ERRORS}`,
      requires: requires([RC0819]),
      steps: [...model(), ...tensor('t'), text('n', 'nope'), { call: 'set_input_named', args: { ctx: '$c', name: '@n', tensor: '$t_h' }, expect: { errno: 'not_found', error_data: true } }],
    },
    {
      id: 'component.names.unknown_output.rc0819',
      title: 'get-output with an output name the model does not have is not-found',
      spec: `wasi:nn@0.2.0-rc-2024-08-19 get-output(name); ${REFERENCE_NAMES}`,
      requires: requires([RC0819]),
      steps: [
        ...model(),
        ...tensor('t'),
        text('n', 'X'),
        { call: 'set_input_named', args: { ctx: '$c', name: '@n', tensor: '$t_h' } },
        { call: 'compute', args: { ctx: '$c' } },
        text('on', 'Z'),
        { call: 'get_output_named', args: { ctx: '$c', name: '@on' }, result: 'o', expect: { errno: 'not_found', error_data: true, result: 'unchanged' } },
      ],
    },
    {
      id: 'component.names.same_input_twice.rc1028',
      title: 'compute given the same input twice (by name and by index) is invalid-argument',
      spec: `${NAMED_TENSOR}; reference host: an input given twice → invalid-argument`,
      requires: requires([RC1028]),
      steps: [...model(), ...tensor('t'), ...tensor('u'), text('n', 'X'), text('i', '0'), ...computeNamed([{ name: 'n', tensor: '$t_h' }, { name: 'i', tensor: '$u_h' }], { errno: 'invalid_argument', error_data: true })],
    },
    {
      id: 'component.names.no_inputs.rc1028',
      title: 'compute with an empty input list, for a model with one input, is invalid-argument',
      spec: `${NAMED_TENSOR}; reference host: an input never given → invalid-argument, as compute without set_input on the core ABI`,
      requires: requires([RC1028]),
      steps: [...model(), ...computeNamed([], { errno: 'invalid_argument', error_data: true })],
    },
    {
      id: 'component.names.wrong_data_length.rc1028',
      title: 'compute refuses an input tensor whose data is shorter than its dims need',
      spec: `${TENSOR_DATA}`,
      requires: requires([RC1028]),
      steps: [
        ...model(),
        { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
        { call: 'tensor_new', args: { dims: '@t_dims', type: 'f32', data: '@t_data', data_len: 8 }, result: 'th' },
        text('n', 'X'),
        ...computeNamed([{ name: 'n', tensor: '$th' }], { errno: 'invalid_argument', error_data: true }),
      ],
    },
    {
      id: 'component.names.wrong_data_length.rc0819',
      title: 'set-input refuses a tensor whose data is shorter than its dims need',
      spec: `${TENSOR_DATA}`,
      requires: requires([RC0819]),
      steps: [
        ...model(),
        { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
        { call: 'tensor_new', args: { dims: '@t_dims', type: 'f32', data: '@t_data', data_len: 8 }, result: 'th' },
        text('n', 'X'),
        { call: 'set_input_named', args: { ctx: '$c', name: '@n', tensor: '$th' }, expect: { errno: 'invalid_argument', error_data: true } },
      ],
    },
    {
      id: 'component.names.bf16_into_f32.rc1028',
      title: 'compute refuses a BF16 tensor for an f32 input',
      spec: `${WIT} tensor-type; reference host: an input of the wrong type → invalid-argument`,
      requires: requires([RC1028]),
      steps: [...model(), { buffer: 'bd', hex: '0100000004000000' }, { buffer: 'bx', hex: '803f0040c0bf003f' }, { call: 'tensor_new', args: { dims: '@bd', type: 'bf16', data: '@bx' }, result: 'bh' }, text('n', 'X'), ...computeNamed([{ name: 'n', tensor: '$bh' }], { errno: 'invalid_argument', error_data: true })],
    },
    {
      id: 'component.names.compute_before_inputs.rc0819',
      title: 'compute before any set-input is invalid-argument',
      spec: 'wasi:nn@0.2.0-rc-2024-08-19 compute(): "the expected sequence of calls: set-input, compute, get-output"; reference host: an input never set → invalid-argument',
      requires: requires([RC0819]),
      steps: [...model(), { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'invalid_argument', error_data: true } }],
    },
  );
  return cases;
}

/** Output names as each engine gives them (rc-2024-10-28 returns them with the tensors). */
function outputNameCases(): Case[] {
  const engines: { id: string; encoding: Encoding; fixtures: string[]; names: string[]; inputs: string[]; golden: string; why: string }[] = [
    { id: 'onnx_two_outputs', encoding: 'onnx', fixtures: ['onnx/two_in_two_out.onnx'], names: ['S', 'P'], inputs: ['A', 'B'], golden: 'two_in_two_out', why: 'onnx: the model\'s output names, in the model\'s order' },
    { id: 'openvino', encoding: 'openvino', fixtures: ['openvino/affine_relu.xml', 'openvino/affine_relu.bin'], names: ['Y'], inputs: ['X'], golden: 'affine_relu', why: 'openvino: the IR\'s names (our IR front-end keeps them through its ONNX translation; wasmtime\'s openvino backend answers "0", "1", ...)' },
    { id: 'tflite', encoding: 'tensorflowlite', fixtures: ['tflite/affine_relu.tflite'], names: ['0'], inputs: ['0'], golden: 'affine_relu', why: 'tensorflowlite: decimal indexes' },
    { id: 'pytorch', encoding: 'pytorch', fixtures: ['pytorch/affine_relu.pt'], names: ['0'], inputs: ['0'], golden: 'affine_relu', why: 'pytorch: decimal indexes (TorchScript has no output names; wasmtime\'s pytorch backend answers "output")' },
  ];
  return engines.map((e) => ({
    id: `component.output_names.${e.id}`,
    title: `compute names the outputs of a ${e.encoding} model: ${e.names.map((n) => JSON.stringify(n)).join(', ')}`,
    spec: `${NAMED_TENSOR}; reference host: ${e.why}`,
    requires: requires([RC1028], [e.encoding]),
    steps: [
      ...model(e.fixtures[0], e.encoding, e.fixtures),
      ...e.inputs.flatMap((name, i) => [...tensor(`t${i}`, { model: e.golden, input: i }), text(`n${i}`, name)]),
      ...computeNamed(
        e.inputs.map((_, i) => ({ name: `n${i}`, tensor: `$t${i}_h` })),
        { errno: 'success', names: e.names },
      ),
    ],
  }));
}

/** Resources the guest no longer holds: the canonical ABI traps before the host is called. */
function handleCases(): Case[] {
  const consumed: Case[] = [
    {
      id: 'component.handles.consumed_input.rc1028',
      title: 'compute consumes its input tensors even when it fails: passing the same tensor again traps',
      spec: `${OWN}; wasmtime wit.rs compute: table.delete(input tensors). (After a successful compute the freed slot may be reused by an output tensor, in jco as in wasmtime, so the case reuses it after a failed compute, which makes no tensor.)`,
      requires: requires([RC1028]),
      steps: [...model(), ...tensor('t'), text('n', 'nope'), ...computeNamed([{ name: 'n', tensor: '$t_h' }], { errno: 'not_found' }), text('x', 'X'), ...computeNamed([{ name: 'x', tensor: '$t_h' }], { trap: true }, 'again')],
    },
    {
      id: 'component.handles.same_tensor_twice.rc1028',
      title: 'one compute given the same tensor handle for two inputs traps (the first moves it out of the guest)',
      spec: OWN,
      requires: requires([RC1028]),
      steps: [...model(), ...tensor('t'), text('n', 'X'), text('i', '0'), ...computeNamed([{ name: 'n', tensor: '$t_h' }, { name: 'i', tensor: '$t_h' }], { trap: true })],
    },
    {
      id: 'component.handles.consumed_input.rc0819',
      title: 'set-input consumes its tensor: reading the tensor afterwards traps',
      spec: `${OWN} (set-input takes own<tensor>)`,
      requires: requires([RC0819]),
      steps: [...model(), ...tensor('t'), text('n', 'X'), { call: 'set_input_named', args: { ctx: '$c', name: '@n', tensor: '$t_h' } }, { call: 'tensor_type', args: { tensor: '$t_h' }, result: 'ty', expect: { trap: true } }],
    },
  ];
  const dropped: Case[] = [
    {
      id: 'component.handles.dropped_tensor',
      title: 'a dropped tensor: calling its method traps',
      spec: OWN,
      requires: requires(BOTH),
      steps: [...tensor('t'), { call: 'drop_tensor', args: { tensor: '$t_h' } }, { call: 'tensor_type', args: { tensor: '$t_h' }, result: 'ty', expect: { trap: true } }],
    },
    {
      id: 'component.handles.dropped_graph',
      title: 'a dropped graph: init-execution-context on it traps',
      spec: OWN,
      requires: requires(BOTH),
      steps: [...model(), { call: 'drop_graph', args: { graph: '$g' } }, { call: 'init_execution_context', args: { graph: '$g' }, result: 'c2', expect: { trap: true } }],
    },
    {
      id: 'component.handles.dropped_context',
      title: 'a dropped execution context: compute on it traps',
      spec: OWN,
      requires: requires(BOTH),
      steps: [...model(), { call: 'drop_context', args: { ctx: '$c' } }, { call: 'compute', args: { ctx: '$c' }, expect: { trap: true } }],
    },
    {
      id: 'component.handles.foreign',
      title: 'a tensor\'s handle passed where a graph is expected traps (the number is no live graph here)',
      spec: `${OWN}; the canonical ABI types every handle: wasmtime's one ResourceTable answers "resource is of another type". jco keeps a table per resource type, so the reference host traps only when the number is not a live graph: the case uses a tensor numbered past every graph`,
      requires: requires(BOTH),
      steps: [...model(), ...tensor('t'), ...tensor('u'), ...tensor('v'), { call: 'init_execution_context', args: { graph: '$v_h' }, result: 'c2', expect: { trap: true } }],
    },
    {
      id: 'component.handles.never_issued',
      title: 'a graph handle never issued traps',
      spec: OWN,
      requires: requires(BOTH),
      steps: [{ call: 'init_execution_context', args: { graph: 9999 }, result: 'c', expect: { trap: true } }],
    },
    {
      id: 'component.handles.graph_dropped_context_lives',
      title: 'dropping a graph leaves the contexts made from it working',
      spec: `${WIT} graph.graph resource drop; reference host: a context keeps its engine objects until it is dropped`,
      requires: requires([RC1028]),
      steps: [...model(), { call: 'drop_graph', args: { graph: '$g' } }, ...tensor('t'), text('n', 'X'), ...computeNamed([{ name: 'n', tensor: '$t_h' }], { errno: 'success', names: ['Y'] }), affineOut('$in_outs')],
    },
  ];
  return [...consumed, ...dropped];
}

/** Every failure is an error resource whose code() and data() the driver reads. */
function errorCases(): Case[] {
  return [
    {
      id: 'component.errors.load_by_name_missing',
      title: 'load-by-name of a name nothing registered is not-found, with a message',
      spec: `${WIT} graph.load-by-name; ${ERRORS}`,
      requires: { dialects: BOTH },
      steps: [text('nm', 'no-such-model'), { call: 'load_by_name', args: { name: '@nm' }, result: 'g', expect: { errno: 'not_found', error_data: true, result: 'unchanged' } }],
    },
    {
      id: 'component.errors.load_garbage',
      title: 'load of bytes that are no ONNX model is invalid-argument, with a message',
      spec: `${WIT} graph.load; ${ERRORS}`,
      requires: requires(BOTH),
      steps: [text('m', 'not a model'), { buffer: 'b', builders: ['m'] }, { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', error_data: true, result: 'unchanged' } }],
    },
    {
      id: 'component.errors.load_no_builders',
      title: 'load with an empty builder list is invalid-argument, with a message',
      spec: `${WIT} graph.load(builder: list<graph-builder>); ${ERRORS}`,
      requires: requires(BOTH),
      steps: [{ buffer: 'b', builders: [] }, { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', error_data: true, result: 'unchanged' } }],
    },
  ];
}

export function componentCaseFiles(): Record<string, CaseFile> {
  return {
    'tensors.json': { suite: 'component', description: 'the tensor resource: constructor, accessors, BF16, data length', cases: tensorCases() },
    'names.json': { suite: 'component', description: 'inputs and outputs by name: model names, decimal indexes, unknown names', cases: [...nameCases(), ...outputNameCases()] },
    'handles.json': { suite: 'component', description: 'consumed, dropped and never-issued resource handles (canonical ABI traps)', cases: handleCases() },
    'errors.json': { suite: 'component', description: 'failures as error resources: code() and data()', cases: errorCases() },
  };
}
