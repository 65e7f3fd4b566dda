import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { OP_TABLE, README_PATH, withTable } from './op-table.js';

it('README.md holds the op table generated from OP_TABLE (npx tsx reference-host/backends/tensorflow/op-table.ts)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  expect(readme).toBe(withTable(readme));
  expect(readme).toContain(`| MatMul | tfjs | product | FLOAT | transpose_a, transpose_b |`);
  expect(Object.keys(OP_TABLE).length).toBeGreaterThanOrEqual(30);
});
