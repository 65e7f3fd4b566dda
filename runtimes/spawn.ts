/**
 * Runs one runtime command as a child process and says how it ended: stdin ignored, stdout and
 * stderr captured up to a size cap, a per-run timeout that kills the process (SIGKILL, so a
 * runtime that ignores SIGTERM still stops). Never throws for anything the child does.
 */
import { execa } from 'execa';

export interface RuntimeCommand {
  file: string;
  args: string[];
  /** extra environment variables, on top of this process's */
  env: Record<string, string>;
}

export interface SpawnOptions {
  timeoutMs: number;
  /** per stream; the process is killed when either stream passes it */
  maxOutputBytes?: number;
  cwd?: string;
}

/** How a child process ended, before any runtime-specific reading of its output. */
export interface SpawnResult {
  /** null when killed by a signal, timed out, or never started */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** an output stream passed maxOutputBytes and the process was killed */
  truncated: boolean;
  /** the process could not be started at all (ENOENT, EACCES, ...) */
  spawnError?: string;
  durationMs: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export async function spawnRuntime(command: RuntimeCommand, options: SpawnOptions): Promise<SpawnResult> {
  const started = performance.now();
  const maxBuffer = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const r = await execa(command.file, command.args, {
    reject: false,
    stdin: 'ignore',
    env: command.env,
    extendEnv: true,
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer,
    stripFinalNewline: false,
    windowsHide: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const durationMs = Math.round(performance.now() - started);
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const timedOut = r.timedOut === true;
  const truncated = r.isMaxBuffer === true;
  const signal = timedOut || truncated ? null : (r.signal ?? null);
  const exitCode = typeof r.exitCode === 'number' ? r.exitCode : null;
  const base = { stdout: text(r.stdout), stderr: text(r.stderr), timedOut, truncated, durationMs };
  // execa reports a process that never ran as failed, with neither an exit code nor a signal.
  if (r.failed && exitCode === null && r.signal === undefined && !timedOut && !truncated) {
    const cause = r.cause as NodeJS.ErrnoException | undefined;
    return { ...base, exitCode: null, signal: null, spawnError: `cannot start ${command.file}: ${cause?.code ?? cause?.message ?? r.shortMessage}` };
  }
  return { ...base, exitCode, signal };
}
