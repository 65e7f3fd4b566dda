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

export async function runCli(name, relativeModule) {
  const url = new URL(relativeModule, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(`${name}: not built yet; run \`npm run build\` (or \`npm ci\`) in the harness checkout\n`);
    process.exit(2);
  }
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  const { main } = await import(url.href);
  process.exitCode = await main(process.argv.slice(2));
}
