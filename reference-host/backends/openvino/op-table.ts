/**
 * The README's op table, generated from the translator's registry (OP_TABLE in translate.ts).
 *   npx tsx reference-host/backends/openvino/op-table.ts   # rewrites the table in README.md
 * op-table.test.ts fails when the README's table differs from opTableMarkdown().
 */
import { fileURLToPath } from 'node:url';
import { cell, fencedTable, replaceFencedTable, writeFencedTable } from '../readme-op-table.js';
import { REFUSED_OPS } from './ops-refused.js';
import { OP_TABLE } from './translate.js';

export const README_PATH = fileURLToPath(new URL('./README.md', import.meta.url));

export function opTableMarkdown(): string {
  const rows = Object.entries(OP_TABLE)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, e]) => `| ${type} | ${e.versions.join(', ')} | ${e.arity[0] === e.arity[1] ? e.arity[0] : `${e.arity[0]}–${e.arity[1]}`} | ${cell(e.onnx)} | ${cell(e.notes)} |`);
  const refused = Object.entries(REFUSED_OPS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, reason]) => `| ${type} | refused | | unsupported_operation | ${cell(reason)} |`);
  return fencedTable(['IR layer type', 'versions', 'inputs', 'ONNX', 'notes'], [...rows, ...refused]);
}

/** The README text with its table replaced by the generated one. */
export function withTable(readme: string): string {
  return replaceFencedTable(readme, opTableMarkdown(), README_PATH);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFencedTable(README_PATH, opTableMarkdown());
}
