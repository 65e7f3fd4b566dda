import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITES_DIR } from '../../harness/repo-paths.js';
import { disagreementCaseFiles } from './disagreement-cases.js';

const files = disagreementCaseFiles();
const cases = Object.values(files).flatMap((f) => f.cases);
const readme = readFileSync(join(SUITES_DIR, 'disagreements', 'README.md'), 'utf8');

describe('disagreement cases', () => {
  it('cover every one of the 23 known disagreements, one file per item', () => {
    const items = Object.keys(files).map((name) => Number(name.slice(0, 2)));
    expect(items).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    for (const [name, file] of Object.entries(files)) {
      expect(file.cases.length, name).toBeGreaterThan(0);
      for (const c of file.cases) expect(c.id.startsWith(`disagreements.${name.slice(0, 2)}.`), c.id).toBe(true);
    }
  });

  it('have unique ids', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('cite upstream sources, never the private reference notes', () => {
    for (const c of cases) {
      expect(c.spec, c.id).not.toMatch(/\.\.\/shared|wasi-nn-abi|details §/);
      expect(c.spec, c.id).toMatch(/Reference host/);
    }
  });

  it('README lists every case, and every case it lists exists', () => {
    for (const c of cases) expect(readme, c.id).toContain(`\`${c.id.replace(/^disagreements\./, '')}\``);
    const listed = [...readme.matchAll(/`(\d\d\.[a-z0-9_]+\.[a-z0-9_]+)`/g)].map((m) => `disagreements.${m[1]}`);
    const ids = new Set(cases.map((c) => c.id));
    for (const id of listed) expect(ids.has(id), id).toBe(true);
  });

  it('pin raw dialect numbers only under the dialects whose meaning they state', () => {
    const raw = cases.filter((c) => c.id.startsWith('disagreements.01.encoding_') || c.id.startsWith('disagreements.01.tensor_type_'));
    expect(raw.length).toBeGreaterThanOrEqual(15);
    for (const c of raw) expect(c.requires?.dialects?.length, c.id).toBeGreaterThan(0);
    // every dialect gets exactly one meaning for each raw number
    for (const prefix of ['encoding_5', 'encoding_6', 'tensor_type_2', 'tensor_type_3', 'tensor_type_4']) {
      const meanings = raw.filter((c) => c.id.startsWith(`disagreements.01.${prefix}.`) && !c.id.includes('tflite'));
      const dialects = meanings.flatMap((c) => c.requires?.dialects ?? []);
      expect(new Set(dialects).size, prefix).toBe(dialects.length);
    }
  });
});
