/**
 * Generates suites/abi/*.json: every wasi-nn function × every class of bad argument (pointers
 * and lengths outside memory, u32 wrap-around, result pointers, stale and unknown handles, bad
 * enum values, size overflows). The matrix is data here so a new row is one line; the JSON files
 * are what the harness loads. `npm run suites` (suites/gen/generate.ts) rewrites them.
 */
import type { Case, CaseFile, Step } from '../../harness/case-types.js';

type CaseSpec = Omit<Case, 'requires'> & { requires?: Case['requires'] };

const ONNX = { encodings: ['onnx' as const] };
const NOT_IN_MEMORY = 'reference host: a pointer or length outside guest memory → invalid_argument; the guest runs on';
const RESULT_PTR = 'reference host: a result pointer outside memory → invalid_argument, checked before acting, so the call has no effect';
const HANDLE = 'reference host: an unknown or stale handle → invalid_argument (WAMR aborts, wasmtime 6, WasmEdge 1: details §7.2, §7.5)';

/** Bytes of the affine_relu model in `m`, a builder array in `b`, a graph in `g`. */
const loadModel: Step[] = [
  { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
  { buffer: 'b', builders: ['m'] },
  { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g' },
];
/** ... and a context in `c` */
const withContext: Step[] = [...loadModel, { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' }];
/** ... with its input set and computed */
const computed: Step[] = [
  ...withContext,
  { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
  { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } },
  { call: 'compute', args: { ctx: '$c' } },
];
/** proof that the host still serves correct results after the bad call */
const stillWorks: Step[] = [
  { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'ok_out', size: 12 }, result: 'ok_w', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } } },
];

/** Ways to make a (ptr, len) pair bad, relative to a buffer that is fine. */
const BAD_RANGES: { id: string; title: string; ptr: string; len: string }[] = [
  { id: 'ptr_at_end', title: 'pointer at the end of memory', ptr: '%mem', len: '4' },
  { id: 'ptr_past_end', title: 'pointer past the end of memory', ptr: '%mem+0x10000', len: '4' },
  { id: 'straddles_end', title: 'range that straddles the end of memory', ptr: '%mem-2', len: '4' },
  { id: 'wraps_u32', title: 'ptr+len that wraps around 2^32', ptr: '0xfffffff0', len: '0x20' },
  { id: 'max_ptr', title: 'pointer 0xffffffff', ptr: '0xffffffff', len: '1' },
  { id: 'huge_len', title: 'length 0xffffffff from a valid pointer', ptr: '@m', len: '0xffffffff' },
];

const BAD_RESULT_PTRS: { id: string; title: string; ptr: string }[] = [
  { id: 'at_end', title: 'at the end of memory', ptr: '%mem' },
  { id: 'straddles_end', title: 'straddling the end of memory', ptr: '%mem-3' },
  { id: 'max', title: '0xffffffff', ptr: '0xffffffff' },
];

const BAD_HANDLES: { id: string; title: string; value: string }[] = [
  { id: 'never_issued', title: 'handle 9999, never issued', value: '9999' },
  { id: 'max', title: 'handle 0xffffffff', value: '0xffffffff' },
  { id: 'graph_as_context', title: 'the graph handle plus one, where only one exists', value: '$g+1' },
];

function loadCases(): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const r of BAD_RANGES) {
    cases.push({
      id: `abi.load.builders_array.${r.id}`,
      title: `load with the builder array at a ${r.title}`,
      spec: NOT_IN_MEMORY,
      requires: ONNX,
      steps: [
        { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
        { call: 'load', args: { builders: r.ptr, builders_len: r.id === 'huge_len' ? '0x20000000' : '1', encoding: 'onnx', target: 'cpu' }, result: 'g0', expect: { errno: 'invalid_argument', result: 'unchanged' } },
        ...withContext.slice(1),
      ],
    });
    cases.push({
      id: `abi.load.builder_bytes.${r.id}`,
      title: `load with one builder whose bytes are a ${r.title}`,
      spec: NOT_IN_MEMORY,
      requires: ONNX,
      steps: [
        { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
        { buffer: 'bad', builders: [{ ptr: r.ptr, len: r.len }] },
        { call: 'load', args: { builders: '@bad', encoding: 'onnx', target: 'cpu' }, result: 'g0', expect: { errno: 'invalid_argument', result: 'unchanged' } },
      ],
    });
  }
  cases.push({
    id: 'abi.load.builders_len.count_times_8_wraps',
    title: 'builders_len 0x20000000: 8 × count wraps to 0 in u32 arithmetic',
    spec: 'reference host: count × 8 of the builder array is computed without wrap-around → invalid_argument',
    requires: ONNX,
    steps: [...loadModel.slice(0, 2), { call: 'load', args: { builders: '@b', builders_len: '0x20000000', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
  });
  cases.push({
    id: 'abi.load.builders_len.past_array',
    title: 'builders_len 2 where the array holds one builder followed by memory that is not a valid builder',
    spec: NOT_IN_MEMORY,
    requires: ONNX,
    steps: [
      { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
      { buffer: 'b', builders: ['m', { ptr: '0xfffffff0', len: '0x100' }] },
      { call: 'load', args: { builders: '@b', builders_len: 2, encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } },
    ],
  });
  for (const p of BAD_RESULT_PTRS) {
    cases.push({
      id: `abi.load.graph_out.${p.id}`,
      title: `load with the graph result pointer ${p.title}`,
      spec: RESULT_PTR,
      requires: ONNX,
      steps: [
        ...loadModel.slice(0, 2),
        { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu', result: p.ptr }, expect: { errno: 'invalid_argument' } },
        { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'success', result: 0 } },
      ],
    });
  }
  for (const [value, title] of [
    ['7', '7 (past the spec\'s last; WasmEdge\'s NeuralSpeed, which no engine here serves)'],
    ['255', '255'],
    ['0x101', '0x101 (WasmEdge truncates it to onnx)'],
    ['0xffffffff', '0xffffffff'],
  ] as const) {
    cases.push({
      id: `abi.load.encoding.${value.replace('0x', 'x')}`,
      title: `load with graph encoding ${title}`,
      spec: 'reference host: an encoding number outside the dialect → invalid_encoding (wasmtime traps, WasmEdge truncates: details §7.4)',
      requires: ONNX,
      steps: [...loadModel.slice(0, 2), { call: 'load', args: { builders: '@b', encoding: value, target: 'cpu' }, result: 'g', expect: { errno: 'invalid_encoding', result: 'unchanged' } }],
    });
  }
  for (const [value, title] of [
    ['4', '4 (one past auto)'],
    ['255', '255'],
    ['0xffffffff', '0xffffffff'],
  ] as const) {
    cases.push({
      id: `abi.load.target.${value.replace('0x', 'x')}`,
      title: `load with execution target ${title}`,
      spec: 'reference host: an execution target number outside the dialect → invalid_argument',
      requires: ONNX,
      steps: [...loadModel.slice(0, 2), { call: 'load', args: { builders: '@b', encoding: 'onnx', target: value }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    });
  }
  cases.push({
    id: 'abi.load.target.auto_is_wasmedge_only',
    title: 'target 3 (WasmEdge auto) is invalid outside the wasmedge dialect',
    spec: 'reference host: every dialect but wasmedge has cpu, gpu, tpu only → invalid_argument',
    requires: { ...ONNX, dialects: ['witx', 'wamr', 'wamr-2.1', 'witx-2020', 'wamr-legacy'] },
    steps: [...loadModel.slice(0, 2), { call: 'load', args: { builders: '@b', encoding: 'onnx', target: '3' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
  });
  cases.push({
    id: 'abi.load.target.auto_runs_on_cpu',
    title: 'target 3 (WasmEdge auto) loads on the CPU in the wasmedge dialect',
    spec: 'reference host: the wasmedge dialect takes WasmEdge\'s auto = 3 and picks a target the engine has',
    requires: { ...ONNX, dialects: ['wasmedge'] },
    steps: [...loadModel.slice(0, 2), { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'auto' }, result: 'g', expect: { errno: 'success', result: 'written' } }],
  });
  return cases;
}

/** Guest-chosen names: all that matters is that no host path is ever opened. */
function loadByNameCases(): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const preload = [{ name: 'affine', encoding: 'onnx' as const, target: 'cpu' as const, fixtures: ['onnx/affine_relu.onnx'] }];
  const PRELOADED = 'wasi-nn witx: load_by_name loads a graph the host registered under that name (WasmEdge --nn-preload syntax)';
  cases.push({
    id: 'abi.load_by_name.preloaded',
    title: 'a preloaded name loads and computes',
    spec: PRELOADED,
    requires: ONNX,
    preload,
    steps: [
      { buffer: 'n', text: 'affine' },
      { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'success', result: 'written' } },
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
      { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
      { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } },
      { call: 'compute', args: { ctx: '$c' } },
      ...stillWorks,
    ],
  });
  cases.push({
    id: 'abi.load_by_name.twice_new_handles',
    title: 'the same name loaded twice gives two distinct handles to one shared graph',
    spec: 'reference host: every load_by_name gives a new handle (as wasmtime and WAMR; WasmEdge returns the cached one: details §7.16)',
    requires: ONNX,
    preload,
    steps: [
      { buffer: 'n', text: 'affine' },
      { call: 'load_by_name', args: { name: '@n' }, result: 'g1' },
      { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'success', different_from: 'g1' } },
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
      { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
      { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } },
      { call: 'compute', args: { ctx: '$c' } },
      ...stillWorks,
    ],
  });
  const names: [string, string, string][] = [
    ['unknown', 'a name nobody registered', 'mobilenet'],
    ['fixture_guest_path', 'the guest path of a model file in a preopened dir', '/fixtures/onnx/affine_relu.onnx'],
    ['relative_path', 'a relative host path of a model file', 'fixtures/onnx/affine_relu.onnx'],
    ['absolute_host_path', 'an absolute host path outside every preopened dir', '/etc/passwd'],
    ['dot_dot_traversal', 'a ../ traversal', '../../../../../../etc/passwd'],
    ['preloaded_name_with_suffix', 'a registered name plus a suffix', 'affine/../affine'],
    ['case_differs', 'a registered name in other case', 'AFFINE'],
    ['overlong', 'a 4096-byte name', 'x'.repeat(4096)],
  ];
  for (const [id, title, name] of names) {
    cases.push({
      id: `abi.load_by_name.not_found.${id}`,
      title: `load_by_name of ${title} → not_found`,
      spec: 'reference host: load_by_name resolves registered names only → not_found; it never opens a host path a guest names (WAMR opens it: details §7.6)',
      requires: ONNX,
      preload,
      steps: [{ buffer: 'n', text: name }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } }],
    });
  }
  cases.push({
    id: 'abi.load_by_name.empty_name',
    title: 'load_by_name with name_len 0',
    spec: 'reference host: an empty name → invalid_argument (WasmEdge asserts the same)',
    requires: ONNX,
    preload,
    steps: [{ buffer: 'n', text: 'affine' }, { call: 'load_by_name', args: { name: '@n', name_len: 0 }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
  });
  cases.push({
    id: 'abi.load_by_name.invalid_utf8',
    title: 'load_by_name with bytes that are not UTF-8',
    spec: 'reference host: a name that is not UTF-8 → invalid_argument (wasmtime panics: details §3.2)',
    requires: ONNX,
    preload,
    steps: [{ buffer: 'n', hex: 'ff6166' }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
  });
  cases.push({
    id: 'abi.load_by_name.nul_inside',
    title: 'a registered name followed by a NUL inside name_len',
    spec: 'reference host: the name is all name_len bytes; a NUL is part of it → not_found',
    requires: ONNX,
    preload,
    steps: [{ buffer: 'n', hex: '616666696e6500' }, { call: 'load_by_name', args: { name: '@n' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } }],
  });
  cases.push({
    id: 'abi.load_by_name.prefix_of_name',
    title: 'name_len shorter than the registered name',
    spec: 'reference host: only name_len bytes are the name → not_found',
    requires: ONNX,
    preload,
    steps: [{ buffer: 'n', text: 'affine' }, { call: 'load_by_name', args: { name: '@n', name_len: 3 }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } }],
  });
  for (const r of BAD_RANGES) {
    cases.push({
      id: `abi.load_by_name.name.${r.id}`,
      title: `load_by_name with the name at a ${r.title}`,
      spec: NOT_IN_MEMORY,
      requires: ONNX,
      preload,
      steps: [
        { buffer: 'm', text: 'affine' },
        { call: 'load_by_name', args: { name: r.ptr, name_len: r.len }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } },
      ],
    });
  }
  for (const p of BAD_RESULT_PTRS) {
    cases.push({
      id: `abi.load_by_name.graph_out.${p.id}`,
      title: `load_by_name with the graph result pointer ${p.title}`,
      spec: RESULT_PTR,
      requires: ONNX,
      preload,
      steps: [{ buffer: 'n', text: 'affine' }, { call: 'load_by_name', args: { name: '@n', result: p.ptr }, expect: { errno: 'invalid_argument' } }],
    });
  }
  const configs: [string, string, string, string][] = [
    ['valid', '{"n-predict": 16}', 'success', 'a JSON object'],
    ['unknown_keys', '{"no-such-option": true, "another": [1, 2]}', 'success', 'unknown keys (ignored)'],
    ['empty_object', '{}', 'success', 'an empty object'],
    ['malformed', '{"n-predict": ', 'invalid_argument', 'malformed JSON'],
    ['not_object', '[1, 2, 3]', 'invalid_argument', 'a JSON array'],
    ['not_utf8', '', 'invalid_argument', 'bytes that are not UTF-8'],
  ];
  for (const [id, text, errno, title] of configs) {
    cases.push({
      id: `abi.load_by_name_with_config.${id}`,
      title: `load_by_name_with_config with ${title}`,
      spec: 'reference host: the config must be a JSON object → else invalid_argument; unknown keys are ignored (WAMR ignores bad JSON, WasmEdge gives 2: details §7.15)',
      requires: ONNX,
      preload,
      steps: [
        { buffer: 'n', text: 'affine' },
        id === 'not_utf8' ? { buffer: 'cfg', hex: '7bff7d' } : { buffer: 'cfg', text },
        { call: 'load_by_name_with_config', args: { name: '@n', config: '@cfg' }, result: 'g', expect: { errno: errno as 'success', result: errno === 'success' ? 'written' : 'unchanged' } },
      ],
    });
  }
  cases.push({
    id: 'abi.load_by_name_with_config.unknown_name',
    title: 'load_by_name_with_config of an unregistered name',
    spec: 'reference host: load_by_name_with_config resolves registered names only → not_found',
    requires: ONNX,
    preload,
    steps: [
      { buffer: 'n', text: '/fixtures/onnx/affine_relu.onnx' },
      { buffer: 'cfg', text: '{}' },
      { call: 'load_by_name_with_config', args: { name: '@n', config: '@cfg' }, result: 'g', expect: { errno: 'not_found', result: 'unchanged' } },
    ],
  });
  for (const r of BAD_RANGES.slice(0, 4)) {
    cases.push({
      id: `abi.load_by_name_with_config.config.${r.id}`,
      title: `load_by_name_with_config with the config at a ${r.title}`,
      spec: NOT_IN_MEMORY,
      requires: ONNX,
      preload,
      steps: [
        { buffer: 'n', text: 'affine' },
        { call: 'load_by_name_with_config', args: { name: '@n', config: r.ptr, config_len: r.len }, result: 'g', expect: { errno: 'invalid_argument', result: 'unchanged' } },
      ],
    });
  }
  return cases;
}

function handleCases(): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const h of BAD_HANDLES) {
    cases.push({
      id: `abi.init_execution_context.graph.${h.id}`,
      title: `init_execution_context with ${h.title}`,
      spec: HANDLE,
      requires: ONNX,
      steps: [...loadModel, { call: 'init_execution_context', args: { graph: h.value }, result: 'c', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
    });
    for (const fn of ['set_input', 'compute', 'get_output'] as const) {
      const call: Step =
        fn === 'set_input'
          ? { call: fn, args: { ctx: h.value.replace('$g', '$c'), index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }
          : fn === 'compute'
            ? { call: fn, args: { ctx: h.value.replace('$g', '$c') }, expect: { errno: 'invalid_argument' } }
            : { call: fn, args: { ctx: h.value.replace('$g', '$c'), index: 0 }, output: { buffer: 'o', size: 64 }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged', output: { unchanged: true } } };
      cases.push({
        id: `abi.${fn}.ctx.${h.id}`,
        title: `${fn} with context ${h.title.replace('the graph handle', 'the context handle')}`,
        spec: HANDLE,
        requires: ONNX,
        steps: [...computed, call, ...stillWorks],
      });
    }
  }
  cases.push({
    id: 'abi.init_execution_context.before_any_load',
    title: 'init_execution_context with handle 0 before any graph was loaded',
    spec: `${HANDLE}; WAMR aborts (exit 134) when no backend is bound yet`,
    steps: [{ call: 'init_execution_context', args: { graph: 0 }, result: 'c', expect: { errno: 'invalid_argument', result: 'unchanged' } }],
  });
  for (const fn of ['compute', 'set_input', 'get_output'] as const) {
    const args: Record<string, number | string> = fn === 'set_input' ? { ctx: 0, index: 0, tensor: '@t' } : fn === 'compute' ? { ctx: 0 } : { ctx: 0, index: 0 };
    cases.push({
      id: `abi.${fn}.before_any_context`,
      title: `${fn} with context 0 before any context exists`,
      spec: `${HANDLE}; WAMR aborts (exit 134) when no backend is bound yet`,
      steps: [
        { buffer: 't', tensor: { type: 'f32', dims: [1, 4], values: [1, 2, 3, 4] } },
        fn === 'get_output'
          ? { call: fn, args, output: { buffer: 'o', size: 16 }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged', output: { unchanged: true } } }
          : { call: fn, args, expect: { errno: 'invalid_argument' } },
      ],
    });
  }
  for (const p of BAD_RESULT_PTRS) {
    cases.push({
      id: `abi.init_execution_context.ctx_out.${p.id}`,
      title: `init_execution_context with the context result pointer ${p.title}`,
      spec: RESULT_PTR,
      requires: ONNX,
      steps: [
        ...loadModel,
        { call: 'init_execution_context', args: { graph: '$g', result: p.ptr }, expect: { errno: 'invalid_argument' } },
        { call: 'init_execution_context', args: { graph: '$g' }, result: 'c', expect: { errno: 'success', result: 0 } },
      ],
    });
  }
  // WasmEdge's unload: stale handles
  cases.push({
    id: 'abi.unload.then_init_is_stale',
    title: 'after unload the graph handle is stale',
    spec: 'reference host: unload invalidates the handle for good (handles are never reused) → invalid_argument',
    requires: ONNX,
    steps: [
      ...loadModel,
      { call: 'unload', args: { graph: '$g' } },
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'c', expect: { errno: 'invalid_argument', result: 'unchanged' } },
      { call: 'unload', args: { graph: '$g' }, expect: { errno: 'invalid_argument' } },
      { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g2', expect: { errno: 'success', different_from: 'g' } },
    ],
  });
  cases.push({
    id: 'abi.unload.live_context_keeps_working',
    title: 'a context made before unload still computes',
    spec: 'reference host: unload frees the handle; contexts already made keep what they need (WasmEdge rejects compute: details §3.0)',
    requires: ONNX,
    steps: [...withContext, { call: 'unload', args: { graph: '$g' } }, { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } }, { call: 'compute', args: { ctx: '$c' } }, ...stillWorks],
  });
  for (const h of BAD_HANDLES.slice(0, 2)) {
    cases.push({
      id: `abi.unload.graph.${h.id}`,
      title: `unload with ${h.title}`,
      spec: HANDLE,
      steps: [{ call: 'unload', args: { graph: h.value }, expect: { errno: 'invalid_argument' } }],
    });
  }
  for (const fn of ['compute_single', 'fini_single'] as const) {
    cases.push({
      id: `abi.${fn}.not_an_llm`,
      title: `${fn} on an ONNX context`,
      spec: 'reference host: the token-streaming extensions on an engine that does not stream → unsupported_operation (WasmEdge gives 1)',
      requires: ONNX,
      steps: [...computed, { call: fn, args: { ctx: '$c' }, expect: { errno: 'unsupported_operation' } }, ...stillWorks],
    });
    cases.push({
      id: `abi.${fn}.ctx.never_issued`,
      title: `${fn} with context 9999, never issued`,
      spec: HANDLE,
      steps: [{ call: fn, args: { ctx: 9999 }, expect: { errno: 'invalid_argument' } }],
    });
  }
  cases.push({
    id: 'abi.get_output_single.not_an_llm',
    title: 'get_output_single on an ONNX context',
    spec: 'reference host: the token-streaming extensions on an engine that does not stream → unsupported_operation (WasmEdge gives 1)',
    requires: ONNX,
    steps: [...computed, { call: 'get_output_single', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 64 }, result: 'w', expect: { errno: 'unsupported_operation', result: 'unchanged', output: { unchanged: true } } }],
  });
  return cases;
}

function tensorCases(): CaseSpec[] {
  const cases: CaseSpec[] = [];
  const SHAPE = 'reference host: the tensor record, dims and data are read within memory and must agree (product(dims) × element size = data_len, computed without overflow) → else invalid_argument';
  const setBad = (id: string, title: string, tensorStep: Step, spec = SHAPE): CaseSpec => ({
    id: `abi.set_input.${id}`,
    title: `set_input with ${title}`,
    spec,
    requires: ONNX,
    steps: [...computed, tensorStep, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@bad' }, expect: { errno: 'invalid_argument' } }, { call: 'compute', args: { ctx: '$c' } }, ...stillWorks],
  });
  const input = { golden: { model: 'affine_relu', input: 0 } };
  for (const r of BAD_RANGES.slice(0, 5)) {
    cases.push({
      id: `abi.set_input.tensor_ptr.${r.id}`,
      title: `set_input with the tensor record at a ${r.title}`,
      spec: NOT_IN_MEMORY,
      requires: ONNX,
      steps: [...computed, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: r.ptr }, expect: { errno: 'invalid_argument' } }, ...stillWorks],
    });
    cases.push(setBad(`dims_ptr.${r.id}`, `dims at a ${r.title}`, { buffer: 'bad', tensor: input, raw: { dims_ptr: r.ptr } }, NOT_IN_MEMORY));
    cases.push(setBad(`data_ptr.${r.id}`, `data at a ${r.title}`, { buffer: 'bad', tensor: input, raw: { data_ptr: r.ptr } }, NOT_IN_MEMORY));
  }
  cases.push(setBad('dims_len.count_times_4_wraps', 'dims_len 0x40000000 (4 × count wraps to 0)', { buffer: 'bad', tensor: input, raw: { dims_len: '0x40000000' } }));
  cases.push(setBad('dims_len.too_long', 'dims_len 3 for a rank-2 tensor (reads past the dims array)', { buffer: 'bad', tensor: input, raw: { dims_len: 3 } }));
  cases.push(setBad('data_len.one_short', 'data_len one byte short', { buffer: 'bad', tensor: input, raw: { data_len: 15 } }));
  cases.push(setBad('data_len.one_long', 'data_len one byte long', { buffer: 'bad', tensor: input, raw: { data_len: 17 } }));
  cases.push(setBad('data_len.zero', 'data_len 0 for [1,4]', { buffer: 'bad', tensor: input, raw: { data_len: 0 } }));
  cases.push(setBad('dims.product_overflows', 'dims [0xffffffff, 0xffffffff] (the product overflows 2^53 bytes)', { buffer: 'bad', tensor: { type: 'f32', dims: [4294967295, 4294967295], hex: '' } }));
  cases.push(setBad('dims.product_wraps_u32', 'dims [0x40000000, 4] of f32 (product × 4 wraps to 0 in u32) and data_len 0', { buffer: 'bad', tensor: { type: 'f32', dims: [1073741824, 4], hex: '' } }));
  cases.push(setBad('dims.zero', 'dims [0, 4] and no data for a [1,4] input', { buffer: 'bad', tensor: { type: 'f32', dims: [0, 4], hex: '' } }));
  for (const [value, title] of [
    ['6', '6 (one past i64)'],
    ['7', '7'],
    ['255', '255'],
  ] as const) {
    cases.push(setBad(`type.${value}`, `tensor type ${title}`, { buffer: 'bad', tensor: input, raw: { type: value } }, 'reference host: a tensor type number outside the dialect → invalid_argument'));
  }
  cases.push({
    id: 'abi.set_input.type.low_byte_only',
    title: 'set_input reads the tensor type as one byte: 0x0101 is f32',
    spec: 'wasi-nn witx: tensor-type is a u8 at offset 8; the 3 bytes after it are padding (some guests write a u32)',
    requires: ONNX,
    steps: [...withContext, { buffer: 't', tensor: input, raw: { type: '0x0101' } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } }, { call: 'compute', args: { ctx: '$c' } }, ...stillWorks],
  });
  cases.push({
    id: 'abi.set_input.old_witx_u8_is_f64',
    title: 'an old-witx u8 tensor (type 2) reads as f64 today, and its length then disagrees with its dims',
    spec: 'wasi-nn witx (current): tensor-type 2 is f64; data_len must equal product(dims) × 8 → invalid_argument (details §7.1)',
    requires: ONNX,
    steps: [...withContext, { buffer: 't', tensor: { type: 'u8', dims: [1, 4], values: [1, 2, 3, 4] }, raw: { type: 2 } }, { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' }, expect: { errno: 'invalid_argument' } }],
  });
  return cases;
}

function getOutputCases(): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const r of BAD_RANGES.slice(0, 5)) {
    cases.push({
      id: `abi.get_output.out.${r.id}`,
      title: `get_output into a buffer at a ${r.title}`,
      spec: NOT_IN_MEMORY,
      requires: ONNX,
      steps: [...computed, { call: 'get_output', args: { ctx: '$c', index: 0, out: r.ptr, out_max: r.id === 'huge_len' ? r.len : '16' }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged' } }, ...stillWorks],
    });
  }
  cases.push({
    id: 'abi.get_output.out_max_past_end',
    title: 'get_output with out_max that runs past the end of memory, although the output would fit',
    spec: 'reference host: the whole declared output buffer must lie in memory → invalid_argument',
    requires: ONNX,
    steps: [...computed, { buffer: 'o', size: 16, fill: 170 }, { call: 'get_output', args: { ctx: '$c', index: 0, out: '@o', out_max: '0xffffffff' }, result: 'w', expect: { errno: 'invalid_argument', result: 'unchanged' } }, ...stillWorks],
  });
  for (const p of BAD_RESULT_PTRS) {
    cases.push({
      id: `abi.get_output.written_out.${p.id}`,
      title: `get_output with the bytes-written pointer ${p.title}`,
      spec: RESULT_PTR,
      requires: ONNX,
      steps: [...computed, { call: 'get_output', args: { ctx: '$c', index: 0, result: p.ptr }, output: { buffer: 'o', size: 16 }, expect: { errno: 'invalid_argument', output: { unchanged: true } } }, ...stillWorks],
    });
  }
  return cases;
}

export function abiCaseFiles(): Record<string, CaseFile> {
  const file = (description: string, cases: CaseSpec[]): CaseFile => ({ suite: 'abi', description, cases });
  return {
    'load.json': file('load: builder arrays, result pointers, encoding and target numbers', loadCases()),
    'load_by_name.json': file('load_by_name and load_by_name_with_config: registered names only, never host paths', loadByNameCases()),
    'handles.json': file('graph and context handles: unknown, stale, before any load; unload; the token-streaming extensions', handleCases()),
    'tensors.json': file('set_input: tensor records, dims and data within memory and consistent', tensorCases()),
    'get_output.json': file('get_output: output buffers and the bytes-written pointer', getOutputCases()),
  };
}
