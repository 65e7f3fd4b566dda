/**
 * How the IR front-end's reading time grows on the inputs a hostile model would use, so a quadratic
 * or exponential path shows as a ratio instead of a flaky timed test: a graph of N Result layers
 * fed by one Parameter (parseIr), N nested elements (refused by depth), and the billion-laughs
 * entity bomb (refused at its DOCTYPE). Each size is timed over interleaved rounds; the ratio of
 * the 4N time to the N time is about 4 for linear work, 16 for quadratic.
 *
 *   npx tsx bench/openvino-ir-scaling.ts [-- --rounds N]
 */
import { parseIr } from '../reference-host/backends/openvino/ir.js';
import { parseXml } from '../reference-host/backends/openvino/xml.js';
import { median, option } from './mlp-bench.js';

const ROUNDS = option('--rounds', 7);

function wide(n: number): Uint8Array {
  const layers = ['<layer id="0" name="p" type="Parameter" version="opset1"><data shape="1" element_type="f32"/><output><port id="0"/></output></layer>'];
  const edges: string[] = [];
  for (let i = 1; i <= n; i++) {
    layers.push(`<layer id="${i}" name="r${i}" type="Result" version="opset1"><input><port id="0"/></input></layer>`);
    edges.push(`<edge from-layer="0" from-port="0" to-layer="${i}" to-port="0"/>`);
  }
  return new TextEncoder().encode(`<net name="wide" version="11"><layers>${layers.join('')}</layers><edges>${edges.join('')}</edges></net>`);
}
const nested = (n: number) => '<x>'.repeat(n) + '</x>'.repeat(n);
function laughs(): string {
  const lines = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) lines.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  lines.push(']>', '<lolz>&lol9;</lolz>');
  return lines.join('\n');
}
const refuse = (f: () => unknown) => () => {
  try {
    f();
  } catch {
    return;
  }
  throw new Error('not refused');
};

const inputs = { wide5k: wide(5_000), wide20k: wide(20_000), nest50k: nested(50_000), nest200k: nested(200_000), laughs: laughs() };
const work: Record<string, () => unknown> = {
  'wide graph, 5 000 layers': () => parseIr(inputs.wide5k),
  'wide graph, 20 000 layers': () => parseIr(inputs.wide20k),
  'nesting 50 000 (refused)': refuse(() => parseXml(inputs.nest50k)),
  'nesting 200 000 (refused)': refuse(() => parseXml(inputs.nest200k)),
  'billion laughs (refused)': refuse(() => parseXml(inputs.laughs)),
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(work).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const [k, f] of Object.entries(work)) {
    const t = performance.now();
    f();
    times[k]?.push(performance.now() - t);
  }
}
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<string, number>;
process.stdout.write(`openvino-ir-scaling: ${ROUNDS} interleaved rounds, medians:\n`);
for (const [k, v] of Object.entries(m)) process.stdout.write(`  ${k.padEnd(28)} ${v.toFixed(2)} ms\n`);
process.stdout.write(`  wide graph 20k / 5k = ${((m['wide graph, 20 000 layers'] as number) / (m['wide graph, 5 000 layers'] as number)).toFixed(2)}x (4 is linear)\n`);
process.stdout.write(`  nesting 200k / 50k = ${((m['nesting 200 000 (refused)'] as number) / (m['nesting 50 000 (refused)'] as number)).toFixed(2)}x (refused at depth 65: about 1 when it stops reading there, 4 when it reads on)\n`);
