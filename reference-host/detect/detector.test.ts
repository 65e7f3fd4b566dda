/**
 * The detector over every committed model fixture, the adversarial set (fixtures/detect), and
 * every corrupt-model corpus (fixtures/bad/*): what it answers for each is pinned here.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../harness/repo-paths.js';
import { detect, THRESHOLD } from './detector.js';
import { parseMessage, WireError } from './protobuf.js';

const read = (rel: string) => new Uint8Array(readFileSync(join(FIXTURES_DIR, rel)));
const listed = (dir: string, ext: string) => (existsSync(join(FIXTURES_DIR, dir)) ? readdirSync(join(FIXTURES_DIR, dir)).filter((f) => f.endsWith(ext)).sort() : []);

const MODELS: [string, string, string[], string][] = [
  ...listed('onnx', '.onnx').map((f): [string, string, string[], string] => ['onnx', f, [`onnx/${f}`], 'onnx']),
  ...listed('tflite', '.tflite').map((f): [string, string, string[], string] => ['tflite', f, [`tflite/${f}`], 'tensorflowlite']),
  ...listed('pytorch', '.pt').map((f): [string, string, string[], string] => ['pytorch', f, [`pytorch/${f}`], 'pytorch']),
  ...listed('ggml', '.gguf').map((f): [string, string, string[], string] => ['ggml', f, [`ggml/${f}`], 'ggml']),
  ...listed('openvino', '.xml').map((f): [string, string, string[], string] => ['openvino', f, [`openvino/${f}`, `openvino/${f.replace(/\.xml$/, '.bin')}`], 'openvino']),
];

describe('every model fixture is detected as its format', () => {
  it('has the ONNX fixtures at least', () => expect(MODELS.filter((m) => m[0] === 'onnx').length).toBeGreaterThanOrEqual(10));
  it.each(MODELS)('%s/%s', (_dir, _file, builders, encoding) => {
    const d = detect(builders.map(read));
    expect(d.encoding, d.reason).toBe(encoding);
    expect(d.confidence).toBeGreaterThanOrEqual(0.9);
    expect(d.evidence.length).toBeGreaterThan(0);
    // the other formats saw nothing convincing
    expect(d.candidates.filter((c) => c.confidence >= THRESHOLD).map((c) => c.encoding)).toEqual([encoding]);
  });
});

interface DetectEntry { name: string; builders: string[]; detect: string | null }
const adversarial = JSON.parse(readFileSync(join(FIXTURES_DIR, 'detect', 'index.json'), 'utf8')) as DetectEntry[];

describe('adversarial files (fixtures/detect)', () => {
  it.each(adversarial.map((e) => [e.name, e] as const))('%s', (_name, e) => {
    const d = detect(e.builders.map(read));
    expect(d.encoding ?? null, `${d.reason ?? ''} ${d.evidence.join('; ')}`).toBe(e.detect);
    if (d.encoding === undefined) {
      expect(d.confidence).toBe(0);
      expect(d.reason).toBeTruthy();
    }
  });

  it('says which TensorFlow message it saw', () => {
    expect(detect([read('detect/graphdef-frozen.pb')]).variant).toBe('frozen GraphDef');
    expect(detect([read('detect/saved_model.pb')]).variant).toBe('SavedModel');
  });

  it('ignores names: the same bytes give the same answer whatever the file is called', () => {
    expect(detect([read('detect/onnx-renamed.tflite')])).toEqual(detect([read('onnx/affine_relu.onnx')]));
  });

  it('refuses builders that disagree, naming both formats', () => {
    const d = detect([read('onnx/affine_relu.onnx'), read('detect/tflite-minimal.tflite')]);
    expect(d.reason).toMatch(/builders disagree: builder 0 is onnx .*builder 1 is tensorflowlite/);
  });

  it('detects the minimal TFLite FlatBuffer alone, and not once it is shifted', () => {
    expect(detect([read('detect/tflite-minimal.tflite')]).encoding).toBe('tensorflowlite');
    expect(detect([read('detect/tfl3-wrong-offset.bin')]).encoding).toBeUndefined();
  });

  it('refuses no builders at all', () => {
    expect(detect([]).reason).toBe('no builders');
  });
});

/**
 * Corrupt corpora: the files whose bytes are still recognisable as some format, per corpus
 * (every other file of the corpus gets no answer). Recognised files then meet their engine.
 */
const RECOGNISED: Record<string, Record<string, string>> = {
  onnx: { 'bitflip-3.bin': 'onnx', 'bitflip-4.bin': 'onnx', 'gguf-header.bin': 'ggml', 'openvino-xml.bin': 'openvino' },
};
/** other formats named by a corpus file itself: detection may name them, never a third format */
const NAMED_BY_FILE: [RegExp, string][] = [[/gguf/, 'ggml'], [/tflite/, 'tensorflowlite'], [/openvino|\.xml$/, 'openvino'], [/zip/, 'pytorch']];
const ENCODING_OF: Record<string, string> = { onnx: 'onnx', openvino: 'openvino', tflite: 'tensorflowlite', pytorch: 'pytorch', ggml: 'ggml', tensorflow: 'tensorflow' };

const corpora = readdirSync(join(FIXTURES_DIR, 'bad')).filter((d) => existsSync(join(FIXTURES_DIR, 'bad', d, 'index.json'))).sort();
describe.each(corpora)('corrupt corpus bad/%s', (format) => {
  const index = JSON.parse(readFileSync(join(FIXTURES_DIR, 'bad', format, 'index.json'), 'utf8')) as { file: string; expect: 'error' | 'any' }[];
  it.each(index.map((e) => [e.file, e] as const))('%s', (file) => {
    const d = detect([read(`bad/${format}/${file}`)]);
    const pinned = RECOGNISED[format];
    if (pinned) expect(d.encoding ?? null, d.reason).toBe(pinned[file] ?? null);
    else if (d.encoding !== undefined) {
      const allowed = [ENCODING_OF[format], ...NAMED_BY_FILE.filter(([re]) => re.test(file)).map(([, e]) => e)];
      expect(allowed, `${file} detected as ${d.encoding}`).toContain(d.encoding);
    }
    if (file === 'empty.bin') expect(d.reason).toBe('builder 0 is empty');
  });
  it('never answers for garbage, zeros or text', () => {
    for (const f of ['garbage-64b.bin', 'garbage-4kib.bin', 'zeros-4kib.bin', 'text.bin', 'empty.bin']) {
      if (index.some((e) => e.file === f)) expect(detect([read(`bad/${format}/${f}`)]).encoding, f).toBeUndefined();
    }
  });
});

describe('protobuf wire reader', () => {
  it('reads varint, length-delimited and fixed fields', () => {
    expect(parseMessage(Uint8Array.from([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 2, 3, 4]))).toMatchObject([
      { field: 1, wire: 0, value: 150n },
      { field: 2, wire: 2 },
      { field: 3, wire: 5 },
    ]);
  });
  it.each([
    ['a group (wire type 3)', [0x0b]],
    ['field number 0', [0x00, 0x01]],
    ['a length past the end', [0x12, 0x05, 0x01]],
    ['a varint of 11 bytes', [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['a truncated fixed64', [0x09, 1, 2, 3]],
  ])('refuses %s', (_what, bytes) => {
    expect(() => parseMessage(Uint8Array.from(bytes))).toThrow(WireError);
  });
});
