/**
 * Parses what a driver guest printed into step observations. The harness gives each run a
 * random token (argv[2] of the driver) and the driver frames every record as
 *   wasi-nn-obs TOKEN LENGTH JSON
 * on a line of its own (guests/README.md). Only such records are observations; everything else
 * on stdout is the runtime's own output (log lines, banners, memory garbage), kept apart and never
 * blamed on the guest. A record whose length does not match was broken by output written into
 * it. Without a token (a driver run by hand) every line is taken as one JSON record.
 */

export interface StepLine {
  step: number;
  op?: string;
  fn?: string;
  errno?: number;
  hex?: string;
  error?: string;
  [key: string]: unknown;
}

export interface Observations {
  /** by script step number */
  steps: Map<number, StepLine>;
  done: boolean;
  /** records of the guest that are not JSON objects of the driver's shape (a guest bug) */
  garbage: string[];
  /** framed records whose length or JSON was broken by other output (framed runs only) */
  corrupt: string[];
  /** stdout text that is not the guest's (framed runs only): the runtime's own lines */
  runtimeOutput: string[];
  /** a script error the driver reported, if any */
  scriptError?: StepLine;
  /** script steps with more than one record (the driver prints one per line: the first is kept) */
  repeated: number[];
}

export const RECORD_TAG = 'wasi-nn-obs';

/**
 * Adds one JSON record of the guest to the observations. A framed record that is no JSON at all
 * was broken by other output (the driver writes every record whole, as valid JSON).
 */
function addRecord(obs: Observations, text: string, framed: boolean): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    (framed ? obs.corrupt : obs.garbage).push(text);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    obs.garbage.push(text);
    return;
  }
  const record = value as Record<string, unknown>;
  if (record.done === true) {
    obs.done = true;
    return;
  }
  if (typeof record.step !== 'number') {
    obs.garbage.push(text);
    return;
  }
  const step = record as StepLine;
  if (typeof step.error === 'string' && step.op === undefined) obs.scriptError = step;
  if (obs.steps.has(step.step)) {
    obs.repeated.push(step.step);
    return;
  }
  obs.steps.set(step.step, step);
}

/** One framed line: the runtime text around the record, and the record (or why it is broken). */
function splitFramed(line: string, marker: string): { before: string; record?: string; broken?: string; after: string } {
  const at = line.indexOf(marker);
  const before = line.slice(0, at);
  const rest = line.slice(at + marker.length);
  const m = /^(\d{1,9}) /.exec(rest);
  if (!m) return { before, broken: line.slice(at), after: '' };
  const length = Number(m[1]);
  const body = rest.slice(m[0].length);
  if (body.length < length) return { before, broken: line.slice(at), after: '' };
  return { before, record: body.slice(0, length), after: body.slice(length) };
}

export function parseObservations(stdout: string, token?: string): Observations {
  const obs: Observations = { steps: new Map(), done: false, garbage: [], corrupt: [], runtimeOutput: [], repeated: [] };
  const marker = token === undefined ? undefined : `${RECORD_TAG} ${token} `;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (marker === undefined) {
      addRecord(obs, line.trim(), false);
      continue;
    }
    if (!line.includes(marker)) {
      obs.runtimeOutput.push(line);
      continue;
    }
    const part = splitFramed(line, marker);
    if (part.before.trim() !== '') obs.runtimeOutput.push(part.before);
    if (part.broken !== undefined) obs.corrupt.push(part.broken);
    else addRecord(obs, part.record as string, true);
    if (part.after.trim() !== '') {
      // text glued after a complete record: the runtime wrote without a newline of its own
      obs.runtimeOutput.push(part.after);
    }
  }
  return obs;
}
