/** Parses what a driver guest printed into step observations (one JSON object per line). */

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
  /** lines that were not JSON objects of the driver's shape */
  garbage: string[];
  /** a script error the driver reported, if any */
  scriptError?: StepLine;
}

export function parseObservations(stdout: string): Observations {
  const obs: Observations = { steps: new Map(), done: false, garbage: [] };
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      obs.garbage.push(line);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      obs.garbage.push(line);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (record.done === true) {
      obs.done = true;
      continue;
    }
    if (typeof record.step !== 'number') {
      obs.garbage.push(line);
      continue;
    }
    const step = record as StepLine;
    if (typeof step.error === 'string' && step.op === undefined) obs.scriptError = step;
    obs.steps.set(step.step, step);
  }
  return obs;
}
