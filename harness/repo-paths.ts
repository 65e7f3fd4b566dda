/** Where the harness's own files are, whether it runs from source (tsx, vitest) or from dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'wasi-nn-conformance') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the wasi-nn-conformance checkout (package.json) above the harness code');
    dir = parent;
  }
}

export const REPO_ROOT = findRoot();
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');
export const SUITES_DIR = join(REPO_ROOT, 'suites');

export function guestWasm(build: 'core' | 'ext'): string {
  return join(REPO_ROOT, 'guests', 'driver', `wasi_ephemeral_nn-${build}.wasm`);
}

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
