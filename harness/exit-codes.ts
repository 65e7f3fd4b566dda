/**
 * One meaning per exit status, for every `wasi-nn-conformance` command, so a CI step can tell
 * "the runtime misbehaved" from "the harness was called wrong or fed a bad file".
 */
export const EXIT_OK = 0;
/** failures, regressions or differences found (the thing the command looks for) */
export const EXIT_FOUND = 1;
/** usage error, unreadable or invalid input (suite, report, expectation file), runtime unavailable */
export const EXIT_USAGE = 2;

export const EXIT_CODES_HELP = `exit status, the same for every command:
  0  as expected: run: every case PASS, UNSUPPORTED or XFAIL (with --baseline: no regression);
     diff: no difference or no --exit-code; review: no regression; merge, render, detect: done
  1  found something: run: an unexpected result (FAIL, ERROR, TRAP, CRASH, TIMEOUT, XPASS; with
     --baseline: a regression or new finding against it); diff --exit-code: the reports differ;
     review: a regression, a new finding or an incomplete report; detect: a file not detected
  2  usage error, or input that cannot be used: a bad option, an unreadable or invalid suite,
     report or expectation file, an output path that is a directory, an unavailable runtime,
     shards that do not fit together`;
