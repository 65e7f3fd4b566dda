import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { README_PATH, withTable } from './op-table.js';

it('README.md holds the op table generated from OP_TABLE (npx tsx reference-host/backends/openvino/op-table.ts)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(withTable(readme));
});
