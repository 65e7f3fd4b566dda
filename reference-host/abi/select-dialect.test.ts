/**
 * Which dialect a guest is served: the explicit choice, else its `wasi-nn.dialect` section,
 * else its imports, else witx — on hand-made modules and on the real driver builds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../repo-root.js';
import { DIALECTS, DIALECT_NAMES } from './dialects.js';
import { DIALECT_SECTION, DialectSectionError, chooseDialect, moduleMismatch, sectionDialect } from './select-dialect.js';
import { module, withoutCustomSection } from './test-modules.js';

const DRIVER_DIR = join(findRepoRoot(), 'guests', 'driver');
const section = (name: string): [string, Uint8Array] => [DIALECT_SECTION, new TextEncoder().encode(name)];
const spec = (m: string): [string, string][] => ['load', 'load_by_name', 'init_execution_context', 'set_input', 'compute', 'get_output'].map((f) => [m, f]);

describe('chooseDialect', () => {
  it('takes the explicit dialect over the section and the imports, with a hint when the section disagrees', () => {
    const choice = chooseDialect(module(spec('wasi_nn'), [section('wasmedge')]), 'witx-2020');
    expect(choice).toMatchObject({ source: 'flag', dialect: { name: 'witx-2020' } });
    expect(choice.hints).toEqual(['the guest says it was built for the wasmedge dialect (wasi-nn.dialect section) but is served witx-2020, as asked']);
    expect(chooseDialect(module(spec('wasi_ephemeral_nn'), [section('witx-2020')]), 'witx-2020').hints).toEqual([]);
  });

  it('takes the custom section over the imports', () => {
    const choice = chooseDialect(module([...spec('wasi_ephemeral_nn'), ['wasi_ephemeral_nn', 'compute_single']], [section('wamr-2.1')]));
    expect(choice).toMatchObject({ source: 'section', dialect: { name: 'wamr-2.1' }, hints: [] });
  });

  it('reads the imports: module wasi_nn → wamr-legacy, a WasmEdge-only function → wasmedge', () => {
    expect(chooseDialect(module(spec('wasi_nn')))).toMatchObject({ source: 'imports', dialect: { name: 'wamr-legacy' }, reason: "from the guest's imports: module wasi_nn" });
    for (const f of ['compute_single', 'get_output_single', 'fini_single', 'unload', 'finalize_execution_context']) {
      expect(chooseDialect(module([...spec('wasi_ephemeral_nn'), ['wasi_ephemeral_nn', f]]))).toMatchObject({ source: 'imports', dialect: { name: 'wasmedge' } });
    }
  });

  it('falls back to witx, with a hint when load_by_name_with_config leaves WAMR or WasmEdge open', () => {
    expect(chooseDialect(module(spec('wasi_ephemeral_nn')))).toMatchObject({ source: 'default', dialect: { name: 'witx' }, hints: [] });
    expect(chooseDialect(module([]))).toMatchObject({ source: 'default', dialect: { name: 'witx' } });
    const withConfig = chooseDialect(module([...spec('wasi_ephemeral_nn'), ['wasi_ephemeral_nn', 'load_by_name_with_config']]));
    expect(withConfig).toMatchObject({ source: 'default', dialect: { name: 'witx' } });
    expect(withConfig.hints[0]).toMatch(/load_by_name_with_config.*--nn-dialect wamr or wasmedge/);
  });

  it('refuses a section naming no known dialect, unless a dialect is given', () => {
    const unknown = module(spec('wasi_ephemeral_nn'), [section('wasmtime')]);
    expect(() => chooseDialect(unknown)).toThrow(DialectSectionError);
    expect(() => chooseDialect(unknown)).toThrow('its wasi-nn.dialect custom section names "wasmtime", which is not a dialect this host knows');
    expect(() => chooseDialect(module([], [section('witx'), section('wamr')]))).toThrow('custom sections disagree: "witx", "wamr"');
    expect(() => chooseDialect(module([], [[DIALECT_SECTION, Uint8Array.of(0xff, 0xfe)]]))).toThrow('not UTF-8');
    const forced = chooseDialect(unknown, 'witx');
    expect(forced.dialect.name).toBe('witx');
    expect(forced.hints[0]).toMatch(/^the dialect was given, so the guest's wasi-nn.dialect section is ignored: its wasi-nn.dialect custom section names "wasmtime"/);
  });

  it('says when a guest imports the other wasi-nn module than the dialect is served as', () => {
    expect(moduleMismatch(module(spec('wasi_nn')), chooseDialect(module(spec('wasi_nn')), 'witx'))).toBe(
      'it imports wasi_nn.load, but the witx dialect (as asked) is served as module wasi_ephemeral_nn',
    );
    expect(moduleMismatch(module(spec('wasi_nn')), chooseDialect(module(spec('wasi_nn'))))).toBeUndefined();
  });
});

describe('the driver builds', () => {
  it.each(DIALECT_NAMES.filter((d) => DIALECTS[d].layout !== 'component'))('%s.wasm names its dialect in its custom section, and without it its imports still point the right way', (dialect) => {
    const bytes = readFileSync(join(DRIVER_DIR, `${dialect}.wasm`));
    expect(sectionDialect(new WebAssembly.Module(bytes))).toBe(dialect);
    expect(chooseDialect(new WebAssembly.Module(bytes))).toMatchObject({ source: 'section', dialect: { name: dialect } });
    const bare = new WebAssembly.Module(withoutCustomSection(bytes, DIALECT_SECTION));
    expect(sectionDialect(bare)).toBeUndefined();
    // witx-2020, wamr and wamr-2.1 share their imports with witx: only the section (or a flag) tells them apart
    const byImports = ({ witx: 'witx', wasmedge: 'wasmedge', wamr: 'witx', 'wamr-2.1': 'witx', 'witx-2020': 'witx', 'wamr-legacy': 'wamr-legacy' } as Record<string, string>)[dialect];
    expect(chooseDialect(bare).dialect.name).toBe(byImports);
  });
});
