/**
 * The judge: compiled checks + what the guest printed + how the run ended → a case result.
 * Guests observe; only this module decides PASS or FAIL.
 */
import { errnoName, type Dialect } from '../reference-host/abi/dialects.js';
import type { Check, CompiledCase } from './compile.js';
import { SENTINEL_FILL } from './compile.js';
import { parseObservations, type StepLine } from './observations.js';
import { compareTensor, type TensorError } from './tensor-bytes.js';

export const STATUSES = ['PASS', 'FAIL', 'UNSUPPORTED', 'ERROR', 'TRAP', 'CRASH', 'TIMEOUT', 'XFAIL', 'XPASS'] as const;
export type Status = (typeof STATUSES)[number];

/** How a guest run ended, as the runtime adapter saw it. */
export interface RunOutcome {
  exitCode: number | null;
  signal?: string | null;
  stdout: string;
  stderr: string;
  /** the runtime reported a wasm trap */
  trap?: string;
  timedOut?: boolean;
  /** the run could not start (bad guest, missing runtime, ...) */
  startError?: string;
  /** the runtime itself failed in a way its adapter recognised (a Rust panic, exit 101): a CRASH whatever the guest printed */
  crash?: string;
  /** the reference host reported a call that failed inside it for a reason of its own (a host bug): an ERROR whatever errno the case accepts */
  hostBug?: string;
}

export interface CheckOutcome {
  /** index of the case step */
  step: number;
  what: string;
  ok: boolean;
  expected: string;
  observed: string;
  error?: TensorError;
}

export interface StepObservation {
  /** the index of the case step that made the call (`/steps/N` of the case) */
  step: number;
  fn: string;
  errno: number;
  errno_name: string;
}

export interface CaseVerdict {
  status: Status;
  message?: string;
  checks: CheckOutcome[];
  calls: StepObservation[];
  /** the largest tensor error measured over every output check, also on PASS */
  tensor_error?: TensorError;
  /** what the runtime printed on stdout besides the guest's records (first lines, capped) */
  runtime_output?: string[];
}

/** Runtime output kept in a result: at most this many lines of at most this many characters. */
export const RUNTIME_OUTPUT_LINES = 20;
export const RUNTIME_OUTPUT_LINE_CHARS = 500;

const fillU32 = (SENTINEL_FILL * 0x01010101) >>> 0;

function u32OfHex(hex: string | undefined): number | undefined {
  if (!hex || hex.length < 8) return undefined;
  return Buffer.from(hex.slice(0, 8), 'hex').readUInt32LE(0);
}

function evaluate(check: Check, line: StepLine, all: Map<number, StepLine>, dialect: Dialect): CheckOutcome {
  const base = { step: check.step };
  switch (check.kind) {
    case 'errno': {
      const code = line.errno;
      const name = code === undefined ? 'no errno' : (errnoName(dialect, code) ?? `unknown errno ${code}`);
      return { ...base, what: `${check.fn} errno`, ok: check.allowed.includes(name as never), expected: check.allowed.join(' | '), observed: code === undefined ? name : `${name} (${code})` };
    }
    case 'result': {
      const v = u32OfHex(line.hex);
      // what the buffer held before the call: the sentinel, or (wamr-legacy get_output) the in/out size preset
      const initial = check.initialLine === undefined ? fillU32 : u32OfHex(all.get(check.initialLine)?.hex);
      const observed = v === undefined ? 'nothing' : v === initial ? 'unchanged' : String(v);
      const ok = check.expect === 'unchanged' ? v !== undefined && v === initial : check.expect === 'written' ? v !== undefined && v !== initial : v === check.expect;
      return { ...base, what: 'result pointer', ok, expected: String(check.expect), observed };
    }
    case 'same-as':
    case 'different-from': {
      const v = u32OfHex(line.hex);
      const other = u32OfHex(all.get(check.otherLine)?.hex);
      const same = v !== undefined && v === other;
      return { ...base, what: `result ${check.kind} ${check.other}`, ok: check.kind === 'same-as' ? same : !same && v !== undefined, expected: `${check.kind} ${other}`, observed: String(v) };
    }
    case 'output-unchanged': {
      const hex = line.hex ?? '';
      const ok = hex === 'aa'.repeat(check.size);
      return { ...base, what: 'output buffer', ok, expected: 'unchanged', observed: ok ? 'unchanged' : `changed: ${hex.slice(0, 64)}` };
    }
    case 'output-tensor': {
      const written = u32OfHex(all.get(check.writtenLine ?? -1)?.hex);
      const expectedBytes = check.tensor.bytes;
      const observedBytes = Buffer.from(line.hex ?? '', 'hex');
      // the written count is in bytes, or (wamr-legacy get_output) in 4-byte elements
      const unit = check.writtenUnit ?? 1;
      if (written !== undefined && written * unit !== expectedBytes.byteLength) {
        const what = unit === 1 ? 'output bytes written' : `output elements written (${unit}-byte)`;
        return { ...base, what, ok: false, expected: String(expectedBytes.byteLength / unit), observed: String(written) };
      }
      if (observedBytes.byteLength < expectedBytes.byteLength) {
        return { ...base, what: 'output tensor', ok: false, expected: `${expectedBytes.byteLength} bytes`, observed: `${observedBytes.byteLength} bytes` };
      }
      // the rest of the caller's buffer must be as it was: a host writing past the tensor overwrites guest memory
      const past = observedBytes.subarray(expectedBytes.byteLength).findIndex((b) => b !== SENTINEL_FILL);
      if (past >= 0) {
        const at = expectedBytes.byteLength + past;
        return { ...base, what: 'output buffer past the tensor', ok: false, expected: `bytes ${expectedBytes.byteLength}.. unchanged`, observed: `byte ${at} written (${(observedBytes[at] as number).toString(16).padStart(2, '0')})` };
      }
      const cmp = compareTensor(check.tensor.type, expectedBytes, observedBytes.subarray(0, expectedBytes.byteLength), check.tolerance);
      const mismatch = cmp.firstMismatch;
      return {
        ...base,
        what: `output tensor ${check.tensor.type}[${check.tensor.dims.join(',')}]`,
        ok: cmp.ok,
        expected: mismatch ? `[${mismatch.index}] = ${mismatch.expected}` : 'within tolerance',
        observed: mismatch ? `[${mismatch.index}] = ${mismatch.observed}` : `max abs ${cmp.error.maxAbs}, max ulp ${cmp.error.maxUlp}`,
        error: cmp.error,
      };
    }
    case 'guest-file': {
      const refused = typeof line.error === 'string';
      const observed = refused ? `refused: ${line.error}` : `read ${String(line.size)} bytes`;
      return { ...base, what: `guest file ${check.path}`, ok: refused !== check.readable, expected: check.readable ? 'readable' : 'refused', observed };
    }
    case 'trap': {
      // the call returned, so it did not trap
      const code = line.errno;
      return { ...base, what: `${check.fn} trap`, ok: false, expected: 'a trap', observed: code === undefined ? 'it returned' : `it returned ${errnoName(dialect, code) ?? code} (${code})` };
    }
    case 'error-data': {
      const data = line.error_data;
      const ok = typeof data === 'string' && data.length > 0;
      return { ...base, what: 'error.data()', ok, expected: 'a message', observed: typeof data === 'string' ? JSON.stringify(data.slice(0, 200)) : 'none' };
    }
    case 'names': {
      const outputs = Array.isArray(line.outputs) ? (line.outputs as unknown[]) : [];
      const names = outputs.map((o) => (Array.isArray(o) ? String(o[0]) : '?'));
      const ok = names.length === check.names.length && names.every((n, i) => n === check.names[i]);
      return { ...base, what: 'output names', ok, expected: JSON.stringify(check.names), observed: JSON.stringify(names) };
    }
    case 'output-text': {
      const written = u32OfHex(all.get(check.writtenLine ?? -1)?.hex);
      const bytes = Buffer.from(line.hex ?? '', 'hex');
      const text = bytes.subarray(0, written ?? bytes.byteLength).toString('utf8');
      return { ...base, what: 'output text', ok: text === check.text, expected: JSON.stringify(check.text), observed: JSON.stringify(text) };
    }
  }
}

function mergeError(a: TensorError | undefined, b: TensorError): TensorError {
  if (!a) return { ...b };
  return { maxAbs: Math.max(a.maxAbs, b.maxAbs), maxRel: Math.max(a.maxRel, b.maxRel), maxUlp: Math.max(a.maxUlp, b.maxUlp) };
}

export function judge(compiled: CompiledCase, outcome: RunOutcome, dialect: Dialect, token?: string): CaseVerdict {
  if (outcome.startError) return { status: 'ERROR', message: outcome.startError, checks: [], calls: [] };
  const obs = parseObservations(outcome.stdout, token);
  const caseStep = (line: number) => compiled.lineSteps[line - 1] ?? line;
  const calls: StepObservation[] = [];
  for (const line of obs.steps.values()) {
    if (line.op === 'call' && typeof line.fn === 'string' && typeof line.errno === 'number') {
      calls.push({ step: caseStep(line.step), fn: line.fn, errno: line.errno, errno_name: errnoName(dialect, line.errno) ?? 'unknown' });
    }
  }
  const runtimeOutput = obs.runtimeOutput.slice(0, RUNTIME_OUTPUT_LINES).map((l) => (l.length > RUNTIME_OUTPUT_LINE_CHARS ? `${l.slice(0, RUNTIME_OUTPUT_LINE_CHARS)}…` : l));
  const extra = runtimeOutput.length > 0 ? { runtime_output: runtimeOutput } : {};
  if (obs.scriptError) {
    return { status: 'ERROR', message: `the driver rejected script line ${obs.scriptError.step} (case step ${caseStep(obs.scriptError.step)}): ${obs.scriptError.error}`, checks: [], calls, ...extra };
  }
  const checks: CheckOutcome[] = [];
  let tensorError: TensorError | undefined;
  let unreached: Check | undefined;
  let refused: CheckOutcome | undefined;
  for (const check of compiled.checks) {
    const line = obs.steps.get(check.line);
    if (!line) {
      unreached = check;
      break;
    }
    const result = evaluate(check, line, obs.steps, dialect);
    if (result.error) tensorError = mergeError(tensorError, result.error);
    if (check.kind === 'errno' && check.refusal !== undefined && !result.ok && line.errno !== undefined && errnoName(dialect, line.errno) === check.refusal) {
      // the refusal the case accepts in place of the right answer: nothing after this call is judged
      refused = { ...result, ok: true, expected: `${result.expected} (or the refusal ${check.refusal})` };
      checks.push(refused);
      break;
    }
    checks.push(result);
  }
  const verdict = (status: Status, message?: string): CaseVerdict => ({
    status,
    ...(message === undefined ? {} : { message }),
    checks,
    calls,
    ...(tensorError ? { tensor_error: tensorError } : {}),
    ...extra,
  });
  const failed = checks.filter((c) => !c.ok);
  const where = unreached ? ` before step ${unreached.step} (${describeStep(compiled, unreached)})` : '';
  if (outcome.hostBug) return verdict('ERROR', `the reference host failed inside a call (${outcome.hostBug}): the guest saw runtime_error, but a host bug never passes a case`);
  if (refused) {
    // the case ended at the refusal: what the guest's later calls (on a handle it never got) did, a trap or a crash included, is no part of it
    if (failed.length > 0) return verdict('FAIL', failed.map((c) => `step ${c.step} ${c.what}: expected ${c.expected}, observed ${c.observed}`).join('; '));
    return verdict('PASS', `step ${refused.step} refused (${refused.observed}), which the case accepts in place of the right answer; nothing after it was judged`);
  }
  if (outcome.crash && !outcome.timedOut) return verdict('CRASH', `${outcome.crash}${where}`);
  if (!obs.done && unreached?.kind === 'trap' && outcome.trap && !outcome.timedOut) {
    // the trap the case expects, at the step it expects it: every check before it decides
    if (failed.length > 0) return verdict('FAIL', failed.map((c) => `step ${c.step} ${c.what}: expected ${c.expected}, observed ${c.observed}`).join('; '));
    checks.push({ step: unreached.step, what: `${unreached.fn} trap`, ok: true, expected: 'a trap', observed: outcome.trap });
    return verdict('PASS');
  }
  if (!obs.done) {
    if (outcome.timedOut) return verdict('TIMEOUT', `the guest did not finish in time${where}`);
    if (outcome.trap) return verdict('TRAP', `${outcome.trap}${where}`);
    if (outcome.signal) return verdict('CRASH', `the runtime died of ${outcome.signal}${where}`);
    if (outcome.exitCode === 0 && obs.steps.size === 0 && obs.corrupt.length === 0) {
      // nothing of the guest's at all, yet a clean exit: the runtime did not run it as asked
      return verdict('ERROR', `the runtime exited 0 but the guest printed no record${firstRuntimeLine(obs.runtimeOutput)}${tail(outcome.stderr)}`);
    }
    return verdict('CRASH', `the guest stopped without its done line (exit ${outcome.exitCode})${where}${tail(outcome.stderr)}`);
  }
  if (obs.corrupt.length > 0) {
    return verdict('ERROR', `${obs.corrupt.length} record(s) of the guest were broken by other output written into them (the runtime's, not the guest's), first: ${obs.corrupt[0]?.slice(0, 200)}`);
  }
  if (obs.garbage.length > 0) return verdict('ERROR', `the guest printed ${obs.garbage.length} unexpected line(s), first: ${obs.garbage[0]?.slice(0, 200)}`);
  if (obs.repeated.length > 0) {
    const first = obs.repeated[0] as number;
    return verdict('ERROR', `the guest printed ${obs.repeated.length} record(s) twice for one script line, first line ${first} (case step ${caseStep(first)}): a record cannot be told from its copy`);
  }
  if (unreached) {
    return verdict('ERROR', `the guest printed its done line without the record of step ${unreached.step} (${describeStep(compiled, unreached)})`);
  }
  if (failed.length > 0) {
    return verdict('FAIL', failed.map((c) => `step ${c.step} ${c.what}: expected ${c.expected}, observed ${c.observed}`).join('; '));
  }
  if (outcome.exitCode !== 0) return verdict('FAIL', `the guest finished but exited ${outcome.exitCode}${tail(outcome.stderr)}`);
  return verdict('PASS');
}

function firstRuntimeLine(lines: readonly string[]): string {
  return lines.length > 0 ? `; the runtime printed: ${(lines[0] as string).slice(0, 200)}` : '';
}

function describeStep(compiled: CompiledCase, check: Check): string {
  return check.kind === 'errno' || check.kind === 'trap' ? check.fn : check.kind === 'guest-file' ? `read ${check.path}` : check.kind;
}

function tail(stderr: string): string {
  const t = stderr.trim();
  return t ? `; stderr: ${t.slice(-300)}` : '';
}
