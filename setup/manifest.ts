/**
 * `<cache>/setup.json`: what `setup` installed and where, read by the runtimes and engines that
 * use it (the wasmtime adapter finds its binary and OpenVINO's libraries here). A missing or
 * unreadable file reads as "nothing set up".
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache-dir.js';

export interface OpenvinoRecord {
  /** the wheel's version, e.g. 2026.4.1 */
  version: string;
  /** the wheel's pinned requirement */
  wheel: string;
  /** a folder with libopenvino_c.so and libopenvino.so under their plain names (links into the wheel) */
  libDir: string;
  /** the wheel's own libs folder (versioned names, plugins) */
  wheelLibDir: string;
  /** headers and OpenVINOConfig.cmake, when the wheel has them */
  includeDir?: string;
  cmakeDir?: string;
}

export interface WasmtimeRecord {
  /** the native binary (not the wheel's Python launcher) */
  binary: string;
  /** what `binary --version` printed */
  version: string;
  /** how it was had: the wheel, or the crate and its features */
  source: string;
  /** folders the binary's own shared libraries are in (libonnxruntime.so.1 for the ONNX build); OpenVINO's come from the openvino record */
  libDirs?: string[];
}

export interface SetupManifest {
  openvino?: OpenvinoRecord;
  wasmtime?: WasmtimeRecord;
  'wasmtime-onnx'?: WasmtimeRecord;
}

export function manifestPath(cache = cacheRoot()): string {
  return join(cache, 'setup.json');
}

export function readManifest(cache = cacheRoot()): SetupManifest {
  const p = manifestPath(cache);
  if (!existsSync(p)) return {};
  try {
    const v = JSON.parse(readFileSync(p, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as SetupManifest) : {};
  } catch {
    return {};
  }
}

/** Replaces one record, atomically (a rename), keeping the others. */
export function writeManifestRecord<K extends keyof SetupManifest>(cache: string, key: K, record: SetupManifest[K]): void {
  mkdirSync(cache, { recursive: true });
  const next = { ...readManifest(cache), [key]: record };
  const tmp = `${manifestPath(cache)}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(tmp, manifestPath(cache));
}
