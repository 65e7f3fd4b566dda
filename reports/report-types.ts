/**
 * TypeScript shapes of a run report and of an expectation file. The schemas in reports/schema/
 * are the authority; these types follow them.
 */
import type { Status } from '../harness/judge.js';

export type { Status };

/** A measured error; "Infinity" where JSON cannot hold the value. */
export type ErrorValue = number | 'Infinity';

export interface ReportTensorError {
  max_abs: ErrorValue;
  max_rel: ErrorValue;
  max_ulp: ErrorValue;
}

export interface ReportRuntime {
  name: string;
  version: string;
  dialect: string;
  path?: string;
  /** format 2: how the binary was built (run --runtime-build) */
  build?: string;
  argv?: string[];
}

export interface RunInfo {
  harness: { version: string; commit: string | null; dirty?: boolean };
  runtime: ReportRuntime;
  engines: Record<string, string>;
  encodings: string[];
  host: { os: string; arch: string; cpu: string; cpus: number; node: string };
  suite_filter?: string;
  jobs?: number;
  planned_cases?: number;
  started_at: string;
  finished_at: string;
  complete: boolean;
  /** since format 2 */
  timeout_ms?: number;
  case_filter?: string[];
  suite_dirs?: string[];
  expectations?: string;
  shard?: ShardInfo;
  merged_from?: RunInfo[];
}

/** Which part of a sharded run a report holds (run --shard K/N). */
export interface ShardInfo {
  index: number;
  total: number;
  /** cases in the whole selection, over all shards */
  plan_size: number;
  /** positions of this shard's planned cases in the whole selection */
  positions: number[];
}

export interface ReportCheck {
  step: number;
  what: string;
  ok: boolean;
  expected: string;
  observed: string;
  tensor_error?: ReportTensorError;
}

export interface ReportCall {
  step: number;
  fn: string;
  errno: number;
  errno_name: string;
}

export interface ExpectedFailure {
  reason: string;
  issue?: string;
  actual_status: Status;
}

export interface ReportResult {
  id: string;
  suite: string;
  title: string;
  spec: string;
  status: Status;
  message?: string;
  checks: ReportCheck[];
  calls: ReportCall[];
  tensor_error?: ReportTensorError;
  duration_ms: number;
  expected_failure?: ExpectedFailure;
  /** format 2: the runtime's own stdout lines, apart from the guest's records */
  runtime_output?: string[];
}

export interface Finding {
  kind: 'security' | 'crash';
  case: string;
  detail: string;
}

export interface Report {
  format: 'wasi-nn-conformance-report';
  /** the version this harness writes is REPORT_FORMAT_VERSION; it reads every version up to it */
  format_version: 1 | 2;
  run_info: RunInfo;
  counts: Record<Status, number>;
  results: ReportResult[];
  findings: Finding[];
}

export interface Expectation {
  id: string;
  reason: string;
  /** how the failure is known: measured on a real binary (the default), or read from the runtime's source */
  evidence?: 'measured' | 'read-from-source';
  issue?: string;
  dialects?: string[];
  /** only on hosts whose CPU reports any of these /proc/cpuinfo flags (a failure the host's CPU decides) */
  cpu_flags?: string[];
  statuses?: Status[];
}

export interface ExpectationFile {
  runtime: string;
  expectations: Expectation[];
}
