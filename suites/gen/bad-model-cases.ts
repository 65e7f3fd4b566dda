/**
 * Generates suites/bad_models/<format>.json from each fixtures/bad/<format>/index.json: every
 * corrupt file is loaded with its format's encoding, must fail (or, for files marked `any`, may
 * load), and the host must then load a good model of the same format.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseFile, Step } from '../../harness/case-types.js';
import type { Encoding, ErrnoName } from '../../reference-host/core/types.js';

interface BadIndexEntry {
  file: string;
  description: string;
  expect: 'error' | 'any';
  /** the expected error, when the index names it (TensorFlow's corpus does) */
  errno?: ErrnoName;
  /** the whole builder list (fixture paths), when the corrupt file is not builder 0 alone (a TensorFlow variables.index or data shard) */
  builders?: string[];
}

/**
 * How to load a good model of each format whose bad corpus exists. A corrupt file replaces
 * builder 0; formats with more builders get the rest of `good` as builders 1.. . `errno` names
 * the files whose expected error is not invalid_argument.
 */
export const FORMATS: Record<string, { encoding: Encoding; good: string[]; errno?: Record<string, ErrnoName> }> = {
  onnx: { encoding: 'onnx', good: ['onnx/affine_relu.onnx'] },
  pytorch: { encoding: 'pytorch', good: ['pytorch/affine_relu.pt'] },
  ggml: { encoding: 'ggml', good: ['ggml/tiny-llama.gguf'] },
  tflite: { encoding: 'tensorflowlite', good: ['tflite/affine_relu.tflite'] },
  openvino: { encoding: 'openvino', good: ['openvino/affine_relu.xml', 'openvino/affine_relu.bin'], errno: {
      'unknown-layer-type.xml': 'unsupported_operation',
      'round-unknown-mode.xml': 'unsupported_operation',
      'gelu-opset1.xml': 'unsupported_operation',
      'depth-to-space-rank-2.xml': 'unsupported_operation',
      'detection-output.xml': 'unsupported_operation',
    },
  },
  tensorflow: { encoding: 'tensorflow', good: ['tensorflow/frozen/affine_relu.pb'] },
};

const SPEC = 'reference host: a known encoding with bytes that are not a model of it → invalid_argument, never a crash; the host serves the next call';

export function badModelCaseFiles(fixturesDir: string): Record<string, CaseFile> {
  const files: Record<string, CaseFile> = {};
  const badDir = join(fixturesDir, 'bad');
  for (const format of existsSync(badDir) ? readdirSync(badDir).sort() : []) {
    const spec = FORMATS[format];
    if (!spec) throw new Error(`fixtures/bad/${format}: no entry in FORMATS of suites/gen/bad-model-cases.ts`);
    const index = JSON.parse(readFileSync(join(badDir, format, 'index.json'), 'utf8')) as BadIndexEntry[];
    const goodLoad: Step[] = [
      ...spec.good.map((f, i): Step => ({ buffer: `good${i}`, fixture: f })),
      { buffer: 'good_b', builders: spec.good.map((_, i) => `good${i}`) },
      { call: 'load', args: { builders: '@good_b', encoding: spec.encoding, target: 'cpu' }, result: 'good_g', expect: { errno: 'success', result: 'written' } },
    ];
    files[`${format}.json`] = {
      suite: 'bad_models',
      description: `corrupt ${format} models (fixtures/bad/${format}) loaded as ${spec.encoding}`,
      cases: index.map((entry) => ({
        id: `bad_models.${format}.${entry.file.replace(/\.bin$/, '').replace(/[^a-z0-9_]/g, '_')}`,
        title: `${format}: ${entry.description}${entry.expect === 'any' ? ' (may load)' : ''}, then a good model loads`,
        spec: SPEC,
        requires: { encodings: [spec.encoding] },
        steps: [
          ...(entry.builders
            ? [...entry.builders.map((f, i): Step => ({ buffer: i === 0 ? 'm' : `m${i}`, fixture: f })), { buffer: 'b', builders: entry.builders.map((_, i) => (i === 0 ? 'm' : `m${i}`)) } as Step]
            : [
                { buffer: 'm', fixture: `bad/${format}/${entry.file}` } as Step,
                ...spec.good.slice(1).map((f, i): Step => ({ buffer: `m${i + 1}`, fixture: f })),
                { buffer: 'b', builders: ['m', ...spec.good.slice(1).map((_, i) => `m${i + 1}`)] } as Step,
              ]),
          {
            call: 'load',
            args: { builders: '@b', encoding: spec.encoding, target: 'cpu' },
            result: 'g',
            expect:
              entry.expect === 'error'
                ? { errno: spec.errno?.[entry.file] ?? entry.errno ?? 'invalid_argument', result: 'unchanged' }
                : { errno: ['success', 'invalid_argument'] },
          },
          ...goodLoad,
        ],
      })),
    };
  }
  return files;
}
