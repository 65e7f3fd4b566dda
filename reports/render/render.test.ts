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
  it('one report: counts row and a row per case that did not pass', () => {
    const { b } = sample();
    const md = renderMarkdown([b]);
    const lines = md.split('\n');
    expect(lines).toContain('| wamr (wamr) | 1.2.3 | 4 | 1 | 2 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | yes |');
    expect(lines).toContain('| ❌ FAIL | `abi.load_by_name.not_found.absolute_host_path` | abi.load_by_name.not_found.absolute_host_path went FAIL |');
    expect(lines).toContain('| 💀 CRASH | `onnx.only_in_b` | onnx.only_in_b went CRASH |');
    expect(lines.filter((l) => l.startsWith('| ✅'))).toEqual([]);
    expect(md).toContain('- **SECURITY** on wamr (wamr): `abi.load_by_name.not_found.absolute_host_path`');
  });

  it('several reports: a matrix of the cases that differ, cells escaped', () => {
    const { a, b, c } = sample();
    const lines = renderMarkdown([a, b, c]).split('\n');
    expect(lines).toContain('| case | reference (witx) | wamr (wamr) | wasmtime (witx) |');
    expect(lines).toContain('| `abi.compute.bad_ctx` | ✅ PASS | ❌ FAIL: abi.compute.bad_ctx went FAIL | ✅ PASS |');
    const affine = lines.find((l) => l.startsWith('| `onnx.affine`')) as string;
    expect(affine).toMatch(/^\| `onnx\.affine` \| ✅ PASS \| ✅ PASS \| ⏱️ TIMEOUT: observed "&lt;b&gt;&amp;&lt;\/b&gt;" &lt;\/td&gt;&lt;script&gt;/);
    expect(affine.split(/(?<!\\)\|/).length).toBe(6);
    expect(lines).toContain('| `onnx.only_in_b` | — | 💀 CRASH: onnx.only_in_b went CRASH | — |');
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

describe.skipIf(!haveChromium && process.env.CI !== 'true')('html in headless Chromium', () => {
  it('renders the matrix with the status of each case on each runtime, and runs no injected script', async () => {
    const { a, b, c } = sample();
    const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-html-'));
    const page = join(dir, 'matrix.html');
    writeFileSync(page, renderHtml([a, b, c]));
    const profile = join(dir, 'profile');
    const { stdout } = await promisify(execFile)(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', `file://${page}`],
      { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(stdout).toContain('<table id="matrix">');
    const title = /<title>([^<]*)<\/title>/.exec(stdout)?.[1];
    expect(title).toBe('wasi-nn conformance: reference (witx) vs wamr (wamr) vs wasmtime (witx)');
    expect(stdout).not.toContain('<script>');
    const matrix = stdout.slice(stdout.indexOf('<table id="matrix">'));
    const rows = new Map<string, string[]>();
    for (const row of matrix.matchAll(/<tr class="(?:differs|same)" data-case="([^"]+)">([\s\S]*?)<\/tr>/g)) {
      rows.set(row[1] as string, [...(row[2] as string).matchAll(/<td class="cell[^"]*" data-runtime="([^"]+)" data-status="([A-Z]*)">/g)].map((cell) => `${cell[1]}=${cell[2] || '-'}`));
    }
    expect(Object.fromEntries(rows)).toEqual({
      'abi.load_by_name.not_found.absolute_host_path': ['reference (witx)=PASS', 'wamr (wamr)=FAIL', 'wasmtime (witx)=XFAIL'],
      'abi.compute.bad_ctx': ['reference (witx)=PASS', 'wamr (wamr)=FAIL', 'wasmtime (witx)=PASS'],
      'onnx.affine': ['reference (witx)=PASS', 'wamr (wamr)=PASS', 'wasmtime (witx)=TIMEOUT'],
      'onnx.only_in_a': ['reference (witx)=PASS', 'wamr (wamr)=-', 'wasmtime (witx)=UNSUPPORTED'],
      'onnx.only_in_b': ['reference (witx)=-', 'wamr (wamr)=CRASH', 'wasmtime (witx)=-'],
    });
    // the diff detail of a cell against the first column
    expect(matrix).toContain('step 2 load_by_name: not_found (6) → success (0)');
    expect(matrix).toContain('step 3 compute: invalid_argument (1) → runtime_error (5)');
    expect(stdout).toContain('SECURITY on wamr (wamr)');
  }, 120_000);
});
