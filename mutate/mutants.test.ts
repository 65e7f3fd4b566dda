import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { MUTANTS } from './mutants.js';
import { applyMutant } from './mutant-root.js';

const DIST = join(REPO_ROOT, 'dist', 'reference-host');

describe('the mutants of npm run mutate', () => {
  it('are at least 40, with unique ids, spread over abi, core, detect, component and every backend', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(MUTANTS.map((m) => m.id)).size).toBe(MUTANTS.length);
    const folders = new Set(MUTANTS.map((m) => m.file.split('/').slice(0, m.file.startsWith('backends/') ? 2 : 1).join('/')));
    for (const f of ['abi', 'core', 'detect', 'component', 'backends/onnx', 'backends/openvino', 'backends/tflite', 'backends/pytorch', 'backends/tensorflow', 'backends/ggml']) expect(folders, f).toContain(f);
  });

  // a mutant whose text no longer occurs in the build would test nothing: this fails first
  for (const m of MUTANTS) {
    it(`${m.id}: its text occurs exactly once in dist/reference-host/${m.file} and the replacement changes it`, () => {
      const text = readFileSync(join(DIST, m.file), 'utf8');
      const mutated = applyMutant(text, m);
      expect(mutated).not.toBe(text);
      expect(mutated.length - text.length).toBe(m.replace.length - m.find.length);
    });
  }

  it('refuses a mutant whose text is missing or occurs twice', () => {
    const m = { id: 'x', file: 'f.js', find: 'a > b', replace: 'a >= b', fault: 'f' };
    expect(() => applyMutant('nothing here', m)).toThrow(/is not in/);
    expect(() => applyMutant('a > b; a > b', m)).toThrow(/more than once/);
    expect(applyMutant('if (a > b) x();', m)).toBe('if (a >= b) x();');
  });
});
