// Loads a compiled CLI module and exits with the status its main() returns.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** node:wasi announces itself as experimental on stderr, which would mix into the guest's stderr. */
function silenceWasiExperimentalWarning() {
  const emitWarning = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' && String(warning).includes('WASI')) return;
    emitWarning.call(process, warning, ...rest);
  };
}

export async function runCli(name, relativeModule) {
  const url = new URL(relativeModule, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(`${name}: not built yet; run \`npm run build\` (or \`npm ci\`) in the harness checkout\n`);
    process.exit(2);
  }
  silenceWasiExperimentalWarning();
  const { main } = await import(url.href);
  process.exitCode = await main(process.argv.slice(2));
}
