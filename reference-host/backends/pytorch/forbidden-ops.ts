/**
 * TorchScript is code, and some of libtorch's operators reach outside the process. Read from
 * libtorch 1.13's operator registry (torch::jit::getAllOperators(): 3,973 schemas) and its
 * custom classes, the ones that touch the filesystem, the network or other processes:
 * - aten::from_file(str filename, bool? shared, int? size, ...) (and .out): reads a host file,
 *   and with shared=True maps it writable, so writing the tensor writes the file;
 * - aten::save(t item, str filename): writes a host file;
 * - the c10d:: collectives (allreduce_, broadcast_, send, recv_, barrier, ...) and the
 *   torch.classes.c10d / dist_c10d classes behind them (ProcessGroup, TCPStore, FileStore, ...):
 *   network connections and files.
 * Nothing else in the registry takes a path or a socket. The archive's TorchScript source
 * (code/**.py, compiled by torch::jit::load) and its pickles (data.pkl, constants.pkl, which can
 * name classes) are read before libtorch sees the model, whitespace around dots is ignored, and
 * the first use of one of them refuses the model.
 */
import { ZipError, readZipEntries } from '../../detect/zip.js';

export interface ForbiddenUse {
  /** the operator or class, e.g. aten::from_file */
  op: string;
  /** the archive entry it is used in */
  entry: string;
  /** what it would reach */
  reaches: string;
}

export class ArchiveInspectionError extends Error {}

const RULES: readonly { op: string; reaches: string; pattern: RegExp }[] = [
  { op: 'aten::from_file', reaches: 'reads (or, shared, writes) a host file', pattern: /(?<![\w.])(?:torch\.(?:ops\.aten\.)?|ops\.aten\.|aten::)from_file(?!\w)/ },
  { op: 'aten::save', reaches: 'writes a host file', pattern: /(?<![\w.])(?:torch\.(?:ops\.aten\.)?|ops\.aten\.|aten::)save(?!\w)/ },
  { op: 'c10d', reaches: 'opens network connections and files (distributed collectives)', pattern: /(?<![\w])(?:ops\.c10d\.|c10d::|classes\.(?:dist_)?c10d(?:\.|(?!\w))|dist_c10d)/ },
];

/** Entries holding TorchScript source or pickles, which is where an operator or class can be named. */
const inspected = (name: string) => /(^|\/)code\/.*\.py$/.test(name) || /\.pkl$/.test(name);

/** The first forbidden operator or class the archive uses, or undefined. Throws ArchiveInspectionError when it cannot be read. */
export function findForbiddenOps(bytes: Uint8Array): ForbiddenUse | undefined {
  let entries;
  try {
    entries = readZipEntries(bytes, inspected);
  } catch (e) {
    if (e instanceof ZipError) throw new ArchiveInspectionError(`the TorchScript archive cannot be inspected: ${e.message}`);
    throw e;
  }
  if (!entries.some((e) => /(^|\/)code\/.*\.py$/.test(e.name))) throw new ArchiveInspectionError('the archive holds no TorchScript code (code/*.py)');
  for (const e of entries) {
    // latin1 keeps every byte; spaces, tabs and line continuations around dots are dropped
    const text = Buffer.from(e.data).toString('latin1').replace(/\\\r?\n/g, ' ').replace(/\s*\.\s*/g, '.');
    for (const rule of RULES) if (rule.pattern.test(text)) return { op: rule.op, entry: e.name, reaches: rule.reaches };
  }
  return undefined;
}
