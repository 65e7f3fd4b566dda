/** The harness checkout this code runs from, found whether it runs from source or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wasi-nn-conformance') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the wasi-nn-conformance checkout (package.json) above ${from}`);
    dir = parent;
  }
}
