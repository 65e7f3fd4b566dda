import { describe, expect, it } from 'vitest';
import { compareTensor, encodeValues } from './tensor-bytes.js';

describe('compareTensor', () => {
  it('measures ULP distance for f32, across zero too', () => {
    const a = encodeValues('f32', [1, -0]);
    const next = new Float32Array([1, 0]);
    new Uint32Array(next.buffer)[0]! += 2;
    const cmp = compareTensor('f32', a, new Uint8Array(next.buffer), { ulp: 2 });
    expect(cmp.ok).toBe(true);
    expect(cmp.error.maxUlp).toBe(2);
    expect(compareTensor('f32', a, new Uint8Array(next.buffer), { ulp: 1 }).ok).toBe(false);
  });

  it('uses abs + rel for f32 by default and reports the first mismatch', () => {
    const cmp = compareTensor('f32', encodeValues('f32', [100, 1]), encodeValues('f32', [100.005, 1.5]));
    expect(cmp.ok).toBe(false);
    expect(cmp.firstMismatch?.index).toBe(1);
    expect(cmp.error.maxAbs).toBeCloseTo(0.5, 6);
  });

  it('is exact for integers, i64 beyond 2^53 included', () => {
    const big = ['9007199254740993', '-5'];
    expect(compareTensor('i64', encodeValues('i64', big), encodeValues('i64', big)).ok).toBe(true);
    const cmp = compareTensor('i64', encodeValues('i64', big), encodeValues('i64', ['9007199254740992', '-5']));
    expect(cmp.ok).toBe(false);
    expect(cmp.error.maxAbs).toBe(1);
  });

  it('compares f16 by bits: 1 ULP allowed by default', () => {
    const one = Uint8Array.from([0x00, 0x3c]);
    const oneUp = Uint8Array.from([0x01, 0x3c]);
    const twoUp = Uint8Array.from([0x02, 0x3c]);
    expect(compareTensor('f16', one, oneUp).ok).toBe(true);
    expect(compareTensor('f16', one, twoUp).ok).toBe(false);
  });

  it('treats NaN as equal to NaN only', () => {
    expect(compareTensor('f32', encodeValues('f32', [NaN]), encodeValues('f32', [NaN])).ok).toBe(true);
    expect(compareTensor('f32', encodeValues('f32', [0]), encodeValues('f32', [NaN])).ok).toBe(false);
  });
});
