/**
 * A strict reader of the protobuf wire format, for format detection only: it splits one message
 * into its fields and never guesses. A message parses only when every byte belongs to a field
 * with a valid tag (field number 1..2^29-1, wire type 0, 1, 2 or 5; the deprecated groups 3 and 4
 * are refused), every varint is at most 10 bytes, and every length stays inside the message.
 */

export type WireField =
  | { field: number; wire: 0; value: bigint }
  | { field: number; wire: 1; value: Uint8Array }
  | { field: number; wire: 2; value: Uint8Array }
  | { field: number; wire: 5; value: Uint8Array };

export class WireError extends Error {}

function readVarint(bytes: Uint8Array, at: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < 10; i++) {
    const b = bytes[at + i];
    if (b === undefined) throw new WireError(`varint at byte ${at} runs past the end`);
    value |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new WireError(`varint at byte ${at} is longer than 10 bytes`);
}

/** Every field of one message, in order; throws WireError when the bytes are not one message. */
export function parseMessage(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tagAt = at;
    const tag = readVarint(bytes, at);
    at = tag.next;
    if (tag.value > 0xffffffffn) throw new WireError(`tag at byte ${tagAt} is too large`);
    const wire = Number(tag.value & 7n);
    const field = Number(tag.value >> 3n);
    if (field === 0) throw new WireError(`field number 0 at byte ${tagAt}`);
    switch (wire) {
      case 0: {
        const v = readVarint(bytes, at);
        fields.push({ field, wire: 0, value: v.value });
        at = v.next;
        break;
      }
      case 1:
      case 5: {
        const size = wire === 1 ? 8 : 4;
        if (at + size > bytes.length) throw new WireError(`fixed${size * 8} field ${field} at byte ${tagAt} runs past the end`);
        fields.push({ field, wire, value: bytes.subarray(at, at + size) });
        at += size;
        break;
      }
      case 2: {
        const len = readVarint(bytes, at);
        at = len.next;
        if (len.value > BigInt(bytes.length - at)) throw new WireError(`field ${field} at byte ${tagAt} declares ${len.value} bytes, ${bytes.length - at} are left`);
        const n = Number(len.value);
        fields.push({ field, wire: 2, value: bytes.subarray(at, at + n) });
        at += n;
        break;
      }
      default:
        throw new WireError(`wire type ${wire} (field ${field}) at byte ${tagAt} is not used by proto3 messages`);
    }
  }
  return fields;
}

/** parseMessage, or undefined when the bytes are not a message. */
export function tryParseMessage(bytes: Uint8Array): WireField[] | undefined {
  try {
    return parseMessage(bytes);
  } catch (e) {
    if (e instanceof WireError) return undefined;
    throw e;
  }
}

/** Field number → the wire type a schema gives it (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32). */
export type Schema = Readonly<Record<number, 0 | 1 | 2 | 5>>;

export interface SchemaCheck {
  /** fields whose number the schema lists but with another wire type: the bytes are another message */
  wrongWire: number[];
  /** field numbers the schema does not know */
  unknown: number[];
}

export function checkSchema(fields: readonly WireField[], schema: Schema): SchemaCheck {
  const wrongWire = new Set<number>();
  const unknown = new Set<number>();
  for (const f of fields) {
    const expected = schema[f.field];
    if (expected === undefined) unknown.add(f.field);
    else if (expected !== f.wire) wrongWire.add(f.field);
  }
  return { wrongWire: [...wrongWire], unknown: [...unknown] };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a string field, or undefined when it is not UTF-8. */
export function utf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

export function fieldsNumbered(fields: readonly WireField[], n: number): WireField[] {
  return fields.filter((f) => f.field === n);
}
