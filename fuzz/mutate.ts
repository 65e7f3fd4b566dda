/**
 * Structure-aware corrupt models, one mutator per encoding, seeded. Each mutation aims at what a
 * parser trusts: protobuf varints and length prefixes (ONNX, TensorFlow), flatbuffer offsets and
 * vtable entries (TFLite), GGUF counts and string lengths, IR XML elements and attributes
 * (OpenVINO), zip headers and the pickles inside (TorchScript); plus plain byte flips and cuts.
 */
import { tryParseMessage } from '../reference-host/detect/protobuf.js';
import type { Rng } from './rng.js';

export type Mutator = (rng: Rng, model: Uint8Array) => { bytes: Uint8Array; how: string };

const HUGE = [0xffffffff, 0x7fffffff, 0x80000000, 0, 1, 0xfffffffe, 0x10000];

function flip(rng: Rng, b: Uint8Array): { bytes: Uint8Array; how: string } {
  const out = b.slice();
  const n = 1 + rng.int(8);
  for (let i = 0; i < n; i++) out[rng.int(out.length)] = rng.int(256);
  return { bytes: out, how: `${n} random byte(s)` };
}

function cut(rng: Rng, b: Uint8Array): { bytes: Uint8Array; how: string } {
  const at = rng.int(b.length);
  return { bytes: b.slice(0, at), how: `cut at ${at}` };
}

function generic(rng: Rng, b: Uint8Array): { bytes: Uint8Array; how: string } {
  return rng.chance(0.7) ? flip(rng, b) : cut(rng, b);
}

/** Positions of the varints of protobuf fields (tags, values, lengths), walked into nested messages. */
function varintPositions(b: Uint8Array, base: number, depth: number, out: number[]): void {
  if (depth > 5 || out.length > 5000) return;
  const fields = tryParseMessage(b);
  if (!fields) return;
  // re-walk the bytes to find where each field's varints sit
  let at = 0;
  for (const f of fields) {
    const tagStart = at;
    while ((b[at] as number) & 0x80) at++;
    at++;
    out.push(base + tagStart);
    if (f.wire === 0) {
      out.push(base + at);
      while ((b[at] as number) & 0x80) at++;
      at++;
    } else if (f.wire === 2) {
      out.push(base + at);
      while ((b[at] as number) & 0x80) at++;
      at++;
      varintPositions(f.value, base + at, depth + 1, out);
      at += f.value.length;
    } else at += f.wire === 1 ? 8 : 4;
  }
}

const protobuf: Mutator = (rng, model) => {
  const positions: number[] = [];
  varintPositions(model, 0, 0, positions);
  if (positions.length === 0 || rng.chance(0.2)) return generic(rng, model);
  const at = rng.pick(positions);
  const out = model.slice();
  // rewrite the varint in place with the same byte width: as large as it fits, or zero, or off by one
  let end = at;
  while (end < out.length && (out[end] as number) & 0x80) end++;
  const width = end - at + 1;
  const choice = rng.int(3);
  for (let i = 0; i < width; i++) {
    const last = i === width - 1;
    out[at + i] = choice === 0 ? (last ? 0x7f : 0xff) : choice === 1 ? (last ? 0 : 0x80) : ((out[at + i] as number) + (last ? 1 : 0)) & (last ? 0x7f : 0xff);
  }
  return { bytes: out, how: `varint at ${at} (${width} bytes) ${['maxed', 'zeroed', 'bumped'][choice]}` };
};

const flatbuffer: Mutator = (rng, model) => {
  if (rng.chance(0.2) || model.length < 16) return generic(rng, model);
  const out = model.slice();
  const view = new DataView(out.buffer);
  if (rng.chance(0.5)) {
    // a uoffset (u32, 4-aligned): the root offset, or any field that may be one
    const at = rng.chance(0.3) ? 0 : rng.int(out.length / 4) * 4;
    view.setUint32(at, rng.pick(HUGE) + (rng.chance(0.5) ? rng.int(64) : 0), true);
    return { bytes: out, how: `u32 at ${at}` };
  }
  // a vtable entry (u16, 2-aligned)
  const at = rng.int(out.length / 2) * 2;
  view.setUint16(at, rng.pick([0xffff, 0, 4, 0x8000, rng.int(0x10000)]), true);
  return { bytes: out, how: `u16 at ${at}` };
};

const gguf: Mutator = (rng, model) => {
  if (rng.chance(0.2) || model.length < 24) return generic(rng, model);
  const out = model.slice();
  const view = new DataView(out.buffer);
  const field = rng.int(4);
  if (field < 2) {
    // tensor_count (8) or metadata kv_count (16): u64 counts a parser allocates from
    const at = field === 0 ? 8 : 16;
    view.setBigUint64(at, rng.pick([0xffffffffffffffffn, 0x100000000n, 0n, 1000000n, BigInt(rng.int(1 << 20))]), true);
    return { bytes: out, how: `${field === 0 ? 'tensor' : 'kv'} count` };
  }
  // a u64 length or value somewhere in the metadata (8-byte fields are everywhere in GGUF)
  const at = 24 + rng.int(Math.max(1, Math.min(out.length, 4096) - 32));
  view.setBigUint64(at, rng.pick([0xffffffffffffffffn, 0x7fffffffffffffffn, 0n, BigInt(out.length)]), true);
  return { bytes: out, how: `u64 at ${at}` };
};

const xml: Mutator = (rng, model) => {
  const text = Buffer.from(model).toString('utf8');
  if (rng.chance(0.15)) return generic(rng, model);
  const numbers = [...text.matchAll(/="(-?\d+)"/g)];
  const elements = [...text.matchAll(/<(layer|edge|port|data|dim)\b[^>]*\/?>/g)];
  const op = rng.int(4);
  let out = text;
  let how = '';
  if (op === 0 && numbers.length > 0) {
    const m = rng.pick(numbers);
    const v = rng.pick(['4294967295', '-1', '99999999999999999999', '0', '18446744073709551616', String(rng.int(1000))]);
    out = text.slice(0, (m.index as number) + 2) + v + text.slice((m.index as number) + 2 + (m[1] as string).length);
    how = `number ${m[1]} → ${v}`;
  } else if (op === 1 && elements.length > 0) {
    const m = rng.pick(elements);
    out = text.slice(0, m.index as number) + text.slice((m.index as number) + m[0].length);
    how = `removed <${m[1]}>`;
  } else if (op === 2 && elements.length > 0) {
    const m = rng.pick(elements);
    const copies = 1 + rng.int(50);
    out = text.slice(0, m.index as number) + m[0].repeat(copies) + text.slice(m.index as number);
    how = `<${m[1]}> repeated ${copies} times`;
  } else {
    const at = rng.int(text.length);
    out = text.slice(0, at) + rng.pick(['<', '>', '"', '&', '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '<layer id="1">'.repeat(100), '\u0000']) + text.slice(at);
    how = `markup inserted at ${at}`;
  }
  return { bytes: new Uint8Array(Buffer.from(out, 'utf8')), how };
};

const zip: Mutator = (rng, model) => {
  if (rng.chance(0.2)) return generic(rng, model);
  const out = model.slice();
  const view = new DataView(out.buffer);
  // central directory records (PK\x01\x02) and local headers (PK\x03\x04): sizes, offsets, name lengths
  const sigs: { at: number; central: boolean }[] = [];
  for (let i = 0; i + 4 <= out.length && sigs.length < 2000; i++) {
    if (out[i] === 0x50 && out[i + 1] === 0x4b && ((out[i + 2] === 1 && out[i + 3] === 2) || (out[i + 2] === 3 && out[i + 3] === 4))) sigs.push({ at: i, central: out[i + 2] === 1 });
  }
  if (sigs.length === 0) return generic(rng, model);
  const s = rng.pick(sigs);
  const fields = s.central ? [10, 20, 24, 28, 30, 42] : [8, 18, 22, 26, 28];
  const f = rng.pick(fields);
  const wide = s.central ? f === 20 || f === 24 || f === 42 : f === 18 || f === 22;
  if (s.at + f + 4 > out.length) return generic(rng, model);
  if (wide) view.setUint32(s.at + f, rng.pick(HUGE), true);
  else view.setUint16(s.at + f, rng.pick([0xffff, 0, 8, 99, rng.int(0x10000)]), true);
  return { bytes: out, how: `${s.central ? 'central' : 'local'} header at ${s.at}, field +${f}` };
};

/** Pickle opcodes in a TorchScript archive: flip bytes inside data.pkl / constants.pkl, found by name. */
const pickle: Mutator = (rng, model) => {
  const text = Buffer.from(model).toString('latin1');
  const at = text.search(/data\.pkl|constants\.pkl/);
  if (at < 0 || rng.chance(0.3)) return zip(rng, model);
  const out = model.slice();
  // the entry's data follows its local header name: flip a few bytes right after it
  const start = at + 8 + rng.int(64);
  for (let i = 0; i < 1 + rng.int(4); i++) if (start + i < out.length) out[start + i] = rng.int(256);
  return { bytes: out, how: `pickle bytes near ${start}` };
};

/** The mutator of each encoding (openvino mutates the XML; its weights stay). */
export const MUTATORS: Readonly<Record<string, Mutator>> = {
  onnx: protobuf,
  tensorflow: protobuf,
  tensorflowlite: flatbuffer,
  ggml: gguf,
  openvino: xml,
  pytorch: (rng, m) => (rng.chance(0.5) ? zip(rng, m) : pickle(rng, m)),
};
