import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { caseResult, report, twoRuntimes } from '../test-reports.js';
import { renderHtml } from './html.js';
import { renderJunit, xmlEscape } from './junit.js';
import { renderMarkdown } from './markdown.js';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A small, strict XML reader: one root, balanced tags, quoted attributes, known entities only. */
function parseXml(xml: string): XmlNode {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!decl.test(xml)) throw new Error('no XML declaration');
  const body = xml.replace(decl, '');
  const unescape = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s)) throw new Error(`bare & in ${s.slice(0, 40)}`);
    if (s.includes('<')) throw new Error(`raw < in ${s.slice(0, 40)}`);
    return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  };
  const root: XmlNode = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = token.exec(body))) {
    pos = token.lastIndex;
    const top = stack[stack.length - 1] as XmlNode;
    if (m[5] !== undefined) {
      top.text += unescape(m[5]);
      continue;
    }
    const [, close, name, attrText, selfClose] = m as unknown as [string, string, string, string, string];
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if ((a[1] as string) in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1] as string] = unescape(a[2] as string);
    }
    const node: XmlNode = { name, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (pos !== body.length) throw new Error(`cannot read XML at offset ${pos}: ${body.slice(pos, pos + 40)}`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error('not exactly one root element');
  return elements[0] as XmlNode;
}

const evil = 'observed "<b>&amp;</b>" </td><script>document.title="pwned"</script> | pipe \u0001';

function sample() {
  const { a, b } = twoRuntimes();
  const c = report('wasmtime', [
    caseResult('abi.load_by_name.not_found.absolute_host_path', 'XFAIL', { expected_failure: { reason: 'known', actual_status: 'FAIL' } }),
    caseResult('abi.compute.bad_ctx', 'PASS'),
    caseResult('onnx.affine', 'TIMEOUT', { message: evil }),
    caseResult('onnx.only_in_a', 'UNSUPPORTED'),
  ]);
  return { a, b, c };
}

describe('markdown', () => {
  it('one report: a suite × status counts table first, then every case that did not pass with its clause, UNSUPPORTED by reason, findings last', () => {
    const { b } = sample();
    const md = renderMarkdown([b]);
    const lines = md.split('\n');
    expect(lines.slice(2, 9)).toEqual(['**wamr (wamr)** 1.2.3', '', '| suite | PASS | FAIL | CRASH | cases |', '|---|--:|--:|--:|--:|', '| abi |  | 2 |  | 2 |', '| onnx | 1 |  | 1 | 2 |', '| **total** | **1** | **2** | **1** | **4** |']);
    expect(lines).toContain('| ❌ FAIL | `abi.load_by_name.not_found.absolute_host_path` | spec of abi.load_by_name.not_found.absolute_host_path | abi.load_by_name.not_found.absolute_host_path went FAIL |');
    expect(lines).toContain('| 💀 CRASH | `onnx.only_in_b` | spec of onnx.only_in_b | onnx.only_in_b went CRASH |');
    expect(lines.filter((l) => l.startsWith('| ✅'))).toEqual([]);
    expect(md.indexOf('### Not passing')).toBeLessThan(md.indexOf('### Findings'));
    expect(md).toContain('- **SECURITY** on wamr (wamr): `abi.load_by_name.not_found.absolute_host_path`');
  });

  it('an expected failure shows its real status; UNSUPPORTED cases are listed by reason in a folded block', () => {
    const r = report('wamr', [
      caseResult('abi.a', 'XFAIL', { message: 'CRASH: died of SIGABRT [expected: aborts]', expected_failure: { reason: 'aborts', actual_status: 'CRASH' } }),
      caseResult('abi.b', 'UNSUPPORTED', { message: 'needs encoding(s) pytorch' }),
      caseResult('abi.c', 'UNSUPPORTED', { message: 'needs encoding(s) pytorch' }),
    ], 'wamr');
    const md = renderMarkdown([r]);
    expect(md).toContain('| 💀 CRASH (XFAIL) | `abi.a` | spec of abi.a | CRASH: died of SIGABRT [expected: aborts] |');
    expect(md).toContain('<details><summary>2 case(s) wamr (wamr) did not run (UNSUPPORTED)</summary>');
    expect(md).toContain('- needs encoding(s) pytorch (2): `abi.b`, `abi.c`');
  });

  it('never drops a failing case: past the size limit it folds the UNSUPPORTED list, then expected-failure messages, then clauses, and says so', () => {
    const many = Array.from({ length: 400 }, (_, i) => caseResult(`abi.x${i}`, 'XFAIL', { message: `FAIL: ${'m'.repeat(300)}`, expected_failure: { reason: 'r', actual_status: 'FAIL' } }));
    const skipped = Array.from({ length: 400 }, (_, i) => caseResult(`abi.s${i}`, 'UNSUPPORTED', { message: `reason ${i}` }));
    const red = Array.from({ length: 50 }, (_, i) => caseResult(`abi.f${i}`, 'FAIL', { message: `broke ${i}` }));
    const r = report('wamr', [...many, ...skipped, ...red], 'wamr');
    const full = renderMarkdown([r]);
    const limit = Buffer.byteLength(full) - 1000;
    const folded = renderMarkdown([r], limit);
    expect(Buffer.byteLength(folded)).toBeLessThanOrEqual(limit);
    expect(folded).toMatch(/Folded to stay under GitHub's 1 MiB summary limit: the list of UNSUPPORTED cases/);
    for (const c of [...many, ...red]) expect(folded).toContain(`\`${c.id}\``);
    for (const c of red) expect(folded).toContain(`broke ${c.id.slice(5)} |`);
    const tiny = renderMarkdown([r], 10);
    expect(tiny).toContain('the list of UNSUPPORTED cases, the messages of expected failures, the clause column');
    for (const c of red) expect(tiny).toContain(`\`${c.id}\``);
  });

  it('several reports: cases that differ between runtimes that ran them, or that did not pass; cells escaped', () => {
    const { a, b, c } = sample();
    const lines = renderMarkdown([a, b, c]).split('\n');
    expect(lines).toContain('| case | clause | reference (witx) | wamr (wamr) | wasmtime (witx) |');
    expect(lines).toContain('| `abi.compute.bad_ctx` | spec of abi.compute.bad_ctx | ✅ PASS | ❌ FAIL: abi.compute.bad_ctx went FAIL | ✅ PASS |');
    const affine = lines.find((l) => l.startsWith('| `onnx.affine`')) as string;
    expect(affine).toMatch(/^\| `onnx\.affine` \| spec of onnx\.affine \| ✅ PASS \| ✅ PASS \| ⏱️ TIMEOUT: observed "&lt;b&gt;&amp;&lt;\/b&gt;" &lt;\/td&gt;&lt;script&gt;/);
    expect(affine.split(/(?<!\\)\|/).length).toBe(7);
    expect(lines).toContain('| `onnx.only_in_b` | spec of onnx.only_in_b | — | 💀 CRASH: onnx.only_in_b went CRASH | — |');
    // a case that passed where it ran and was UNSUPPORTED or absent elsewhere is no difference
    expect(lines.some((l) => l.startsWith('| `onnx.only_in_a`'))).toBe(false);
  });
});

describe('junit', () => {
  it('parses as XML with the right counts per suite', () => {
    const { c } = sample();
    const root = parseXml(renderJunit([c]));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '4', failures: '0', errors: '1', skipped: '2' });
    const suites = root.children.filter((n) => n.name === 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped])).toEqual([
      ['abi', '2', '0', '0', '1'],
      ['onnx', '2', '0', '1', '1'],
    ]);
    const onnx = suites[1] as XmlNode;
    const affine = onnx.children.find((n) => n.attrs.name === 'onnx.affine') as XmlNode;
    const error = affine.children[0] as XmlNode;
    expect(error.name).toBe('error');
    expect(error.attrs.type).toBe('TIMEOUT');
    expect(error.attrs.message).toBe(`TIMEOUT: ${evil.replace('\u0001', '\uFFFD')}`);
    expect(onnx.children.find((n) => n.name === 'properties')?.children.map((p) => p.attrs.name)).toContain('runtime_version');
  });

  it('several reports: a testsuite per report and suite; FAIL and XPASS are failures', () => {
    const { a, b } = sample();
    const xp = report('wamr', [caseResult('abi.x', 'XPASS', { expected_failure: { reason: 'r', actual_status: 'PASS' } })], 'wamr');
    const root = parseXml(renderJunit([a, b, xp]));
    expect(root.attrs).toMatchObject({ tests: '9', failures: '3', errors: '1', skipped: '0' });
    const names = root.children.map((s) => s.attrs.name);
    expect(names).toEqual(['reference (witx): abi', 'reference (witx): onnx', 'wamr (wamr) #2: abi', 'wamr (wamr) #2: onnx', 'wamr (wamr) #3: abi']);
    expect(xmlEscape('a<b&"c"\u0000')).toBe('a&lt;b&amp;&quot;c&quot;\uFFFD');
  });
});

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI !== 'true') {
  process.stderr.write(`reports/render: SKIPPING the headless Chromium test of the HTML matrix: ${CHROMIUM} is absent (apt-get install chromium; in CI it must be there)\n`);
}

async function dumpDom(page: string, query = ''): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'wasi-nn-chromium-'));
  try {
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `file://${page}${query}`],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The case rows of a dumped page: id → [runtime=STATUS...], and which are hidden by the filters. */
function rowsOf(dom: string): { cells: Record<string, string[]>; visible: string[] } {
  const matrix = dom.slice(dom.indexOf('<table id="matrix">'));
  const cells: Record<string, string[]> = {};
  const visible: string[] = [];
  for (const row of matrix.matchAll(/<tr class="case-row[^"]*" id="[^"]+" data-case="([^"]+)"([^>]*)>([\s\S]*?)<\/tr>/g)) {
    const id = row[1] as string;
    cells[id] = [...(row[3] as string).matchAll(/<td class="cell[^"]*" data-runtime="([^"]+)" data-status="([A-Z]*)"/g)].map((cell) => `${cell[1]}=${cell[2] || '-'}`);
    if (!/\shidden(="")?/.test(row[2] as string)) visible.push(id);
  }
  return { cells, visible };
}

describe.skipIf(!haveChromium && process.env.CI !== 'true')('html in headless Chromium', () => {
  const { a, b, c } = sample();
  const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-html-'));
  const page = join(dir, 'matrix.html');
  writeFileSync(page, renderHtml([a, b, c]));

  it('renders the runs, the suite × runtime summary, the matrix with each case on each runtime, and runs no injected script', async () => {
    const dom = await dumpDom(page);
    const title = /<title>([^<]*)<\/title>/.exec(dom)?.[1];
    expect(title).toBe('wasi-nn conformance: reference (witx) vs wamr (wamr) vs wasmtime (witx)');
    expect(dom).not.toContain('document.title="pwned"</script>');
    expect(dom).toContain('onnxruntime-node: 1.30.0');
    const summary = dom.slice(dom.indexOf('<table id="summary">'), dom.indexOf('</table>', dom.indexOf('<table id="summary">')));
    expect(summary).toContain('<tr><th>abi</th><td><span class="count st-PASS" title="PASS">PASS 2</span></td><td><span class="count st-FAIL" title="FAIL">FAIL 2</span></td><td><span class="count st-PASS" title="PASS">PASS 1</span> <span class="count st-XFAIL" title="XFAIL">XFAIL 1</span></td></tr>');
    const { cells, visible } = rowsOf(dom);
    expect(cells).toEqual({
      'abi.load_by_name.not_found.absolute_host_path': ['reference (witx)=PASS', 'wamr (wamr)=FAIL', 'wasmtime (witx)=XFAIL'],
      'abi.compute.bad_ctx': ['reference (witx)=PASS', 'wamr (wamr)=FAIL', 'wasmtime (witx)=PASS'],
      'onnx.affine': ['reference (witx)=PASS', 'wamr (wamr)=PASS', 'wasmtime (witx)=TIMEOUT'],
      'onnx.only_in_a': ['reference (witx)=PASS', 'wamr (wamr)=-', 'wasmtime (witx)=UNSUPPORTED'],
      'onnx.only_in_b': ['reference (witx)=-', 'wamr (wamr)=CRASH', 'wasmtime (witx)=-'],
    });
    expect(visible).toHaveLength(5);
    expect(dom).toContain('<span id="shown">5 of 5 cases shown</span>');
    // the failure reason is in the cell, the diff against the first column behind a click
    expect(dom).toContain('<div class="reason">abi.compute.bad_ctx went FAIL</div>');
    expect(dom).toContain('step 2 load_by_name: A not_found (6), B success (0)');
    // the expected failure shows what it really was, with its label
    expect(dom).toContain('<span class="st st-FAIL">FAIL</span><span class="label">XFAIL</span>');
    // findings link to their rows, which have stable anchors
    expect(dom).toMatch(/SECURITY on wamr \(wamr\): <a href="#case-abi\.load_by_name\.not_found\.absolute_host_path">/);
    expect(dom).toContain('id="case-abi.load_by_name.not_found.absolute_host_path"');
  }, 120_000);

  it.each([
    ['?failing=1', ['abi.load_by_name.not_found.absolute_host_path', 'abi.compute.bad_ctx', 'onnx.affine', 'onnx.only_in_b']],
    // only_in_a (PASS here, absent or UNSUPPORTED elsewhere) and only_in_b (run by one runtime) are no difference
    ['?differing=1', ['abi.load_by_name.not_found.absolute_host_path', 'abi.compute.bad_ctx', 'onnx.affine']],
    ['?suite=onnx', ['onnx.affine', 'onnx.only_in_a', 'onnx.only_in_b']],
    ['?status=CRASH', ['onnx.only_in_b']],
    ['?status=XFAIL', ['abi.load_by_name.not_found.absolute_host_path']],
    ['?finding=security', ['abi.load_by_name.not_found.absolute_host_path']],
    ['?finding=any', ['abi.load_by_name.not_found.absolute_host_path', 'onnx.only_in_b']],
    ['?q=pwned', ['onnx.affine']],
    ['?failing=1&suite=abi&differing=1', ['abi.load_by_name.not_found.absolute_host_path', 'abi.compute.bad_ctx']],
  ])('filter %s shows exactly the matching cases', async (query, expected) => {
    const dom = await dumpDom(page, query);
    const { visible } = rowsOf(dom);
    expect(visible).toEqual(expected);
    expect(dom).toContain(`<span id="shown">${expected.length} of 5 cases shown</span>`);
  }, 120_000);
});
