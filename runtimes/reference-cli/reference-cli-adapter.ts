/**
 * Our `wasi-nn-host` CLI as a child process (`node bin/wasi-nn-host.js run ...`): the reference
 * host seen the way every other runtime is seen, through argv, exit status and printed text.
 * Needs the compiled dist/ (`npm run build`; `npm test` builds first).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECT_NAMES, type DialectName } from '../../reference-host/abi/dialects.js';
import { ReferenceHost } from '../../reference-host/reference-host.js';
import { HOST_BUG_MARK, HOST_FAILURE_EXIT_CODE } from '../../reference-host/cli.js';
import type { RunOutcome } from '../../harness/judge.js';
import { REPO_ROOT, harnessVersion } from '../../harness/repo-paths.js';
import type { Capabilities, GuestJob } from '../adapter.js';
import { referenceEngines, referenceFunctions } from '../reference/reference-adapter.js';
import { ChildProcessAdapter, baseOutcome, printedNothing, resolveBinary, type BinarySpec, type CommandContext, type CommandPlan, type Resolution } from '../child-process-adapter.js';
import type { RuntimeCommand, SpawnResult } from '../spawn.js';

export const HOST_BIN = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const HOST_DIST = join(REPO_ROOT, 'dist', 'reference-host', 'cli.js');

/** `wasi-nn-host: wasm trap: REASON (in function F)`, exit 134 (reference-host/cli.ts, wasi/trap.ts). */
const TRAP_LINE = /^wasi-nn-host: (wasm trap: .*)$/m;
/** usage errors and guests that cannot start: one `wasi-nn-host: ...` line, exit 2. */
const ERROR_LINE = /^wasi-nn-host: (.*)$/m;

/** Parses the CLI's own lines out of a run: the trap report, or why the guest did not start. */
/** `wasi-nn-host: host failure: ...`, exit 70: the host itself failed (out of memory, a host bug), never the guest. */
const HOST_FAILURE_LINE = /^wasi-nn-host: (host failure: .*)$/m;

/** `wasi-nn-host: host bug in FN: ...`: a call failed inside the host (reference-host/cli.ts HOST_BUG_MARK). */
const HOST_BUG_LINE = new RegExp(`^wasi-nn-host: (${HOST_BUG_MARK} in .*)$`, 'm');

export function interpretReferenceCli(r: SpawnResult): RunOutcome {
  const failure = r.exitCode === HOST_FAILURE_EXIT_CODE ? HOST_FAILURE_LINE.exec(r.stderr) : null;
  if (failure) return { ...baseOutcome(r), crash: `the reference host failed (exit 70): ${failure[1] as string}` };
  const bug = HOST_BUG_LINE.exec(r.stderr);
  if (bug) return { ...interpretRun(r), hostBug: bug[1] as string };
  return interpretRun(r);
}

function interpretRun(r: SpawnResult): RunOutcome {
  const trap = r.exitCode === 134 ? TRAP_LINE.exec(r.stderr) : null;
  if (trap) {
    const stderr = r.stderr.replace(/^wasi-nn-host: wasm trap: .*\n?/m, '');
    return baseOutcome(r, { stderr, trap: trap[1] as string });
  }
  const error = r.exitCode === 2 && printedNothing(r.stdout) ? ERROR_LINE.exec(r.stderr) : null;
  if (error) return baseOutcome(r, { startError: error[1] as string });
  return baseOutcome(r);
}

export class ReferenceCliAdapter extends ChildProcessAdapter {
  readonly name = 'reference-cli';
  readonly binary: BinarySpec = { envVar: 'WASI_NN_NODE', defaultName: 'node', howToGet: 'Node.js >= 20' };
  private readonly probeHost: ReferenceHost;

  constructor(dialect: DialectName = 'witx') {
    super(dialect);
    this.probeHost = new ReferenceHost({ dialect });
  }

  protected override resolve(): Resolution {
    if (!existsSync(HOST_DIST)) return { ok: false, reason: `the wasi-nn-host CLI is not built (${HOST_DIST} is missing)`, fix: 'run `npm run build` (npm ci and npm test do it) in the harness checkout' };
    // the Node.js running the harness, unless WASI_NN_NODE names another one
    return process.env[this.binary.envVar] ? resolveBinary(this.binary) : { ok: true, path: process.execPath };
  }

  protected override versionCommand(file: string): RuntimeCommand {
    return { file, args: [HOST_BIN, '--help'], env: {} };
  }

  protected override versionOf(): string {
    return `wasi-nn-host ${harnessVersion()} (node ${process.version})`;
  }

  async capabilities(): Promise<Capabilities> {
    return { ...(await referenceEngines(this.probeHost)), dialects: DIALECT_NAMES, preload: 'name-encoding-target-paths', functions: referenceFunctions(this.dialect), missingImports: 'refuse' };
  }

  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    const args = [HOST_BIN, 'run', '--nn-dialect', this.dialect];
    for (const [guest, host] of Object.entries(job.preopens)) {
      if (host.includes('::') || guest.includes('::')) return { ok: false, reason: `--dir HOST::GUEST cannot carry a path containing "::" (${host} → ${guest})` };
      args.push('--dir', `${host}::${guest}`);
    }
    for (const [k, v] of Object.entries(job.env ?? {})) args.push('--env', `${k}=${v}`);
    for (const g of job.preloads) {
      const bad = [g.name, ...g.paths].find((p) => p.includes(':'));
      if (bad !== undefined) return { ok: false, reason: `--nn-preload NAME:ENCODING:TARGET:PATH cannot carry ${JSON.stringify(bad)}, which contains ":"` };
      if (g.name === '' || g.paths.length === 0) return { ok: false, reason: `--nn-preload needs a name and at least one path (graph ${JSON.stringify(g.name)})` };
      args.push('--nn-preload', [g.name, g.encoding, g.target, ...g.paths].join(':'));
    }
    args.push('--', job.wasm, ...job.args);
    return { ok: true, command: { file: ctx.file, args, env: {}, stage: [] } };
  }

  interpret(r: SpawnResult): RunOutcome {
    return interpretReferenceCli(r);
  }
}
