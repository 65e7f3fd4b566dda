/**
 * Per-runtime expected failures: reports/expectations/<runtime>.json (schema:
 * reports/schema/expectations.schema.json). A listed case that fails becomes XFAIL (with the
 * reason and the real status kept in expected_failure); one that passes becomes XPASS, which is
 * red: the expectation is stale and must go.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Status } from '../harness/judge.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { ReportFileError, type ReportableResult } from './report-io.js';
import type { Expectation, ExpectationFile } from './report-types.js';

export const EXPECTATIONS_DIR = join(REPO_ROOT, 'reports', 'expectations');
export const EXPECTATIONS_SCHEMA_PATH = join(REPO_ROOT, 'reports', 'schema', 'expectations.schema.json');

/** Statuses an expectation turns into XFAIL unless it names its own. */
export const EXPECTABLE_FAILURES: readonly Status[] = ['FAIL', 'ERROR', 'TRAP', 'CRASH', 'TIMEOUT'];

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: unknown }[] | null };
let validator: Validator | undefined;

export function validateExpectations(data: unknown, file: string): asserts data is ExpectationFile {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(EXPECTATIONS_SCHEMA_PATH, 'utf8'))) as Validator;
  }
  if (!validator(data)) {
    const err = validator.errors?.[0];
    throw new ReportFileError(file, err?.instancePath || '/', `${err?.message ?? 'invalid'}${err?.params ? ` ${JSON.stringify(err.params)}` : ''}`);
  }
  const seen = new Set<string>();
  (data as ExpectationFile).expectations.forEach((e, i) => {
    const key = `${e.id} ${(e.dialects ?? []).join(',')} ${(e.cpu_flags ?? []).join(',')}`;
    if (seen.has(key)) throw new ReportFileError(file, `/expectations/${i}/id`, `${e.id} is listed twice`);
    seen.add(key);
  });
}

/** An expectation file as loaded, with the path it came from (for messages and run_info). */
export type LoadedExpectations = ExpectationFile & { path?: string };

/** The built-in expectations of one runtime (reports/expectations/<runtime>.json); none when it has no file. */
export function loadExpectations(runtime: string, dir: string = EXPECTATIONS_DIR): LoadedExpectations {
  const path = join(dir, `${runtime}.json`);
  if (!existsSync(path)) return { runtime, expectations: [] };
  return loadExpectationFile(path, runtime);
}

/**
 * A runtime maintainer's own expectation file (`run --expectations FILE`), same schema as the
 * built-in ones; its `runtime` must name the runtime of the run, so a wasmtime list is never
 * applied to WAMR by mistake.
 */
export function loadExpectationFile(path: string, runtime: string): LoadedExpectations {
  const rel = relative(process.cwd(), path);
  const name = rel && !rel.startsWith('..') ? rel : path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ReportFileError(name, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ReportFileError(name, '', `not valid JSON: ${(e as Error).message}`);
  }
  validateExpectations(data, name);
  if (data.runtime !== runtime) throw new ReportFileError(name, '/runtime', `names runtime ${data.runtime}, but this run is on ${runtime}`);
  return { ...data, path: name };
}

function matches(pattern: string, id: string): boolean {
  if (!pattern.includes('*')) return pattern === id;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(id);
}

let cpuFlags: ReadonlySet<string> | undefined;
/** The flags /proc/cpuinfo reports for this host's CPU (none where there is no procfs). */
export function hostCpuFlags(): ReadonlySet<string> {
  if (!cpuFlags) {
    let text = '';
    try {
      text = readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      // not Linux: no flags, so cpu_flags expectations never apply
    }
    cpuFlags = new Set(/^flags\s*:(.*)$/m.exec(text)?.[1]?.trim().split(/\s+/) ?? []);
  }
  return cpuFlags;
}

/** Whether an expectation applies on this host and under this dialect. */
function applies(e: Expectation, dialect: string, flags: ReadonlySet<string>): boolean {
  return (!e.dialects || e.dialects.includes(dialect)) && (!e.cpu_flags || e.cpu_flags.some((f) => flags.has(f)));
}

/** The expectation for a case under a dialect on a host with `flags`: an exact id wins over a pattern. */
export function expectationFor(file: ExpectationFile, id: string, dialect: string, flags: ReadonlySet<string> = hostCpuFlags()): Expectation | undefined {
  const applicable = file.expectations.filter((e) => applies(e, dialect, flags) && matches(e.id, id));
  return applicable.find((e) => e.id === id) ?? applicable[0];
}

/** XFAIL / XPASS per the expectation file; other results come back unchanged. */
export function applyExpectations<R extends ReportableResult>(result: R, file: LoadedExpectations, dialect: string, flags: ReadonlySet<string> = hostCpuFlags()): R {
  const e = expectationFor(file, result.id, dialect, flags);
  if (!e) return result;
  const expected = { reason: e.reason, ...(e.issue ? { issue: e.issue } : {}), actual_status: result.status };
  if (result.status === 'PASS') {
    return { ...result, status: 'XPASS', message: `expected to fail (${e.reason}) but passed: remove it from ${file.path ?? `reports/expectations/${file.runtime}.json`}`, expected_failure: expected };
  }
  if ((e.statuses ?? EXPECTABLE_FAILURES).includes(result.status)) {
    return { ...result, status: 'XFAIL', message: `${result.status}: ${result.message ?? ''} [expected: ${e.reason}${e.issue ? ` ${e.issue}` : ''}]`, expected_failure: expected };
  }
  if (EXPECTABLE_FAILURES.includes(result.status)) {
    return { ...result, message: `${result.message ?? ''} [expected ${(e.statuses ?? []).join(' or ')}, not ${result.status}]` };
  }
  return result;
}

/** Expectations that matched none of the given case ids (stale entries, typos). */
export function unmatchedExpectations(file: ExpectationFile, ids: readonly string[], dialect: string, flags: ReadonlySet<string> = hostCpuFlags()): Expectation[] {
  return file.expectations.filter((e) => applies(e, dialect, flags) && !ids.some((id) => matches(e.id, id)));
}
