/**
 * Bounds-checked access to a guest's linear memory. Every pointer a guest passes goes through
 * here; a range that does not lie wholly inside memory is an NnError (invalid_argument), never
 * a host exception or an out-of-bounds access. Make one per host call: memory.grow detaches the
 * old buffer, and memory cannot grow while the guest is inside a host call.
 */
import { NnError } from '../core/types.js';

export class GuestMemory {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(memory: WebAssembly.Memory) {
    this.bytes = new Uint8Array(memory.buffer);
    this.view = new DataView(memory.buffer);
  }

  get size(): number {
    return this.bytes.byteLength;
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

  /**
   * A private copy of guest bytes. (Not `bytes.slice(a, b)`: on a view of a large wasm memory
   * V8 makes that cost time in proportion to the whole memory — 26 µs for 8 KiB of 26 MiB.)
   */
  copy(ptr: number, len: number, what: string): Uint8Array {
    this.check(ptr, len, what);
    const start = ptr >>> 0;
    const out = new Uint8Array(len);
    out.set(this.bytes.subarray(start, start + len));
    return out;
  }

  u32(ptr: number, what: string): number {
    this.check(ptr, 4, what);
    return this.view.getUint32(ptr >>> 0, true);
  }

  u8(ptr: number, what: string): number {
    this.check(ptr, 1, what);
    return this.bytes[ptr >>> 0] as number;
  }

  /** Reads `count` u32 values; `count*4` is computed without overflow. */
  u32Array(ptr: number, count: number, what: string): number[] {
    const n = count >>> 0;
    this.check(ptr, n * 4, what);
    const base = ptr >>> 0;
    return Array.from({ length: n }, (_, i) => this.view.getUint32(base + i * 4, true));
  }

  writeU32(ptr: number, value: number, what: string): void {
    this.check(ptr, 4, what);
    this.view.setUint32(ptr >>> 0, value >>> 0, true);
  }

  write(ptr: number, bytes: Uint8Array, what: string): void {
    this.check(ptr, bytes.byteLength, what);
    this.bytes.set(bytes, ptr >>> 0);
  }
}
