/**
 * The numbering tables of every dialect, against the wasi-nn ABI reference (§2.1–§2.4), and how
 * the host sends an error name a dialect has no number for.
 */
import { describe, expect, it } from 'vitest';
import { ERRNO_NAMES } from '../core/types.js';
import { DIALECTS, DIALECT_NAMES, encodeErrno, encodingNumber, errnoName, isForeign } from './dialects.js';

const names = (d: (typeof DIALECT_NAMES)[number]) => DIALECTS[d].encodings.map((e) => (isForeign(e) ? e.foreign : e));

describe('dialect tables', () => {
  it('has the six core-module dialects and the two component ones, each named as its key', () => {
    expect(DIALECT_NAMES).toEqual(['witx', 'wasmedge', 'wamr', 'wamr-2.1', 'witx-2020', 'wamr-legacy', 'wit-2024-10-28', 'wit-2024-08-19']);
    for (const d of DIALECT_NAMES) expect(DIALECTS[d].name).toBe(d);
  });

  it('numbers graph encodings as the spec witx, WasmEdge and WAMR do', () => {
    expect(names('witx')).toEqual(['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'autodetect']);
    expect(names('witx-2020')).toEqual(names('witx'));
    expect(names('wasmedge')).toEqual([
      'openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'autodetect', 'ggml',
      'neuralspeed', 'burn', 'whisper', 'mlx', 'piper', 'chattts', 'openvinogenai', 'bitnet',
    ]);
    for (const d of ['wamr', 'wamr-2.1', 'wamr-legacy'] as const) {
      expect(encodingNumber(DIALECTS[d], 'ggml')).toBe(5);
      expect(encodingNumber(DIALECTS[d], 'autodetect')).toBe(6);
    }
    // the component dialects: WIT enum graph-encoding order (as WAMR's)
    for (const d of ['wit-2024-10-28', 'wit-2024-08-19'] as const) expect(names(d)).toEqual(['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml', 'autodetect']);
    expect(encodingNumber(DIALECTS.witx, 'ggml')).toBe(-1);
    expect(encodingNumber(DIALECTS.wasmedge, 'ggml')).toBe(6);
    expect(encodingNumber(DIALECTS.wasmedge, 'autodetect')).toBe(5);
  });

  it('has target auto = 3 only in the wasmedge dialect', () => {
    for (const d of DIALECT_NAMES) expect(DIALECTS[d].targets).toEqual(d === 'wasmedge' ? ['cpu', 'gpu', 'tpu', 'auto'] : ['cpu', 'gpu', 'tpu']);
  });

  it('numbers tensor types new-witx, old-witx (u8 = 2) or WIT-shaped (bf16 = 3, u8 = 4)', () => {
    for (const d of ['witx', 'wasmedge', 'wamr'] as const) expect(DIALECTS[d].tensorTypes).toEqual(['f16', 'f32', 'f64', 'u8', 'i32', 'i64']);
    for (const d of ['witx-2020', 'wamr-legacy'] as const) expect(DIALECTS[d].tensorTypes).toEqual(['f16', 'f32', 'u8', 'i32']);
    for (const d of ['wamr-2.1', 'wit-2024-10-28', 'wit-2024-08-19'] as const) expect(DIALECTS[d].tensorTypes).toEqual(['f16', 'f32', 'f64', 'bf16', 'u8', 'i32', 'i64']);
  });

  it('numbers the component dialects as WIT error-code + 1, with the driver\'s own 1000 and 1001, and no LLM codes', () => {
    for (const d of ['wit-2024-10-28', 'wit-2024-08-19'] as const) {
      expect(DIALECTS[d].errno).toEqual({ success: 0, invalid_argument: 1, invalid_encoding: 2, runtime_error: 4, unsupported_operation: 5, too_large: 6, not_found: 7 });
      expect(errnoName(DIALECTS[d], 1000)).toMatch(/^driver: /);
      expect(encodeErrno(DIALECTS[d], 'model_not_found')).toEqual({ code: 7, sentAs: 'not_found' });
      expect(DIALECTS[d].layout).toBe('component');
    }
    expect(DIALECTS['wit-2024-10-28'].functions).toContain('compute_named');
    expect(DIALECTS['wit-2024-08-19'].functions).toEqual(expect.arrayContaining(['set_input_named', 'get_output_named']));
  });

  it('numbers errno 0..8 in witx, with 100..103 in wasmedge, wamr and wamr-legacy, WIT-shaped in wamr-2.1', () => {
    const witx = { success: 0, invalid_argument: 1, invalid_encoding: 2, missing_memory: 3, busy: 4, runtime_error: 5, unsupported_operation: 6, too_large: 7, not_found: 8 };
    const llm = { end_of_sequence: 100, context_full: 101, prompt_too_long: 102, model_not_found: 103 };
    expect(DIALECTS.witx.errno).toEqual(witx);
    expect(DIALECTS['witx-2020'].errno).toEqual(witx);
    for (const d of ['wasmedge', 'wamr', 'wamr-legacy'] as const) expect(DIALECTS[d].errno).toEqual({ ...witx, ...llm });
    expect(DIALECTS['wamr-2.1'].errno).toEqual({ success: 0, invalid_argument: 1, invalid_encoding: 2, runtime_error: 4, unsupported_operation: 5, too_large: 6, not_found: 7, ...llm });
    expect(errnoName(DIALECTS['wamr-2.1'], 3)).toBe('timeout');
    expect(errnoName(DIALECTS['wamr-2.1'], 8)).toBe('security');
    expect(errnoName(DIALECTS['wamr-2.1'], 9)).toBe('unknown');
    expect(errnoName(DIALECTS.witx, 3)).toBe('missing_memory');
    expect(errnoName(DIALECTS.witx, 100)).toBeUndefined();
  });

  it('gives every error name a number or a fallback in every dialect', () => {
    for (const d of DIALECT_NAMES) for (const e of ERRNO_NAMES) expect(() => encodeErrno(DIALECTS[d], e), `${d} ${e}`).not.toThrow();
    expect(encodeErrno(DIALECTS['wamr-2.1'], 'busy')).toEqual({ code: 4, sentAs: 'runtime_error' });
    expect(encodeErrno(DIALECTS['wamr-2.1'], 'missing_memory')).toEqual({ code: 4, sentAs: 'runtime_error' });
    expect(encodeErrno(DIALECTS['wamr-2.1'], 'not_found')).toEqual({ code: 7 });
    expect(encodeErrno(DIALECTS.witx, 'prompt_too_long')).toEqual({ code: 1, sentAs: 'invalid_argument' });
    expect(encodeErrno(DIALECTS.witx, 'context_full')).toEqual({ code: 5, sentAs: 'runtime_error' });
    expect(encodeErrno(DIALECTS.witx, 'model_not_found')).toEqual({ code: 8, sentAs: 'not_found' });
    expect(encodeErrno(DIALECTS.wasmedge, 'prompt_too_long')).toEqual({ code: 102 });
  });

  it('lists the functions of each dialect and its import module', () => {
    const spec = ['load', 'load_by_name', 'init_execution_context', 'set_input', 'compute', 'get_output'];
    expect(DIALECTS.witx.functions).toEqual(spec);
    expect(DIALECTS['witx-2020'].functions).toEqual(spec);
    expect(DIALECTS.wamr.functions).toEqual([...spec, 'load_by_name_with_config']);
    expect(DIALECTS['wamr-2.1'].functions).toEqual([...spec, 'load_by_name_with_config']);
    expect(DIALECTS.wasmedge.functions).toHaveLength(12);
    expect(DIALECTS.wasmedge.functions).toContain('finalize_execution_context');
    expect(DIALECTS['wamr-legacy']).toMatchObject({ module: 'wasi_nn', layout: 'legacy', functions: spec });
    for (const d of ['witx', 'wasmedge', 'wamr', 'wamr-2.1', 'witx-2020'] as const) expect(DIALECTS[d]).toMatchObject({ module: 'wasi_ephemeral_nn', layout: 'witx' });
    expect(DIALECTS['wit-2024-10-28']).toMatchObject({ module: 'wasi:nn', layout: 'component', witVersion: '0.2.0-rc-2024-10-28' });
    expect(DIALECTS['wit-2024-08-19']).toMatchObject({ module: 'wasi:nn', layout: 'component', witVersion: '0.2.0-rc-2024-08-19' });
  });
});
