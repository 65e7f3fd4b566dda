/**
 * Reads a zip archive's central directory: the entry names (listZip, never decompresses), or
 * the entries themselves (readZipEntries, for engines that must look inside: stored and deflate
 * only, every size bounded).
 * The end-of-central-directory record is searched for backwards from the end (it may be followed
 * by a comment of up to 65535 bytes); Zip64 archives are followed through their locator.
 */

import { inflateRawSync } from 'node:zlib';

export interface ZipListing {
  names: string[];
  /** where things were found, for evidence */
  notes: string[];
}

export class ZipError extends Error {}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16)) >>> 0) + (b[at + 3] ?? 0) * 0x1000000;
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 2 ** 32;

function sig(b: Uint8Array, at: number, s: number): boolean {
  return at >= 0 && at + 4 <= b.length && u32(b, at) === s;
}

export function startsLikeZip(b: Uint8Array): boolean {
  return sig(b, 0, 0x04034b50);
}

function centralDirectory(b: Uint8Array): { records: CentralRecord[]; notes: string[] } {
  const notes: string[] = [];
  let eocd = -1;
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 0xffff); at--) {
    if (sig(b, at, 0x06054b50) && at + 22 + u16(b, at + 20) === b.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no end-of-central-directory record');
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    const loc = eocd - 20;
    if (!sig(b, loc, 0x07064b50)) throw new ZipError('Zip64 sizes without a Zip64 locator');
    const z = u64(b, loc + 8);
    if (!Number.isSafeInteger(z) || !sig(b, z, 0x06064b50)) throw new ZipError('Zip64 locator points at no Zip64 record');
    count = u64(b, z + 32);
    cdSize = u64(b, z + 40);
    cdOffset = u64(b, z + 48);
    notes.push('Zip64');
  }
  if (cdOffset + cdSize > b.length) throw new ZipError(`central directory (${cdSize} bytes at ${cdOffset}) runs past the end`);
  const records: CentralRecord[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (!sig(b, at, 0x02014b50)) throw new ZipError(`central directory entry ${i} at byte ${at} has no signature`);
    const nameLen = u16(b, at + 28);
    const extraLen = u16(b, at + 30);
    const commentLen = u16(b, at + 32);
    const end = at + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) throw new ZipError(`central directory entry ${i} runs past the directory`);
    let name: string;
    try {
      name = decoder.decode(b.subarray(at + 46, at + 46 + nameLen));
    } catch {
      throw new ZipError(`central directory entry ${i} has a name that is not UTF-8`);
    }
    let compressedSize = u32(b, at + 20);
    let size = u32(b, at + 24);
    let localOffset = u32(b, at + 42);
    // Zip64 extended information (header 0x0001): the 0xffffffff fields, in this order
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      let e = at + 46 + nameLen;
      while (e + 4 <= at + 46 + nameLen + extraLen) {
        const id = u16(b, e);
        const len = u16(b, e + 2);
        if (id === 0x0001) {
          let f = e + 4;
          if (size === 0xffffffff) (size = u64(b, f)), (f += 8);
          if (compressedSize === 0xffffffff) (compressedSize = u64(b, f)), (f += 8);
          if (localOffset === 0xffffffff) localOffset = u64(b, f);
          break;
        }
        e += 4 + len;
      }
    }
    records.push({ name, method: u16(b, at + 10), compressedSize, size, localOffset });
    at = end;
  }
  return { records, notes };
}

interface CentralRecord {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export function listZip(b: Uint8Array): ZipListing {
  const { records, notes } = centralDirectory(b);
  return { names: records.map((r) => r.name), notes };
}

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

/**
 * The data of the entries whose name `select` accepts: stored or deflated, each at most
 * `maxEntryBytes` once inflated. Anything else (another method, a size that lies, a local
 * header out of place) is a ZipError: an engine that must inspect an archive refuses what it
 * cannot read.
 */
export function readZipEntries(b: Uint8Array, select: (name: string) => boolean, maxEntryBytes = 64 * 1024 * 1024): ZipEntry[] {
  const out: ZipEntry[] = [];
  for (const r of centralDirectory(b).records) {
    if (!select(r.name)) continue;
    if (r.size > maxEntryBytes) throw new ZipError(`entry ${r.name} is ${r.size} bytes, more than ${maxEntryBytes} this reader inflates`);
    if (!sig(b, r.localOffset, 0x04034b50)) throw new ZipError(`entry ${r.name}: no local header at byte ${r.localOffset}`);
    const start = r.localOffset + 30 + u16(b, r.localOffset + 26) + u16(b, r.localOffset + 28);
    if (start + r.compressedSize > b.length) throw new ZipError(`entry ${r.name} runs past the end of the archive`);
    const raw = b.subarray(start, start + r.compressedSize);
    let data: Uint8Array;
    if (r.method === 0) data = raw;
    else if (r.method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: maxEntryBytes });
      } catch (e) {
        throw new ZipError(`entry ${r.name} does not inflate: ${(e as Error).message}`);
      }
    } else throw new ZipError(`entry ${r.name} uses compression method ${r.method}`);
    if (data.byteLength !== r.size) throw new ZipError(`entry ${r.name} is ${data.byteLength} bytes, its header says ${r.size}`);
    out.push({ name: r.name, data });
  }
  return out;
}
