// Makes a WASI preview1 core module (a C guest) a WebAssembly component that imports `wasi:nn`:
//   node guests/componentize.mjs CORE.wasm WIT-FILE OUT.wasm
// It embeds the WIT's world `ml` (the wasi:nn imports) as component type information, then
// wraps the module with the WASI preview1 *command* adapter that @bytecodealliance/jco ships,
// using jco's wasm-tools (@bytecodealliance/jco-transpile). Both are pinned in package.json, so
// the output is byte-identical for the same input (guests/build.sh --check relies on it).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { componentEmbed, componentNew } from '@bytecodealliance/jco-transpile/wasm-tools';

const [core, wit, out] = process.argv.slice(2);
if (!core || !wit || !out) {
  console.error('usage: node guests/componentize.mjs CORE.wasm WIT-FILE OUT.wasm');
  process.exit(2);
}
const require = createRequire(import.meta.url);
let adapterPath;
try {
  // the package exports only its API (dist/api.js); the adapter sits in its lib/
  adapterPath = join(dirname(require.resolve('@bytecodealliance/jco')), '..', 'lib', 'wasi_snapshot_preview1.command.wasm');
} catch {
  console.error('guests/componentize.mjs: @bytecodealliance/jco is not installed (a devDependency): run npm ci');
  process.exit(2);
}
const embedded = await componentEmbed({ binary: readFileSync(core), witSource: readFileSync(wit, 'utf8'), world: 'ml' });
const component = await componentNew(embedded, [['wasi_snapshot_preview1', readFileSync(adapterPath)]]);
writeFileSync(out, component);
