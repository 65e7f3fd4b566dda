/**
 * A private copy of the harness with one mutant applied: dist/ and bin/ are copied (bin/ so that
 * its imports resolve to the copied dist/), everything else at the top of the checkout is a
 * symlink to the real one (suites, fixtures, guests, node_modules, the PyTorch addon's build).
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mutant } from './mutants.js';

/** `text` with the mutant's `find` replaced; throws unless `find` occurs exactly once. */
export function applyMutant(text: string, m: Mutant): string {
  const at = text.indexOf(m.find);
  if (at < 0) throw new Error(`mutant ${m.id}: its text is not in dist/reference-host/${m.file} (rebuilt code changed? update mutate/mutants.ts)`);
  if (text.indexOf(m.find, at + 1) >= 0) throw new Error(`mutant ${m.id}: its text occurs more than once in dist/reference-host/${m.file}`);
  const out = text.slice(0, at) + m.replace + text.slice(at + m.find.length);
  if (out === text) throw new Error(`mutant ${m.id}: the replacement changes nothing`);
  return out;
}

/** Makes the copy; the caller removes it (removeMutantRoot). */
export function makeMutantRoot(repoRoot: string, m: Mutant | undefined): string {
  const root = mkdtempSync(join(tmpdir(), `wasi-nn-mutant-${m?.id ?? 'none'}-`));
  for (const entry of readdirSync(repoRoot)) {
    if (entry === '.git') continue;
    if (entry === 'dist' || entry === 'bin') cpSync(join(repoRoot, entry), join(root, entry), { recursive: true });
    else symlinkSync(join(repoRoot, entry), join(root, entry));
  }
  if (m) {
    const file = join(root, 'dist', 'reference-host', m.file);
    try {
      writeFileSync(file, applyMutant(readFileSync(file, 'utf8'), m));
    } catch (e) {
      removeMutantRoot(root);
      throw e;
    }
  }
  return root;
}

export function removeMutantRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
