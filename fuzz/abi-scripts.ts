/**
 * Random step scripts for the driver guest (guests/README.md): after a set-up that loads every
 * fixture model and a mangled copy of one into guest memory, builds builder arrays and tensor
 * records, each script makes `calls` wasi-nn calls with arguments drawn from valid values
 * (buffer addresses and sizes, handles returned earlier, known enum numbers) and adversarial ones
 * (0, the end of memory, u32 max, values that wrap, unknown enums, stale and foreign handles).
 * The driver makes exactly the calls it is told; the host must answer each with an errno.
 */
import type { Rng } from './rng.js';

/** The model fixtures a script loads, by encoding (paths under the guest's /fixtures). */
export const MODEL_FIXTURES: readonly { encoding: string; files: string[] }[] = [
  { encoding: 'onnx', files: ['onnx/affine_relu.onnx'] },
  { encoding: 'openvino', files: ['openvino/affine_relu.xml', 'openvino/affine_relu.bin'] },
  { encoding: 'tensorflowlite', files: ['tflite/affine_relu.tflite'] },
  { encoding: 'pytorch', files: ['pytorch/affine_relu.pt'] },
  { encoding: 'ggml', files: ['ggml/tiny-llama.gguf'] },
  { encoding: 'tensorflow', files: ['tensorflow/frozen/affine_relu.pb'] },
];

/** The wasmedge driver build imports the most functions (12); its numbering: encodings 0–6, targets 0–3, tensor types 0–5. */
export const FUZZ_DIALECT = 'wasmedge';
const FUNCTIONS: readonly { fn: string; arity: number }[] = [
  { fn: 'load', arity: 5 },
  { fn: 'load_by_name', arity: 3 },
  { fn: 'load_by_name_with_config', arity: 5 },
  { fn: 'init_execution_context', arity: 2 },
  { fn: 'set_input', arity: 3 },
  { fn: 'compute', arity: 1 },
  { fn: 'get_output', arity: 5 },
  { fn: 'compute_single', arity: 1 },
  { fn: 'get_output_single', arity: 5 },
  { fn: 'fini_single', arity: 1 },
  { fn: 'unload', arity: 1 },
  { fn: 'finalize_execution_context', arity: 1 },
];

const ADVERSARIAL = ['0', '1', '4294967295', '2147483647', '%mem', '%mem-1', '%mem-4', '%mem-8', '%mem+1', '4294967292', '65536'];

export interface AbiScript {
  text: string;
  /** calls the script makes */
  calls: number;
}

/**
 * One script. `mangled` is a guest path of a mangled model to load too (or undefined);
 * `modelFixtures` the encodings whose fixtures exist.
 */
export function abiScript(rng: Rng, calls: number, mangled?: { path: string; encoding: number }): AbiScript {
  const lines: string[] = [];
  const buffers: string[] = [];
  // models, each in its own builder array
  MODEL_FIXTURES.forEach((m, i) => {
    m.files.forEach((f, j) => {
      lines.push(`file m${i}_${j} /fixtures/${f}`);
    });
    lines.push(`alloc b${i} ${m.files.length * 8} 0`);
    m.files.forEach((_, j) => lines.push(`u32 b${i} ${j * 8} @m${i}_${j}`, `u32 b${i} ${j * 8 + 4} %m${i}_${j}`));
    buffers.push(`b${i}`);
  });
  if (mangled) {
    lines.push(`file x /case/${mangled.path}`, 'alloc bx 8 0', 'u32 bx 0 @x', 'u32 bx 4 %x');
    buffers.push('bx');
  }
  // tensor records: a plausible f32 [1,4] and a hostile one
  lines.push('alloc t_dims 8 0', 'u32 t_dims 0 1', 'u32 t_dims 4 4', 'alloc t_data 16 0', 'alloc t 20 0', 'u32 t 0 @t_dims', 'u32 t 4 2', 'u32 t 8 1', 'u32 t 12 @t_data', 'u32 t 16 16');
  lines.push('alloc h 20 255', `u32 h 4 ${rng.pick(['250000000', '65', '4294967295', '0'])}`, `u32 h 16 ${rng.pick(['4294967295', '0', '%mem'])}`);
  lines.push('alloc name 6 0', 'hex name 0 616666696e65', 'alloc cfg 7 0', 'hex cfg 0 7b2261223a317d', 'alloc out 64 170', 'alloc r 4 170', 'alloc r2 4 170');
  buffers.push('t', 'h', 'name', 'cfg', 'out', 'r', 'r2', 't_data');
  const handle = () => (rng.chance(0.6) ? rng.pick(['$r', '$r2']) : rng.pick(['0', '1', '2', '3', '4294967295', String(rng.int(64))]));
  const ptr = () => (rng.chance(0.7) ? `@${rng.pick(buffers)}` : rng.pick(ADVERSARIAL));
  const len = () => (rng.chance(0.6) ? `%${rng.pick(buffers)}` : rng.pick(ADVERSARIAL));
  const small = (n: number) => (rng.chance(0.8) ? String(rng.int(n)) : rng.pick(['4294967295', '255', '256', '2147483648']));
  for (let i = 0; i < calls; i++) {
    const { fn } = rng.pick(FUNCTIONS);
    const out = rng.chance(0.8) ? rng.pick(['@r', '@r2']) : ptr();
    let args: string[];
    switch (fn) {
      case 'load':
        args = [rng.chance(0.8) ? `@${rng.pick(buffers.filter((b) => b.startsWith('b')))}` : ptr(), rng.chance(0.8) ? rng.pick(['1', '2']) : len(), small(8), small(4), out];
        break;
      case 'load_by_name':
        args = [rng.chance(0.8) ? '@name' : ptr(), rng.chance(0.8) ? '%name' : len(), out];
        break;
      case 'load_by_name_with_config':
        args = [rng.chance(0.8) ? '@name' : ptr(), rng.chance(0.8) ? '%name' : len(), rng.chance(0.8) ? '@cfg' : ptr(), rng.chance(0.8) ? '%cfg' : len(), out];
        break;
      case 'init_execution_context':
        args = [handle(), out];
        break;
      case 'set_input':
        args = [handle(), small(4), rng.chance(0.7) ? rng.pick(['@t', '@h']) : ptr()];
        break;
      case 'get_output':
      case 'get_output_single':
        args = [handle(), small(4), rng.chance(0.7) ? '@out' : ptr(), rng.chance(0.7) ? '%out' : len(), out];
        break;
      default:
        args = [handle()];
    }
    lines.push(`call ${fn} ${args.join(' ')}`);
  }
  return { text: `${lines.join('\n')}\n`, calls };
}
