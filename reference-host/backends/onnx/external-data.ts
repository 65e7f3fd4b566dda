/**
 * ONNX models are bytes here: an engine never opens a file on a model's behalf. A TensorProto
 * may say its data lives in an external file (`data_location: EXTERNAL`, `external_data`
 * entries with a `location`); onnxruntime, loading from a buffer, resolves that location against
 * the host process's working directory, so a model could read any file the host can (and tell
 * a present file from a missing one). This walks every tensor a model can carry — graph
 * initializers and sparse initializers, node attributes (tensor, tensors, sparse tensors, and
 * nested graphs: If/Loop/Scan bodies), functions and training graphs — before onnxruntime sees
 * the bytes, and names the first tensor that points outside. A model the strict wire reader
 * cannot read is refused too: what this host cannot inspect, it does not hand on.
 * Field numbers from onnx/onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, SparseTensorProto, FunctionProto, TrainingInfoProto).
 */
import { WireError, parseMessage, utf8, type WireField } from '../../detect/protobuf.js';

export interface ExternalReference {
  /** where in the model, e.g. "graph.initializer[2] (weight)" */
  where: string;
  /** the external location it names, when it names one */
  location?: string;
}

export class ModelInspectionError extends Error {}

/** Nesting deeper than this (graphs in attributes in graphs ...) is refused, not walked. */
const MAX_DEPTH = 64;

const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const TENSOR_NAME = 8;
const DATA_LOCATION_EXTERNAL = 1n;

function lengthDelimited(fields: readonly WireField[], n: number): Uint8Array[] {
  return fields.filter((f) => f.field === n && f.wire === 2).map((f) => f.value as Uint8Array);
}

function parse(bytes: Uint8Array, what: string): WireField[] {
  try {
    return parseMessage(bytes);
  } catch (e) {
    if (e instanceof WireError) throw new ModelInspectionError(`${what} is not a well-formed protobuf message: ${e.message}`);
    throw e;
  }
}

class Walker {
  private steps = 0;

  constructor(private readonly budget: number) {}

  private tick(where: string, depth: number): void {
    if (++this.steps > this.budget) throw new ModelInspectionError(`the model has more than ${this.budget} messages to inspect (at ${where})`);
    if (depth > MAX_DEPTH) throw new ModelInspectionError(`the model nests deeper than ${MAX_DEPTH} levels (at ${where})`);
  }

  tensor(bytes: Uint8Array, where: string, depth: number): ExternalReference | undefined {
    this.tick(where, depth);
    const f = parse(bytes, where);
    const name = lengthDelimited(f, TENSOR_NAME).map((b) => utf8(b)).find((n) => n !== undefined);
    const label = name ? `${where} (${name})` : where;
    const entries = lengthDelimited(f, TENSOR_EXTERNAL_DATA);
    const external = f.some((x) => x.field === TENSOR_DATA_LOCATION && x.wire === 0 && x.value === DATA_LOCATION_EXTERNAL);
    if (!external && entries.length === 0) return undefined;
    // StringStringEntryProto: key = 1, value = 2
    for (const entry of entries) {
      const kv = parse(entry, `${label}.external_data`);
      const key = lengthDelimited(kv, 1).map((b) => utf8(b))[0];
      const value = lengthDelimited(kv, 2).map((b) => utf8(b))[0];
      if (key === 'location') return { where: label, location: value ?? '(not UTF-8)' };
    }
    return { where: label };
  }

  sparse(bytes: Uint8Array, where: string, depth: number): ExternalReference | undefined {
    this.tick(where, depth);
    const f = parse(bytes, where);
    // SparseTensorProto: values = 1, indices = 2 (TensorProto each)
    for (const [n, part] of [[1, 'values'], [2, 'indices']] as const) {
      for (const t of lengthDelimited(f, n)) {
        const hit = this.tensor(t, `${where}.${part}`, depth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  attribute(bytes: Uint8Array, where: string, depth: number): ExternalReference | undefined {
    this.tick(where, depth);
    const f = parse(bytes, where);
    // AttributeProto: t = 5, g = 6, tensors = 10, graphs = 11, sparse_tensor = 22, sparse_tensors = 23
    for (const t of [...lengthDelimited(f, 5), ...lengthDelimited(f, 10)]) {
      const hit = this.tensor(t, `${where}.tensor`, depth + 1);
      if (hit) return hit;
    }
    for (const s of [...lengthDelimited(f, 22), ...lengthDelimited(f, 23)]) {
      const hit = this.sparse(s, `${where}.sparse_tensor`, depth + 1);
      if (hit) return hit;
    }
    for (const g of [...lengthDelimited(f, 6), ...lengthDelimited(f, 11)]) {
      const hit = this.graph(g, `${where}.graph`, depth + 1);
      if (hit) return hit;
    }
    return undefined;
  }

  nodes(nodes: readonly Uint8Array[], where: string, depth: number): ExternalReference | undefined {
    for (const [i, node] of nodes.entries()) {
      const at = `${where}.node[${i}]`;
      this.tick(at, depth);
      // NodeProto: attribute = 5
      for (const [j, a] of lengthDelimited(parse(node, at), 5).entries()) {
        const hit = this.attribute(a, `${at}.attribute[${j}]`, depth + 1);
        if (hit) return hit;
      }
    }
    return undefined;
  }

  graph(bytes: Uint8Array, where: string, depth: number): ExternalReference | undefined {
    this.tick(where, depth);
    const f = parse(bytes, where);
    // GraphProto: node = 1, initializer = 5, sparse_initializer = 15
    for (const [i, t] of lengthDelimited(f, 5).entries()) {
      const hit = this.tensor(t, `${where}.initializer[${i}]`, depth + 1);
      if (hit) return hit;
    }
    for (const [i, s] of lengthDelimited(f, 15).entries()) {
      const hit = this.sparse(s, `${where}.sparse_initializer[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return this.nodes(lengthDelimited(f, 1), where, depth + 1);
  }

  model(bytes: Uint8Array): ExternalReference | undefined {
    const f = parse(bytes, 'the model');
    // ModelProto: graph = 7, training_info = 20, functions = 25
    for (const g of lengthDelimited(f, 7)) {
      const hit = this.graph(g, 'graph', 1);
      if (hit) return hit;
    }
    for (const [i, t] of lengthDelimited(f, 20).entries()) {
      // TrainingInfoProto: initialization = 1, algorithm = 2
      const ti = parse(t, `training_info[${i}]`);
      for (const [n, part] of [[1, 'initialization'], [2, 'algorithm']] as const) {
        for (const g of lengthDelimited(ti, n)) {
          const hit = this.graph(g, `training_info[${i}].${part}`, 2);
          if (hit) return hit;
        }
      }
    }
    for (const [i, fn] of lengthDelimited(f, 25).entries()) {
      // FunctionProto: node = 7
      const hit = this.nodes(lengthDelimited(parse(fn, `functions[${i}]`), 7), `functions[${i}]`, 2);
      if (hit) return hit;
    }
    return undefined;
  }
}

/**
 * The first tensor of the model whose data is external, or undefined when every tensor carries
 * its data inline. Throws ModelInspectionError when the model cannot be inspected.
 */
export function findExternalData(model: Uint8Array, budget = 1_000_000): ExternalReference | undefined {
  return new Walker(budget).model(model);
}
