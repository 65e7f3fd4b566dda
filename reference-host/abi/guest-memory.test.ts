import { describe, expect, it } from 'vitest';
import { NnError } from '../core/types.js';
import { GuestMemory } from './guest-memory.js';

const page = 65536;

function errnoOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof NnError) return e.errno;
    throw e;
  }
}

describe('GuestMemory', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const m = new GuestMemory(memory);

  it('accepts ranges that end exactly at the end of memory', () => {
    expect(errnoOf(() => m.check(page - 4, 4, 'x'))).toBeUndefined();
    expect(errnoOf(() => m.check(page, 0, 'x'))).toBeUndefined();
  });

  it.each([
    [page - 3, 4],
    [page, 1],
    [0xfffffff0, 0x20],
    [0xffffffff, 1],
    [0, 2 ** 32],
    [0, -1],
  ])('rejects ptr %d len %d as invalid_argument', (ptr, len) => {
    expect(errnoOf(() => m.check(ptr, len, 'x'))).toBe('invalid_argument');
  });

  it('does not wrap count * 4 for u32 arrays', () => {
    expect(errnoOf(() => m.u32Array(0, 0x40000000, 'dims'))).toBe('invalid_argument');
  });

  it('copies bytes so later guest writes do not show through', () => {
    new Uint8Array(memory.buffer).set([1, 2, 3], 100);
    const copy = m.copy(100, 3, 'x');
    new Uint8Array(memory.buffer)[100] = 9;
    expect([...copy]).toEqual([1, 2, 3]);
  });

  it('made after memory grows, sees the new pages', () => {
    const grown = new WebAssembly.Memory({ initial: 1 });
    expect(errnoOf(() => new GuestMemory(grown).writeU32(page + 8, 7, 'x'))).toBe('invalid_argument');
    grown.grow(1);
    const g = new GuestMemory(grown);
    expect(errnoOf(() => g.writeU32(page + 8, 7, 'x'))).toBeUndefined();
    expect(g.u32(page + 8, 'x')).toBe(7);
  });
});
