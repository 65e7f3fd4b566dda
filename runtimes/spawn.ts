/**
 * Runs one runtime command as a child process and says how it ended: stdin ignored, stdout and
 * stderr captured up to a size cap, a per-run timeout. Never throws for anything the child does.
 *
 * Process hygiene: the child leads its own process group, and every kill (timeout, flood, and
 * the end of the run) goes to the whole group with SIGKILL. A runtime started through a wrapper
 * script whose own child hangs is therefore ended too, and a grandchild that keeps the output
 * pipes open cannot hold the run: once the direct child has exited, its group is killed and the
 * pipes are closed after a short grace period even if something outside the group still holds them.
 * Output is collected as bytes up to the cap and then dropped, so a flood costs at most the cap.
 */
import { readFileSync } from 'node:fs';
import { execa } from 'execa';

export interface RuntimeCommand {
  file: string;
  args: string[];
  /** extra environment variables, on top of this process's */
  env: Record<string, string>;
}

export interface SpawnOptions {
  timeoutMs: number;
  /** per stream; the process group is killed when either stream passes it */
  maxOutputBytes?: number;
  cwd?: string;
  /** also measure the child's peak resident memory (VmHWM, polled every 100 ms) */
  measurePeakRss?: boolean;
}

/** How a child process ended, before any runtime-specific reading of its output. */
export interface SpawnResult {
  /** null when killed by a signal, timed out, or never started */
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** an output stream passed maxOutputBytes and the process group was killed */
  truncated: boolean;
  /** the process could not be started at all (ENOENT, EACCES, ...) */
  spawnError?: string;
  durationMs: number;
  /** with measurePeakRss: the child's peak resident memory seen, in KiB */
  peakRssKb?: number;
}

function peakRssKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // gone, or no procfs
  }
}

/** Per stream. The driver prints a few lines per step; 16 MiB is far beyond any honest case. */
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** How long the pipes may stay open after the direct child exited and its group was killed. */
const PIPE_GRACE_MS = 1000;

/** SIGKILL to the process group led by pid; quiet when it is already gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already
  }
}

/** Collects a stream's bytes up to a cap; past it, calls onOverflow once and keeps nothing more. */
class CappedSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  overflowed = false;
  constructor(
    private readonly cap: number,
    private readonly onOverflow: () => void,
  ) {}
  push(chunk: Buffer): void {
    if (this.overflowed) return;
    const room = this.cap - this.size;
    if (chunk.length > room) {
      if (room > 0) this.chunks.push(chunk.subarray(0, room));
      this.size = this.cap;
      this.overflowed = true;
      this.onOverflow();
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }
  text(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

export async function spawnRuntime(command: RuntimeCommand, options: SpawnOptions): Promise<SpawnResult> {
  const started = performance.now();
  const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const child = execa(command.file, command.args, {
    reject: false,
    buffer: false,
    stdin: 'ignore',
    env: command.env,
    extendEnv: true,
    detached: true,
    cleanup: true,
    windowsHide: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const pid = child.pid;
  let timedOut = false;
  let truncated = false;
  const overflow = () => {
    truncated = true;
    killGroup(pid);
  };
  const out = new CappedSink(cap, overflow);
  const err = new CappedSink(cap, overflow);
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(pid);
  }, options.timeoutMs);
  let peak = 0;
  const poll = options.measurePeakRss && pid !== undefined ? setInterval(() => (peak = Math.max(peak, peakRssKb(pid))), 100) : undefined;
  let grace: NodeJS.Timeout | undefined;
  child.once('exit', () => {
    // whatever the direct child left behind in its group dies with it
    killGroup(pid);
    grace = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, PIPE_GRACE_MS);
  });
  const r = await child;
  clearTimeout(timer);
  if (poll) clearInterval(poll);
  if (grace) clearTimeout(grace);
  const durationMs = Math.round(performance.now() - started);
  const signal = timedOut || truncated ? null : (r.signal ?? null);
  const exitCode = typeof r.exitCode === 'number' ? r.exitCode : null;
  const base = { stdout: out.text(), stderr: err.text(), timedOut, truncated, durationMs, ...(options.measurePeakRss ? { peakRssKb: peak } : {}) };
  // execa reports a process that never ran as failed, with neither an exit code nor a signal.
  if (pid === undefined || (r.failed && exitCode === null && r.signal === undefined && !timedOut && !truncated)) {
    const cause = r.cause as NodeJS.ErrnoException | undefined;
    return { ...base, exitCode: null, signal: null, spawnError: `cannot start ${command.file}: ${cause?.code ?? cause?.message ?? r.shortMessage}` };
  }
  return { ...base, exitCode, signal };
}
