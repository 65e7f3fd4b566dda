/** Turns what V8 throws out of a wasm call into a one-line trap report (reason and function). */

/** Exit status of a guest that trapped, as `wasmtime run` reports it on Unix (128 + SIGABRT). */
export const TRAP_EXIT_CODE = 134;

export interface TrapReport {
  reason: string;
  /** the wasm function the trap happened in, from the name section when the module has one */
  function?: string;
}

/** A wasm trap (RuntimeError, or call-stack exhaustion), else undefined. */
export function trapReport(error: unknown): TrapReport | undefined {
  if (error instanceof WebAssembly.RuntimeError) {
    const fn = wasmFunctionOf(error.stack);
    return fn === undefined ? { reason: error.message } : { reason: error.message, function: fn };
  }
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    const fn = wasmFunctionOf(error.stack);
    const reason = 'call stack exhausted';
    return fn === undefined ? { reason } : { reason, function: fn };
  }
  return undefined;
}

function wasmFunctionOf(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const m = /^\s*at (\S+) \(wasm:\/\//.exec(line) ?? /^\s*at (wasm-function\[\d+\])/.exec(line);
    if (m) return m[1];
    const anonymous = /wasm:\/\/[^:]+:(wasm-function\[\d+\])/.exec(line);
    if (anonymous) return anonymous[1];
  }
  return undefined;
}

export function formatTrap(trap: TrapReport): string {
  return `wasm trap: ${trap.reason}${trap.function ? ` (in function ${trap.function})` : ''}`;
}
