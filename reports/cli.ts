/**
 * The report subcommands of `wasi-nn-conformance`:
 *   diff A.json B.json [--all] [--json] [--exit-code]              exit 0; --exit-code: 1 when they differ
 *   review --baseline BASE.json NEW.json [--json]                  exit 1 on a regression
 *   render --format markdown|html|junit REPORT.json... [--out FILE] exit 0
 *   merge SHARD.json... --out ALL.json [--allow-gaps]              exit 0
 * Every one exits 2 on a usage error or a report it cannot use (harness/exit-codes.ts).
 */
import { EXIT_FOUND, EXIT_OK, EXIT_USAGE } from '../harness/exit-codes.js';
import { diffReports, formatDiff } from './diff.js';
import { MergeError, mergeReports } from './merge.js';
import { OutputPathError, ReportFileError, readReport, writeAtomically, writeReport } from './report-io.js';
import { formatReview, review } from './review.js';
import { renderHtml } from './render/html.js';
import { renderJunit } from './render/junit.js';
import { renderMarkdown } from './render/markdown.js';

export const REPORT_COMMANDS = ['diff', 'review', 'render', 'merge'] as const;
export type ReportCommand = (typeof REPORT_COMMANDS)[number];

export const REPORTS_USAGE = [
  'usage: wasi-nn-conformance diff A.json B.json [--all] [--json] [--exit-code]',
  '       wasi-nn-conformance review --baseline BASE.json NEW.json [--json]',
  '       wasi-nn-conformance render --format markdown|html|junit REPORT.json... [--out FILE]',
  '       wasi-nn-conformance merge SHARD.json... --out ALL.json [--allow-gaps]',
].join('\n');

export function isReportCommand(command: string | undefined): command is ReportCommand {
  return (REPORT_COMMANDS as readonly (string | undefined)[]).includes(command);
}

class BadInput extends Error {}

interface Parsed {
  positional: string[];
  options: Map<string, string | true>;
}

function parse(argv: readonly string[], valued: readonly string[], flags: readonly string[]): Parsed {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (valued.includes(arg)) {
      const v = argv[++i];
      if (v === undefined) throw new BadInput(`${arg} needs a value`);
      options.set(arg, v);
    } else if (flags.includes(arg)) options.set(arg, true);
    else if (arg.startsWith('--')) throw new BadInput(`unknown option ${arg}`);
    else positional.push(arg);
  }
  return { positional, options };
}

function diff(argv: readonly string[]): number {
  const { positional, options } = parse(argv, [], ['--json', '--exit-code', '--all']);
  if (positional.length !== 2) throw new BadInput('diff needs two reports: diff A.json B.json');
  const [a, b] = positional as [string, string];
  const d = diffReports(readReport(a), readReport(b));
  process.stdout.write(options.has('--json') ? `${JSON.stringify(d, null, 2)}\n` : formatDiff(d, { a, b }, { all: options.has('--all') }));
  // like `git diff --exit-code`: for CI steps where two runs must agree case for case
  return options.has('--exit-code') && d.cases.length > 0 ? EXIT_FOUND : EXIT_OK;
}

function reviewCommand(argv: readonly string[]): number {
  const { positional, options } = parse(argv, ['--baseline'], ['--json']);
  const baseline = options.get('--baseline');
  if (typeof baseline !== 'string' || positional.length !== 1) throw new BadInput('review needs --baseline BASE.json and one new report');
  const reportPath = positional[0] as string;
  const base = readReport(baseline);
  const now = readReport(reportPath);
  const r = review(base, now);
  process.stdout.write(options.has('--json') ? `${JSON.stringify(r, null, 2)}\n` : formatReview(r, { baseline, report: reportPath }, { baseline: base, report: now }));
  return r.ok ? EXIT_OK : EXIT_FOUND;
}

function render(argv: readonly string[]): number {
  const { positional, options } = parse(argv, ['--format', '--out'], []);
  const format = options.get('--format');
  if (format !== 'markdown' && format !== 'html' && format !== 'junit') throw new BadInput('render needs --format markdown, html or junit');
  if (positional.length === 0) throw new BadInput('render needs at least one report');
  const reports = positional.map((p) => readReport(p));
  const text = format === 'markdown' ? renderMarkdown(reports) : format === 'html' ? renderHtml(reports) : renderJunit(reports);
  const out = options.get('--out');
  if (typeof out === 'string') writeAtomically(out, text);
  else process.stdout.write(text);
  return EXIT_OK;
}

function merge(argv: readonly string[]): number {
  const { positional, options } = parse(argv, ['--out'], ['--allow-gaps']);
  const out = options.get('--out');
  if (typeof out !== 'string') throw new BadInput('merge needs --out FILE');
  if (positional.length === 0) throw new BadInput('merge needs at least one report');
  const inputs = positional.map((name) => ({ name, report: readReport(name) }));
  const { report, gaps } = mergeReports(inputs, { allowGaps: options.has('--allow-gaps') });
  writeReport(out, report);
  for (const g of gaps) process.stderr.write(`wasi-nn-conformance merge: gap: ${g}\n`);
  const shards = report.run_info.merged_from?.length ?? 0;
  process.stdout.write(`merged ${shards} report(s): ${report.results.length} cases${gaps.length > 0 ? ' (incomplete)' : ''} → ${out}\n`);
  return EXIT_OK;
}

/** Runs a report subcommand; returns the exit status. */
export async function reportsMain(command: ReportCommand, argv: readonly string[]): Promise<number> {
  try {
    if (command === 'diff') return diff(argv);
    if (command === 'review') return reviewCommand(argv);
    if (command === 'merge') return merge(argv);
    return render(argv);
  } catch (e) {
    if (e instanceof BadInput) {
      process.stderr.write(`wasi-nn-conformance ${command}: ${e.message}\n${REPORTS_USAGE}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof ReportFileError) {
      process.stderr.write(`wasi-nn-conformance ${command}: bad report: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof MergeError || e instanceof OutputPathError) {
      process.stderr.write(`wasi-nn-conformance ${command}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
