/**
 * Generates suites/disagreements/*.json: one file per known disagreement between wasi-nn
 * runtimes (WAMR, wasmtime, WasmEdge), each case doing exactly the calls on which the runtimes
 * disagree, with the reference host's documented answer (reference-host/README.md, "Decisions
 * where the spec is silent") pinned. A report then shows what every other runtime does with the
 * same calls: another errno, a TRAP, a CRASH. `suites/disagreements/README.md` maps every item
 * to its cases and to what each runtime is documented to do.
 *
 * Ids are `disagreements.<NN>.<slug>`, NN the item number (two digits), so a report sorts and
 * groups them by item. Numbers whose meaning depends on the ABI dialect (encodings, tensor types)
 * are written raw (`"encoding": "5"`, `raw.type`) and the case names the dialect(s) whose meaning
 * it pins in `requires.dialects`.
 */
import type { CallExpectation, Case, CaseFile, Step, TensorData } from '../../harness/case-types.js';
import type { Encoding } from '../../reference-host/core/types.js';

type CaseSpec = Case;

/**
 * Dialect names, grouped by what a raw number means in them. Written out from the runtimes'
 * headers (cited in each spec), not derived from reference-host/abi/dialects.ts, so a wrong
 * entry in the host's tables makes a case fail instead of silently following it.
 */
/** tensor type u8 = 3, f64 = 2, i32 = 4 (witx since wasi-nn #54) */
const NEW_WITX_TYPES = ['witx', 'wasmedge', 'wamr'];
/** tensor type u8 = 2, i32 = 3 (witx before #54) */
const OLD_WITX_TYPES = ['witx-2020'];
/** WIT tensor types on the core ABI: f64 = 2, bf16 = 3, u8 = 4 (WAMR 2.1.1–2.3.x) */
const WIT_TYPES = ['wamr-2.1'];
/** encoding 5 = autodetect */
const AUTODETECT_5 = ['witx', 'wasmedge', 'witx-2020'];
/** encoding 5 = ggml, 6 = autodetect (the WIT order WAMR ≥ 2.1.1 uses) */
const GGML_5 = ['wamr', 'wamr-2.1'];
/** encoding 6 = ggml */
const GGML_6 = ['wasmedge'];
/** no encoding 6 at all */
const NO_6 = ['witx', 'witx-2020'];
/** the runtimes with an LLM engine: WasmEdge GGML and WAMR llama.cpp (≥ 2.4 numbering) */
const LLM_DIALECTS = ['wasmedge', 'wamr'];
/** dialects whose guests can import load_by_name_with_config */
const WITH_CONFIG_DIALECTS = ['wasmedge', 'wamr', 'wamr-2.1'];

const onnx = { encodings: ['onnx' as const] };
const tflite = { encodings: ['tensorflowlite' as const] };
const openvino = { encodings: ['openvino' as const] };
const pytorch = { encodings: ['pytorch' as const] };
const ggml = { encodings: ['ggml' as const] };

interface ModelFiles {
  encoding: Encoding;
  fixtures: string[];
}
const MODEL = {
  onnx: (family: string): ModelFiles => ({ encoding: 'onnx', fixtures: [`onnx/${family}.onnx`] }),
  tflite: (family: string): ModelFiles => ({ encoding: 'tensorflowlite', fixtures: [`tflite/${family}.tflite`] }),
  openvino: (family: string): ModelFiles => ({ encoding: 'openvino', fixtures: [`openvino/${family}.xml`, `openvino/${family}.bin`] }),
  pytorch: (family: string): ModelFiles => ({ encoding: 'pytorch', fixtures: [`pytorch/${family}.pt`] }),
  ggml: (): ModelFiles => ({ encoding: 'ggml', fixtures: ['ggml/tiny-llama.gguf'] }),
};

/** The model's files in buffers m0, m1, …, a builder array in `b`, `load` into `g` (must succeed unless `expect` says otherwise). */
function load(model: ModelFiles, opts: { target?: string; encoding?: string; expect?: CallExpectation } = {}): Step[] {
  const names = model.fixtures.map((_, i) => `m${i}`);
  return [
    ...model.fixtures.map((f, i): Step => ({ buffer: `m${i}`, fixture: f })),
    { buffer: 'b', builders: names },
    {
      call: 'load',
      args: { builders: '@b', encoding: opts.encoding ?? model.encoding, target: opts.target ?? 'cpu' },
      result: 'g',
      expect: opts.expect ?? { errno: 'success', result: 'written' },
    },
  ];
}
const context = (graph = '$g', result = 'c'): Step => ({ call: 'init_execution_context', args: { graph }, result, expect: { errno: 'success', result: 'written' } });
const golden = (model: string, input: number, c?: string): TensorData => ({ golden: { model, input, ...(c ? { case: c } : {}) } });
const goldenOut = (model: string, output: number, c?: string): TensorData => ({ golden: { model, output, ...(c ? { case: c } : {}) } });
const setInput = (tensor: string, index = 0, ctx = '$c'): Step => ({ call: 'set_input', args: { ctx, index, tensor: `@${tensor}` } });
const compute = (ctx = '$c'): Step => ({ call: 'compute', args: { ctx } });
/** get_output(index) into a buffer of `size` bytes, checked against a golden output */
const outputIs = (model: string, index: number, size: number, opts: { c?: string; ctx?: string; name?: string } = {}): Step => ({
  call: 'get_output',
  args: { ctx: opts.ctx ?? '$c', index },
  output: { buffer: opts.name ?? `o${index}`, size },
  result: `w_${opts.name ?? `o${index}`}`,
  expect: { errno: 'success', output: { tensor: goldenOut(model, index, opts.c) } },
});
/** affine_relu: set its golden input, compute, and read its golden output (12 bytes) */
const affineRun = (ctx = '$c', p = ''): Step[] => [
  { buffer: `t${p}`, tensor: golden('affine_relu', 0) },
  setInput(`t${p}`, 0, ctx),
  compute(ctx),
  outputIs('affine_relu', 0, 12, { ctx, name: `o${p}` }),
];

/** fixtures/goldens/affine_relu.json, default input: f32 [1,4] */
const AFFINE_INPUT_HEX = '7cb8dabe65aa643f71ad3bbf7869443f';
const PROMPT_WASI_NN = '776173692d6e6e'; // "wasi-nn", the first case of fixtures/ggml/golden.json
const PROMPT_HELLO = '48656c6c6f'; // "Hello", the second case (n-predict 16)
const TEXT_WASI_NN = '*+*~MY%r';
const TEXT_HELLO_16 = '7@q)wTlCo7{dNwb=';
const METADATA_WASI_NN = '{"input_tokens": 8, "output_tokens": 8, "llama_build_number": 0, "llama_commit": "v0.4.0"}';
const GGML_PRELOAD = [{ name: 'default', encoding: 'ggml' as const, target: 'cpu' as const, fixtures: ['ggml/tiny-llama.gguf'] }];
const ONNX_PRELOAD = [{ name: 'affine', encoding: 'onnx' as const, target: 'cpu' as const, fixtures: ['onnx/affine_relu.onnx'] }];
const prompt = (hex: string, dims: number[] = [hex.length / 2], buffer = 'p'): Step => ({ buffer, tensor: { type: 'u8', dims, hex } });
const textIs = (index: number, text: string, ctx = '$c', name = `o${index}`): Step => ({
  call: 'get_output',
  args: { ctx, index },
  output: { buffer: name, size: 256 },
  result: `w_${name}`,
  expect: { errno: 'success', output: { text } },
});

/** On context `$c`: set `promptHex` as input 0, compute, and expect output 0 to be `text`. */
const generates = (promptHex: string, text: string): Step[] => [prompt(promptHex), setInput('p'), compute(), textIs(0, text)];

// ---------------------------------------------------------------------------------------------

function item01(): CaseSpec[] {
  const ENC = 'Encoding numbers: 5 is autodetect in the witx spec (WebAssembly/wasi-nn wasi-nn.witx, #38) and in WasmEdge (plugins/wasi_nn/wasinntypes.h, where autodetect is no backend → InvalidEncoding), but ggml in the WIT (#66) and in WAMR ≥ 2.1.1 (include/wasi_nn_types.h, #3530), whose 6 is autodetect; 6 is GGML in WasmEdge and outside wasmtime\'s witx enum (an invalid enum value traps, crates/wasi-nn/src/witx.rs).';
  const onAffine = (raw: string, slug: string, dialects: string[], meaning: string, outcome: 'computes' | 'invalid_argument' | 'invalid_encoding', encodings: Encoding[]): CaseSpec => ({
    id: `disagreements.01.encoding_${raw}.${slug}`,
    title: `graph encoding ${raw} on ONNX bytes is ${meaning} in the ${dialects.join('/')} numbering`,
    spec: `${ENC} Reference host, ${dialects.join('/')} numbering: ${raw} is ${meaning}, ${
      outcome === 'computes' ? 'which recognises ONNX: the model loads and computes its golden' : outcome === 'invalid_argument' ? 'whose engine gets bytes that are no GGUF model → invalid_argument' : 'an encoding outside the dialect → invalid_encoding'
    }.`,
    requires: { encodings, dialects },
    steps:
      outcome === 'computes'
        ? [...load(MODEL.onnx('affine_relu'), { encoding: raw }), context(), ...affineRun()]
        : load(MODEL.onnx('affine_relu'), { encoding: raw, expect: { errno: outcome, result: 'unchanged' } }),
  });
  const cases: CaseSpec[] = [
    onAffine('5', 'autodetect', AUTODETECT_5, 'autodetect', 'computes', ['onnx', 'autodetect']),
    onAffine('5', 'ggml', GGML_5, 'ggml', 'invalid_argument', ['onnx', 'ggml']),
    onAffine('6', 'ggml', GGML_6, 'ggml', 'invalid_argument', ['onnx', 'ggml']),
    onAffine('6', 'autodetect', GGML_5, 'autodetect', 'computes', ['onnx', 'autodetect']),
    onAffine('6', 'out_of_range', NO_6, 'no encoding', 'invalid_encoding', ['onnx']),
  ];

  // tensor type numbers on a u8 [2,3] input (6 bytes) of scale_u8
  const TYPES =
    'Tensor type numbers: u8 is 2 in the old witx (crates wasi-nn ≤ 0.5.0, wasmtime ≤ 14, WasmEdge ≤ 0.14, WAMR legacy and ≤ 2.1.0), 3 in witx since wasi-nn #54 (crate 0.6.0, wasmtime ≥ 15, WasmEdge ≥ 0.15 by #4069, WAMR ≥ 2.4.0 by #4307) and 4 in the WIT and WAMR 2.1.1–2.3.x (#3530); see WasmEdge #4068 and bytecodealliance/wasi-nn #98.';
  const typed = (raw: number, slug: string, dialects: string[], meaning: string): CaseSpec => {
    const ok = meaning === 'u8';
    return {
      id: `disagreements.01.tensor_type_${raw}.${slug}`,
      title: `raw tensor type ${raw} on a u8 [2,3] tensor is ${meaning} in the ${dialects.join('/')} numbering`,
      spec: `${TYPES} Reference host, ${dialects.join('/')} numbering: ${raw} is ${meaning}${ok ? ', so the model computes its golden' : meaning === 'out of range' ? ' → invalid_argument' : `, so 6 bytes disagree with dims [2,3] → invalid_argument`}.`,
      requires: { ...onnx, dialects },
      steps: [
        ...load(MODEL.onnx('scale_u8')),
        context(),
        { buffer: 't', tensor: golden('scale_u8', 0), raw: { type: raw } },
        ...(ok ? [setInput('t'), compute(), outputIs('scale_u8', 0, 6)] : [{ call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } } as Step]),
      ],
    };
  };
  cases.push(
    typed(2, 'f64', [...NEW_WITX_TYPES, ...WIT_TYPES], 'f64'),
    typed(2, 'u8', OLD_WITX_TYPES, 'u8'),
    typed(3, 'u8', NEW_WITX_TYPES, 'u8'),
    typed(3, 'i32', OLD_WITX_TYPES, 'i32'),
    typed(3, 'bf16', WIT_TYPES, 'bf16'),
    typed(4, 'i32', NEW_WITX_TYPES, 'i32'),
    typed(4, 'u8', WIT_TYPES, 'u8'),
    typed(4, 'out_of_range', OLD_WITX_TYPES, 'out of range'),
  );
  // the WasmEdge tflite-birds example: crate 0.4.0 sends u8 as 2
  const BIRDS = 'The WasmEdge-WASINN-examples tflite-birds guest pinned crate wasi-nn 0.4.0 (u8 = 2) until PR #204 (2025-07); WasmEdge ≥ 0.15 (#4069) reads 2 as f64.';
  cases.push({
    id: 'disagreements.01.tensor_type_2.tflite_birds_current_witx',
    title: 'a u8 TFLite model fed tensor type 2 (crate 0.4.0 numbering) by a guest on a current-numbering host',
    spec: `${BIRDS} Reference host, ${NEW_WITX_TYPES.join('/')} numbering: f64 with 6 bytes for dims [2,3] → invalid_argument.`,
    requires: { ...tflite, dialects: NEW_WITX_TYPES },
    steps: [...load(MODEL.tflite('u8_add')), context(), { buffer: 'ta', tensor: golden('u8_add', 0), raw: { type: 2 } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@ta' }, expect: { errno: 'invalid_argument' } }],
  });
  cases.push({
    id: 'disagreements.01.tensor_type_2.tflite_birds_old_witx',
    title: 'the same u8 TFLite model fed tensor type 2 in the old witx numbering computes',
    spec: `${BIRDS} Reference host, ${OLD_WITX_TYPES.join('/')} numbering: 2 is u8; both inputs set, the sum is the golden.`,
    requires: { ...tflite, dialects: OLD_WITX_TYPES },
    steps: [
      ...load(MODEL.tflite('u8_add')),
      context(),
      { buffer: 'ta', tensor: golden('u8_add', 0), raw: { type: 2 } },
      { buffer: 'tb', tensor: golden('u8_add', 1), raw: { type: 2 } },
      setInput('ta', 0),
      setInput('tb', 1),
      compute(),
      outputIs('u8_add', 0, 6),
    ],
  });
  // errno numbering: judged by name through the run's dialect table; the wire numbers differ
  cases.push({
    id: 'disagreements.01.errno.not_found',
    title: 'an unknown load_by_name name answers not_found, whose number depends on the dialect',
    spec: 'Errno numbers: not_found is 8 in witx (WebAssembly/wasi-nn wasi-nn.witx, WasmEdge wasinntypes.h, WAMR ≥ 2.4.0) but 7 in WAMR 2.1.1–2.3.x, which put the WIT error-code order on the core ABI (include/wasi_nn_types.h at 2.1.1 and 2.2.0), where 7 means too_large. Reference host: not_found in the run dialect\'s numbering.',
    requires: onnx,
    preload: ONNX_PRELOAD,
    steps: [{ buffer: 'n', text: 'mobilenet' }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } }],
  });
  cases.push({
    id: 'disagreements.01.errno.too_large',
    title: 'a too-small output buffer answers too_large, whose number depends on the dialect',
    spec: 'Errno numbers: too_large is 7 in witx (spec, WasmEdge, WAMR ≥ 2.4.0, wasmtime\'s NotEnoughMemory in crates/wasi-nn/src/witx.rs) but 6 in WAMR 2.1.1–2.3.x (include/wasi_nn_types.h: WIT order on the core ABI), where 6 means unsupported_operation. Reference host: too_large in the run dialect\'s numbering.',
    requires: onnx,
    steps: [...load(MODEL.onnx('affine_relu')), context(), { buffer: 't', tensor: golden('affine_relu', 0) }, setInput('t'), compute(), { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 4 }, result: 'w', expect: { errno: 'too_large' } }],
  });
  cases.push({
    id: 'disagreements.01.errno.runtime_error',
    title: 'get_output before compute answers runtime_error, whose number depends on the dialect',
    spec: 'Errno numbers: runtime_error is 5 in witx (spec, WasmEdge, WAMR ≥ 2.4.0 and ≤ 2.1.0) but 4 in WAMR 2.1.1–2.3.x (include/wasi_nn_types.h, WIT order), where 4 means busy in witx and 5 unsupported_operation. Reference host: get_output before a successful compute → runtime_error in the run dialect\'s numbering.',
    requires: onnx,
    steps: [...load(MODEL.onnx('affine_relu')), context(), { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'runtime_error', result: 'unchanged', output: { unchanged: true } } }],
  });
  return cases;
}

function item02(): CaseSpec[] {
  return [
    {
      id: 'disagreements.02.invalid_graph',
      title: 'init_execution_context with a graph handle never issued',
      spec: 'Same error, different codes: WAMR answers 5 (TFLite, OpenVINO, llama) or 1 (ONNX, measured), wasmtime witx 6 (every UsageError → unsupported_operation, crates/wasi-nn/src/witx.rs), WasmEdge 1 (plugins/wasi_nn/wasinnfunc.cpp). Reference host: invalid_argument.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), { call: 'init_execution_context', args: { graph: 9999 }, result: 'c', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    },
    {
      id: 'disagreements.02.invalid_context',
      title: 'compute with a context handle never issued',
      spec: 'Same error, different codes: WAMR TFLite/OpenVINO/llama 5, ONNX 1 (measured); wasmtime witx 6 (crates/wasi-nn/src/witx.rs); WasmEdge 1 (plugins/wasi_nn/wasinnfunc.cpp). Reference host: invalid_argument.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), context(), { call: 'compute', args: { ctx: 9999 }, expect: { errno: 'invalid_argument' } }],
    },
    {
      id: 'disagreements.02.unknown_name',
      title: 'load_by_name of a name nobody registered',
      spec: 'Same error, different codes: WAMR 5 or 7 (the name is a host path handed to the backend: ORT/llama error 5, TFLite 7), wasmtime witx 6 but WIT not-found (crates/wasi-nn/src/witx.rs, wit.rs), WasmEdge NotFound 8 and ModelNotFound 103 for a registered GGML name whose file is missing (plugins/wasi_nn/wasinnenv.cpp). Reference host: not_found.',
      requires: onnx,
      preload: ONNX_PRELOAD,
      steps: [{ buffer: 'n', text: 'squeezenet' }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } }],
    },
    {
      id: 'disagreements.02.unsupported_encoding',
      title: 'load with an encoding the runtime defines but has no engine for (WasmEdge\'s Whisper, 9)',
      spec: 'Same error, different codes: a backend that is not built or installed gets 2 from WAMR (no library to dlopen), 6 from wasmtime witx but invalid-encoding from its WIT (src/witx.rs, wit.rs), and 1 from WasmEdge\'s stub backends (plugins/wasi_nn/wasinn_tf.cpp, wasinn_onnx.cpp are "not supported" files) while unknown numbers get 2. Reference host, wasmedge numbering (9 = Whisper, plugins/wasi_nn/wasinntypes.h): no engine → invalid_encoding.',
      requires: { dialects: ['wasmedge'] },
      steps: [...load(MODEL.onnx('affine_relu'), { encoding: '9', expect: { errno: 'invalid_encoding', result: 'unchanged' } })],
    },
    {
      id: 'disagreements.02.unsupported_encoding_pytorch',
      title: 'load and compute a TorchScript model: a runtime without a PyTorch backend shows its unsupported-encoding code',
      spec: 'Same error, different codes for a backend that is not there: WAMR has no PyTorch backend → 2 (wasi_nn.c), wasmtime without its pytorch feature → 6 in witx, invalid-encoding in WIT (src/witx.rs), WasmEdge without the PyTorch plugin → 1 (stub backends). Reference host (libtorch engine): the model computes its golden.',
      requires: pytorch,
      steps: [...load(MODEL.pytorch('affine_relu')), context(), ...affineRun()],
    },
    {
      id: 'disagreements.02.tflite_bad_model_bytes',
      title: 'load of 64 garbage bytes as tensorflowlite',
      spec: 'Same error, different codes: WAMR TFLite answers 7 too_large when BuildFromBuffer fails (wasi_nn_tensorflowlite.cpp), WasmEdge 1 (plugins/wasi_nn/wasinn_tfl.cpp), wasmtime has no TFLite backend. Reference host: invalid_argument (the encoding is fine, the builder is not a model of it).',
      requires: tflite,
      steps: [{ buffer: 'm0', fixture: 'bad/tflite/garbage-64b.bin' }, { buffer: 'b', builders: ['m0'] }, { call: 'load', args: { builders: '@b', encoding: 'tensorflowlite', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    },
  ];
}

function item03(): CaseSpec[] {
  const TRAPS = 'Bad pointers: WAMR traps "out of bounds memory access" (wasm_runtime_validate_app_addr sets the exception, measured), wasmtime traps in the wiggle glue or panics the host in the trait method (GuestError → unimplemented!, crates/wasi-nn/src/witx.rs, cf. wasmtime #3948), WasmEdge returns 1 (plugins/wasi_nn/wasinnfunc.cpp).';
  return [
    {
      id: 'disagreements.03.graph_out_outside_memory',
      title: 'load with the graph result pointer at the end of memory, then a good load',
      spec: `${TRAPS} Here wasmtime traps in the glue. Reference host: invalid_argument and the guest runs on (the next load gets handle 0: nothing leaked).`,
      requires: onnx,
      steps: [
        { buffer: 'm0', fixture: 'onnx/affine_relu.onnx' },
        { buffer: 'b', builders: ['m0'] },
        { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu', result: '%mem' }, expect: { errno: 'invalid_argument' } },
        { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'success', result: 0 } },
      ],
    },
    {
      id: 'disagreements.03.builder_bytes_outside_memory',
      title: 'load with a builder whose bytes run past the end of memory',
      spec: `${TRAPS} Here wasmtime reads the builder list inside the trait method and panics (the CLI dies). Reference host: invalid_argument.`,
      requires: onnx,
      steps: [{ buffer: 'bad', builders: [{ ptr: '%mem-2', len: '4' }] }, { call: 'load', args: { builders: '@bad', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    },
    {
      id: 'disagreements.03.tensor_data_outside_memory',
      title: 'set_input with tensor data at the end of memory, then the real input',
      spec: `${TRAPS} Reference host: invalid_argument; the context is still usable.`,
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), context(), { buffer: 'bad', tensor: golden('affine_relu', 0), raw: { data_ptr: '%mem' } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, ...affineRun()],
    },
    {
      id: 'disagreements.03.output_buffer_outside_memory',
      title: 'get_output into a buffer past the end of memory',
      spec: `${TRAPS} Reference host: invalid_argument, *written untouched; a good get_output follows.`,
      requires: onnx,
      steps: [
        ...load(MODEL.onnx('affine_relu')),
        context(),
        { buffer: 't', tensor: golden('affine_relu', 0) },
        setInput('t'),
        compute(),
        { call: 'get_output', args: { ctx: '$c', index: 0, out: '%mem+0x10000', out_max: 16 }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged' } },
        outputIs('affine_relu', 0, 12),
      ],
    },
    {
      id: 'disagreements.03.misaligned_out_pointer',
      title: 'load_by_name with the graph result pointer at an odd address',
      spec: 'Misaligned u32 out-pointers: WAMR and WasmEdge accept them (measured for WAMR), wasmtime rejects them with GuestError::PtrNotAligned, a trap in the wiggle glue (crates/wiggle/src/guest_type.rs). Reference host: accepted, success.',
      requires: onnx,
      preload: ONNX_PRELOAD,
      steps: [{ buffer: 'n', text: 'affine' }, { buffer: 'r', size: 8, fill: 170 }, { call: 'load_by_name', args: { name: '@n', result: '@r+1' }, expect: { errno: 'success' } }],
    },
    {
      id: 'disagreements.03.misaligned_dims',
      title: 'set_input with the dims array at an odd address',
      spec: 'Misaligned dims arrays: WAMR and WasmEdge read them, wasmtime fails validate_size_align (crates/wiggle/src/lib.rs) inside the trait method and panics. Reference host: accepted; the model computes its golden.',
      requires: onnx,
      steps: [
        ...load(MODEL.onnx('affine_relu')),
        context(),
        { buffer: 'd', hex: '000100000004000000' },
        { buffer: 't', tensor: golden('affine_relu', 0), raw: { dims_ptr: '@d+1' } },
        setInput('t'),
        compute(),
        outputIs('affine_relu', 0, 12),
      ],
    },
  ];
}

function item04(): CaseSpec[] {
  return [
    {
      id: 'disagreements.04.encoding_0x104',
      title: 'load ONNX bytes with graph encoding 0x104',
      spec: 'Out-of-range enums: WasmEdge casts the encoding to uint8_t, so 0x104 is 4 = tensorflowlite (plugins/wasi_nn/wasinnfunc.cpp), WAMR answers invalid_encoding for > 6 (measured: 7, 100, 0x101 → 2), wasmtime traps ("Invalid enum value", cf. wasmtime #7116). Reference host: invalid_encoding.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu'), { encoding: '0x104', expect: { errno: 'invalid_encoding', result: 'unchanged' } })],
    },
    {
      id: 'disagreements.04.encoding_7',
      title: 'load ONNX bytes with graph encoding 7',
      spec: 'Out-of-range enums: 7 is past every dialect\'s encodings except WasmEdge\'s (NeuralSpeed, plugins/wasi_nn/wasinntypes.h); WAMR → 2 (measured), wasmtime traps (crates/wasi-nn/src/witx.rs). Reference host: invalid_encoding.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu'), { encoding: '7', expect: { errno: 'invalid_encoding', result: 'unchanged' } })],
    },
    {
      id: 'disagreements.04.target_7',
      title: 'load with execution target 7',
      spec: 'Out-of-range enums: wasmtime traps on the target enum (wiggle), WasmEdge answers InvalidArgument for target ∉ {0,1,2} in load (plugins/wasi_nn/wasinnfunc.cpp), WAMR leaves targets to the backend (ONNX ≠ cpu → 6, measured; TFLite > 2 → 1). Reference host: invalid_argument.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu'), { target: '7', expect: { errno: 'invalid_argument', result: 'unchanged' } })],
    },
    {
      id: 'disagreements.04.tensor_type_9',
      title: 'set_input with tensor type 9, then the real input',
      spec: 'Out-of-range enums: WAMR ONNX answers runtime_error (measured: type 9 → 5), WAMR OpenVINO success without setting anything, wasmtime traps reading the tensor record, WasmEdge InvalidArgument (plugins/wasi_nn/wasinnfunc.cpp). Reference host: invalid_argument, and the context is still usable.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), context(), { buffer: 'bad', tensor: golden('affine_relu', 0), raw: { type: 9 } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, ...affineRun()],
    },
  ];
}

function item05(): CaseSpec[] {
  const NO_BACKEND = 'WAMR calls through a NULL backend function pointer when no backend is bound yet and iwasm aborts, exit 134 (measured; wasi_nn.c); wasmtime answers 6, WasmEdge 1. Reference host: invalid_argument (no such handle).';
  const cases: CaseSpec[] = [
    { id: 'disagreements.05.init_before_any_load', title: 'init_execution_context(0) before any load', spec: NO_BACKEND, steps: [{ call: 'init_execution_context', args: { graph: 0 }, result: 'c', expect: { errno: 'invalid_argument', result: 'unchanged' } }] },
    { id: 'disagreements.05.set_input_before_any_load', title: 'set_input(0, 0, …) before any load', spec: NO_BACKEND, steps: [{ buffer: 't', tensor: { type: 'f32', dims: [1, 4], values: [1, 2, 3, 4] } }, { call: 'set_input', args: { ctx: 0, index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }] },
    { id: 'disagreements.05.compute_before_any_load', title: 'compute(0) before any load', spec: NO_BACKEND, steps: [{ call: 'compute', args: { ctx: 0 }, expect: { errno: 'invalid_argument' } }] },
    { id: 'disagreements.05.get_output_before_any_load', title: 'get_output(0, 0, …) before any load', spec: NO_BACKEND, steps: [{ call: 'get_output', args: { ctx: 0, index: 0 }, output: { buffer: 'o', size: 16 }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged', output: { unchanged: true } } }] },
    {
      id: 'disagreements.05.with_config_on_onnx',
      title: 'load_by_name_with_config on an ONNX graph, then compute',
      spec: 'Only WAMR\'s llama.cpp backend defines load_by_name_with_config; on its TFLite, OpenVINO and ONNX backends the call jumps through a NULL pointer and iwasm aborts, exit 134 (measured on ONNX; wasi_nn.c). wasmtime does not provide the import. Reference host: success with the config {} and the graph computes its golden.',
      requires: { ...onnx, dialects: WITH_CONFIG_DIALECTS },
      preload: ONNX_PRELOAD,
      steps: [{ buffer: 'n', text: 'affine' }, { buffer: 'cfg', text: '{}' }, { call: 'load_by_name_with_config', args: { name: '@n', config: '@cfg' }, result: 'g', expect: { errno: 'success', result: 'written' } }, context(), ...affineRun()],
    },
    {
      id: 'disagreements.05.llm_compute_without_prompt',
      title: 'compute on a GGML context before any prompt, then a prompt and compute',
      spec: 'WAMR llama.cpp answers runtime_error and iwasm then aborts at exit, 134 (it writes batch.logits[-1]; measured; wasi_nn_llamacpp.c); WasmEdge GGML answers 1 "llama input is not set". Reference host: invalid_argument, and the context still generates the golden text afterwards.',
      requires: { ...ggml, dialects: LLM_DIALECTS },
      steps: [...load(MODEL.ggml()), context(), { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'invalid_argument' } }, ...generates(PROMPT_WASI_NN, TEXT_WASI_NN)],
    },
  ];
  return cases;
}

function item06(): CaseSpec[] {
  const PATH = 'WAMR hands the load_by_name name straight to the backend as a host path, with no WASI sandbox, and picks the backend by which library dlopens first, not by the file (measured; wasi_nn.c; WAMR #4331, #4437); wasmtime and WasmEdge look the name up in their preload registries. Reference host: registered names only;';
  const notFound = (slug: string, title: string, name: string): CaseSpec => ({
    id: `disagreements.06.${slug}`,
    title: `load_by_name of ${title}`,
    spec: `${PATH} ${JSON.stringify(name)} → not_found, nothing is opened.`,
    requires: onnx,
    preload: ONNX_PRELOAD,
    steps: [{ buffer: 'n', text: name }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } }],
  });
  return [
    notFound('relative_host_path', 'a model file\'s host path relative to the runtime\'s working directory', 'fixtures/onnx/affine_relu.onnx'),
    notFound('preopened_guest_path', 'a model file\'s guest path inside a preopened dir', '/fixtures/onnx/affine_relu.onnx'),
    notFound('outside_sandbox', 'a ../ traversal to a host file outside every preopened dir', '../../../../../../../../etc/passwd'),
    {
      id: 'disagreements.06.encoding_from_registration',
      title: 'a preloaded ONNX graph registered under a name ending in .gguf runs on the ONNX engine',
      spec: `${PATH} the engine is the one the registration names (onnx), never guessed from the name or from which engine libraries exist.`,
      requires: onnx,
      preload: [{ name: 'model.gguf', encoding: 'onnx', target: 'cpu', fixtures: ['onnx/affine_relu.onnx'] }],
      steps: [{ buffer: 'n', text: 'model.gguf' }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'success', result: 'written' } }, context(), ...affineRun()],
    },
  ];
}

function item07(): CaseSpec[] {
  const ALIAS = 'WAMR ONNX and OpenVINO keep a pointer into guest memory at set_input (measured on ONNX: relu of [-1,2,-3,4] rewritten after set_input gives [100,0,0,4]; wasi_nn_onnx.cpp, wasi_nn_openvino.c), and WasmEdge OpenVINO wraps the guest pointer in an ov::Tensor (wasinn_openvino.cpp); wasmtime copies (memory.to_vec). Reference host: set_input copies, so the golden output of the original input comes back.';
  const overwrite = '0000c8c20000c8420000c8c20000c842'; // [-100, 100, -100, 100]
  return [
    {
      id: 'disagreements.07.onnx_data_rewritten_before_compute',
      title: 'ONNX: the input data is overwritten between set_input and compute',
      spec: ALIAS,
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), context(), { buffer: 't', tensor: golden('affine_relu', 0) }, setInput('t'), { poke: 't_data', hex: overwrite }, compute(), outputIs('affine_relu', 0, 12)],
    },
    {
      id: 'disagreements.07.onnx_record_and_dims_rewritten_before_compute',
      title: 'ONNX: the tensor record and dims are overwritten between set_input and compute',
      spec: ALIAS,
      requires: onnx,
      steps: [
        ...load(MODEL.onnx('affine_relu')),
        context(),
        { buffer: 't', tensor: golden('affine_relu', 0) },
        setInput('t'),
        { poke: 't_dims', hex: '0400000001000000' },
        { poke: 't', hex: 'ffffffff' },
        { poke: 't_data', hex: overwrite },
        compute(),
        outputIs('affine_relu', 0, 12),
      ],
    },
    {
      id: 'disagreements.07.openvino_data_rewritten_before_compute',
      title: 'OpenVINO: the input data is overwritten between set_input and compute',
      spec: ALIAS,
      requires: openvino,
      steps: [...load(MODEL.openvino('affine_relu')), context(), { buffer: 't', tensor: golden('affine_relu', 0) }, setInput('t'), { poke: 't_data', hex: overwrite }, compute(), outputIs('affine_relu', 0, 12)],
    },
  ];
}

function item08(): CaseSpec[] {
  return [
    {
      id: 'disagreements.08.openvino_undefined_type',
      title: 'OpenVINO: set_input with tensor type 9, then compute with no input set',
      spec: 'WAMR OpenVINO returns success for a tensor type it has no mapping for, without setting anything (wasi_nn_openvino.c: ret is still success when goto fail runs; read); WasmEdge answers 1 and wasmtime traps. Reference host: invalid_argument at set_input, and compute with the input unset → invalid_argument.',
      requires: openvino,
      steps: [
        ...load(MODEL.openvino('affine_relu')),
        context(),
        { buffer: 'bad', tensor: golden('affine_relu', 0), raw: { type: 9 } },
        { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } },
        { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'invalid_argument' } },
      ],
    },
  ];
}

function item09(): CaseSpec[] {
  return [
    {
      id: 'disagreements.09.tflite_dims_ignored',
      title: 'TFLite: set_input with dims [4,1] for a [1,4] input (same byte size)',
      spec: 'WAMR TFLite (ephemeral) ignores the dims and only checks the byte size (TfLiteTensorCopyFromBuffer in wasi_nn_tensorflowlite.cpp; read), WasmEdge TFLite checks rank, each dim, size and type → 1 (wasinn_tfl.cpp). Reference host: invalid_argument at set_input.',
      requires: tflite,
      steps: [...load(MODEL.tflite('affine_relu')), context(), { buffer: 't', tensor: { type: 'f32', dims: [4, 1], hex: AFFINE_INPUT_HEX } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }],
    },
    {
      id: 'disagreements.09.tflite_compute_before_set_input',
      title: 'TFLite: compute before any set_input',
      spec: 'WAMR TFLite ignores the result of Invoke() and answers success on an uninitialised input (wasi_nn_tensorflowlite.cpp; read); WasmEdge TFLite runs too. Reference host: compute before every input is set → invalid_argument, and get_output then → runtime_error.',
      requires: tflite,
      steps: [
        ...load(MODEL.tflite('affine_relu')),
        context(),
        { call: 'compute', args: { ctx: '$c' }, expect: { errno: 'invalid_argument' } },
        { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'runtime_error', result: 'unchanged', output: { unchanged: true } } },
      ],
    },
  ];
}

function item10(): CaseSpec[] {
  const MANY = 'WAMR ONNX load with more than one builder silently uses builder[0] (wasi_nn_onnx.cpp; read); WAMR TFLite/OpenVINO, wasmtime (InvalidNumberOfBuilders → 5) and WasmEdge (1) reject a wrong count. Reference host: onnx takes exactly one builder → invalid_argument.';
  return [
    {
      id: 'disagreements.10.onnx_second_builder_garbage',
      title: 'ONNX load with the model and a second builder of garbage',
      spec: MANY,
      requires: onnx,
      steps: [{ buffer: 'm0', fixture: 'onnx/affine_relu.onnx' }, { buffer: 'm1', fixture: 'bad/onnx/garbage-64b.bin' }, { buffer: 'b', builders: ['m0', 'm1'] }, { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    },
    {
      id: 'disagreements.10.onnx_same_model_twice',
      title: 'ONNX load with the same model as two builders',
      spec: MANY,
      requires: onnx,
      steps: [{ buffer: 'm0', fixture: 'onnx/affine_relu.onnx' }, { buffer: 'b', builders: ['m0', 'm0'] }, { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    },
  ];
}

function item11(): CaseSpec[] {
  const WRITTEN = 'get_output into a too-small buffer: every runtime answers too_large, but WAMR ONNX and WasmEdge (since #5091; cf. #4941) write the needed size to *written while WAMR TFLite, OpenVINO and llama.cpp and wasmtime leave it untouched, and WAMR llama.cpp leaves a partial copy (measured; WAMR #4847). Reference host: too_large, the buffer untouched, *written =';
  const tooSmall = (id: string, req: Case['requires'], model: ModelFiles, size: number, needed: number, run: Step[]): CaseSpec => ({
    id: `disagreements.11.${id}`,
    title: `${model.encoding}: get_output of ${needed} bytes into a ${size}-byte buffer`,
    spec: `${WRITTEN} ${needed}.`,
    requires: req,
    steps: [...load(model), context(), ...run, { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size }, result: 'w', expect: { errno: 'too_large', result: needed, output: { unchanged: true } } }],
  });
  const affineIn: Step[] = [{ buffer: 't', tensor: golden('affine_relu', 0) }, setInput('t'), compute()];
  return [
    tooSmall('onnx', onnx, MODEL.onnx('affine_relu'), 4, 12, affineIn),
    tooSmall('tflite', tflite, MODEL.tflite('affine_relu'), 4, 12, affineIn),
    tooSmall('openvino', openvino, MODEL.openvino('affine_relu'), 4, 12, affineIn),
    tooSmall('pytorch', pytorch, MODEL.pytorch('affine_relu'), 4, 12, affineIn),
    tooSmall('ggml', { ...ggml, dialects: LLM_DIALECTS }, MODEL.ggml(), 4, TEXT_WASI_NN.length, [prompt(PROMPT_WASI_NN), setInput('p'), compute()]),
  ];
}

function item12(): CaseSpec[] {
  const DIMS = 'LLM prompt validation: WasmEdge GGML ignores the prompt\'s type and dims and takes every index ≠ 1 as the prompt (plugins/wasi_nn/ggml.cpp); WAMR llama.cpp requires u8, rank 1, dims ∈ {[1],[len]} and index 0 (wasi_nn_llamacpp.c, measured; WAMR #4420); WasmEdge guests send dims [1] (WasmEdge-WASINN-examples #196, #198).';
  const run = (id: string, title: string, tensor: Step, expect: 'ok' | 'bad', index = 0): CaseSpec => ({
    id: `disagreements.12.${id}`,
    title,
    spec: `${DIMS} Reference host: the prompt is a u8 tensor at index 0 whose length is data_len, any dims; ${expect === 'ok' ? 'this one generates the golden text' : 'another type or index → invalid_argument'}.`,
    requires: { ...ggml, dialects: LLM_DIALECTS },
    steps: [
      ...load(MODEL.ggml()),
      context(),
      tensor,
      ...(expect === 'ok' ? [setInput('p'), compute(), textIs(0, TEXT_WASI_NN)] : [{ call: 'set_input', args: { ctx: '$c', index, tensor: '@p' }, expect: { errno: 'invalid_argument' } } as Step]),
    ],
  });
  return [
    run('dims_one', 'a 7-byte prompt with dims [1] (WasmEdge guests)', prompt(PROMPT_WASI_NN, [1]), 'ok'),
    run('dims_len', 'a 7-byte prompt with dims [7] (WAMR guests)', prompt(PROMPT_WASI_NN, [7]), 'ok'),
    run('dims_rank_2', 'a 7-byte prompt with dims [1, 7] (WAMR rejects rank 2)', prompt(PROMPT_WASI_NN, [1, 7]), 'ok'),
    run('dims_other', 'a 7-byte prompt with dims [3] (WAMR rejects dims[0] ∉ {1, len})', prompt(PROMPT_WASI_NN, [3]), 'ok'),
    run('f32_type', 'the prompt bytes sent as an f32 tensor (WasmEdge ignores the type)', { buffer: 'p', tensor: { type: 'f32', dims: [2], hex: '776173692d6e6e00' } }, 'bad'),
    run('index_2', 'the prompt set at index 2 (WasmEdge: any index ≠ 1 is the prompt)', prompt(PROMPT_WASI_NN), 'bad', 2),
  ];
}

function item13(): CaseSpec[] {
  const OUT = 'LLM output index: WasmEdge GGML returns the text for any index ≠ 1 and metadata JSON for 1 (plugins/wasi_nn/ggml.cpp, output_generator.cpp), WAMR llama.cpp answers 1 for indices > 1 (measured) and spaces its metadata JSON differently ({"input_tokens":3, "output_tokens":6, …}).';
  const base: Step[] = [...load(MODEL.ggml()), context(), prompt(PROMPT_WASI_NN), setInput('p'), compute()];
  return [
    {
      id: 'disagreements.13.index_1_metadata',
      title: 'get_output(1) after generation is the metadata JSON, spaced as WasmEdge does',
      spec: `${OUT} Reference host: output 1 is WasmEdge's metadata JSON with its spacing.`,
      requires: { ...ggml, dialects: LLM_DIALECTS },
      steps: [...base, textIs(0, TEXT_WASI_NN), textIs(1, METADATA_WASI_NN)],
    },
    {
      id: 'disagreements.13.index_2_out_of_range',
      title: 'get_output(2) after generation',
      spec: `${OUT} Reference host: index ≥ 2 → invalid_argument, buffer and *written untouched.`,
      requires: { ...ggml, dialects: LLM_DIALECTS },
      steps: [...base, { call: 'get_output', args: { ctx: '$c', index: 2 }, output: { buffer: 'o2', size: 256 }, result: 'w2', expect: { errno: 'invalid_argument', result: 'unchanged', output: { unchanged: true } } }],
    },
  ];
}

function item14(): CaseSpec[] {
  return [
    {
      id: 'disagreements.14.greedy_and_until_end_of_sequence',
      title: 'two contexts of one GGML graph generate the same golden text for the same prompt, until end of sequence',
      spec: 'LLM determinism: WAMR llama.cpp samples greedily (deterministic) with n_predict 512; WasmEdge GGML samples with a random seed by default and n_predict −1, which can make compute itself answer ContextFull 101 (plugins/wasi_nn/ggml.cpp; read). Reference host: greedy by default, n-predict −1 (until end of sequence), so both contexts give the golden text and 8 output tokens.',
      requires: { ...ggml, dialects: LLM_DIALECTS },
      steps: [
        ...load(MODEL.ggml()),
        context('$g', 'c'),
        context('$g', 'c2'),
        prompt(PROMPT_WASI_NN),
        setInput('p', 0, '$c'),
        setInput('p', 0, '$c2'),
        compute('$c'),
        compute('$c2'),
        textIs(0, TEXT_WASI_NN, '$c', 'a0'),
        textIs(0, TEXT_WASI_NN, '$c2', 'b0'),
        textIs(1, METADATA_WASI_NN, '$c2', 'b1'),
      ],
    },
  ];
}

function item15(): CaseSpec[] {
  const CFG = 'Config JSON (load_by_name_with_config): WAMR llama.cpp ignores JSON it cannot parse (a warning only, measured: success; wasi_nn_llamacpp.c), WasmEdge GGML answers InvalidEncoding 2 (plugins/wasi_nn/ggml.cpp) and ignores the config when the name is already cached (mdGet hit; wasinnfunc.cpp).';
  const malformed = (id: string, title: string, text: string): CaseSpec => ({
    id: `disagreements.15.${id}`,
    title,
    spec: `${CFG} Reference host: the config must be a UTF-8 JSON object → else invalid_argument, nothing loaded.`,
    requires: { ...ggml, dialects: LLM_DIALECTS },
    preload: GGML_PRELOAD,
    steps: [{ buffer: 'n', text: 'default' }, { buffer: 'cfg', text }, { call: 'load_by_name_with_config', args: { name: '@n', config: '@cfg' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
  });
  return [
    malformed('malformed_json', 'load_by_name_with_config with truncated JSON', '{"n-predict": 16'),
    malformed('not_an_object', 'load_by_name_with_config with a JSON array', '[16]'),
    {
      id: 'disagreements.15.config_after_cached_name',
      title: 'load_by_name, then load_by_name_with_config of the same name with n-predict 16: the config applies',
      spec: `${CFG} Reference host: the config belongs to the new handle even when the name was loaded before, so "Hello" generates exactly 16 tokens (the golden).`,
      requires: { ...ggml, dialects: LLM_DIALECTS },
      preload: GGML_PRELOAD,
      steps: [
        { buffer: 'n', text: 'default' },
        { call: 'load_by_name', args: { name: '@n' }, result: 'g0', expect: { errno: 'success', result: 'written' } },
        { buffer: 'cfg', text: '{"n-predict": 16}' },
        { call: 'load_by_name_with_config', args: { name: '@n', config: '@cfg' }, result: 'g', expect: { errno: 'success', result: 'written' } },
        context(),
        ...generates(PROMPT_HELLO, TEXT_HELLO_16),
      ],
    },
  ];
}

function item16(): CaseSpec[] {
  const TWICE = 'Repeated load_by_name of one name: WasmEdge returns the same cached handle until unload (mdGet, plugins/wasi_nn/wasinnfunc.cpp), WAMR new handles 0, then 1 (measured), wasmtime a new handle each time (crates/wasi-nn/src/witx.rs Table). Reference host: a new handle each time, both usable.';
  return [
    {
      id: 'disagreements.16.onnx_twice_new_handles',
      title: 'the same preloaded ONNX name loaded twice: two handles, the second computes',
      spec: TWICE,
      requires: onnx,
      preload: ONNX_PRELOAD,
      steps: [
        { buffer: 'n', text: 'affine' },
        { call: 'load_by_name', args: { name: '@n' }, result: 'g1', expect: { errno: 'success', result: 'written' } },
        { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'success', different_from: 'g1' } },
        context(),
        ...affineRun(),
      ],
    },
    {
      id: 'disagreements.16.ggml_twice_new_handles',
      title: 'the same preloaded GGML name loaded twice: two handles, both generate',
      spec: TWICE,
      requires: { ...ggml, dialects: LLM_DIALECTS },
      preload: GGML_PRELOAD,
      steps: [
        { buffer: 'n', text: 'default' },
        { call: 'load_by_name', args: { name: '@n' }, result: 'g1', expect: { errno: 'success', result: 'written' } },
        { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'success', different_from: 'g1' } },
        context('$g1', 'c1'),
        context('$g', 'c'),
        prompt(PROMPT_WASI_NN),
        setInput('p', 0, '$c1'),
        setInput('p', 0, '$c'),
        compute('$c1'),
        compute('$c'),
        textIs(0, TEXT_WASI_NN, '$c1', 'a0'),
        textIs(0, TEXT_WASI_NN, '$c', 'b0'),
      ],
    },
  ];
}

function item17(): CaseSpec[] {
  const PANIC = 'wasmtime host panics (the CLI dies; read):';
  return [
    {
      id: 'disagreements.17.openvino_data_len_mismatch',
      title: 'OpenVINO: set_input with 12 data bytes for a [1,4] f32 input, then the real input',
      spec: `${PANIC} OpenVINO copy_from_slice panics when data_len ≠ product(dims) × size (crates/wasi-nn/src/backend/openvino.rs). Reference host: invalid_argument, the host serves on.`,
      requires: openvino,
      steps: [...load(MODEL.openvino('affine_relu')), context(), { buffer: 'bad', tensor: golden('affine_relu', 0), raw: { data_len: 12 } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, ...affineRun()],
    },
    {
      id: 'disagreements.17.onnx_non_f32_input',
      title: 'ONNX: an i32 model computes its golden',
      spec: `${PANIC} the ONNX backend runs only f32 inputs and hits unimplemented! for any other type (crates/wasi-nn/src/backend/onnx.rs). Reference host: every tensor type runs; i32 in, i32 out.`,
      requires: onnx,
      steps: [...load(MODEL.onnx('scale_i32')), context(), { buffer: 't', tensor: golden('scale_i32', 0) }, setInput('t'), compute(), outputIs('scale_i32', 0, 24)],
    },
    {
      id: 'disagreements.17.onnx_data_len_not_multiple_of_4',
      title: 'ONNX: set_input with 15 data bytes for a [1,4] f32 input, then the real input',
      spec: `${PANIC} ONNX bytes_to_f32_vec unwraps on data_len % 4 ≠ 0 at compute (crates/wasi-nn/src/backend/onnx.rs). Reference host: invalid_argument at set_input, the host serves on.`,
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), context(), { buffer: 'bad', tensor: golden('affine_relu', 0), raw: { data_len: 15 } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, ...affineRun()],
    },
    {
      id: 'disagreements.17.openvino_tpu_target',
      title: 'OpenVINO: load with target tpu on a host without one',
      spec: `${PANIC} target TPU on OpenVINO, PyTorch or WinML is unimplemented! (crates/wasi-nn/src/backend/openvino.rs, pytorch.rs, winml.rs); WAMR OpenVINO → 1; WasmEdge compiles for the stored device at set_input. Reference host (strict target policy): unsupported_operation.`,
      requires: openvino,
      steps: [...load(MODEL.openvino('affine_relu'), { target: 'tpu', expect: { errno: 'unsupported_operation', result: 'unchanged' } })],
    },
    {
      id: 'disagreements.17.pytorch_tpu_target',
      title: 'PyTorch: load with target tpu on a host without one',
      spec: `${PANIC} target TPU on PyTorch is unimplemented! (crates/wasi-nn/src/backend/pytorch.rs). Reference host (strict target policy): unsupported_operation.`,
      requires: pytorch,
      steps: [...load(MODEL.pytorch('affine_relu'), { target: 'tpu', expect: { errno: 'unsupported_operation', result: 'unchanged' } })],
    },
    {
      id: 'disagreements.17.pytorch_index_gap',
      title: 'PyTorch: set_input at index 1 of a one-input model, then index 0 and compute',
      spec: `${PANIC} PyTorch accepts any set_input index and compute then panics on the gap (expect("Input tensor at index N not set up"), crates/wasi-nn/src/backend/pytorch.rs); WasmEdge PyTorch resizes its input vector. Reference host: index past forward()'s arguments → invalid_argument; the real input still computes.`,
      requires: pytorch,
      steps: [...load(MODEL.pytorch('affine_relu')), context(), { buffer: 'bad', tensor: golden('affine_relu', 0) }, { call: 'set_input', args: { ctx: '$c', index: 1, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, ...affineRun()],
    },
    {
      id: 'disagreements.17.name_outside_memory',
      title: 'load_by_name with the name running past the end of memory',
      spec: `${PANIC} a name string outside memory is a GuestError inside the trait method → unimplemented!("guest error conversion") (crates/wasi-nn/src/witx.rs; cf. wasmtime #3948); WAMR traps; WasmEdge → 1 (WasiNNLoadByNameRejectsNameBeyondMemory). Reference host: invalid_argument.`,
      requires: onnx,
      preload: ONNX_PRELOAD,
      steps: [{ call: 'load_by_name', args: { name: '%mem-2', name_len: 6 }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    },
  ];
}

function item18(): CaseSpec[] {
  return [
    {
      id: 'disagreements.18.pytorch_second_compute_new_input',
      title: 'PyTorch: compute, a new input, compute again: the second output is the second golden',
      spec: 'WasmEdge PyTorch never clears TorchOutputs (only push_back in run, plugins/wasi_nn/wasinn_torch.cpp; read), so get_output(0) keeps returning the first result; wasmtime and WAMR recompute. Reference host: every compute reruns forward().',
      requires: pytorch,
      steps: [
        ...load(MODEL.pytorch('affine_relu')),
        context(),
        { buffer: 't', tensor: golden('affine_relu', 0) },
        setInput('t'),
        compute(),
        outputIs('affine_relu', 0, 12, { name: 'first' }),
        { buffer: 't2', tensor: golden('affine_relu', 0, 'second') },
        setInput('t2'),
        compute(),
        outputIs('affine_relu', 0, 12, { c: 'second', name: 'again' }),
      ],
    },
    {
      id: 'disagreements.18.openvino_two_inputs',
      title: 'OpenVINO: both inputs of a two-input model reach compute',
      spec: 'WasmEdge OpenVINO recompiles the model and makes a new infer request on every set_input, so only the last input of a multi-input model survives (plugins/wasi_nn/wasinn_openvino.cpp; read). Reference host: both inputs are kept; both outputs are the goldens.',
      requires: openvino,
      steps: [
        ...load(MODEL.openvino('two_in_two_out')),
        context(),
        { buffer: 'a', tensor: golden('two_in_two_out', 0) },
        { buffer: 'bb', tensor: golden('two_in_two_out', 1) },
        setInput('a', 0),
        setInput('bb', 1),
        compute(),
        outputIs('two_in_two_out', 0, 24),
        outputIs('two_in_two_out', 1, 24),
      ],
    },
  ];
}

function item19(): CaseSpec[] {
  const WIDE = 'WasmEdge\'s generic set_input accepts only F16, F32, U8 and I32 and answers InvalidArgument for F64 and I64 although the enum defines them (plugins/wasi_nn/wasinnfunc.cpp; read). Reference host: every type in the dialect runs;';
  const run = (id: string, req: Case['requires'], model: ModelFiles, family: string, bytes: number): CaseSpec => ({
    id: `disagreements.19.${id}`,
    title: `${model.encoding}: the ${family} model computes its golden`,
    spec: `${WIDE} ${family} gives its golden.`,
    // the old witx numbering (and WAMR legacy) has no f64 or i64
    requires: { ...req, dialects: [...NEW_WITX_TYPES, ...WIT_TYPES] },
    steps: [...load(model), context(), { buffer: 't', tensor: golden(family, 0) }, setInput('t'), compute(), outputIs(family, 0, bytes)],
  });
  return [
    run('onnx_f64', onnx, MODEL.onnx('scale_f64'), 'scale_f64', 48),
    run('onnx_i64', onnx, MODEL.onnx('scale_i64'), 'scale_i64', 48),
    run('openvino_f64', openvino, MODEL.openvino('scale_f64'), 'scale_f64', 48),
    run('tflite_i64', tflite, MODEL.tflite('int_muladd_i64'), 'int_muladd_i64', 48),
  ];
}

function item20(): CaseSpec[] {
  return [
    {
      id: 'disagreements.20.dims_run_off_memory',
      title: 'set_input with 4 dims whose first 8 bytes are the last 8 bytes of memory, then the real input',
      spec: 'WAMR tensor_dimensions_app_native validates only sizeof(tensor_dimensions) bytes at dims_ptr, not 4 × ndims, so a dims array that runs off memory is read out of bounds (wasi_nn_app_native.c; read; earlier gaps of the kind: WAMR #3223 fixed in #4534, #4533 fixed in #4535). Reference host: the whole dims array must lie in memory → invalid_argument.',
      requires: onnx,
      steps: [...load(MODEL.onnx('affine_relu')), context(), { buffer: 'bad', tensor: golden('affine_relu', 0), raw: { dims_ptr: '%mem-8', dims_len: 4 } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, ...affineRun()],
    },
  ];
}

function item21(): CaseSpec[] {
  return [
    {
      id: 'disagreements.21.ggml_load_from_bytes_without_cwd',
      title: 'GGML load from builder bytes in a guest with no preopened current directory',
      spec: 'WasmEdge GGML load writes the bytes to ggml-model.bin through the guest\'s WASI environment (its preopened cwd) and answers 1 when it cannot (plugins/wasi_nn/GGML/core/ggml_core.cpp; read). Reference host: the engine gets a private copy, the guest\'s filesystem is never touched; load succeeds and generates the golden.',
      requires: { ...ggml, dialects: LLM_DIALECTS },
      steps: [...load(MODEL.ggml()), context(), ...generates(PROMPT_WASI_NN, TEXT_WASI_NN)],
    },
    {
      id: 'disagreements.21.config_paths_not_opened',
      title: 'a config naming host files as mmproj and image is refused, naming the key; nothing is opened',
      spec: 'WasmEdge GGML metadata "mmproj" and "image" paths are opened by llama.cpp on the host, bypassing the WASI filesystem (WasmEdge #3417). Reference host: every key the plugin reads is implemented or refused by name (reference-host/backends/ggml/ggml-config.ts), and these are refused: the context is not made (unsupported_operation); no host path from a guest is ever opened.',
      requires: { ...ggml, dialects: LLM_DIALECTS },
      preload: GGML_PRELOAD,
      steps: [
        { buffer: 'n', text: 'default' },
        { buffer: 'cfg', text: '{"mmproj": "/etc/passwd", "image": "/etc/hostname"}' },
        { call: 'load_by_name_with_config', args: { name: '@n', config: '@cfg' }, result: 'g', expect: { errno: 'success', result: 'written' } },
        { call: 'init_execution_context', args: { graph: '$g' }, result: 'c', expect: { errno: 'unsupported_operation', result: 'unchanged' } },
      ],
    },
  ];
}

function item22(): CaseSpec[] {
  const WIT = 'wasmtime\'s WIT ONNX backend cannot serve fp16 models (its TryFrom lacks Float16) and extracts only f32 outputs (crates/wasi-nn/src/backend/onnx.rs; read; component guests only); these core-ABI cases run the same models.';
  return [
    {
      id: 'disagreements.22.onnx_f16_model',
      title: 'ONNX: an f16 model computes its golden',
      spec: `${WIT} Reference host: f16 in, f16 out, within 1 ULP of the golden.`,
      requires: onnx,
      steps: [...load(MODEL.onnx('scale_f16')), context(), { buffer: 't', tensor: golden('scale_f16', 0) }, setInput('t'), compute(), outputIs('scale_f16', 0, 12)],
    },
    {
      id: 'disagreements.22.onnx_i32_output',
      title: 'ONNX: an i32-output model returns exact i32 values',
      spec: `${WIT} Reference host: the i32 output comes back as stored.`,
      requires: onnx,
      steps: [...load(MODEL.onnx('int_muladd_i32')), context(), { buffer: 't', tensor: golden('int_muladd_i32', 0) }, setInput('t'), compute(), outputIs('int_muladd_i32', 0, 24)],
    },
  ];
}

function item23(): CaseSpec[] {
  const CPU = 'OpenVINO\'s CPU plugin computes below the precision the model and wasi-nn\'s tensor types name: on a CPU with native bf16 (avx512_bf16 or amx_bf16) its default INFERENCE_PRECISION_HINT is bf16, so an f32 model runs in bf16; i64 tensors are executed as i32 and saturate; integer arithmetic passes through f32 (measured: OpenVINO 2026.4.1 from PyPI reports INFERENCE_PRECISION_HINT bfloat16 on a Xeon with amx_bf16, and gives the golden with the hint f32). wasmtime compiles the model with no configuration (crates/wasi-nn/src/backend/openvino.rs `compile_model(&model, target)`; measured on 49.0.3).';
  const run = (id: string, family: string, bytes: number, what: string): CaseSpec => ({
    id: `disagreements.23.${id}`,
    title: `OpenVINO IR: the ${family} model computes its golden within the ${what}`,
    spec: `${CPU} Reference host: the model computes in the precision its types name; the output equals the golden within the case's tolerance.`,
    requires: { ...openvino, dialects: [...NEW_WITX_TYPES, ...WIT_TYPES] },
    steps: [...load(MODEL.openvino(family)), context(), { buffer: 't', tensor: golden(family, 0) }, setInput('t'), compute(), outputIs(family, 0, bytes)],
  });
  return [
    run('f32_model_in_f32', 'affine_relu', 12, 'f32 tolerance (abs 1e-5 + rel 1e-4); measured on wasmtime 49.0.3 on an amx_bf16 CPU: 1.4175936 where the golden is 1.4159093'),
    run('i64_model_exact', 'int_muladd_i64', 48, 'exact i64 values; measured on wasmtime 49.0.3: 2147483647 where the golden is 5000000000000'),
    run('i32_model_exact', 'scale_i32', 24, 'exact i32 values; measured on wasmtime 49.0.3: 2000000000 where the golden is 2000000001'),
  ];
}

/** Item number → short file name and description, with its cases. */
const ITEMS: [string, string, () => CaseSpec[]][] = [
  ['01-numbering', 'enum numbering drift: encodings 5/6, tensor type u8 = 2/3/4, errno numbering', item01],
  ['02-same-error-different-codes', 'one error, a different errno per runtime', item02],
  ['03-traps-vs-errno', 'bad and misaligned pointers: trap, host panic or errno', item03],
  ['04-out-of-range-enums', 'encoding, target and tensor type numbers outside the enum', item04],
  ['05-wamr-crashes', 'calls that abort iwasm', item05],
  ['06-load-by-name-host-path', 'load_by_name names: host paths and how the engine is chosen', item06],
  ['07-input-aliasing', 'guest memory rewritten between set_input and compute', item07],
  ['08-openvino-undefined-type', 'OpenVINO set_input with an unknown tensor type', item08],
  ['09-tflite-unchecked', 'TFLite dims and compute failures', item09],
  ['10-onnx-builder-count', 'ONNX load with more than one builder', item10],
  ['11-too-large-written', 'too_large and *written', item11],
  ['12-llm-prompt', 'LLM prompt type, dims and index', item12],
  ['13-llm-output-index', 'LLM output indices and metadata', item13],
  ['14-llm-determinism', 'LLM sampling and n-predict defaults', item14],
  ['15-config-json', 'load_by_name_with_config JSON', item15],
  ['16-repeated-load-by-name', 'the same name loaded twice', item16],
  ['17-wasmtime-panics', 'calls that panic wasmtime\'s host', item17],
  ['18-stale-and-lost-inputs', 'PyTorch repeated compute, OpenVINO multi-input', item18],
  ['19-f64-i64-inputs', 'f64 and i64 inputs', item19],
  ['20-dims-validation', 'dims arrays that run off memory', item20],
  ['21-ggml-filesystem', 'GGML and the guest filesystem', item21],
  ['22-wit-onnx-types', 'ONNX f16 models and non-f32 outputs', item22],
  ['23-openvino-cpu-precision', 'OpenVINO\'s CPU plugin below the model\'s precision: bf16 for f32, i32 for i64', item23],
];

export function disagreementCaseFiles(): Record<string, CaseFile> {
  const files: Record<string, CaseFile> = {};
  for (const [name, description, make] of ITEMS) {
    const number = name.slice(0, 2);
    const cases = make();
    for (const c of cases) {
      if (!c.id.startsWith(`disagreements.${number}.`)) throw new Error(`case ${c.id} is filed under item ${number}`);
    }
    files[`${name}.json`] = { suite: 'disagreements', description: `Known disagreement ${Number(number)}: ${description}`, cases };
  }
  return files;
}
