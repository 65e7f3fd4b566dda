/**
 * What every runtime run as a child process shares: finding the binary (an env var or PATH),
 * asking it for its version, staging files a command needs (preload dirs), spawning it through
 * `spawn.ts`, and turning what it printed into a RunOutcome. Each runtime supplies a PURE
 * `command(job)` (snapshot-tested without the binary) and `interpret(result)` (its trap text).
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import type { DialectName } from '../reference-host/abi/dialects.js';
import type { RunOutcome } from '../harness/judge.js';
import { RECORD_TAG } from '../harness/observations.js';
import type { Capabilities, Detection, GuestJob, RuntimeAdapter } from './adapter.js';
import { spawnRuntime, type RuntimeCommand, type SpawnResult } from './spawn.js';

/** A symlink to make before the run: `path` (inside the stage dir) → `target` (a host file). */
export interface StagedLink {
  path: string;
  target: string;
}

export interface PreparedCommand extends RuntimeCommand {
  /** files to place (as symlinks) before spawning, e.g. wasmtime's preload dirs */
  stage: StagedLink[];
}

export type CommandPlan = { ok: true; command: PreparedCommand } | { ok: false; reason: string };

export interface CommandContext {
  /** the runtime binary (as detected) */
  file: string;
  /** a per-run scratch dir the adapter may stage files under */
  stageDir: string;
}

export interface BinarySpec {
  /** env var that names the binary (a path, or a name looked up on PATH) */
  envVar: string;
  /** the name looked up on PATH when the env var is unset */
  defaultName: string;
  /** how to get it, for the "unavailable" message */
  howToGet: string;
}

/** Finds an executable on PATH, like `command -v`. */
export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export type Resolution = { ok: true; path: string } | { ok: false; reason: string; fix: string };

/** The binary named by spec.envVar, else spec.defaultName on PATH. */
export function resolveBinary(spec: BinarySpec, env: NodeJS.ProcessEnv = process.env): Resolution {
  const fix = `install it (${spec.howToGet}) and put \`${spec.defaultName}\` on PATH, or set ${spec.envVar}=/path/to/${spec.defaultName}`;
  const named = env[spec.envVar];
  if (named !== undefined && named !== '') {
    const path = named.includes('/') ? resolve(named) : findOnPath(named, env.PATH ?? '');
    if (path && isExecutableFile(path)) return { ok: true, path };
    return { ok: false, reason: `${spec.envVar}=${named} is not an executable file`, fix: `point ${spec.envVar} at the ${spec.defaultName} binary, or unset it to use \`${spec.defaultName}\` from PATH` };
  }
  const path = findOnPath(spec.defaultName, env.PATH ?? '');
  if (path) return { ok: true, path };
  return { ok: false, reason: `\`${spec.defaultName}\` is not on PATH and ${spec.envVar} is not set`, fix };
}

/**
 * A Rust runtime that panicked: the panic message on stderr, then exit 101 (panic=unwind) or
 * SIGABRT (panic=abort, as wasmtime's release builds are).
 */
export function runtimePanic(r: SpawnResult): string | undefined {
  const how = r.exitCode === 101 ? 'exit 101' : r.signal === 'SIGABRT' ? 'SIGABRT' : undefined;
  if (!how) return undefined;
  const m = /^.*panicked at .*$/m.exec(r.stderr);
  if (!m) return undefined;
  const next = r.stderr.slice((m.index ?? 0) + m[0].length).split('\n').find((l) => l.trim() !== '');
  return `the runtime panicked (${how}): ${m[0].trim()}${next ? ` ${next.trim()}` : ''}`.slice(0, 500);
}

/** Shared reading of a spawn result: signal, timeout, truncation, a panic, a run that could not start. */
export function baseOutcome(r: SpawnResult, cleaned?: { stdout?: string; stderr?: string; trap?: string; startError?: string }): RunOutcome {
  let stderr = cleaned?.stderr ?? r.stderr;
  if (r.truncated) stderr += `\nwasi-nn-conformance: the runtime's output passed the size cap and it was killed\n`;
  const crash = r.timedOut ? undefined : runtimePanic(r);
  const startError = r.spawnError ?? (crash ? undefined : cleaned?.startError);
  return {
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: cleaned?.stdout ?? r.stdout,
    stderr,
    ...(cleaned?.trap && !r.timedOut ? { trap: cleaned.trap } : {}),
    ...(r.timedOut ? { timedOut: true } : {}),
    ...(startError ? { startError } : {}),
    ...(crash ? { crash } : {}),
  };
}

/** The guest printed no driver record at all (framed `wasi-nn-obs ...`, or a bare `{...}` line). */
export function printedNothing(stdout: string): boolean {
  return !stdout.includes(`${RECORD_TAG} `) && !stdout.split('\n').some((l) => l.trimStart().startsWith('{'));
}

/**
 * A runtime that exits non-zero before the guest printed anything, with no trap, signal or
 * timeout, did not run the guest: a usage error, a module it cannot load or instantiate.
 */
export function notStarted(r: SpawnResult, runtime: string, stdout: string, message: string): string | undefined {
  if (r.timedOut || r.signal || r.exitCode === null || r.exitCode === 0 || !printedNothing(stdout) || runtimePanic(r)) return undefined;
  const text = message.trim().split('\n').filter((l) => l.trim() !== '').slice(0, 6).join(' | ');
  return `${runtime} exited ${r.exitCode} before the guest printed anything${text ? `: ${text.slice(0, 500)}` : ''}`;
}

export abstract class ChildProcessAdapter implements RuntimeAdapter {
  abstract readonly name: string;
  abstract readonly binary: BinarySpec;
  private detection: Promise<Detection> | undefined;

  constructor(readonly dialect: DialectName) {}

  get binaryEnvVar(): string {
    return this.binary.envVar;
  }

  abstract capabilities(): Promise<Capabilities>;
  /** PURE: the argv for a job, or why the job cannot be expressed on this runtime. */
  abstract command(job: GuestJob, ctx: CommandContext): CommandPlan;
  /** Reads the runtime's own trap / error text out of a finished run. */
  abstract interpret(r: SpawnResult): RunOutcome;
  /** The version from `BINARY --version` output (first line by default). */
  protected versionOf(stdout: string, stderr: string): string {
    return (stdout.trim() || stderr.trim()).split('\n')[0] ?? '';
  }
  /** The command that prints the version. */
  protected versionCommand(file: string): RuntimeCommand {
    return { file, args: ['--version'], env: {} };
  }
  /** Extra checks after the version answered (a plugin present, ...). */
  protected checkVersionOutput(_stdout: string): { reason: string; fix: string } | undefined {
    return undefined;
  }
  protected resolve(): Resolution {
    return resolveBinary(this.binary);
  }
  /**
   * After the version answered: what the binary can do (asked of the binary itself), or why it
   * cannot be used at all. `details` goes into the run's start-up line.
   */
  protected async examine(_path: string, _version: string): Promise<{ unavailable: { reason: string; fix: string } } | { details?: string; build?: string }> {
    return {};
  }

  detect(): Promise<Detection> {
    this.detection ??= this.probe();
    return this.detection;
  }

  private async probe(): Promise<Detection> {
    const found = this.resolve();
    if (!found.ok) return { available: false, reason: found.reason, fix: found.fix };
    const r = await spawnRuntime(this.versionCommand(found.path), { timeoutMs: 20_000, maxOutputBytes: 1024 * 1024 });
    if (r.spawnError || r.timedOut || r.exitCode !== 0) {
      const why = r.spawnError ?? (r.timedOut ? 'timed out' : `exited ${r.exitCode ?? r.signal}: ${(r.stderr || r.stdout).trim().slice(0, 200)}`);
      return { available: false, reason: `${found.path} --version failed (${why})`, fix: `check that ${found.path} runs on this machine, or set ${this.binary.envVar} to a working ${this.binary.defaultName}` };
    }
    const problem = this.checkVersionOutput(r.stdout);
    if (problem) return { available: false, ...problem };
    const version = this.versionOf(r.stdout, r.stderr);
    const seen = await this.examine(found.path, version);
    if ('unavailable' in seen) return { available: false, ...seen.unavailable };
    return { available: true, version, path: found.path, ...(seen.details ? { details: seen.details } : {}), ...(seen.build ? { build: seen.build } : {}) };
  }

  cannotRun(job: GuestJob): string | undefined {
    const plan = this.command(job, { file: this.binary.defaultName, stageDir: join(tmpdir(), 'stage') });
    return plan.ok ? undefined : plan.reason;
  }

  async execute(job: GuestJob): Promise<RunOutcome> {
    const detection = await this.detect();
    if (!detection.available) return { exitCode: null, stdout: '', stderr: '', startError: `${this.name} unavailable: ${detection.reason}` };
    const stageDir = mkdtempSync(join(tmpdir(), `wasi-nn-${this.name}-`));
    try {
      const plan = this.command(job, { file: detection.path ?? this.binary.defaultName, stageDir });
      if (!plan.ok) return { exitCode: null, stdout: '', stderr: '', startError: `${this.name} cannot run this job: ${plan.reason}` };
      for (const link of plan.command.stage) {
        mkdirSync(dirname(link.path), { recursive: true });
        symlinkSync(isAbsolute(link.target) ? link.target : resolve(link.target), link.path);
      }
      const r = await spawnRuntime(plan.command, { timeoutMs: job.timeoutMs });
      return this.interpret(r);
    } finally {
      rmSync(stageDir, { recursive: true, force: true });
    }
  }
}
