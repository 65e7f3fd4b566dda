import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITES_DIR } from '../../harness/repo-paths.js';
import { generatedSuites } from './generate.js';

const files = Object.entries(generatedSuites()).flatMap(([folder, byName]) => Object.entries(byName).map(([name, content]) => [`${folder}/${name}`, content] as const));

describe('generated suites are current (run `npm run suites` after changing a generator or fixtures/bad)', () => {
  it.each(files)('%s', (path, content) => {
    expect(JSON.parse(readFileSync(join(SUITES_DIR, path), 'utf8'))).toEqual(content);
  });
});
