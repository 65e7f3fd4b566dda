import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITES_DIR } from '../../harness/repo-paths.js';
import { abiCaseFiles } from './abi-cases.js';

describe('suites/abi is generated from suites/gen/abi-cases.ts', () => {
  it.each(Object.entries(abiCaseFiles()))('%s is current (run `npm run suites` after changing the generator)', (name, content) => {
    const committed = JSON.parse(readFileSync(join(SUITES_DIR, 'abi', name), 'utf8')) as unknown;
    expect(committed).toEqual({ $schema: '../schema/case-file.schema.json', ...content });
  });
});
