// Loads a compiled CLI module and exits with the status its main() returns.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Output piped into `head` or `less` that closes early ends the command quietly, not with a stack trace. */
function quietOnClosedPipe(stream) {
  stream.on('error', (e) => {
    if (e && e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/**
 * `quietPipes`: install the closed-pipe handler (wasi-nn-conformance). Not for wasi-nn-host: a
 * guest writes to fd 1 and 2 itself, and touching process.stdout would make those fds
 * non-blocking, so a guest's write could fail with EAGAIN when its reader is slow.
 */
export async function runCli(name, relativeModule, { quietPipes = false } = {}) {
  const url = new URL(relativeModule, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(`${name}: not built yet; run \`npm run build\` (or \`npm ci\`) in the harness checkout\n`);
    process.exit(2);
  }
  if (quietPipes) {
    quietOnClosedPipe(process.stdout);
    quietOnClosedPipe(process.stderr);
  }
  const { main } = await import(url.href);
  process.exitCode = await main(process.argv.slice(2));
}
