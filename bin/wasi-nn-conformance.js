#!/usr/bin/env node
// Entry point of `wasi-nn-conformance`; the code is compiled from harness/cli.ts by `npm run build`
// (run automatically by `npm ci` through the prepare script).
import { runCli } from './run-cli.js';

await runCli('wasi-nn-conformance', '../dist/harness/cli.js', { quietPipes: true });
