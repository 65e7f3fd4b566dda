/**
 * `wasi-nn-conformance`: runs suites on a runtime and judges them, and reads the reports.
 * Subcommands live in COMMANDS; each takes the arguments after its name and returns an exit
 * status with the meaning in exit-codes.ts.
 */
import { RUNTIMES } from '../runtimes/index.js';
import { detectMain, DETECT_USAGE } from './detect-cli.js';
import { EXIT_CODES_HELP, EXIT_USAGE } from './exit-codes.js';
import { UsageError, RUN_USAGE } from './run-args.js';
import { runCommand } from './run-command.js';
import { SuiteError } from './suite-loader.js';
import { REPORTS_USAGE, reportsMain } from '../reports/cli.js';
import { OutputPathError, ReportFileError } from '../reports/report-io.js';
import { SETUP_USAGE, setupMain } from './setup-command.js';

export { UsageError };
export { BAD_STATUSES } from './run-output.js';

export const USAGE = `${RUN_USAGE}
${REPORTS_USAGE}
${DETECT_USAGE}
${SETUP_USAGE}`;

export const HELP = `wasi-nn-conformance: conformance and differential runs of wasi-nn runtimes
(${Object.keys(RUNTIMES).join(', ')}).

${USAGE}

${EXIT_CODES_HELP}
`;

/** Subcommands: name → handler of the arguments after the name. Add one line per subcommand. */
export const COMMANDS: Record<string, (argv: readonly string[]) => Promise<number>> = {
  run: runCommand,
  detect: detectMain,
  diff: (argv) => reportsMain('diff', argv),
  review: (argv) => reportsMain('review', argv),
  render: (argv) => reportsMain('render', argv),
  merge: (argv) => reportsMain('merge', argv),
  setup: (argv) => setupMain(argv),
};

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help' || (command === 'run' && (rest.includes('--help') || rest.includes('-h')))) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const handler = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!handler) throw new UsageError(command === undefined ? 'no command given' : `unknown command ${command}`);
    return await handler(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`wasi-nn-conformance: ${e.message}\n(wasi-nn-conformance --help lists the commands and options)\n`);
      return EXIT_USAGE;
    }
    if (e instanceof SuiteError) {
      process.stderr.write(`wasi-nn-conformance: bad suite file: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ReportFileError) {
      process.stderr.write(`wasi-nn-conformance: bad report, baseline or expectation file: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof OutputPathError) {
      process.stderr.write(`wasi-nn-conformance: --out: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
