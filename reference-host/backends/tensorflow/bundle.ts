/**
 * TensorFlow's TensorBundle (a SavedModel's variables/): `variables.index` is a LevelDB table
 * (table/format.cc, block_builder.cc: 48-byte footer with the metaindex and index block handles
 * and magic 0xdb4775248b80fb57; blocks of prefix-compressed entries with restart points, each
 * followed by a 5-byte trailer: compression type and the masked crc32c of block + type byte).
 * Its keys are checkpoint keys; the value of key "" is a BundleHeaderProto, every other value a
 * BundleEntryProto whose bytes lie at offset/size in data shard `shard_id`
 * (`variables.data-<shard>-of-<num_shards>`), checked against the entry's masked crc32c.
 *
 * Every check is made before a byte is used; a failure is a TfFormatError saying what is wrong.
 */
import { crc32c, maskCrc } from './crc32c.js';
import { DT_SIZE, TfFormatError, decodeBundleEntry, decodeBundleHeader, dtypeName, type BundleEntry, type BundleHeader } from './proto.js';

export const TABLE_MAGIC = 0xdb4775248b80fb57n;
const FOOTER_SIZE = 48;
const TRAILER_SIZE = 5;
/** kTensorBundleVersion: the reader version the header's min_consumer is checked against */
const BUNDLE_VERSION = 1;

interface BlockHandle {
  offset: number;
  size: number;
}

function varint(b: Uint8Array, at: number, what: string, max = 10): { value: number; next: number } {
  let v = 0n;
  for (let i = 0; i < max; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new TfFormatError(`variables.index: ${what}: a varint runs past the end`);
    v |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TfFormatError(`variables.index: ${what}: ${v} is too large`);
      return { value: Number(v), next: at + i + 1 };
    }
  }
  throw new TfFormatError(`variables.index: ${what}: a varint is longer than ${max} bytes`);
}

function blockHandle(b: Uint8Array, at: number, what: string): { handle: BlockHandle; next: number } {
  const o = varint(b, at, `${what} offset`);
  const s = varint(b, o.next, `${what} size`);
  return { handle: { offset: o.value, size: s.value }, next: s.next };
}

/** The block's contents after its trailer was checked (type 0 = uncompressed, crc). */
function readBlock(file: Uint8Array, h: BlockHandle, what: string): Uint8Array {
  if (h.offset + h.size + TRAILER_SIZE > file.length - FOOTER_SIZE) {
    throw new TfFormatError(`variables.index: ${what} block at ${h.offset}+${h.size} (+${TRAILER_SIZE} trailer) runs past the table's ${file.length - FOOTER_SIZE} bytes of blocks`);
  }
  const contents = file.subarray(h.offset, h.offset + h.size);
  const type = file[h.offset + h.size]!;
  const stored = new DataView(file.buffer, file.byteOffset + h.offset + h.size + 1, 4).getUint32(0, true);
  const actual = maskCrc(crc32c(file.subarray(h.offset, h.offset + h.size + 1)));
  if (stored !== actual) throw new TfFormatError(`variables.index: ${what} block at ${h.offset}: crc32c mismatch (stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)})`);
  if (type !== 0) throw new TfFormatError(`variables.index: ${what} block at ${h.offset} has compression type ${type}${type === 1 ? ' (snappy)' : ''}; only uncompressed (0) tables are read`);
  return contents;
}

/** The entries of one block, in order: prefix-compressed keys, checked restart points. */
export function blockEntries(block: Uint8Array, what: string): { key: Uint8Array; value: Uint8Array }[] {
  if (block.length < 4) throw new TfFormatError(`variables.index: ${what} block of ${block.length} bytes has no restart count`);
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  const numRestarts = view.getUint32(block.length - 4, true);
  const restartsAt = block.length - 4 - 4 * numRestarts;
  if (numRestarts === 0 || restartsAt < 0) throw new TfFormatError(`variables.index: ${what} block: ${numRestarts} restart points do not fit in ${block.length} bytes`);
  const restarts = new Set<number>();
  let prevRestart = -1;
  for (let i = 0; i < numRestarts; i++) {
    const r = view.getUint32(restartsAt + 4 * i, true);
    if (r >= restartsAt && !(r === 0 && restartsAt === 0)) throw new TfFormatError(`variables.index: ${what} block: restart point ${i} at ${r} is outside the ${restartsAt} bytes of entries`);
    if (r <= prevRestart) throw new TfFormatError(`variables.index: ${what} block: restart points are not increasing`);
    if (i === 0 && r !== 0) throw new TfFormatError(`variables.index: ${what} block: the first restart point is ${r}, not 0`);
    prevRestart = r;
    restarts.add(r);
  }
  const out: { key: Uint8Array; value: Uint8Array }[] = [];
  let prev = new Uint8Array();
  let at = 0;
  while (at < restartsAt) {
    const start = at;
    const shared = varint(block, at, `${what} entry at ${start} shared`, 5);
    const nonShared = varint(block, shared.next, `${what} entry at ${start} non_shared`, 5);
    const valueLen = varint(block, nonShared.next, `${what} entry at ${start} value_length`, 5);
    at = valueLen.next;
    if (shared.value > prev.length) throw new TfFormatError(`variables.index: ${what} entry at ${start} shares ${shared.value} bytes of a ${prev.length}-byte previous key`);
    if (restarts.has(start) && shared.value !== 0) throw new TfFormatError(`variables.index: ${what} entry at restart point ${start} shares ${shared.value} bytes (must be 0)`);
    if (at + nonShared.value + valueLen.value > restartsAt) throw new TfFormatError(`variables.index: ${what} entry at ${start} runs past the block's entries`);
    const key = new Uint8Array(shared.value + nonShared.value);
    key.set(prev.subarray(0, shared.value));
    key.set(block.subarray(at, at + nonShared.value), shared.value);
    at += nonShared.value;
    const value = block.subarray(at, at + valueLen.value);
    at += valueLen.value;
    if (out.length > 0 && compareBytes(key, prev) <= 0) throw new TfFormatError(`variables.index: ${what} keys are not in increasing order at ${start}`);
    out.push({ key, value });
    prev = key;
  }
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Every key → value of a LevelDB table, in key order. */
export function readTable(file: Uint8Array): Map<string, Uint8Array> {
  if (file.length < FOOTER_SIZE) throw new TfFormatError(`variables.index: ${file.length} bytes is shorter than the ${FOOTER_SIZE}-byte table footer`);
  const footerAt = file.length - FOOTER_SIZE;
  const magic = new DataView(file.buffer, file.byteOffset + file.length - 8, 8).getBigUint64(0, true);
  if (magic !== TABLE_MAGIC) throw new TfFormatError(`variables.index: footer magic 0x${magic.toString(16)} is not LevelDB's 0x${TABLE_MAGIC.toString(16)}`);
  const meta = blockHandle(file, footerAt, 'footer metaindex handle');
  const index = blockHandle(file, meta.next, 'footer index handle');
  if (index.next > file.length - 8) throw new TfFormatError('variables.index: the footer handles run into the magic');
  readBlock(file, meta.handle, 'metaindex');
  const out = new Map<string, Uint8Array>();
  let last: Uint8Array | undefined;
  for (const [i, ie] of blockEntries(readBlock(file, index.handle, 'index'), 'index').entries()) {
    const h = blockHandle(ie.value, 0, `index entry ${i}`);
    if (h.next !== ie.value.length) throw new TfFormatError(`variables.index: index entry ${i} has ${ie.value.length - h.next} bytes after its block handle`);
    for (const e of blockEntries(readBlock(file, h.handle, `data ${i}`), `data ${i}`)) {
      if (last && compareBytes(e.key, last) <= 0) throw new TfFormatError('variables.index: keys are not in increasing order across blocks');
      if (compareBytes(e.key, ie.key) > 0) throw new TfFormatError(`variables.index: data block ${i} holds a key after its index key`);
      let key: string;
      try {
        key = UTF8.decode(e.key);
      } catch {
        throw new TfFormatError('variables.index: a key is not UTF-8');
      }
      out.set(key, e.value);
      last = e.key;
    }
  }
  return out;
}

export interface Bundle {
  header: BundleHeader;
  entries: Map<string, BundleEntry>;
}

/** The index: its header (key "") and every entry, decoded. */
export function readBundleIndex(file: Uint8Array): Bundle {
  const table = readTable(file);
  const headerBytes = table.get('');
  if (!headerBytes) throw new TfFormatError('variables.index: no header entry (key "")');
  const header = decodeBundleHeader(headerBytes, 'BundleHeaderProto');
  if (header.numShards < 1) throw new TfFormatError(`variables.index: the header says ${header.numShards} shards`);
  if (header.endianness !== 0) throw new TfFormatError('variables.index: the bundle is big-endian; only little-endian bundles are read');
  // TF's CheckVersions against kTensorBundleVersion = 1 (tensor_bundle.cc)
  if (header.minConsumer > BUNDLE_VERSION) throw new TfFormatError(`variables.index: the bundle needs a reader of version ${header.minConsumer}; this one is ${BUNDLE_VERSION}`);
  const entries = new Map<string, BundleEntry>();
  for (const [key, value] of table) {
    if (key === '') continue;
    entries.set(key, decodeBundleEntry(value, `BundleEntryProto(${key})`));
  }
  return { header, entries };
}

/** The bytes of one entry, bounds- and crc-checked. */
export function entryBytes(key: string, entry: BundleEntry, shards: readonly Uint8Array[]): Uint8Array {
  if (entry.slices > 0) throw new TfFormatError(`checkpoint ${key}: a sliced (partitioned) variable; only whole tensors are read`);
  const shard = shards[entry.shardId];
  if (!shard) throw new TfFormatError(`checkpoint ${key}: shard ${entry.shardId} of ${shards.length}`);
  if (entry.offset < 0 || entry.size < 0 || entry.offset + entry.size > shard.length) {
    throw new TfFormatError(`checkpoint ${key}: bytes ${entry.offset}..${entry.offset + entry.size} run past the ${shard.length} bytes of data shard ${entry.shardId}`);
  }
  const bytes = shard.subarray(entry.offset, entry.offset + entry.size);
  const elem = DT_SIZE[entry.dtype];
  if (elem === undefined) throw new TfFormatError(`checkpoint ${key}: dtype ${dtypeName(entry.dtype)} is not a fixed-size numeric type`);
  if (entry.shape.unknownRank || entry.shape.dims.some((d) => d < 0)) throw new TfFormatError(`checkpoint ${key}: shape is not fully known`);
  const n = entry.shape.dims.reduce((a, b) => a * b, 1);
  if (n * elem !== entry.size) throw new TfFormatError(`checkpoint ${key}: ${entry.size} bytes for ${dtypeName(entry.dtype)}[${entry.shape.dims.join(',')}] (${n * elem} expected)`);
  if (entry.crc32c === undefined) throw new TfFormatError(`checkpoint ${key}: no crc32c`);
  const actual = maskCrc(crc32c(bytes));
  if (actual !== entry.crc32c) throw new TfFormatError(`checkpoint ${key}: crc32c mismatch (stored 0x${entry.crc32c.toString(16)}, computed 0x${actual.toString(16)})`);
  return bytes;
}
