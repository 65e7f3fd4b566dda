/** Where the harness's own files are, whether it runs from source (tsx, vitest) or from dist/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DialectName } from '../reference-host/abi/dialects.js';
import { findRepoRoot } from '../reference-host/repo-root.js';

export const REPO_ROOT = findRepoRoot();
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');
export const SUITES_DIR = join(REPO_ROOT, 'suites');

/** The driver guest built for a dialect (guests/build.sh): guests/driver/<dialect>.wasm. */
export function driverWasm(dialect: DialectName): string {
  return join(REPO_ROOT, 'guests', 'driver', `${dialect}.wasm`);
}

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
