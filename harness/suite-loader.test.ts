import { mkdirSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR, SUITES_DIR } from './repo-paths.js';
import { SuiteError, globToRegExp, loadSuites } from './suite-loader.js';

/** A suites dir holding the real schema and one case file with the given content. */
function suitesWith(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'suites-'));
  mkdirSync(join(dir, 'schema'));
  copyFileSync(join(SUITES_DIR, 'schema', 'case-file.schema.json'), join(dir, 'schema', 'case-file.schema.json'));
  mkdirSync(join(dir, 'x'));
  writeFileSync(join(dir, 'x', 'bad.json'), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function loadError(content: unknown): SuiteError {
  try {
    loadSuites({ suitesDir: suitesWith(content), fixturesDir: FIXTURES_DIR });
  } catch (e) {
    if (e instanceof SuiteError) return e;
    throw e;
  }
  throw new Error('expected a SuiteError');
}

const good = { id: 'x.one', title: 't', spec: 's', steps: [{ call: 'compute', args: { ctx: 0 }, expect: { errno: 'invalid_argument' } }] };

describe('loadSuites', () => {
  it('loads every committed suite', () => {
    const cases = loadSuites({ suitesDir: SUITES_DIR, fixturesDir: FIXTURES_DIR });
    expect([...new Set(cases.map((c) => c.suite))]).toEqual(expect.arrayContaining(['abi', 'onnx', 'bad_models', 'tflite', 'cross_encoding']));
  });

  it('names the file and the JSON pointer of a schema violation', () => {
    const e = loadError({ suite: 'x', cases: [good, { ...good, id: 'x.two', steps: [{ call: 'compute', expect: { errno: 'no_such_errno' } }] }] });
    expect(e.file).toMatch(/x\/bad\.json$/);
    expect(e.pointer).toBe('/cases/1/steps/0');
  });

  it('names the pointer of a compile error (a buffer used before it is defined)', () => {
    const e = loadError({ suite: 'x', cases: [{ ...good, steps: [{ call: 'set_input', args: { ctx: 0, index: 0, tensor: '@t' } }] }] });
    expect(e.pointer).toBe('/cases/0/steps/0/args/tensor');
    expect(e.message).toMatch(/names buffer t, which no earlier step defines/);
  });

  it('rejects a missing fixture, unknown parameters and invalid JSON', () => {
    expect(loadError({ suite: 'x', cases: [{ ...good, steps: [{ buffer: 'm', fixture: 'onnx/none.onnx' }] }] }).message).toMatch(/no fixture onnx\/none\.onnx/);
    expect(loadError({ suite: 'x', cases: [{ ...good, steps: [{ call: 'compute', args: { ctx: 0, graph: 1 } }] }] }).pointer).toBe('/cases/0/steps/0/args/graph');
    expect(loadError('{"suite": ').message).toMatch(/not valid JSON/);
  });

  it('accepts a case some dialects cannot express, and rejects one no dialect it may run under can', () => {
    const unloadCase = { ...good, steps: [{ call: 'unload', args: { graph: 0 }, expect: { errno: 'invalid_argument' } }] };
    const dir = suitesWith({ suite: 'x', cases: [unloadCase] });
    expect(loadSuites({ suitesDir: dir, fixturesDir: FIXTURES_DIR })).toHaveLength(1);
    const e = loadError({ suite: 'x', cases: [{ ...unloadCase, requires: { dialects: ['witx', 'wamr'] } }] });
    expect(e.pointer).toBe('/cases/0/steps/0/call');
    expect(e.message).toMatch(/case x\.one: no dialect it may run under can express it: witx: it calls unload, which the witx driver does not import .*; wamr: it calls unload/);
    expect(loadError({ suite: 'x', cases: [{ ...good, requires: { dialects: ['wasmtime'] } }] }).pointer).toBe('/cases/0/requires/dialects/0');
  });

  it('rejects duplicate case ids', () => {
    expect(loadError({ suite: 'x', cases: [good, good] }).message).toMatch(/case id x\.one is also used/);
  });
});

describe('globToRegExp', () => {
  it('matches * within a segment and ** across segments', () => {
    expect(globToRegExp('abi/*').test('abi/load.json')).toBe(true);
    expect(globToRegExp('abi/*').test('abi/x/load.json')).toBe(false);
    expect(globToRegExp('**/load*').test('abi/x/load.json')).toBe(true);
  });
});
