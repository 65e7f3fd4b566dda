/**
 * `wasi-nn-conformance detect [--json] FILE...`: what the reference host's autodetect would make
 * of each model. A FILE of several builders joins their paths with `+` (`model.xml+model.bin`),
 * in builder order; a path that itself contains `+` is taken whole when it exists.
 * Exit status: 0 when every FILE was detected, 1 when one was not, 2 for a usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { detect, type Detection } from '../reference-host/detect/detector.js';

export const DETECT_USAGE = 'usage: wasi-nn-conformance detect [--json] FILE[+FILE...]...';

export class DetectUsageError extends Error {}

export interface DetectResult {
  file: string;
  /** ABI encoding name (openvino, onnx, tensorflow, pytorch, tensorflowlite, ggml) or null */
  encoding: string | null;
  confidence: number;
  evidence: string[];
  /** the recognised variant, or why there is no answer */
  variant?: string;
  reason?: string;
}

/** The builder paths of one FILE argument. */
export function builderPaths(arg: string): string[] {
  if (existsSync(arg)) return [arg];
  const parts = arg.split('+');
  for (const p of parts) if (p === '' || !existsSync(p)) throw new DetectUsageError(`no such file: ${p === '' ? `(empty part of ${arg})` : p}`);
  return parts;
}

export function detectFile(arg: string): DetectResult {
  const paths = builderPaths(arg);
  for (const p of paths) if (!statSync(p).isFile()) throw new DetectUsageError(`not a file: ${p}`);
  const d: Detection = detect(paths.map((p) => new Uint8Array(readFileSync(p))));
  return {
    file: arg,
    encoding: d.encoding ?? null,
    confidence: d.confidence,
    evidence: d.evidence,
    ...(d.variant ? { variant: d.variant } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
  };
}

export function formatDetectResult(r: DetectResult): string {
  const head = r.encoding ? `${r.file}: ${r.encoding} (${r.variant}), confidence ${r.confidence}` : `${r.file}: not detected: ${r.reason}`;
  return [head, ...r.evidence.map((e) => `  - ${e}`)].join('\n');
}

export async function detectCommand(argv: readonly string[], write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  let json = false;
  const files: string[] = [];
  for (const a of argv) {
    if (a === '--json') json = true;
    else if (a.startsWith('-') && a !== '-') throw new DetectUsageError(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0) throw new DetectUsageError('no FILE given');
  const results = files.map(detectFile);
  write(json ? `${JSON.stringify(results.map(({ file, encoding, confidence, evidence }) => ({ file, encoding, confidence, evidence })))}\n` : `${results.map(formatDetectResult).join('\n')}\n`);
  return results.every((r) => r.encoding !== null) ? 0 : 1;
}

/** The `detect` subcommand for harness/cli.ts COMMANDS: usage errors are one line and exit 2. */
export async function detectMain(argv: readonly string[]): Promise<number> {
  try {
    return await detectCommand(argv);
  } catch (e) {
    if (e instanceof DetectUsageError) {
      process.stderr.write(`wasi-nn-conformance detect: ${e.message}\n${DETECT_USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
