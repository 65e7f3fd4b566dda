/**
 * Generates suites/autodetect/autodetect.json from whatever is in fixtures/:
 *  - every model fixture (onnx/*.onnx, tflite/*.tflite, pytorch/*.pt, ggml/*.gguf, openvino/*.xml
 *    with its .bin) loads with encoding autodetect (5 in witx, 6 in wamr) and, when
 *    fixtures/goldens/<family>.json exists, computes its golden; a model without a tensor golden
 *    (the GGUF LLM) must load and make a context;
 *  - every adversarial file of fixtures/detect/index.json gives what that index says: success
 *    (and the golden), invalid_encoding (nothing detected, ambiguous, builders that disagree, or
 *    a detected format whose engine is not built in), or the detected engine's own error;
 *  - every corrupt file of fixtures/bad/<format>/ gives invalid_encoding (not recognised) or the
 *    engine's error (recognisable but broken: the detector's exact answer per file is pinned by
 *    reference-host/detect/detector.test.ts), and the host then loads a good model.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Case as CaseSpec, CaseFile, Step } from '../../harness/case-types.js';
import type { Encoding, ErrnoName } from '../../reference-host/core/types.js';
import { TF_REFUSES, goldenRunSteps } from './cross-encoding-cases.js';

/**
 * Model fixtures: folder, extension of builder 0 (`/saved_model.pb` when each family is a folder),
 * further builders (by extension, or a function of the family), the encoding detection must find,
 * and the families that engine refuses at load (detected right, then pinned to unsupported_operation).
 */
export const MODEL_FORMATS: readonly {
  dir: string;
  ext: string;
  more?: string[];
  files?: (family: string) => string[];
  refuses?: Readonly<Record<string, string>>;
  encoding: Exclude<Encoding, 'autodetect'>;
}[] = [
  { dir: 'onnx', ext: '.onnx', encoding: 'onnx' },
  { dir: 'tflite', ext: '.tflite', encoding: 'tensorflowlite' },
  { dir: 'pytorch', ext: '.pt', encoding: 'pytorch' },
  { dir: 'ggml', ext: '.gguf', encoding: 'ggml' },
  { dir: 'openvino', ext: '.xml', more: ['.bin'], encoding: 'openvino' },
  { dir: 'tensorflow/frozen', ext: '.pb', encoding: 'tensorflow', refuses: TF_REFUSES },
  { dir: 'tensorflow/tf1', ext: '/saved_model.pb', encoding: 'tensorflow', refuses: TF_REFUSES },
  {
    dir: 'tensorflow/tf2',
    ext: '/saved_model.pb',
    encoding: 'tensorflow',
    files: (family) => ['saved_model.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001'].map((f) => `tensorflow/tf2/${family}/${f}`),
    refuses: TF_REFUSES,
  },
];

/** Builders a bad file of each corpus goes with (bad-model-cases.ts's convention: the file replaces builder 0). */
const BAD_CORPUS_MORE: Record<string, string[]> = { openvino: ['openvino/affine_relu.bin'] };
/** Errors the engine of each corpus gives a recognisable but broken model. */
const ENGINE_ERRORS: Record<string, ErrnoName[]> = { openvino: ['invalid_argument', 'unsupported_operation'], tensorflow: ['invalid_argument', 'unsupported_operation'] };

interface DetectIndexEntry {
  name: string;
  description: string;
  builders: string[];
  detect: Encoding | null;
  load: 'success' | 'invalid_encoding' | 'invalid_argument';
  golden?: string;
}

const SPEC_MODEL = 'wasi-nn witx: encoding autodetect (5; 6 in WAMR\'s numbering): the host recognises the model from its bytes (reference host: reference-host/detect, evidence table in reference-host/README.md) and runs it';
const SPEC_REFUSE = 'reference host: autodetect answers only with evidence for exactly one format; unknown, ambiguous or disagreeing builders → invalid_encoding, never a guess (WAMR PR #4702 tried backends in order instead)';
const SPEC_BAD = 'reference host: a corrupt model under autodetect → invalid_encoding when no format is recognised, the detected engine\'s error when the bytes are a recognisable but broken model; the host serves the next call';

const slug = (s: string) => s.replace(/\.[a-z]+$/, '').toLowerCase().replace(/[^a-z0-9_]/g, '_');

/** Steps: load `files` with autodetect expecting `errno`, then (after a failure) a good model loads. */
function loadSteps(files: readonly string[], errno: ErrnoName | ErrnoName[], thenGood: boolean): Step[] {
  const steps: Step[] = [
    ...files.map((f, i): Step => ({ buffer: `m${i}`, fixture: f })),
    { buffer: 'b', builders: files.map((_, i) => `m${i}`) },
    {
      call: 'load',
      args: { builders: '@b', encoding: 'autodetect', target: 'cpu' },
      result: 'g',
      // a list that allows success (a corrupt file that may still load) cannot say what the result holds
      expect: errno === 'success' ? { errno: 'success', result: 'written' } : Array.isArray(errno) && errno.includes('success') ? { errno } : { errno, result: 'unchanged' },
    },
  ];
  if (thenGood) {
    steps.push(
      { buffer: 'good', fixture: 'onnx/affine_relu.onnx' },
      { buffer: 'good_b', builders: ['good'] },
      { call: 'load', args: { builders: '@good_b', encoding: 'autodetect', target: 'cpu' }, result: 'good_g', expect: { errno: 'success', result: 'written' } },
    );
  }
  return steps;
}

function modelCases(fixturesDir: string): CaseSpec[] {
  const cases: CaseSpec[] = [];
  for (const format of MODEL_FORMATS) {
    const dir = join(fixturesDir, format.dir);
    if (!existsSync(dir)) continue;
    const families = format.ext.startsWith('/')
      ? readdirSync(dir).filter((f) => existsSync(join(dir, f + format.ext)))
      : readdirSync(dir).filter((f) => f.endsWith(format.ext)).map((f) => f.slice(0, -format.ext.length));
    for (const family of families.sort()) {
      const files = format.files?.(family) ?? [`${format.dir}/${family}${format.ext}`, ...(format.more ?? []).map((e) => `${format.dir}/${family}${e}`)];
      if (!files.every((f) => existsSync(join(fixturesDir, f)))) continue;
      const id = `autodetect.model.${format.dir.replace(/\//g, '_')}.${slug(family)}`;
      const golden = existsSync(join(fixturesDir, 'goldens', `${family}.json`)) && format.encoding !== 'ggml';
      const base = { spec: SPEC_MODEL, requires: { encodings: ['autodetect', format.encoding] as Encoding[] } };
      const refused = format.refuses?.[family];
      if (refused) {
        cases.push({
          id,
          title: `${files.join(' + ')} is detected as ${format.encoding} under autodetect, and that engine refuses it (${refused}) → unsupported_operation, then a good model loads`,
          spec: SPEC_MODEL,
          requires: { encodings: ['autodetect', format.encoding, 'onnx'] },
          steps: loadSteps(files, 'unsupported_operation', true),
        });
      } else if (golden) {
        const first = (JSON.parse(readFileSync(join(fixturesDir, 'goldens', `${family}.json`), 'utf8')) as { cases: { name: string }[] }).cases[0];
        if (!first) continue;
        cases.push({
          id,
          title: `${files.join(' + ')} loads with autodetect (detected as ${format.encoding}) and computes the ${family} golden (case ${first.name})`,
          ...base,
          steps: goldenRunSteps(fixturesDir, files, 'autodetect', family, first.name),
        });
      } else {
        cases.push({
          id,
          title: `${files.join(' + ')} loads with autodetect (detected as ${format.encoding}) and makes a context`,
          ...base,
          steps: [
            ...loadSteps(files, 'success', false),
            { call: 'init_execution_context', args: { graph: '$g' }, result: 'c', expect: { errno: 'success', result: 'written' } },
          ],
        });
      }
    }
  }
  return cases;
}

function detectCases(fixturesDir: string): CaseSpec[] {
  const indexPath = join(fixturesDir, 'detect', 'index.json');
  if (!existsSync(indexPath)) return [];
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as DetectIndexEntry[];
  return index.map((e): CaseSpec => {
    const id = `autodetect.detect.${e.name}`;
    const what = e.detect ? `detected as ${e.detect}` : 'not detected';
    if (e.load === 'success') {
      if (!e.golden || !e.detect) throw new Error(`fixtures/detect/index.json ${e.name}: success needs a golden and a detected encoding`);
      const first = (JSON.parse(readFileSync(join(fixturesDir, 'goldens', `${e.golden}.json`), 'utf8')) as { cases: { name: string }[] }).cases[0]!.name;
      return { id, title: `${e.description}: ${what}, computes the ${e.golden} golden`, spec: SPEC_MODEL, requires: { encodings: ['autodetect', e.detect] }, steps: goldenRunSteps(fixturesDir, e.builders, 'autodetect', e.golden, first) };
    }
    const engine = e.load === 'invalid_argument' && e.detect ? [e.detect] : [];
    return {
      id,
      title: `${e.description}: ${what} → ${e.load}, then a good model loads`,
      spec: e.load === 'invalid_encoding' && !e.detect ? SPEC_REFUSE : SPEC_BAD,
      requires: { encodings: ['autodetect', 'onnx', ...engine] },
      steps: loadSteps(e.builders, e.load, true),
    };
  });
}

function badCorpusCases(fixturesDir: string): CaseSpec[] {
  const badDir = join(fixturesDir, 'bad');
  const cases: CaseSpec[] = [];
  for (const format of existsSync(badDir) ? readdirSync(badDir).sort() : []) {
    const indexPath = join(badDir, format, 'index.json');
    if (!existsSync(indexPath)) continue;
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { file: string; description: string; expect: 'error' | 'any' }[];
    const more = BAD_CORPUS_MORE[format] ?? [];
    for (const entry of index) {
      const errno: ErrnoName[] = ['invalid_encoding', ...(ENGINE_ERRORS[format] ?? ['invalid_argument']), ...(entry.expect === 'any' ? (['success'] as const) : [])];
      cases.push({
        id: `autodetect.bad.${format}.${slug(entry.file)}`,
        title: `bad ${format}: ${entry.description}, loaded with autodetect${more.length ? ` (with ${more.join(', ')})` : ''}`,
        spec: SPEC_BAD,
        requires: { encodings: ['autodetect', 'onnx'] },
        steps: loadSteps([`bad/${format}/${entry.file}`, ...more], errno, true),
      });
    }
  }
  return cases;
}

export function autodetectCaseFiles(fixturesDir: string): Record<string, CaseFile> {
  return {
    'autodetect.json': {
      suite: 'autodetect',
      description: 'encoding autodetect: every model fixture is recognised and runs; adversarial and corrupt files are refused or get their engine\'s error (generated by suites/gen/autodetect-cases.ts)',
      cases: [...modelCases(fixturesDir), ...detectCases(fixturesDir), ...badCorpusCases(fixturesDir)],
    },
  };
}
