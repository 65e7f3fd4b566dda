/** `WASI_NN_<RUNTIME>_ENCODINGS=onnx,openvino`: which engines a runtime binary was built with. */
import { ENCODINGS, type Encoding } from '../reference-host/core/types.js';

/**
 * The encodings a runtime build serves cannot be asked from its binary (WAMR dlopens backend
 * libraries, wasmtime compiles them in by cargo feature, WasmEdge loads one plugin per backend).
 * Without the env var an adapter claims every encoding its source knows, so a missing engine
 * shows up as that runtime's own answer (an errno) rather than as a skipped case.
 */
export function encodingsFromEnv(envVar: string, fallback: readonly Encoding[], env: NodeJS.ProcessEnv = process.env): Encoding[] {
  const text = env[envVar];
  if (text === undefined || text.trim() === '') return [...fallback];
  const list = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const unknown = list.filter((e) => !(ENCODINGS as readonly string[]).includes(e));
  if (unknown.length > 0) throw new Error(`${envVar}: unknown encoding(s) ${unknown.join(', ')} (known: ${ENCODINGS.join(', ')})`);
  return list as Encoding[];
}
