/** Every runtime the harness knows, by the name `--runtime` takes. */
import type { DialectName } from '../reference-host/abi/dialects.js';
import type { RuntimeAdapter } from './adapter.js';
import { ReferenceCliAdapter } from './reference-cli/reference-cli-adapter.js';
import { ReferenceAdapter } from './reference/reference-adapter.js';
import { WamrAdapter } from './wamr/wamr-adapter.js';
import { WasmedgeAdapter } from './wasmedge/wasmedge-adapter.js';
import { WasmtimeAdapter } from './wasmtime/wasmtime-adapter.js';

export interface RuntimeEntry {
  /** the dialect a run uses when none is asked for */
  defaultDialect: DialectName;
  /** runs guests in this process: cases run one at a time */
  inProcess: boolean;
  create(dialect: DialectName): RuntimeAdapter;
}

export const RUNTIMES: Readonly<Record<string, RuntimeEntry>> = {
  reference: { defaultDialect: 'witx', inProcess: true, create: (d) => new ReferenceAdapter(d) },
  'reference-cli': { defaultDialect: 'witx', inProcess: false, create: (d) => new ReferenceCliAdapter(d) },
  wamr: { defaultDialect: 'wamr', inProcess: false, create: (d) => new WamrAdapter(d) },
  wasmtime: { defaultDialect: 'witx', inProcess: false, create: (d) => new WasmtimeAdapter(d) },
  wasmedge: { defaultDialect: 'wasmedge', inProcess: false, create: (d) => new WasmedgeAdapter(d) },
};
