/**
 * Writes every generated suite: suites/abi (the bad-argument matrix), suites/bad_models (one
 * file per corrupt-model corpus in fixtures/bad), suites/component (the WIT-only cases),
 * suites/limits (every resource limit at its boundary) and the other generated folders below. `npm run suites`; a test checks they are current.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseFile } from '../../harness/case-types.js';
import { abiCaseFiles } from './abi-cases.js';
import { autodetectCaseFiles } from './autodetect-cases.js';
import { badModelCaseFiles } from './bad-model-cases.js';
import { crossEncodingCaseFiles } from './cross-encoding-cases.js';
import { componentCaseFiles } from './component-cases.js';
import { disagreementCaseFiles } from './disagreement-cases.js';
import { limitCaseFiles } from './limit-cases.js';
import { openvinoCaseFiles } from './openvino-cases.js';

const SUITES = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(SUITES, '..', 'fixtures');

/** suite folder → file name → content, exactly as written (with the $schema line). */
export function generatedSuites(fixturesDir = FIXTURES): Record<string, Record<string, CaseFile & { $schema: string }>> {
  const withSchema = (files: Record<string, CaseFile>) =>
    Object.fromEntries(Object.entries(files).map(([name, content]) => [name, { $schema: '../schema/case-file.schema.json', ...content }]));
  return { abi: withSchema(abiCaseFiles()), bad_models: withSchema(badModelCaseFiles(fixturesDir)), cross_encoding: withSchema(crossEncodingCaseFiles(fixturesDir)), openvino: withSchema(openvinoCaseFiles(fixturesDir)), autodetect: withSchema(autodetectCaseFiles(fixturesDir)), disagreements: withSchema(disagreementCaseFiles()), component: withSchema(componentCaseFiles()), limits: withSchema(limitCaseFiles()) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [folder, files] of Object.entries(generatedSuites())) {
    mkdirSync(join(SUITES, folder), { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      writeFileSync(join(SUITES, folder, name), `${JSON.stringify(content, null, 2)}\n`);
      process.stdout.write(`wrote suites/${folder}/${name}\n`);
    }
  }
}
