/**
 * Generates suites/limits/limits.json: every resource limit of the reference host
 * (reference-host/README.md "Resources", core/limits.ts) at its exact boundary, one call on each
 * side: the last one the host allows must succeed (or fail for another reason than the limit),
 * the next must get the limit's errno. The counts are the defaults a guest gets from
 * `wasi-nn-host run` and the in-process host. The total model bytes of every graph held (4 GiB) is
 * the one limit without a case: reaching it needs 4 GiB of models that really load, more than a
 * 32-bit guest's memory can hand over (core/limits.test.ts checks it with smaller limits).
 */
import type { Case, CaseFile, Step } from '../../harness/case-types.js';
import { DEFAULT_LIMITS } from '../../reference-host/core/limits.js';

const LIMITS = 'reference host: resource limits per guest instance (reference-host/README.md "Resources")';
const ONNX = { encodings: ['onnx' as const] };
const MIB_256 = 256 * 1024 * 1024;

const modelAndBuilders: Step[] = [
  { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
  { buffer: 'b', builders: ['m'] },
];

function graphsCase(): Case {
  const n = DEFAULT_LIMITS.maxGraphs;
  const loads: Step[] = Array.from({ length: n }, (_, i) => ({ call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: `g${i}`, expect: { errno: 'success' } }));
  return {
    id: 'limits.graphs.at_limit_then_one_past',
    title: `${n} loads of one ONNX model all succeed; load ${n + 1} gets busy, and graph ${n - 1} still computes`,
    spec: `${LIMITS}: at most ${n} graphs the guest loaded are held at once → busy`,
    requires: ONNX,
    steps: [
      ...modelAndBuilders,
      ...loads,
      { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'past', expect: { errno: 'busy', result: 'unchanged' } },
      { call: 'init_execution_context', args: { graph: `$g${n - 1}` }, result: 'c', expect: { errno: 'success' } },
      { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
      { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@t' } },
      { call: 'compute', args: { ctx: '$c' } },
      { call: 'get_output', args: { ctx: '$c', index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } } },
    ],
  };
}

/** An unloaded graph a live context still uses stays held (it counts against the limit) until its last context goes. */
function unloadedGraphCase(): Case {
  const n = DEFAULT_LIMITS.maxGraphs;
  const loads: Step[] = Array.from({ length: n }, (_, i) => ({ call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: `g${i}`, expect: { errno: 'success' } }));
  return {
    id: 'limits.graphs.unloaded_but_in_use_still_counts',
    title: `${n} graphs, a context on the first, the first unloaded: the next load is still busy (the context holds the graph); once the context is finalized it loads`,
    spec: `${LIMITS}: an unloaded graph is freed at once unless a live context uses it, then with its last context; until then it counts against the ${n} graphs`,
    requires: ONNX,
    steps: [
      ...modelAndBuilders,
      ...loads,
      { call: 'init_execution_context', args: { graph: '$g0' }, result: 'c', expect: { errno: 'success' } },
      { call: 'unload', args: { graph: '$g0' }, expect: { errno: 'success' } },
      { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'held', expect: { errno: 'busy', result: 'unchanged' } },
      { call: 'finalize_execution_context', args: { ctx: '$c' }, expect: { errno: 'success' } },
      { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'freed', expect: { errno: 'success', result: 'written' } },
    ],
  };
}

/** A finalized context is released: its slot is free again and its handle is stale. */
function finalizedContextCase(): Case {
  const n = DEFAULT_LIMITS.maxContexts;
  const inits: Step[] = Array.from({ length: n }, (_, i) => ({ call: 'init_execution_context', args: { graph: '$g' }, result: `c${i}`, expect: { errno: 'success' } }));
  return {
    id: 'limits.contexts.finalize_releases_a_slot',
    title: `${n} contexts, the first finalized: a new context starts in its slot, and the finalized handle is stale (invalid_argument)`,
    spec: `${LIMITS}: at most ${n} live execution contexts; finalize_execution_context (WasmEdge) releases one`,
    requires: ONNX,
    steps: [
      ...modelAndBuilders,
      { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'success' } },
      ...inits,
      { call: 'finalize_execution_context', args: { ctx: '$c0' }, expect: { errno: 'success' } },
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'again', expect: { errno: 'success', result: 'written' } },
      { call: 'compute', args: { ctx: '$c0' }, expect: { errno: 'invalid_argument' } },
    ],
  };
}

function contextsCase(): Case {
  const n = DEFAULT_LIMITS.maxContexts;
  const inits: Step[] = Array.from({ length: n }, (_, i) => ({ call: 'init_execution_context', args: { graph: '$g' }, result: `c${i}`, expect: { errno: 'success' } }));
  return {
    id: 'limits.contexts.at_limit_then_one_past',
    title: `${n} execution contexts of one graph all start; context ${n + 1} gets busy, and context ${n - 1} still computes`,
    spec: `${LIMITS}: at most ${n} live execution contexts → busy`,
    requires: ONNX,
    steps: [
      ...modelAndBuilders,
      { call: 'load', args: { builders: '@b', encoding: 'onnx', target: 'cpu' }, result: 'g', expect: { errno: 'success' } },
      ...inits,
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'past', expect: { errno: 'busy', result: 'unchanged' } },
      { buffer: 't', tensor: { golden: { model: 'affine_relu', input: 0 } } },
      { call: 'set_input', args: { ctx: `$c${n - 1}`, index: 0, tensor: '@t' } },
      { call: 'compute', args: { ctx: `$c${n - 1}` } },
      { call: 'get_output', args: { ctx: `$c${n - 1}`, index: 0 }, output: { buffer: 'o', size: 12 }, result: 'w', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', output: 0 } } } } },
    ],
  };
}

function buildersCase(): Case {
  const n = DEFAULT_LIMITS.maxBuilders;
  return {
    id: 'limits.builders.at_limit_then_one_past',
    title: `a load of ${n} builders passes the count check (the ONNX engine then refuses more than one: invalid_argument); ${n + 1} builders get too_large`,
    spec: `${LIMITS}: at most ${n} builders in one load → too_large, checked before anything is copied`,
    requires: ONNX,
    steps: [
      { buffer: 'm', fixture: 'onnx/affine_relu.onnx' },
      { buffer: 'at', builders: Array.from({ length: n }, () => 'm') },
      { buffer: 'past', builders: Array.from({ length: n + 1 }, () => 'm') },
      { call: 'load', args: { builders: '@at', builders_len: n, encoding: 'onnx', target: 'cpu' }, result: 'g0', expect: { errno: 'invalid_argument', result: 'unchanged' } },
      { call: 'load', args: { builders: '@past', builders_len: n + 1, encoding: 'onnx', target: 'cpu' }, result: 'g1', expect: { errno: 'too_large', result: 'unchanged' } },
    ],
  };
}

function modelBytesCase(): Case {
  const max = DEFAULT_LIMITS.maxModelBytes;
  const whole = max / MIB_256;
  if (!Number.isInteger(whole)) throw new Error('the model-bytes limit is not a whole number of 256 MiB blocks');
  // builders alias one 256 MiB buffer; a last builder outside memory ends each load before anything is copied
  const big = Array.from({ length: whole }, () => ({ ptr: '@big', len: MIB_256 }));
  const outside = { ptr: '0xffffffff', len: 1 };
  return {
    id: 'limits.model_bytes.at_limit_then_one_past',
    title: `builders adding up to exactly ${max} bytes pass the size check (a builder outside memory after them: invalid_argument); one byte more gets too_large`,
    spec: `${LIMITS}: the builders of one load add up to at most ${max} bytes (2 GiB) → too_large, counted builder by builder before anything is copied`,
    requires: ONNX,
    steps: [
      { buffer: 'big', size: MIB_256 },
      { buffer: 'at', builders: [...big, outside] },
      { buffer: 'past', builders: [...big, { ptr: '@big', len: 1 }, outside] },
      { call: 'load', args: { builders: '@at', builders_len: whole + 1, encoding: 'onnx', target: 'cpu' }, result: 'g0', expect: { errno: 'invalid_argument', result: 'unchanged' } },
      { call: 'load', args: { builders: '@past', builders_len: whole + 2, encoding: 'onnx', target: 'cpu' }, result: 'g1', expect: { errno: 'too_large', result: 'unchanged' } },
    ],
  };
}

function rankCase(): Case {
  const n = DEFAULT_LIMITS.maxTensorRank;
  const prompt = Buffer.from('wasi-nn').toString('hex');
  return {
    id: 'limits.tensor_rank.at_limit_then_one_past',
    title: `a GGML prompt (which takes any dims) of rank ${n} is accepted; rank ${n + 1} gets invalid_argument`,
    spec: `${LIMITS}: a tensor has at most ${n} dims → invalid_argument, checked before the dims are read`,
    requires: { encodings: ['ggml'] },
    steps: [
      { buffer: 'mg', fixture: 'ggml/tiny-llama.gguf' },
      { buffer: 'bg', builders: ['mg'] },
      { call: 'load', args: { builders: '@bg', encoding: 'ggml', target: 'cpu' }, result: 'g', expect: { errno: 'success' } },
      { call: 'init_execution_context', args: { graph: '$g' }, result: 'c' },
      { buffer: 'at', tensor: { type: 'u8', dims: Array.from({ length: n }, () => 1), hex: prompt } },
      { buffer: 'past', tensor: { type: 'u8', dims: Array.from({ length: n + 1 }, () => 1), hex: prompt } },
      { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@at' }, expect: { errno: 'success' } },
      { call: 'set_input', args: { ctx: '$c', index: 0, tensor: '@past' }, expect: { errno: 'invalid_argument' } },
    ],
  };
}

export function limitCaseFiles(): Record<string, CaseFile> {
  return {
    'limits.json': {
      suite: 'limits',
      description: 'Every resource limit of the reference host at its exact boundary: the last allowed call, then one past. Generated by suites/gen/limit-cases.ts.',
      cases: [graphsCase(), unloadedGraphCase(), contextsCase(), finalizedContextCase(), buildersCase(), modelBytesCase(), rankCase()],
    },
  };
}
