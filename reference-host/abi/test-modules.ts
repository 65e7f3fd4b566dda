/**
 * Tiny hand-encoded wasm modules and a custom-section stripper, for tests of dialect selection
 * (which looks only at imports and custom sections). Not used by the host itself.
 */

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...leb(bytes.length), ...bytes];
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

/** A module importing the given functions (all of type () → ()) with optional custom sections. */
export function moduleBytes(imports: readonly [module: string, field: string][], customSections: readonly [name: string, content: Uint8Array][] = []): Uint8Array<ArrayBuffer> {
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  bytes.push(...section(1, [1, 0x60, 0, 0]));
  if (imports.length > 0) bytes.push(...section(2, [...leb(imports.length), ...imports.flatMap(([m, f]) => [...name(m), ...name(f), 0x00, 0x00])]));
  for (const [n, content] of customSections) bytes.push(...section(0, [...name(n), ...content]));
  return Uint8Array.from(bytes);
}

export function module(imports: readonly [string, string][], customSections: readonly [string, Uint8Array][] = []): WebAssembly.Module {
  return new WebAssembly.Module(moduleBytes(imports, customSections));
}

/** The module with every custom section called `sectionName` removed (as a guest built without one). */
export function withoutCustomSection(wasm: Uint8Array, sectionName: string): Uint8Array<ArrayBuffer> {
  const out: number[] = [...wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at++] as number;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[at++] as number;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    const end = at + size;
    let keep = true;
    if (id === 0) {
      let len = 0;
      let s = 0;
      let p = at;
      for (;;) {
        const b = wasm[p++] as number;
        len |= (b & 0x7f) << s;
        s += 7;
        if (!(b & 0x80)) break;
      }
      keep = Buffer.from(wasm.subarray(p, p + len)).toString('utf8') !== sectionName;
    }
    if (keep) out.push(...wasm.subarray(start, end));
    at = end;
  }
  return Uint8Array.from(out);
}
