/**
 * Loads suite case files: JSON Schema validation (ajv, draft 2020-12) and then compilation of
 * every case, so a bad file is an error naming the file and the JSON pointer before anything runs.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Case, CaseFile, LoadedCase } from './case-types.js';
import { CompileError, DialectUnsupported, compileCase } from './compile.js';
import { DIALECT_NAMES } from '../reference-host/abi/dialects.js';

export class SuiteError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    detail: string,
  ) {
    super(`${file}${pointer ? ` at ${pointer}` : ''}: ${detail}`);
    this.name = 'SuiteError';
  }
}

let validator: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: unknown }[] | null } | undefined;

function validate(schemaPath: string) {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  }
  return validator;
}

export interface LoadOptions {
  suitesDir: string;
  fixturesDir: string;
  /** only files whose path relative to suitesDir matches (a glob with * and **) */
  filter?: string;
  /** the case-file schema; default: suitesDir/schema/case-file.schema.json (a user's suite folder has none) */
  schemaPath?: string;
}

/** The built-in case-file schema, also used for suite folders a user brings. */
export function caseFileSchemaPath(builtinSuitesDir: string): string {
  return join(builtinSuitesDir, 'schema', 'case-file.schema.json');
}

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function caseFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'schema' && entry !== 'gen') out.push(...caseFiles(path));
    } else if (entry.endsWith('.json')) out.push(path);
  }
  return out;
}

/** Parses and validates one case file; throws SuiteError naming the file and pointer. */
export function loadCaseFile(path: string, options: LoadOptions): LoadedCase[] {
  const name = relative(process.cwd(), path) || basename(path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SuiteError(name, '', `not valid JSON: ${(e as Error).message}`);
  }
  const check = validate(options.schemaPath ?? caseFileSchemaPath(options.suitesDir));
  if (!check(data)) {
    const err = check.errors?.[0];
    throw new SuiteError(name, err?.instancePath ?? '', `${err?.message ?? 'invalid'}${err?.params ? ` ${JSON.stringify(err.params)}` : ''}`);
  }
  const file = data as CaseFile;
  return file.cases.map((c: Case, i) => {
    const pointer = `/cases/${i}`;
    // a dialect that cannot express the case makes it UNSUPPORTED there; one that expresses it nowhere is a mistake
    const unsupported: DialectUnsupported[] = [];
    const dialects = c.requires?.dialects ?? DIALECT_NAMES;
    for (const dialect of dialects) {
      try {
        compileCase(c, { fixturesDir: options.fixturesDir, dialect: dialect as (typeof DIALECT_NAMES)[number] });
      } catch (e) {
        if (e instanceof CompileError) throw new SuiteError(name, `${pointer}${e.pointer}`, `case ${c.id}: ${e.message}`);
        if (e instanceof DialectUnsupported) unsupported.push(e);
        else throw e;
      }
    }
    if (unsupported.length === dialects.length && unsupported[0]) {
      throw new SuiteError(name, `${pointer}${unsupported[0].pointer}`, `case ${c.id}: no dialect it may run under can express it: ${unsupported.map((u) => `${u.dialect}: ${u.reason}`).join('; ')}`);
    }
    return { suite: file.suite, file: name, pointer, case: c };
  });
}

export function loadSuites(options: LoadOptions): LoadedCase[] {
  const filter = options.filter ? globToRegExp(options.filter) : undefined;
  let all: string[];
  try {
    if (!statSync(options.suitesDir).isDirectory()) throw new Error('not a directory');
    all = caseFiles(options.suitesDir);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new SuiteError(relative(process.cwd(), options.suitesDir) || options.suitesDir, '', `cannot read the suite folder: ${why}`);
  }
  const files = all.filter((f) => {
    if (!filter) return true;
    const rel = relative(options.suitesDir, f);
    return filter.test(rel) || filter.test(rel.replace(/\.json$/, '')) || filter.test(rel.split('/')[0] as string);
  });
  return uniqueIds(files.flatMap((f) => loadCaseFile(f, options)));
}

/** Throws SuiteError when two cases share an id (also across suite folders). */
function uniqueIds(cases: LoadedCase[]): LoadedCase[] {
  const seen = new Map<string, LoadedCase>();
  for (const c of cases) {
    const before = seen.get(c.case.id);
    if (before) throw new SuiteError(c.file, `${c.pointer}/id`, `case id ${c.case.id} is also used in ${before.file} at ${before.pointer}`);
    seen.set(c.case.id, c);
  }
  return cases;
}

export interface SelectOptions {
  /** the harness's own suites/ (its schema validates every folder) */
  builtinSuitesDir: string;
  fixturesDir: string;
  /** extra suite folders a user brings, in order after the built-in ones */
  extraSuiteDirs?: readonly string[];
  /** leave the built-in suites out (only extraSuiteDirs) */
  builtin?: boolean;
  /** file / suite glob (see LoadOptions.filter), applied in every folder */
  filter?: string;
  /** case-id globs (`*` any run of characters but `/`, `**` any); a case matching one of them is kept */
  caseGlobs?: readonly string[];
}

/** Every case of the selected suite folders, filtered by file and by case id; ids unique across folders. */
export function selectCases(options: SelectOptions): LoadedCase[] {
  const schemaPath = caseFileSchemaPath(options.builtinSuitesDir);
  const dirs = [...(options.builtin === false ? [] : [options.builtinSuitesDir]), ...(options.extraSuiteDirs ?? [])];
  const cases = uniqueIds(dirs.flatMap((dir) => loadSuites({ suitesDir: dir, fixturesDir: options.fixturesDir, schemaPath, ...(options.filter ? { filter: options.filter } : {}) })));
  if (!options.caseGlobs || options.caseGlobs.length === 0) return cases;
  const globs = options.caseGlobs.map(globToRegExp);
  return cases.filter((c) => globs.some((g) => g.test(c.case.id)));
}
