import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { entryBytes, readBundleIndex, readTable } from './bundle.js';
import { crc32c, maskCrc } from './crc32c.js';
import { DT, decodeGraph } from './proto.js';

const dir = join(FIXTURES_DIR, 'tensorflow', 'tf2', 'affine_relu', 'variables');
const index = () => new Uint8Array(readFileSync(join(dir, 'variables.index')));
const shard = () => new Uint8Array(readFileSync(join(dir, 'variables.data-00000-of-00001')));
const W = 'variables/0/.ATTRIBUTES/VARIABLE_VALUE';

describe('crc32c', () => {
  it('matches the standard check value and LevelDB\'s mask', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(maskCrc(0)).toBe(0xa282ead8);
  });
});

describe('TensorBundle reader on tf2/affine_relu', () => {
  it('reads the header and every entry', () => {
    const b = readBundleIndex(index());
    expect(b.header).toEqual({ numShards: 1, endianness: 0, producer: 1, minConsumer: 0 });
    expect([...b.entries.keys()]).toEqual(['_CHECKPOINTABLE_OBJECT_GRAPH', W, 'variables/1/.ATTRIBUTES/VARIABLE_VALUE']);
    expect(b.entries.get(W)).toMatchObject({ dtype: DT.DT_FLOAT, shape: { dims: [4, 3] }, shardId: 0, size: 48 });
  });

  it('gives an entry\'s bytes after checking bounds and crc32c', () => {
    const b = readBundleIndex(index());
    const e = b.entries.get(W)!;
    const bytes = entryBytes(W, e, [shard()]);
    expect(bytes.length).toBe(48);
    // the same weights as the frozen GraphDef's Const W
    const w = decodeGraph(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'tensorflow', 'frozen', 'affine_relu.pb'))), 'GraphDef').node.find((n) => n.name === 'W')!.attr.get('value');
    expect(w?.kind === 'tensor' ? w.tensor.content : undefined).toEqual(bytes);
  });

  it('refuses a data shard byte that was changed (crc32c mismatch)', () => {
    const b = readBundleIndex(index());
    const e = b.entries.get(W)!;
    const s = shard();
    s[e.offset + 5]! ^= 0x01;
    expect(() => entryBytes(W, e, [s])).toThrow(/checkpoint variables\/0\/.ATTRIBUTES\/VARIABLE_VALUE: crc32c mismatch/);
  });

  it('refuses an entry whose bytes run past the end of its shard', () => {
    const b = readBundleIndex(index());
    const e = b.entries.get('variables/1/.ATTRIBUTES/VARIABLE_VALUE')!;
    expect(() => entryBytes('v1', e, [shard().subarray(0, e.offset + e.size - 1)])).toThrow(/v1: bytes 213\.\.225 run past the 224 bytes of data shard 0/);
    expect(() => entryBytes('v1', { ...e, shardId: 1 }, [shard()])).toThrow(/shard 1 of 1/);
  });

  it('refuses a table block whose crc does not match, and a wrong footer magic', () => {
    const f = index();
    f[3]! ^= 0x40; // inside the first data block
    expect(() => readTable(f)).toThrow(/variables.index: data 0 block at 0: crc32c mismatch/);
    const g = index();
    g[g.length - 1] = 0;
    expect(() => readTable(g)).toThrow(/footer magic/);
    expect(() => readTable(index().subarray(0, 40))).toThrow(/shorter than the 48-byte table footer/);
  });
});
