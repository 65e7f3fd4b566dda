/** The reference host, in process: no child process, guest stdio captured through temp files. */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS, DIALECT_NAMES, type DialectName } from '../../reference-host/abi/dialects.js';
import { ReferenceHost } from '../../reference-host/reference-host.js';
import { GuestLoadError, formatTrap } from '../../reference-host/wasi/run-guest.js';
import type { Encoding, Target } from '../../reference-host/core/types.js';
import type { RunOutcome } from '../../harness/judge.js';
import { harnessVersion } from '../../harness/repo-paths.js';
import { ALL_FUNCTIONS, type Capabilities, type Detection, type GuestJob, type RuntimeAdapter } from '../adapter.js';

/**
 * The functions the reference host links under a dialect: all of them under `wasi_ephemeral_nn`
 * (an extension is never refused), the dialect's own under WAMR's legacy `wasi_nn` and under the component dialects (the WIT calls of the component driver)
 */
export function referenceFunctions(dialect: DialectName): readonly string[] {
  return DIALECTS[dialect].layout === 'witx' ? ALL_FUNCTIONS : DIALECTS[dialect].functions;
}

/** The in-process reference host, serving the adapter's dialect (the explicit choice, so never the guest's own). */
/** The reference host's available encodings, their targets and engines (name and version); asking starts each engine. */
export async function referenceEngines(probe: ReferenceHost): Promise<{ encodings: Encoding[]; targets: Target[]; engines: Record<string, string> }> {
  const encodings: Encoding[] = [];
  const targets = new Set<Target>();
  const engines: Record<string, string> = {};
  for (const [encoding, backend] of probe.backends) {
    const a = backend.availability();
    if (!a.available) continue;
    encodings.push(encoding);
    engines[encoding] = `${a.engine} ${a.version}`;
    for (const t of backend.targets()) targets.add(t);
  }
  return { encodings, targets: [...targets], engines };
}

export class ReferenceAdapter implements RuntimeAdapter {
  readonly name = 'reference';
  private readonly probe: ReferenceHost;

  constructor(readonly dialect: DialectName = 'witx') {
    this.probe = new ReferenceHost({ dialect });
  }

  async detect(): Promise<Detection> {
    return { available: true, version: harnessVersion() };
  }

  async capabilities(): Promise<Capabilities> {
    return { ...(await referenceEngines(this.probe)), dialects: DIALECT_NAMES, preload: 'embedder', functions: referenceFunctions(this.dialect), missingImports: 'refuse' };
  }

  /** Everything a job can ask for is expressible in process. */
  cannotRun(_job: GuestJob): string | undefined {
    return undefined;
  }

  async execute(job: GuestJob): Promise<RunOutcome> {
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-ref-'));
    const stdoutPath = join(dir, 'stdout');
    const stderrPath = join(dir, 'stderr');
    const stdout = openSync(stdoutPath, 'w');
    const stderr = openSync(stderrPath, 'w');
    const host = new ReferenceHost({ dialect: this.dialect, preloads: job.preloads, backends: this.probe.backends });
    let exitCode: number | null = null;
    let trap: string | undefined;
    let startError: string | undefined;
    // what the CLI prints as `wasi-nn-host: hint: ...`, so both reference runtimes show the same
    const hints: string[] = [];
    const hostBugs: string[] = [];
    try {
      const result = await host.run({
        wasm: job.wasm,
        args: job.args,
        preopens: job.preopens,
        env: job.env ?? {},
        stdout,
        stderr,
        onHint: (h) => hints.push(`wasi-nn-host: hint: ${h}\n`),
        onHostBug: (fn, message) => hostBugs.push(`host bug in ${fn}: ${message}`),
      });
      exitCode = result.exitCode;
      if (result.trap) trap = formatTrap(result.trap);
    } catch (e) {
      if (!(e instanceof GuestLoadError)) throw e;
      startError = e.message;
    } finally {
      closeSync(stdout);
      closeSync(stderr);
      host.dispose();
    }
    const outcome: RunOutcome = {
      exitCode,
      stdout: readFileSync(stdoutPath, 'utf8'),
      stderr: hints.join('') + readFileSync(stderrPath, 'utf8'),
      ...(trap ? { trap } : {}),
      ...(startError ? { startError } : {}),
      ...(hostBugs.length > 0 ? { hostBug: hostBugs[0] as string } : {}),
    };
    rmSync(dir, { recursive: true, force: true });
    return outcome;
  }
}
