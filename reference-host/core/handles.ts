/** Monotonic u32 handle tables: handles count from 0 and are never reused, so a stale handle stays invalid; live handles are bounded. */
import { NnError } from './types.js';

export class HandleTable<T> {
  private next = 0;
  private readonly entries = new Map<number, T>();

  constructor(
    private readonly kind: string,
    /** live handles at most; past it add() answers busy */
    private readonly limit = Infinity,
    /** how to raise the limit, for the message */
    private readonly raise = '',
  ) {}

  add(value: T): number {
    if (this.next > 0xffffffff) throw new NnError('busy', `no ${this.kind} handles left`);
    if (this.entries.size >= this.limit) {
      throw new NnError('busy', `${this.entries.size} ${this.kind}s are live, the most this host allows one guest: release one first${this.raise ? ` (or raise ${this.raise})` : ''}`);
    }
    const handle = this.next++;
    this.entries.set(handle, value);
    return handle;
  }

  get(handle: number): T {
    const value = this.entries.get(handle);
    if (value === undefined) {
      const why = handle < this.next ? 'was released' : 'was never issued';
      throw new NnError('invalid_argument', `${this.kind} handle ${handle} ${why}`);
    }
    return value;
  }

  remove(handle: number): T {
    const value = this.get(handle);
    this.entries.delete(handle);
    return value;
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }
}
