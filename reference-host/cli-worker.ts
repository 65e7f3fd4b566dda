/**
 * The worker thread of `wasi-nn-host run` (cli.ts starts it with the parsed command): the only
 * place the CLI loads the host and its engines. Runs the guest, then ends the thread with its
 * exit status.
 */
import { workerData } from 'node:worker_threads';
import { HOST_BUG_MARK, HOST_FAILURE_EXIT_CODE, formatDialectTrace, formatGraphTrace, type RunCommand } from './cli.js';
import { ReferenceHost } from './reference-host.js';
import { say } from './say.js';
import { GuestLoadError, formatTrap } from './wasi/run-guest.js';

async function runGuestCommand(cmd: RunCommand): Promise<number> {
  for (const w of cmd.warnings) say(`wasi-nn-host: warning: ${w}\n`);
  const host = new ReferenceHost({ ...(cmd.dialect ? { dialect: cmd.dialect } : {}), preloads: cmd.preloads, targetPolicy: cmd.targetPolicy, limits: cmd.limits });
  try {
    const result = await host.run({
      wasm: cmd.wasm,
      args: cmd.args,
      env: cmd.env,
      preopens: cmd.preopens,
      onHint: (hint) => say(`wasi-nn-host: hint: ${hint}\n`),
      // always, not only with --nn-trace: the guest saw runtime_error, but the host failed, not the guest
      onHostBug: (fn, message) => say(`wasi-nn-host: ${HOST_BUG_MARK} in ${fn}: ${message.replace(/\n/g, ' ')}\n`),
      ...(cmd.trace
        ? {
            onDialect: (choice) => say(`${formatDialectTrace(choice)}\n`),
            onNnCall: (t) => say(`wasi-nn: ${t.fn} → ${t.errno}${t.message ? `: ${t.message}` : ''}\n`),
            onWitCall: (t) => say(`wasi-nn: ${t.fn} → ${t.error ?? 'ok'}${t.message ? `: ${t.message}` : ''}\n`),
            onGraph: (handle, info) => say(`${formatGraphTrace(handle, info)}\n`),
          }
        : {}),
    });
    if (result.trap) say(`wasi-nn-host: ${formatTrap(result.trap)}\n`);
    return result.exitCode;
  } catch (e) {
    if (e instanceof GuestLoadError) {
      say(`wasi-nn-host: ${e.message}\n`);
      return 2;
    }
    say(`wasi-nn-host: host failure: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return HOST_FAILURE_EXIT_CODE;
  } finally {
    host.dispose();
  }
}

const { cmd } = workerData as { cmd: RunCommand };
process.exit(await runGuestCommand(cmd));
