#!/usr/bin/env node
// Entry point of `wasi-nn-host`; the code is compiled from reference-host/cli.ts by `npm run build`
// (run automatically by `npm ci` through the prepare script).
import { runCli } from './run-cli.js';

await runCli('wasi-nn-host', '../dist/reference-host/cli.js');
