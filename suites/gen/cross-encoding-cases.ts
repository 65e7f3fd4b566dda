/**
 * Generates suites/cross_encoding/cross_encoding.json: every model family × every format whose
 * fixture exists runs the family's golden (from the TypeScript evaluator) through that format's
 * engine, plus cases where graphs of two encodings live in one guest at once.
 *
 * Per-dtype tolerances (the same for every format, so formats are judged alike):
 *   integers (u8, i32, i64): exact;
 *   f32: |obs − exp| ≤ 1e-5 + 1e-4·|exp| (the harness default: engines accumulate Conv/MatMul
 *        sums in f32 and use their own exp(), a few ULPs from the evaluator's f64-then-round);
 *   f64: 1e-12 + 1e-10·|exp|; f16: 1 ULP (the harness defaults).
 * A new engine adds a row to FORMATS and its fixtures; a family without a fixture file in that
 * format gets no case, so nothing else changes.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseFile, Step } from '../../harness/case-types.js';
import type { Encoding, ErrnoName } from '../../reference-host/core/types.js';

export interface FormatSpec {
  /** folder under fixtures/ */
  dir: string;
  /** file extension of the single-builder model file (builder 0) */
  ext: string;
  encoding: Encoding;
  /** extensions of further builder files of the same family, in builder order (OpenVINO's weights) */
  more?: string[];
  /** the builder files of a family, when they are not `<dir>/<family><ext>` + `more` (TensorFlow's SavedModel folders) */
  files?: (family: string) => string[];
  /** families the reference host's engine refuses at load with unsupported_operation, with the reason: their cases accept the golden or that refusal */
  refuses?: Readonly<Record<string, string>>;
}

/**
 * TensorFlow families tfjs cannot compute exactly (float32, int32 and bool only): the reference
 * host refuses them (unsupported_operation at load), a runtime with TensorFlow itself computes the
 * golden; their cases accept either.
 */
export const TF_REFUSES: Readonly<Record<string, string>> = {
  scale_f16: 'computes in DT_DOUBLE (Cast to f64)',
  scale_f32: 'computes in DT_DOUBLE (Cast to f64)',
  scale_f64: 'takes and computes DT_DOUBLE',
  scale_u8: 'computes in DT_DOUBLE (Cast to f64)',
  scale_i32: 'computes in DT_DOUBLE (Cast to f64)',
  scale_i64: 'takes and computes DT_INT64',
  int_muladd_i64: 'takes and computes DT_INT64',
};

/** The formats every family is tried in, where fixtures/<dir>/<family><ext> exists. */
export const FORMATS: Record<string, FormatSpec> = {
  onnx: { dir: 'onnx', ext: '.onnx', encoding: 'onnx' },
  tflite: { dir: 'tflite', ext: '.tflite', encoding: 'tensorflowlite' },
  openvino: { dir: 'openvino', ext: '.xml', encoding: 'openvino', more: ['.bin'] },
  pytorch: { dir: 'pytorch', ext: '.pt', encoding: 'pytorch' },
  // TensorFlow: a frozen GraphDef (1 builder), a TF1 SavedModel (1 builder), a TF2 SavedModel with variables (3 builders)
  tensorflow_frozen: { dir: 'tensorflow/frozen', ext: '.pb', encoding: 'tensorflow', refuses: TF_REFUSES },
  tensorflow_tf1: { dir: 'tensorflow/tf1', ext: '/saved_model.pb', encoding: 'tensorflow', refuses: TF_REFUSES },
  tensorflow_tf2: {
    dir: 'tensorflow/tf2',
    ext: '/saved_model.pb',
    encoding: 'tensorflow',
    files: (family) => ['saved_model.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001'].map((f) => `tensorflow/tf2/${family}/${f}`),
    refuses: TF_REFUSES,
  },
};

const ELEMENT_BYTES: Record<string, number> = { f16: 2, f32: 4, f64: 8, u8: 1, i32: 4, i64: 8 };

interface GoldenJson {
  model: string;
  cases: { name: string; inputs: { name: string; type: string; dims: number[] }[]; outputs: { name: string; type: string; dims: number[] }[] }[];
}

export function readGolden(fixturesDir: string, family: string): GoldenJson {
  return JSON.parse(readFileSync(join(fixturesDir, 'goldens', `${family}.json`), 'utf8')) as GoldenJson;
}

function outputBytes(t: { type: string; dims: number[] }): number {
  return t.dims.reduce((a, b) => a * b, 1) * (ELEMENT_BYTES[t.type] ?? 1);
}

/**
 * Steps that load `fixture` as `encoding` (buffers and results named with `p`), make a context,
 * set every golden input of `goldenCase`, compute, and check every output against the golden.
 */
/** `loadRefusal`: an errno load may answer instead, ending the case as a pass (an engine limit, TF_REFUSES) */
export function goldenRunSteps(fixturesDir: string, fixture: string | readonly string[], encoding: Encoding, family: string, goldenCase: string, p = '', loadRefusal?: ErrnoName): Step[] {
  const files = typeof fixture === 'string' ? [fixture] : fixture;
  const golden = readGolden(fixturesDir, family);
  const c = golden.cases.find((x) => x.name === goldenCase);
  if (!c) throw new Error(`golden ${family} has no case ${goldenCase}`);
  const g = { model: family, case: goldenCase };
  return [
    ...files.map((f, i): Step => ({ buffer: `${p}m${i === 0 ? '' : i}`, fixture: f })),
    { buffer: `${p}b`, builders: files.map((_, i) => `${p}m${i === 0 ? '' : i}`) },
    { call: 'load', args: { builders: `@${p}b`, encoding, target: 'cpu' }, result: `${p}g`, expect: { errno: 'success', result: 'written', ...(loadRefusal ? { refusal: loadRefusal } : {}) } },
    { call: 'init_execution_context', args: { graph: `$${p}g` }, result: `${p}c`, expect: { errno: 'success', result: 'written' } },
    ...c.inputs.flatMap((_, i): Step[] => [
      { buffer: `${p}t${i}`, tensor: { golden: { ...g, input: i } } },
      { call: 'set_input', args: { ctx: `$${p}c`, index: i, tensor: `@${p}t${i}` } },
    ]),
    { call: 'compute', args: { ctx: `$${p}c` } },
    ...c.outputs.map(
      (o, i): Step => ({
        call: 'get_output',
        args: { ctx: `$${p}c`, index: i },
        output: { buffer: `${p}o${i}`, size: outputBytes(o) },
        result: `${p}w${i}`,
        expect: { errno: 'success', result: outputBytes(o), output: { tensor: { golden: { ...g, output: i } } } },
      }),
    ),
  ];
}

const SPEC = 'wasi-nn witx: load → init_execution_context → set_input → compute → get_output; the same math gives the same result in every encoding';

export function crossEncodingCaseFiles(fixturesDir: string): Record<string, CaseFile> {
  const families = readdirSync(join(fixturesDir, 'goldens'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const cases: CaseFile['cases'] = [];
  for (const family of families) {
    const golden = readGolden(fixturesDir, family);
    for (const [format, spec] of Object.entries(FORMATS)) {
      const fixture = `${spec.dir}/${family}${spec.ext}`;
      if (!existsSync(join(fixturesDir, fixture))) continue;
      const files = spec.files ? spec.files(family) : [fixture, ...(spec.more ?? []).map((ext) => `${spec.dir}/${family}${ext}`)];
      const refused = spec.refuses?.[family];
      for (const c of golden.cases) {
        cases.push({
          id: `cross_encoding.${family}.${c.name}.${format}`,
          title:
            refused === undefined
              ? `${family} (${c.name}) through ${format} matches the evaluator's golden`
              : `${family} (${c.name}) through ${format} matches the evaluator's golden, or is refused at load (tfjs, the reference host's engine, cannot compute it exactly: it ${refused})`,
          spec: refused === undefined ? SPEC : `${SPEC}; reference host: a model its engine cannot compute exactly (tfjs has float32, int32 and bool only) → unsupported_operation at load, naming the node and dtype, never a rounded answer; the case accepts the golden or that refusal`,
          requires: { encodings: [spec.encoding] },
          steps: goldenRunSteps(fixturesDir, files, spec.encoding, family, c.name, '', refused === undefined ? undefined : 'unsupported_operation'),
        });
      }
    }
  }
  // two encodings in one guest: an ONNX graph and a TFLite graph loaded side by side, contexts interleaved
  const both = (family: string) => [FORMATS['onnx']!, FORMATS['tflite']!].every((s) => existsSync(join(fixturesDir, `${s.dir}/${family}${s.ext}`)));
  if (both('affine_relu') && both('conv_net')) {
    const onnx = FORMATS['onnx']!;
    const tfl = FORMATS['tflite']!;
    const ar = (p: string, enc: Encoding, file: string, caseName: string) => goldenRunSteps(fixturesDir, file, enc, 'affine_relu', caseName, p);
    const aff = (spec: FormatSpec) => `${spec.dir}/affine_relu${spec.ext}`;
    cases.push({
      id: 'cross_encoding.mixed.onnx_and_tflite_in_one_guest',
      title: 'an ONNX graph and a TFLite graph of affine_relu in one guest: distinct handles, each matches the golden',
      spec: 'wasi-nn witx: graphs are independent of one another, whatever their encoding',
      requires: { encodings: ['onnx', 'tensorflowlite'] },
      steps: [
        ...ar('x_', 'onnx', aff(onnx), 'default'),
        ...ar('y_', 'tensorflowlite', aff(tfl), 'second'),
        // the first graph still serves after the second was loaded and used
        { call: 'compute', args: { ctx: '$x_c' } },
        { call: 'get_output', args: { ctx: '$x_c', index: 0 }, output: { buffer: 'again', size: 12 }, result: 'w_again', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', case: 'default', output: 0 } } } } },
      ],
    });
    const tf2 = FORMATS['tensorflow_tf2']!;
    const tf2Files = tf2.files!('conv_net');
    if (tf2Files.every((f) => existsSync(join(fixturesDir, f)))) {
      cases.push({
        id: 'cross_encoding.mixed.onnx_and_tensorflow_in_one_guest',
        title: 'an ONNX affine_relu graph and a TF2 SavedModel conv_net graph (three builders) in one guest: each matches its golden, and the ONNX one still serves afterwards',
        spec: 'wasi-nn witx: graphs are independent of one another, whatever their encoding or builder count',
        requires: { encodings: ['onnx', 'tensorflow'] },
        steps: [
          ...ar('x_', 'onnx', aff(onnx), 'default'),
          ...goldenRunSteps(fixturesDir, tf2Files, 'tensorflow', 'conv_net', 'second', 'y_'),
          { call: 'compute', args: { ctx: '$x_c' } },
          { call: 'get_output', args: { ctx: '$x_c', index: 0 }, output: { buffer: 'again', size: 12 }, result: 'w_again', expect: { errno: 'success', output: { tensor: { golden: { model: 'affine_relu', case: 'default', output: 0 } } } } },
        ],
      });
    }
    cases.push({
      id: 'cross_encoding.mixed.contexts_stay_independent',
      title: 'two contexts of a TFLite graph and one of an ONNX graph, inputs set and computed interleaved, each keeps its own result',
      spec: 'wasi-nn witx: an execution context holds its own inputs and outputs, whatever other graphs the guest holds',
      requires: { encodings: ['onnx', 'tensorflowlite'] },
      steps: [
        { buffer: 'om', fixture: `${onnx.dir}/conv_net${onnx.ext}` },
        { buffer: 'ob', builders: ['om'] },
        { call: 'load', args: { builders: '@ob', encoding: 'onnx', target: 'cpu' }, result: 'og', expect: { errno: 'success', result: 'written' } },
        { buffer: 'tm', fixture: `${tfl.dir}/conv_net${tfl.ext}` },
        { buffer: 'tb', builders: ['tm'] },
        { call: 'load', args: { builders: '@tb', encoding: 'tensorflowlite', target: 'cpu' }, result: 'tg', expect: { errno: 'success', different_from: 'og' } },
        { call: 'init_execution_context', args: { graph: '$tg' }, result: 'c1', expect: { errno: 'success', result: 'written' } },
        { call: 'init_execution_context', args: { graph: '$og' }, result: 'c2', expect: { errno: 'success', different_from: 'c1' } },
        { call: 'init_execution_context', args: { graph: '$tg' }, result: 'c3', expect: { errno: 'success', different_from: 'c2' } },
        { buffer: 'xd', tensor: { golden: { model: 'conv_net', case: 'default', input: 0 } } },
        { buffer: 'xs', tensor: { golden: { model: 'conv_net', case: 'second', input: 0 } } },
        { call: 'set_input', args: { ctx: '$c1', index: 0, tensor: '@xd' } },
        { call: 'set_input', args: { ctx: '$c2', index: 0, tensor: '@xs' } },
        { call: 'set_input', args: { ctx: '$c3', index: 0, tensor: '@xs' } },
        { call: 'compute', args: { ctx: '$c3' } },
        { call: 'compute', args: { ctx: '$c2' } },
        { call: 'compute', args: { ctx: '$c1' } },
        ...(['c1', 'c2', 'c3'] as const).map(
          (ctx): Step => ({
            call: 'get_output',
            args: { ctx: `$${ctx}`, index: 0 },
            output: { buffer: `o_${ctx}`, size: 20 },
            result: `w_${ctx}`,
            expect: { errno: 'success', output: { tensor: { golden: { model: 'conv_net', case: ctx === 'c1' ? 'default' : 'second', output: 0 } } } },
          }),
        ),
      ],
    });
  }
  return {
    'cross_encoding.json': {
      suite: 'cross_encoding',
      description: "every model family through every encoding that has its fixture, against the evaluator's goldens; graphs of two encodings in one guest",
      cases,
    },
  };
}
