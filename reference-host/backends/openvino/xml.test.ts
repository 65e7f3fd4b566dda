import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, XmlError, parseXml } from './xml.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseXml', () => {
  it('reads elements, attributes, self-closing tags and text', () => {
    const root = parseXml(enc('<?xml version="1.0"?>\n<net name="n" version=\'11\'>\n <layers><layer id="0"/><dim> 4 </dim></layers>\n<edges/></net>\n'));
    expect(root.name).toBe('net');
    expect([...root.attrs]).toEqual([
      ['name', 'n'],
      ['version', '11'],
    ]);
    expect(root.children.map((c) => c.name)).toEqual(['layers', 'edges']);
    const layers = root.children[0]!;
    expect(layers.children.map((c) => c.name)).toEqual(['layer', 'dim']);
    expect(layers.children[0]!.attrs.get('id')).toBe('0');
    expect(layers.children[1]!.text).toBe(' 4 ');
  });

  it('decodes the five predefined entities and character references, in text and attributes', () => {
    const root = parseXml('<a v="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;">x&amp;y&#x1F600;</a>');
    expect(root.attrs.get('v')).toBe(`<>&"'AB`);
    expect(root.text).toBe('x&y\u{1F600}');
  });

  it('skips comments and keeps CDATA verbatim', () => {
    const root = parseXml('<!-- c1 --><a><!-- <b/> --><![CDATA[<&>]]></a><!-- c2 -->');
    expect(root.children).toEqual([]);
    expect(root.text).toBe('<&>');
  });

  it('skips a UTF-8 BOM', () => {
    expect(parseXml(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('<a/>')])).name).toBe('a');
  });

  const bad: [string, string | Uint8Array, RegExp][] = [
    ['mismatched tags', '<a><b></a></b>', /does not match/],
    ['an unclosed element', '<a><b></b>', /unclosed element <a>/],
    ['a closing tag without an opening one', '</a>', /without an open element/],
    ['a duplicate attribute', '<a x="1" x="2"/>', /duplicate attribute x/],
    ['an unquoted attribute', '<a x=1/>', /not quoted/],
    ['an attribute without a value', '<a x/>', /has no value/],
    ['attributes without whitespace between them', '<a x="1"y="2"/>', /expected whitespace/],
    ['"<" in an attribute value', '<a x="<"/>', /"<" in the value/],
    ['an undefined entity', '<a>&nbsp;</a>', /undefined entity &nbsp;/],
    ['an unterminated entity', '<a>&amp</a>', /unterminated entity/],
    ['a NUL character reference', '<a>&#0;</a>', /bad character reference/],
    ['a surrogate character reference', '<a>&#xD800;</a>', /bad character reference/],
    ['a DOCTYPE', '<!DOCTYPE a><a/>', /DOCTYPE/],
    ['text outside the root', 'x<a/>', /text outside the root/],
    ['a second root', '<a/><b/>', /second root/],
    ['no root at all', '<?xml version="1.0"?>', /no root element/],
    ['an unterminated comment', '<a><!-- x</a>', /unterminated comment/],
    ['"--" inside a comment', '<a><!-- x -- y --></a>', /"--" inside a comment/],
    ['a processing instruction after the root started', '<a><?pi x?></a>', /processing instruction/],
    ['invalid UTF-8', Uint8Array.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]), /not valid UTF-8/],
    ['an unterminated tag', '<a x="1"', /unterminated tag/],
  ];
  it.each(bad)('refuses %s', (_what, input, message) => {
    expect(() => parseXml(input)).toThrow(XmlError);
    expect(() => parseXml(input)).toThrow(message);
  });

  it(`accepts nesting up to depth ${MAX_DEPTH} and refuses deeper`, () => {
    const nest = (n: number) => '<x>'.repeat(n) + '</x>'.repeat(n);
    expect(() => parseXml(nest(MAX_DEPTH))).not.toThrow();
    expect(() => parseXml(nest(MAX_DEPTH + 1))).toThrow(/nested deeper than 64/);
  });

  it('refuses 200 000 nested elements by depth, without exhausting the stack (its time: bench/openvino-ir-scaling.ts)', () => {
    expect(() => parseXml('<x>'.repeat(200_000) + '</x>'.repeat(200_000))).toThrow(/nested deeper/);
  });

  it('refuses the billion-laughs entity bomb at its DOCTYPE, before any expansion', () => {
    const lines = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lines.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    lines.push(']>', '<lolz>&lol9;</lolz>');
    expect(() => parseXml(lines.join('\n'))).toThrow(/DOCTYPE/);
  });
});
