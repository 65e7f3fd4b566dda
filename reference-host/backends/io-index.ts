/**
 * The index checks every engine's context makes the same way: an input index names one of the
 * model's inputs, an output index one of its outputs, and outputs exist only after a successful
 * compute. One place, so every engine answers them with the same errno and words.
 */
import { NnError, type Tensor } from '../core/types.js';

/** The spec of input `index`, or invalid_argument when the model has no such input. */
export function inputSpecAt<T>(specs: readonly T[], index: number): T {
  const spec = specs[index];
  if (spec === undefined) throw new NnError('invalid_argument', `input index ${index} out of range: the model has ${specs.length} input(s)`);
  return spec;
}

/**
 * Output `index` of the last compute: invalid_argument when the model has no such output
 * (`count` of them), runtime_error when no compute has succeeded on this context yet.
 */
export function outputAt(outputs: readonly Tensor[] | undefined, index: number, count: number): Tensor {
  if (index >= count) throw new NnError('invalid_argument', `output index ${index} out of range: the model has ${count} output(s)`);
  const out = outputs?.[index];
  if (!out) throw new NnError('runtime_error', 'get_output before a successful compute on this context');
  return out;
}
