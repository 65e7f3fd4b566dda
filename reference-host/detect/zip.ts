/**
 * Reads the entry names of a zip archive from its central directory (never decompresses).
 * The end-of-central-directory record is searched for backwards from the end (it may be followed
 * by a comment of up to 65535 bytes); Zip64 archives are followed through their locator.
 */

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

export function listZip(b: Uint8Array): ZipListing {
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
  const names: string[] = [];
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
    names.push(name);
    at = end;
  }
  return { names, notes };
}
