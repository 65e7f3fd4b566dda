/** For tests of the CLIs: captures what main() writes to stdout and stderr (vitest spies; restore with vi.restoreAllMocks). */
import { vi } from 'vitest';

export function capture(): { err: () => string; out: () => string } {
  let err = '';
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  return { err: () => err, out: () => out };
}
