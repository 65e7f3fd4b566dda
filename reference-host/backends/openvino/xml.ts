/**
 * A small, strict XML parser for the subset OpenVINO IR uses: a prolog (`<?xml ...?>`),
 * elements with attributes, self-closing tags, text, comments, CDATA, the five predefined
 * entities (&lt; &gt; &amp; &quot; &apos;) and character references (&#N; &#xH;).
 *
 * Refused (XmlError): a DOCTYPE (so no entity definitions, hence no "billion laughs" expansion:
 * it is rejected before any expansion could start), any other named entity, mismatched or
 * unclosed tags, duplicate attributes, nesting deeper than MAX_DEPTH, more than MAX_NODES
 * elements, text outside the root element, a second root. Input must be UTF-8 (a BOM is skipped).
 * The parser is iterative, so a deeply nested document cannot exhaust the JS stack.
 */

export class XmlError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} (at byte ${offset})`);
    this.name = 'XmlError';
  }
}

export interface XmlElement {
  name: string;
  /** Attributes in document order. */
  attrs: Map<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element (entities decoded). */
  text: string;
}

export const MAX_DEPTH = 64;
export const MAX_NODES = 1_000_000;

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58; // A-Z a-z _ :
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45; // 0-9 . -
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new XmlError('not valid UTF-8', 0);
  }
}

/** Decodes entity and character references in `raw` (text or an attribute value). */
function decodeEntities(raw: string, base: number): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    const semi = raw.indexOf(';', amp);
    if (semi < 0 || semi - amp > 12) throw new XmlError('unterminated entity reference', base + amp);
    const ref = raw.slice(amp + 1, semi);
    if (ref.startsWith('#')) {
      const code = /^#x[0-9A-Fa-f]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN;
      if (!Number.isInteger(code) || code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw new XmlError(`bad character reference &${ref};`, base + amp);
      }
      out += String.fromCodePoint(code);
    } else {
      const v = PREDEFINED[ref];
      if (v === undefined) throw new XmlError(`undefined entity &${ref};`, base + amp);
      out += v;
    }
    i = semi + 1;
  }
  return out;
}

/** Parses a whole document; returns its root element. Throws XmlError. */
export function parseXml(input: Uint8Array | string): XmlElement {
  const src = typeof input === 'string' ? input : decodeUtf8(input);
  let pos = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let nodes = 0;

  const fail = (msg: string, at = pos): never => {
    throw new XmlError(msg, at);
  };
  const readName = (): string => {
    const start = pos;
    if (!isNameStart(src.charCodeAt(pos))) fail('expected a name');
    pos++;
    while (pos < src.length && isNameChar(src.charCodeAt(pos))) pos++;
    return src.slice(start, pos);
  };
  const skipSpace = (): void => {
    for (let c = src.charCodeAt(pos); c === 32 || c === 9 || c === 10 || c === 13; c = src.charCodeAt(pos)) pos++;
  };

  while (pos < src.length) {
    const lt = src.indexOf('<', pos);
    const textEnd = lt < 0 ? src.length : lt;
    if (textEnd > pos) {
      const raw = src.slice(pos, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.text += decodeEntities(raw, pos);
      else if (raw.trim() !== '') fail('text outside the root element');
      pos = textEnd;
      if (lt < 0) break;
    }
    // at '<'
    if (src.startsWith('<!--', pos)) {
      const end = src.indexOf('-->', pos + 4);
      if (end < 0) fail('unterminated comment');
      if (src.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
      pos = end + 3;
    } else if (src.startsWith('<![CDATA[', pos)) {
      const top = stack[stack.length - 1];
      if (!top) fail('CDATA outside the root element');
      const end = src.indexOf(']]>', pos + 9);
      if (end < 0) fail('unterminated CDATA section');
      top!.text += src.slice(pos + 9, end);
      pos = end + 3;
    } else if (src.startsWith('<!', pos)) {
      fail('DOCTYPE and other declarations are not accepted (no DTDs, no entity definitions)');
    } else if (src.startsWith('<?', pos)) {
      if (root || stack.length > 0) fail('processing instruction after the root element started');
      const end = src.indexOf('?>', pos + 2);
      if (end < 0) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (src.startsWith('</', pos)) {
      pos += 2;
      const name = readName();
      skipSpace();
      if (src[pos] !== '>') fail(`expected ">" to close </${name}`);
      pos++;
      const top = stack.pop();
      if (!top) fail(`closing tag </${name}> without an open element`);
      if (top!.name !== name) fail(`closing tag </${name}> does not match <${top!.name}>`);
    } else {
      pos++;
      if (root && stack.length === 0) fail('a second root element');
      const name = readName();
      const el: XmlElement = { name, attrs: new Map(), children: [], text: '' };
      if (++nodes > MAX_NODES) fail(`more than ${MAX_NODES} elements`);
      for (;;) {
        const before = pos;
        skipSpace();
        const c = src[pos];
        if (c === undefined) fail(`unterminated tag <${name}`);
        if (c === '>' || c === '/') break;
        if (pos === before) fail(`expected whitespace before an attribute of <${name}>`);
        const attr = readName();
        skipSpace();
        if (src[pos] !== '=') fail(`attribute ${attr} of <${name}> has no value`);
        pos++;
        skipSpace();
        const q = src[pos];
        if (q !== '"' && q !== "'") fail(`attribute ${attr} of <${name}> is not quoted`);
        const end = src.indexOf(q!, pos + 1);
        if (end < 0) fail(`unterminated value of attribute ${attr}`);
        const raw = src.slice(pos + 1, end);
        if (raw.includes('<')) fail(`"<" in the value of attribute ${attr}`);
        if (el.attrs.has(attr)) fail(`duplicate attribute ${attr} on <${name}>`);
        el.attrs.set(attr, decodeEntities(raw, pos + 1));
        pos = end + 1;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else root = el;
      if (src[pos] === '/') {
        if (src[pos + 1] !== '>') fail(`expected "/>" in <${name}>`);
        pos += 2;
      } else {
        pos++;
        if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
        stack.push(el);
      }
    }
  }
  if (stack.length > 0) throw new XmlError(`unclosed element <${stack[stack.length - 1]!.name}>`, src.length);
  if (!root) throw new XmlError('no root element', src.length);
  return root;
}
