/**
 * Host messages go straight to fd 2, as the guest's own stderr does, from any thread. A pipe whose
 * reader is slow can answer EAGAIN when it was made non-blocking: wait a moment and write the rest.
 */
import { writeSync } from 'node:fs';

export function say(text: string): void {
  let rest = Buffer.from(text, 'utf8');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(2, rest));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
