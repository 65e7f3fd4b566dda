/**
 * Bounds-checked access to a guest's linear memory. Every pointer a guest passes goes through
 * here; a range that does not lie wholly inside memory is an NnError (invalid_argument), never
 * a host exception or an out-of-bounds access. Views are taken afresh on each call because
 * memory.grow detaches the old buffer.
 */
import { NnError } from '../core/types.js';

export class GuestMemory {
  constructor(private readonly memory: WebAssembly.Memory) {}

  get size(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * Throws invalid_argument unless [ptr, ptr+len) lies inside memory. `ptr` is a guest u32;
   * `len` may be any non-negative integer (a product computed by the host), so the sum cannot wrap.
   */
  check(ptr: number, len: number, what: string): void {
    const p = ptr >>> 0;
    if (!Number.isSafeInteger(len) || len < 0 || p + len > this.size) {
      throw new NnError('invalid_argument', `${what}: ${len} byte(s) at 0x${p.toString(16)} run past the end of memory (${this.size} bytes)`);
    }
  }

  /** A private copy of guest bytes. */
  copy(ptr: number, len: number, what: string): Uint8Array {
    this.check(ptr, len, what);
    return new Uint8Array(this.memory.buffer, ptr >>> 0, len >>> 0).slice();
  }

  u32(ptr: number, what: string): number {
    this.check(ptr, 4, what);
    return new DataView(this.memory.buffer).getUint32(ptr >>> 0, true);
  }

  u8(ptr: number, what: string): number {
    this.check(ptr, 1, what);
    return new Uint8Array(this.memory.buffer)[ptr >>> 0] as number;
  }

  /** Reads `count` u32 values; `count*4` is computed without overflow. */
  u32Array(ptr: number, count: number, what: string): number[] {
    const bytes = (count >>> 0) * 4;
    this.check(ptr, bytes, what);
    const view = new DataView(this.memory.buffer, ptr >>> 0, bytes);
    return Array.from({ length: count >>> 0 }, (_, i) => view.getUint32(i * 4, true));
  }

  writeU32(ptr: number, value: number, what: string): void {
    this.check(ptr, 4, what);
    new DataView(this.memory.buffer).setUint32(ptr >>> 0, value >>> 0, true);
  }

  write(ptr: number, bytes: Uint8Array, what: string): void {
    this.check(ptr, bytes.byteLength, what);
    new Uint8Array(this.memory.buffer, ptr >>> 0, bytes.byteLength).set(bytes);
  }
}
