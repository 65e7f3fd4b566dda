/**
 * Evidence-based model format detection for the `autodetect` encoding. Every format's sniffer
 * looks at the builders' bytes (never a file name) and gives a confidence with its evidence. The
 * detector answers only when exactly one format reaches THRESHOLD and no other builder is a model
 * of a different format; anything else is no answer (the host then says invalid_encoding), never
 * a guess. See reference-host/README.md, "Autodetect".
 *
 * Builder conventions: onnx, tensorflowlite, pytorch, ggml take 1 builder; openvino 2 (XML,
 * weights); tensorflow takes saved_model.pb (or a frozen GraphDef) as builder 0, and builders
 * 1.. are the variables files, which carry no evidence.
 */
import { tryParseMessage } from './protobuf.js';
import { notAModel, sniffGguf, sniffOnnx, sniffOpenvino, sniffTensorflow, sniffTflite, sniffTorchScript, type Candidate, type ModelEncoding } from './formats.js';

export type { Candidate, ModelEncoding } from './formats.js';

/** A candidate at or above this confidence counts as evidence for its format. */
export const THRESHOLD = 0.5;

export interface Detection {
  /** undefined: unknown or ambiguous; `reason` says which */
  encoding: ModelEncoding | undefined;
  /** the answer's confidence; 0 when there is no answer */
  confidence: number;
  /** what was seen, for people */
  evidence: string[];
  /** every format with any evidence, most confident first */
  candidates: Candidate[];
  /** why there is no answer */
  reason?: string;
  /** the recognised variant of the answer ("ModelProto", "SavedModel", "GGUF v3", ...) */
  variant?: string;
}

/** Candidates for one builder taken alone (the single-builder formats, and OpenVINO's XML). */
function singleBuilderCandidates(b: Uint8Array): Candidate[] {
  const message = tryParseMessage(b);
  return [sniffOnnx(b, message), sniffTensorflow(b, message), sniffTflite(b), sniffGguf(b), sniffTorchScript(b), sniffOpenvino([b])].filter((c): c is Candidate => c !== undefined);
}

const byConfidence = (a: Candidate, b: Candidate) => b.confidence - a.confidence || a.encoding.localeCompare(b.encoding);

function refuse(reason: string, candidates: Candidate[], evidence: string[] = []): Detection {
  return { encoding: undefined, confidence: 0, evidence: [...evidence, ...candidates.flatMap((c) => c.evidence.map((e) => `${c.encoding}: ${e}`))], candidates, reason };
}

export function detect(builders: readonly Uint8Array[]): Detection {
  if (builders.length === 0) return refuse('no builders', []);
  const b0 = builders[0] as Uint8Array;
  if (b0.length === 0) return refuse('builder 0 is empty', []);
  const message = tryParseMessage(b0);
  const candidates = [sniffOnnx(b0, message), sniffTensorflow(b0, message), sniffTflite(b0), sniffGguf(b0), sniffTorchScript(b0), sniffOpenvino(builders)]
    .filter((c): c is Candidate => c !== undefined && c.confidence > 0)
    .sort(byConfidence);
  const above = candidates.filter((c) => c.confidence >= THRESHOLD);
  if (above.length === 0) {
    const other = notAModel(b0);
    const best = candidates[0];
    return refuse(
      best ? `no format has enough evidence (best: ${best.encoding} ${best.variant} at ${best.confidence})` : `no format recognised${other ? `: builder 0 is ${other}` : ''}`,
      candidates,
      other && best ? [`builder 0 is ${other}`] : [],
    );
  }
  if (above.length > 1) {
    return refuse(`ambiguous: ${above.map((c) => `${c.encoding} ${c.variant} (${c.confidence})`).join(' and ')}`, candidates);
  }
  const winner = above[0] as Candidate;
  // the other builders must not be models of another format (OpenVINO's weights and TensorFlow's
  // variables are raw data: they are only checked for being a recognisable model themselves)
  for (let i = 1; i < builders.length; i++) {
    const other = singleBuilderCandidates(builders[i] as Uint8Array).filter((c) => c.confidence >= THRESHOLD && c.encoding !== winner.encoding);
    if (other.length > 0) {
      return refuse(`builders disagree: builder 0 is ${winner.encoding} (${winner.variant}), builder ${i} is ${other.map((c) => `${c.encoding} (${c.variant})`).join(' or ')}`, candidates);
    }
  }
  return { encoding: winner.encoding, confidence: winner.confidence, evidence: winner.evidence, candidates, variant: winner.variant };
}

/** One line for people: "onnx (ModelProto, confidence 0.95)" or "refused: REASON". */
export function describeDetection(d: Detection): string {
  return d.encoding ? `${d.encoding} (${d.variant}, confidence ${d.confidence})` : `no answer: ${d.reason}`;
}
