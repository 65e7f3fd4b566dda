/**
 * Tensor bytes for cases and the judge: values from case files to bytes (through the fixtures'
 * codec, so there is one), and the comparison of observed bytes with expected ones.
 */
import { decodeValues, encodeValues as encodeTyped, f16FromBits } from '../fixtures/gen/evaluator.js';
import type { TensorType } from '../reference-host/core/types.js';
import type { Tolerance } from './case-types.js';

type CodecType = Exclude<TensorType, 'bf16'>;

/** Case values: numbers, and decimal strings for i64 (JSON numbers cannot hold them exactly). */
export function encodeValues(type: TensorType, values: readonly (number | string)[]): Uint8Array {
  if (type === 'bf16') throw new Error('bf16 values are not supported in case files; give hex');
  const typed = values.map((v) => {
    if (type === 'i64') return BigInt(v);
    if (typeof v === 'string') throw new Error(`value ${JSON.stringify(v)} must be a number for ${type}`);
    return v;
  });
  return encodeTyped(type as CodecType, typed);
}

/** Tolerances by element type when a case names none (documented in harness/README.md). */
export const DEFAULT_TOLERANCE: Record<TensorType, Tolerance> = {
  f16: { ulp: 1 },
  bf16: { ulp: 1 },
  f32: { abs: 1e-5, rel: 1e-4 },
  f64: { abs: 1e-12, rel: 1e-10 },
  u8: {},
  i32: {},
  i64: {},
};

export interface TensorError {
  maxAbs: number;
  maxRel: number;
  maxUlp: number;
}

export interface Comparison {
  ok: boolean;
  error: TensorError;
  /** the first element outside tolerance, for the failure message */
  firstMismatch?: { index: number; expected: string; observed: string };
}

/** Orders floats so that adjacent representable values differ by 1 (for ULP distance). */
function orderedBits(type: TensorType, bytes: Uint8Array, i: number): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let bits: bigint;
  let signBit: bigint;
  switch (type) {
    case 'f16':
    case 'bf16':
      bits = BigInt(view.getUint16(i * 2, true));
      signBit = 0x8000n;
      break;
    case 'f32':
      bits = BigInt(view.getUint32(i * 4, true));
      signBit = 0x80000000n;
      break;
    default:
      bits = view.getBigUint64(i * 8, true);
      signBit = 0x8000000000000000n;
  }
  return bits & signBit ? -(bits & (signBit - 1n)) : bits;
}

function floatValues(type: TensorType, bytes: Uint8Array): number[] {
  if (type === 'bf16') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: bytes.byteLength / 2 }, (_, i) => new Float32Array(new Uint32Array([view.getUint16(i * 2, true) << 16]).buffer)[0] as number);
  }
  if (type === 'f16') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: bytes.byteLength / 2 }, (_, i) => f16FromBits(view.getUint16(i * 2, true)));
  }
  return decodeValues(type as CodecType, bytes) as number[];
}

/** Compares observed with expected bytes of one tensor type; the byte lengths must already match. */
export function compareTensor(type: TensorType, expected: Uint8Array, observed: Uint8Array, tolerance: Tolerance = DEFAULT_TOLERANCE[type]): Comparison {
  const error: TensorError = { maxAbs: 0, maxRel: 0, maxUlp: 0 };
  let firstMismatch: Comparison['firstMismatch'];
  if (type === 'u8' || type === 'i32' || type === 'i64') {
    const e = decodeValues(type, expected);
    const o = decodeValues(type, observed);
    e.forEach((ev, i) => {
      const ov = o[i] as number | bigint;
      const diff = Math.abs(Number(BigInt(ov) - BigInt(ev)));
      error.maxAbs = Math.max(error.maxAbs, diff);
      error.maxUlp = Math.max(error.maxUlp, diff);
      if (diff !== 0 && !firstMismatch) firstMismatch = { index: i, expected: String(ev), observed: String(ov) };
    });
    return firstMismatch ? { ok: false, error, firstMismatch } : { ok: true, error };
  }
  const e = floatValues(type, expected);
  const o = floatValues(type, observed);
  e.forEach((ev, i) => {
    const ov = o[i] as number;
    const sameNaN = Number.isNaN(ev) && Number.isNaN(ov);
    const abs = sameNaN || ev === ov ? 0 : Math.abs(ov - ev);
    const rel = abs === 0 ? 0 : abs / Math.max(Math.abs(ev), Number.MIN_VALUE);
    const ulpBig = sameNaN ? 0n : orderedBits(type, observed, i) - orderedBits(type, expected, i);
    const ulp = Number(ulpBig < 0n ? -ulpBig : ulpBig);
    error.maxAbs = Math.max(error.maxAbs, Number.isNaN(abs) ? Infinity : abs);
    error.maxRel = Math.max(error.maxRel, Number.isNaN(rel) ? Infinity : rel);
    error.maxUlp = Math.max(error.maxUlp, ulp);
    const within =
      sameNaN ||
      abs === 0 ||
      (tolerance.ulp !== undefined && ulp <= tolerance.ulp) ||
      ((tolerance.abs !== undefined || tolerance.rel !== undefined) && abs <= (tolerance.abs ?? 0) + (tolerance.rel ?? 0) * Math.abs(ev));
    if (!within && !firstMismatch) firstMismatch = { index: i, expected: String(ev), observed: String(ov) };
  });
  return firstMismatch ? { ok: false, error, firstMismatch } : { ok: true, error };
}
