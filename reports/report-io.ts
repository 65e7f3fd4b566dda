/**
 * Builds, validates, reads and writes run reports. Every write and every read goes through the
 * JSON Schema (reports/schema/report.schema.json, ajv draft 2020-12); a bad file is an error
 * naming the file and the JSON pointer. Writes are atomic: a temp file beside the target, then
 * rename, so a reader never sees half a report.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { dirname, basename, join, relative, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { STATUSES, type Status } from '../harness/judge.js';
import type { CaseResult } from '../harness/run-case.js';
import type { TensorError } from '../harness/tensor-bytes.js';
import { REPO_ROOT, harnessVersion } from '../harness/repo-paths.js';
import type { ErrorValue, ExpectedFailure, Finding, Report, ReportResult, ReportRuntime, ReportTensorError, RunInfo, ShardInfo } from './report-types.js';

export const REPORT_SCHEMA_PATH = join(REPO_ROOT, 'reports', 'schema', 'report.schema.json');

/** Statuses that make a run (and a review) red. XPASS is red: an expectation went stale. */
export const RED_STATUSES: ReadonlySet<Status> = new Set<Status>(['FAIL', 'ERROR', 'TRAP', 'CRASH', 'TIMEOUT', 'XPASS']);

/**
 * Cases whose guest names a host path (or some other unregistered name) to load_by_name: a
 * `success` there means the runtime opened what the guest named — a security finding.
 */
export const HOST_PATH_CASE_PREFIXES: readonly string[] = [
  'abi.load_by_name.not_found.',
  'abi.load_by_name_with_config.unknown_name',
  'disagreements.06.relative_host_path',
  'disagreements.06.outside_sandbox',
];
const LOAD_BY_NAME_FNS: ReadonlySet<string> = new Set(['load_by_name', 'load_by_name_with_config']);

/**
 * Cases whose model reaches for a host file (suites/security): a `load` that succeeds there
 * means the runtime let the model read a file the guest was never granted.
 */
export const MODEL_FILE_ACCESS_PREFIX = 'security.model_file_access.';
const LOAD_FNS: ReadonlySet<string> = new Set(['load', 'load_by_name', 'load_by_name_with_config']);

/** Cases whose guest reads through a symlink out of its granted folder (suites/security): a read that succeeds is a finding. */
export const PREOPEN_ESCAPE_PREFIX = 'security.preopen_escape.';

export class ReportFileError extends Error {
  constructor(
    readonly file: string,
    readonly pointer: string,
    detail: string,
  ) {
    super(`${file}${pointer === '' ? '' : ` at ${pointer}`}: ${detail}`);
    this.name = 'ReportFileError';
  }
}

type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: unknown }[] | null };
let validator: Validator | undefined;

function reportValidator(): Validator {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    validator = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8'))) as Validator;
  }
  return validator;
}

function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The report format this harness writes; it reads every version from 1 up to it. */
export const REPORT_FORMAT_VERSION = 2;

/** A clear refusal for a file that is no report, or a report of a format this harness cannot read. */
function checkFormat(data: unknown, file: string): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ReportFileError(file, '', 'not a wasi-nn-conformance report (expected a JSON object)');
  const { format, format_version: version } = data as { format?: unknown; format_version?: unknown };
  if (format !== 'wasi-nn-conformance-report') throw new ReportFileError(file, '/format', `not a wasi-nn-conformance report (format is ${JSON.stringify(format)})`);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new ReportFileError(file, '/format_version', `unknown report format version ${JSON.stringify(version)}`);
  if (version > REPORT_FORMAT_VERSION) {
    throw new ReportFileError(file, '/format_version', `report format version ${version} is newer than this harness reads (1 to ${REPORT_FORMAT_VERSION}): upgrade wasi-nn-conformance (this is ${harnessVersion()})`);
  }
}

/** Throws ReportFileError (file + JSON pointer) unless data is a valid report. */
export function validateReport(data: unknown, file: string): asserts data is Report {
  checkFormat(data, file);
  const check = reportValidator();
  if (!check(data)) {
    const err = check.errors?.[0];
    throw new ReportFileError(file, err?.instancePath || '/', `${err?.message ?? 'invalid'}${err?.params ? ` ${JSON.stringify(err.params)}` : ''}`);
  }
  const report = data as Report;
  const sum = STATUSES.reduce((n, s) => n + report.counts[s], 0);
  if (sum !== report.results.length) throw new ReportFileError(file, '/counts', `the counts add up to ${sum}, but there are ${report.results.length} results`);
  for (const s of STATUSES) {
    const n = report.results.filter((r) => r.status === s).length;
    if (n !== report.counts[s]) throw new ReportFileError(file, `/counts/${s}`, `${report.counts[s]}, but ${n} results have status ${s}`);
  }
  const seen = new Set<string>();
  report.results.forEach((r, i) => {
    if (seen.has(r.id)) throw new ReportFileError(file, `/results/${i}/id`, `case ${r.id} appears twice`);
    seen.add(r.id);
  });
}

/** Reads and validates a report file. */
export function readReport(path: string): Report {
  const name = displayName(path);
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
  validateReport(data, name);
  return data;
}

/** Validates, then writes atomically (temp file in the same folder + rename). */
export function writeReport(path: string, report: Report): void {
  validateReport(report, `${displayName(path)} (about to be written)`);
  writeAtomically(path, `${JSON.stringify(report, null, 2)}\n`);
}

/** An output path that cannot be written: a directory, or a folder that cannot be made. */
export class OutputPathError extends Error {}

/**
 * Checks an output file path before a run spends time on it, and makes its missing folders:
 * a directory is refused with a clear message, never an EISDIR stack trace.
 */
export function prepareOutputPath(path: string): void {
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw new OutputPathError(`${path} is a directory: give a file path, e.g. ${join(path, 'report.json')}`);
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
  } catch (e) {
    throw new OutputPathError(`cannot create the folder of ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Writes text to path through a temp file in the same folder and a rename; makes missing folders. */
export function writeAtomically(path: string, text: string): void {
  prepareOutputPath(path);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Building a report from case results

/** A case result as the run loop has it, after expectations were applied. */
export type ReportableResult = CaseResult & { expected_failure?: ExpectedFailure };

export interface RunInfoInput {
  runtime: ReportRuntime;
  engines?: Record<string, string>;
  encodings?: readonly string[];
  suite_filter?: string;
  jobs?: number;
  planned_cases?: number;
  timeout_ms?: number;
  case_filter?: readonly string[];
  suite_dirs?: readonly string[];
  expectations?: string;
  shard?: ShardInfo;
  /** ISO time; default: when buildReport / the ReportWriter was first called */
  started_at?: string;
  finished_at?: string;
}

function errorValue(v: number): ErrorValue {
  return Number.isFinite(v) ? v : 'Infinity';
}

export function toReportTensorError(e: TensorError): ReportTensorError {
  return { max_abs: errorValue(e.maxAbs), max_rel: errorValue(e.maxRel), max_ulp: errorValue(e.maxUlp) };
}

/** "Infinity" back to a number, for comparisons. */
export function errorNumber(v: ErrorValue): number {
  return v === 'Infinity' ? Infinity : v;
}

export function toReportResult(r: ReportableResult): ReportResult {
  return {
    id: r.id,
    suite: r.suite,
    title: r.title,
    spec: r.spec,
    status: r.status,
    ...(r.message === undefined ? {} : { message: r.message }),
    checks: r.checks.map((c) => ({
      step: c.step,
      what: c.what,
      ok: c.ok,
      expected: c.expected,
      observed: c.observed,
      ...(c.error ? { tensor_error: toReportTensorError(c.error) } : {}),
    })),
    calls: r.calls.map((c) => ({ step: c.step, fn: c.fn, errno: c.errno, errno_name: c.errno_name })),
    ...(r.tensor_error ? { tensor_error: toReportTensorError(r.tensor_error) } : {}),
    duration_ms: Math.max(0, r.duration_ms),
    ...(r.expected_failure ? { expected_failure: { ...r.expected_failure } } : {}),
    ...(r.runtime_output && r.runtime_output.length > 0 ? { runtime_output: [...r.runtime_output] } : {}),
  };
}

export function countStatuses(results: readonly { status: Status }[]): Record<Status, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of results) counts[r.status]++;
  return counts;
}

/** Security and crash findings of a list of results. */
export function findingsOf(results: readonly ReportResult[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of results) {
    if (HOST_PATH_CASE_PREFIXES.some((p) => r.id.startsWith(p))) {
      for (const call of r.calls) {
        if (LOAD_BY_NAME_FNS.has(call.fn) && call.errno_name === 'success') {
          findings.push({ kind: 'security', case: r.id, detail: `step ${call.step} ${call.fn} of a name that is no registered graph (${r.title}) returned success: the runtime loaded what the guest named` });
        }
      }
    }
    if (r.id.startsWith(MODEL_FILE_ACCESS_PREFIX) && !r.id.endsWith('_control')) {
      for (const call of r.calls) {
        if (LOAD_FNS.has(call.fn) && call.errno_name === 'success') {
          findings.push({ kind: 'security', case: r.id, detail: `step ${call.step} ${call.fn} of a model that reads a host file (${r.title}) returned success: the runtime let the model reach the host's disk` });
        }
      }
    }
    if (r.id.startsWith(PREOPEN_ESCAPE_PREFIX)) {
      for (const c of r.checks) {
        if (c.what.startsWith('guest file') && c.expected === 'refused' && c.observed.startsWith('read ')) {
          findings.push({ kind: 'security', case: r.id, detail: `step ${c.step}: the guest read ${c.what.slice('guest file '.length)} (${c.observed}) through a symlink out of the folder it was granted: the runtime followed it out of the sandbox` });
        }
      }
    }
    const actual = r.expected_failure?.actual_status ?? r.status;
    if (actual === 'CRASH') findings.push({ kind: 'crash', case: r.id, detail: r.message ?? 'the runtime died' });
  }
  return findings;
}

interface GitInfo {
  commit: string | null;
  dirty?: boolean;
}
let gitInfo: GitInfo | undefined;

/** git rev-parse HEAD of the harness checkout, null when there is no git or no repository. */
export function harnessGit(): GitInfo {
  if (gitInfo) return gitInfo;
  const git = (args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  try {
    const commit = git(['rev-parse', 'HEAD']);
    if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new Error('no commit');
    let dirty: boolean | undefined;
    try {
      dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
    } catch {
      dirty = undefined;
    }
    gitInfo = { commit, ...(dirty === undefined ? {} : { dirty }) };
  } catch {
    gitInfo = { commit: null };
  }
  return gitInfo;
}

export function buildRunInfo(info: RunInfoInput, complete: boolean): RunInfo {
  const now = new Date().toISOString();
  return {
    harness: { version: harnessVersion(), ...harnessGit() },
    runtime: { ...info.runtime, ...(info.runtime.argv ? { argv: [...info.runtime.argv] } : {}) },
    engines: { ...(info.engines ?? {}) },
    encodings: [...(info.encodings ?? [])],
    host: { os: `${platform()} ${release()}`, arch: arch(), cpu: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, node: process.version },
    ...(info.suite_filter === undefined ? {} : { suite_filter: info.suite_filter }),
    ...(info.jobs === undefined ? {} : { jobs: info.jobs }),
    ...(info.planned_cases === undefined ? {} : { planned_cases: info.planned_cases }),
    started_at: info.started_at ?? now,
    finished_at: info.finished_at ?? now,
    complete,
    ...(info.timeout_ms === undefined ? {} : { timeout_ms: info.timeout_ms }),
    ...(info.case_filter === undefined ? {} : { case_filter: [...info.case_filter] }),
    ...(info.suite_dirs === undefined ? {} : { suite_dirs: [...info.suite_dirs] }),
    ...(info.expectations === undefined ? {} : { expectations: info.expectations }),
    ...(info.shard === undefined ? {} : { shard: { ...info.shard, positions: [...info.shard.positions] } }),
  };
}

/** A whole report from the results of a run (finished or not). */
export function buildReport(info: RunInfoInput, results: readonly ReportableResult[], complete = true): Report {
  const converted = results.map(toReportResult);
  return {
    format: 'wasi-nn-conformance-report',
    format_version: REPORT_FORMAT_VERSION,
    run_info: buildRunInfo(info, complete),
    counts: countStatuses(converted),
    results: converted,
    findings: findingsOf(converted),
  };
}

export interface ReportWriterOptions {
  /** rewrite the file after a case at most this often (ms); 0: after every case. Default 1000:
   * rewriting a growing file after every case is quadratic. */
  flushIntervalMs?: number;
  /** on SIGINT / SIGTERM and at process exit before finish(), write the cases so far
   * (complete:false); then die of the signal as if nobody had listened. Default true. */
  handleSignals?: boolean;
  /** case ids in planned order: results are kept in it (they may arrive out of order with --jobs) */
  order?: readonly string[];
}

let resultValidator: Validator | undefined;

/** Validates one result against #/$defs/result of the report schema. */
function validateResult(result: ReportResult, file: string, index: number): void {
  if (!resultValidator) {
    const ajv = new Ajv2020({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
    ajv.addSchema(JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')), 'report');
    resultValidator = ajv.compile({ $ref: 'report#/$defs/result' }) as Validator;
  }
  if (!resultValidator(result)) {
    const err = resultValidator.errors?.[0];
    throw new ReportFileError(file, `/results/${index}${err?.instancePath ?? ''}`, `${err?.message ?? 'invalid'}${err?.params ? ` ${JSON.stringify(err.params)}` : ''}`);
  }
}

/**
 * The report of a run in progress. The file exists and is valid from construction on, marked
 * complete:false and holding the cases finished so far: rewritten at most every
 * flushIntervalMs, and always on SIGINT / SIGTERM (Ctrl-C) and at process exit; finish()
 * writes it with complete:true. A signal is handled when the event loop turns, so a run loop
 * must yield to it between cases (`await new Promise(setImmediate)`) when its cases run
 * synchronously in process. Each result is validated and serialised once, when added; every
 * write validates the rest of the report (run info, counts, findings) and is atomic. With path
 * undefined nothing is written (the run wants the report for --json only).
 */
export class ReportWriter {
  private readonly entries: { result: ReportResult; json: string; rank: number }[] = [];
  private readonly info: RunInfoInput;
  private readonly flushIntervalMs: number;
  private readonly rank: Map<string, number> | undefined;
  private lastFlush = 0;
  private dirty = false;
  private finished: Report | undefined;
  private readonly listeners: [NodeJS.Signals | 'exit', () => void][] = [];

  constructor(
    readonly path: string | undefined,
    info: RunInfoInput,
    options: ReportWriterOptions = {},
  ) {
    this.info = { ...info, started_at: info.started_at ?? new Date().toISOString() };
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.rank = options.order ? new Map(options.order.map((id, i) => [id, i])) : undefined;
    if (this.path === undefined) return;
    this.flush();
    if (options.handleSignals ?? true) {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        const onSignal = () => {
          this.flush();
          this.detach();
          // nobody else handles it: die of the signal, as without a listener
          if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
        };
        process.on(signal, onSignal);
        this.listeners.push([signal, onSignal]);
      }
      const onExit = () => {
        if (this.dirty) this.flush();
      };
      process.on('exit', onExit);
      this.listeners.push(['exit', onExit]);
    }
  }

  /** Stops listening for signals and process exit (finish() does it too). */
  detach(): void {
    for (const [event, listener] of this.listeners.splice(0)) process.off(event, listener);
  }

  add(result: ReportableResult): void {
    if (this.finished) throw new Error(`report ${this.path ?? ''}: add() after finish()`);
    const converted = toReportResult(result);
    const name = this.path === undefined ? 'report' : displayName(this.path);
    validateResult(converted, name, this.entries.length);
    if (this.entries.some((e) => e.result.id === converted.id)) throw new ReportFileError(name, `/results/${this.entries.length}/id`, `case ${converted.id} added twice`);
    const rank = this.rank?.get(converted.id) ?? Number.MAX_SAFE_INTEGER;
    const entry = { result: converted, json: JSON.stringify(converted, null, 2).replace(/\n/g, '\n    '), rank };
    // keep planned order: insert after every entry of lower or equal rank
    let at = this.entries.length;
    while (at > 0 && (this.entries[at - 1] as { rank: number }).rank > rank) at--;
    this.entries.splice(at, 0, entry);
    this.dirty = true;
    if (Date.now() - this.lastFlush >= this.flushIntervalMs) this.flush();
  }

  /** The results so far, as a report with complete:false. */
  snapshot(): Report {
    return this.assemble(false);
  }

  /** Writes what there is now, with complete:false. */
  flush(): void {
    if (this.path === undefined || this.finished) return;
    const report = this.assemble(false);
    const name = displayName(this.path);
    validateReport({ ...report, results: [], counts: countStatuses([]) }, `${name} (about to be written)`);
    const head = JSON.stringify({ ...report, results: [] }, null, 2);
    const marker = '\n  "results": [],\n';
    const cut = head.indexOf(marker);
    if (cut < 0) throw new Error('report layout: no results key');
    const results = this.entries.length === 0 ? '[]' : `[\n    ${this.entries.map((e) => e.json).join(',\n    ')}\n  ]`;
    const text = `${head.slice(0, cut)}\n  "results": ${results},\n${head.slice(cut + marker.length)}\n`;
    writeAtomically(this.path, text);
    this.lastFlush = Date.now();
    this.dirty = false;
  }

  /** The final report, complete:true, validated whole and written to path. */
  finish(): Report {
    if (this.finished) return this.finished;
    const report = this.assemble(true);
    if (this.path !== undefined) writeReport(this.path, report);
    else validateReport(report, 'report');
    this.finished = report;
    this.detach();
    return report;
  }

  private assemble(complete: boolean): Report {
    const results = this.entries.map((e) => e.result);
    return {
      format: 'wasi-nn-conformance-report',
      format_version: REPORT_FORMAT_VERSION,
      run_info: buildRunInfo({ ...this.info, finished_at: new Date().toISOString() }, complete),
      counts: countStatuses(results),
      results,
      findings: findingsOf(results),
    };
  }
}
