/**
 * OpenVINO IR v10/v11 XML → a checked graph: layers with their data attributes and ports,
 * edges resolved, every input port fed exactly once, layers in topological order.
 * Structural problems are NnError('invalid_argument').
 */
import { NnError } from '../../core/types.js';
import { type XmlElement, XmlError, parseXml } from './xml.js';

export const SUPPORTED_IR_VERSIONS = ['10', '11'] as const;

export interface IrPort {
  id: number;
  /** -1 for a dynamic dimension ("?", "-1" or a range "a..b"). */
  dims: number[];
  precision: string | undefined;
  /** Tensor names of an output port (IR v11 `names`, comma-separated). */
  names: string[];
}

export interface IrLayer {
  id: string;
  name: string;
  type: string;
  /** The opset the layer's type comes from ("opset1", ...). */
  version: string;
  data: Map<string, string>;
  inputs: IrPort[];
  outputs: IrPort[];
}

/** Where an input port's value comes from. */
export interface IrSource {
  layer: IrLayer;
  port: IrPort;
}

export interface IrNet {
  name: string;
  version: string;
  /** A topological order. */
  layers: IrLayer[];
  /** Each layer id's position in the document: Parameters and Results are numbered in this order. */
  docIndex: Map<string, number>;
  /** For each layer id, the source of each of its input ports (same order as layer.inputs). */
  sources: Map<string, IrSource[]>;
  /** For each "layerId:portId" of an output port, how many edges leave it. */
  consumers: Map<string, number>;
}

const bad = (msg: string): NnError => new NnError('invalid_argument', `openvino: ${msg}`);

function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

function parseIndex(s: string | undefined, what: string): number {
  if (s === undefined || !/^[0-9]{1,9}$/.test(s)) throw bad(`${what} is ${s === undefined ? 'missing' : JSON.stringify(s)}, not a non-negative integer`);
  return Number(s);
}

/** One dimension as written in a port `<dim>` or a `shape` attribute. */
export function parseDim(s: string, what: string): number {
  const t = s.trim();
  if (t === '?' || t === '-1' || /^-?[0-9]+\.\.-?[0-9]+$/.test(t)) return -1;
  if (!/^[0-9]{1,15}$/.test(t)) throw bad(`${what}: bad dimension ${JSON.stringify(s)}`);
  return Number(t);
}

/** A `shape` attribute: "" is a scalar, "1,4", "?,4", "[1,4]" (as some writers bracket it). */
export function parseShapeAttr(s: string, what: string): number[] {
  const t = s.trim().replace(/^\[(.*)\]$/, '$1').trim();
  if (t === '') return [];
  return t.split(',').map((d) => parseDim(d, what));
}

function parsePort(el: XmlElement, what: string): IrPort {
  const id = parseIndex(el.attrs.get('id'), `${what}: port id`);
  const dims: number[] = [];
  for (const c of el.children) {
    if (c.name === 'dim') dims.push(parseDim(c.text, `${what} port ${id}`));
    else if (c.name !== 'rt_info') throw bad(`${what} port ${id}: unexpected <${c.name}>`);
  }
  const names = el.attrs.get('names');
  return {
    id,
    dims,
    precision: el.attrs.get('precision'),
    names: names ? names.split(/(?<!\\),/).map((n) => n.replace(/\\,/g, ',').trim()).filter((n) => n !== '') : [],
  };
}

function parseLayer(el: XmlElement): IrLayer {
  if (el.name !== 'layer') throw bad(`<layers> holds a <${el.name}>, only <layer> is allowed`);
  const id = el.attrs.get('id');
  if (id === undefined || !/^[0-9]{1,9}$/.test(id)) throw bad(`a layer has id ${JSON.stringify(id)}, not a non-negative integer`);
  const type = el.attrs.get('type');
  if (!type) throw bad(`layer ${id} has no type`);
  const what = `layer ${id} (${type})`;
  const layer: IrLayer = {
    id,
    name: el.attrs.get('name') ?? `layer_${id}`,
    type,
    version: el.attrs.get('version') ?? 'opset1',
    data: new Map(),
    inputs: [],
    outputs: [],
  };
  const seenPorts = new Set<number>();
  for (const c of el.children) {
    if (c.name === 'data') {
      for (const [k, v] of c.attrs) layer.data.set(k, v);
    } else if (c.name === 'input' || c.name === 'output') {
      for (const p of c.children) {
        if (p.name !== 'port') throw bad(`${what}: <${c.name}> holds a <${p.name}>`);
        const port = parsePort(p, what);
        if (seenPorts.has(port.id)) throw bad(`${what}: port id ${port.id} appears twice`);
        seenPorts.add(port.id);
        (c.name === 'input' ? layer.inputs : layer.outputs).push(port);
      }
    } else if (c.name !== 'rt_info' && c.name !== 'body' && c.name !== 'port_map' && c.name !== 'back_edges') {
      throw bad(`${what}: unexpected <${c.name}>`);
    }
  }
  return layer;
}

/** Parses and checks the XML builder. */
export function parseIr(xml: Uint8Array): IrNet {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlError) throw bad(`malformed XML: ${e.message}`);
    throw e;
  }
  if (root.name !== 'net') throw bad(`the root element is <${root.name}>, not <net>`);
  const version = root.attrs.get('version');
  if (!(SUPPORTED_IR_VERSIONS as readonly (string | undefined)[]).includes(version)) {
    throw bad(`IR version ${JSON.stringify(version ?? null)} is not supported (only ${SUPPORTED_IR_VERSIONS.join(' and ')})`);
  }
  const layersEl = child(root, 'layers');
  if (!layersEl) throw bad('<net> has no <layers>');
  const layers = layersEl.children.map(parseLayer);
  if (layers.length === 0) throw bad('the net has no layers');
  const byId = new Map<string, IrLayer>();
  for (const l of layers) {
    if (byId.has(l.id)) throw bad(`layer id ${l.id} appears twice`);
    byId.set(l.id, l);
  }

  const feeds = new Map<string, IrSource>(); // "layer:port" of an input port → its source
  const consumers = new Map<string, number>();
  for (const e of child(root, 'edges')?.children ?? []) {
    if (e.name !== 'edge') throw bad(`<edges> holds a <${e.name}>`);
    const fromLayer = e.attrs.get('from-layer');
    const toLayer = e.attrs.get('to-layer');
    const fromPort = parseIndex(e.attrs.get('from-port'), 'edge from-port');
    const toPort = parseIndex(e.attrs.get('to-port'), 'edge to-port');
    const src = fromLayer === undefined ? undefined : byId.get(fromLayer);
    const dst = toLayer === undefined ? undefined : byId.get(toLayer);
    const edge = `edge ${fromLayer}:${fromPort} → ${toLayer}:${toPort}`;
    if (!src) throw bad(`${edge}: no layer ${JSON.stringify(fromLayer ?? null)}`);
    if (!dst) throw bad(`${edge}: no layer ${JSON.stringify(toLayer ?? null)}`);
    const out = src.outputs.find((p) => p.id === fromPort);
    if (!out) throw bad(`${edge}: layer ${src.id} (${src.type}) has no output port ${fromPort}`);
    const inp = dst.inputs.find((p) => p.id === toPort);
    if (!inp) throw bad(`${edge}: layer ${dst.id} (${dst.type}) has no input port ${toPort}`);
    const key = `${dst.id}:${toPort}`;
    if (feeds.has(key)) throw bad(`input port ${toPort} of layer ${dst.id} is fed by two edges`);
    feeds.set(key, { layer: src, port: out });
    const outKey = `${src.id}:${fromPort}`;
    consumers.set(outKey, (consumers.get(outKey) ?? 0) + 1);
  }

  const sources = new Map<string, IrSource[]>();
  for (const l of layers) {
    sources.set(
      l.id,
      l.inputs.map((p) => {
        const s = feeds.get(`${l.id}:${p.id}`);
        if (!s) throw bad(`input port ${p.id} of layer ${l.id} (${l.type}) has no incoming edge`);
        return s;
      }),
    );
  }

  // Kahn's algorithm with a FIFO seeded in document order: O(layers + edges)
  const indegree = new Map(layers.map((l) => [l.id, l.inputs.length]));
  const users = new Map<string, IrLayer[]>();
  for (const l of layers) {
    for (const s of sources.get(l.id)!) {
      const list = users.get(s.layer.id);
      if (list) list.push(l);
      else users.set(s.layer.id, [l]);
    }
  }
  const order: IrLayer[] = layers.filter((l) => l.inputs.length === 0);
  for (let i = 0; i < order.length; i++) {
    for (const u of users.get(order[i]!.id) ?? []) {
      const d = indegree.get(u.id)! - 1;
      indegree.set(u.id, d);
      if (d === 0) order.push(u);
    }
  }
  if (order.length !== layers.length) {
    const done = new Set(order);
    const stuck = layers.filter((l) => !done.has(l)).map((l) => l.id);
    throw bad(`the edges form a cycle (through layers ${stuck.slice(0, 8).join(', ')})`);
  }
  const docIndex = new Map(layers.map((l, i) => [l.id, i]));
  return { name: root.attrs.get('name') ?? 'net', version: version!, layers: order, docIndex, sources, consumers };
}
