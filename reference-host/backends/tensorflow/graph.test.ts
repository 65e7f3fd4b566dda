import { describe, expect, it } from 'vitest';
import { Inliner, naturalCompare, tensorValue } from './graph.js';
import { DT, type AttrValue, type FunctionDef, type NodeDef } from './proto.js';

const node = (name: string, op: string, input: string[] = [], attr: [string, AttrValue][] = []): NodeDef => ({ name, op, input, device: '', attr: new Map(attr) });
const call = (name: string, f: string, input: string[], nout: number): NodeDef =>
  node(name, 'PartitionedCall', input, [['f', { kind: 'func', func: { name: f, attr: new Map() } }], ['Tout', { kind: 'list', list: { s: [], i: [], f: [], b: [], type: Array(nout).fill(DT.DT_FLOAT), shape: [], tensor: [], func: [] } }]]);
const arg = (name: string) => ({ name, type: DT.DT_FLOAT, typeAttr: '', numberAttr: '', typeListAttr: '' });
const fn = (name: string, ins: string[], outs: [string, string][], nodes: NodeDef[]): FunctionDef => ({
  signature: { name, inputArg: ins.map(arg), outputArg: outs.map(([o]) => arg(o)) },
  nodeDef: nodes,
  ret: new Map(outs),
});

describe('function inlining', () => {
  // outer(a, b) = inner(a, b).sum ; inner(x, y) = (Relu(x + y), x)
  const inner = fn('inner', ['x', 'y'], [['sum', 'r:activations:0'], ['first', 'x']], [node('add', 'AddV2', ['x', 'y']), node('r', 'Relu', ['add:z:0', '^add'])]);
  const outer = fn('outer', ['a', 'b'], [['out', 'c:output:0'], ['passthrough', 'c:output:1']], [call('c', 'inner', ['a', 'b'], 2)]);

  it('inlines nested calls with node:out_arg:index names and ret maps, dropping control edges', () => {
    const inl = new Inliner([inner, outer]);
    inl.addScope([node('A', 'Placeholder'), node('B', 'Placeholder'), call('call', 'outer', ['A', 'B:0'], 2), node('y', 'Identity', ['call:0'])], '', undefined, [], 'graph');
    expect([...inl.nodes.keys()]).toEqual(['A', 'B', 'call/c/add', 'call/c/r', 'y']);
    expect(inl.nodes.get('call/c/add')!.inputs).toEqual(['A:0', 'B:0']);
    expect(inl.nodes.get('call/c/r')!.inputs).toEqual(['call/c/add:0']);
    expect(inl.deref('call:0')).toBe('call/c/r:0');
    expect(inl.deref('call:1')).toBe('A:0'); // a ret that names an argument
    expect(inl.nodes.get('y')!.inputs).toEqual(['call:0']);
  });

  it('refuses recursion and missing functions, naming them', () => {
    const rec = fn('rec', ['x'], [['o', 'c:output:0']], [call('c', 'rec', ['x'], 1)]);
    expect(() => new Inliner([rec]).addScope([node('X', 'Placeholder'), call('k', 'rec', ['X'], 1)], '', undefined, [], 'graph')).toThrow(/calls rec recursively \(rec → rec\)/);
    expect(() => new Inliner([]).addScope([node('X', 'Placeholder'), call('k', 'nowhere', ['X'], 1)], '', undefined, [], 'graph')).toThrow(/calls nowhere, which the function library does not define/);
    const badRef = fn('f', ['x'], [['o', 'n:nope:0']], [node('n', 'Relu', ['x'])]);
    expect(() => new Inliner([badRef]).addScope([node('X', 'Placeholder'), call('k', 'f', ['X'], 1)], '', undefined, [], 'graph')).toThrow(/op Relu has no output arg nope/);
    expect(() => new Inliner([inner]).addScope([node('X', 'Placeholder'), call('k', 'inner', ['X'], 2)], '', undefined, [], 'graph')).toThrow(/passes 1 inputs to inner, which takes 2/);
  });
});

describe('constants and signature order', () => {
  it('repeats the last *_val value to fill the shape, as TF does', () => {
    const v = tensorValue({ dtype: DT.DT_INT32, shape: { dims: [2, 2], unknownRank: false }, content: undefined, floatVal: [], doubleVal: [], intVal: [7n, -1n], int64Val: [], boolVal: [], halfVal: [], stringVal: [], uint32Val: [], uint64Val: [] }, 'c');
    expect([...new Int32Array(v.bytes.buffer)]).toEqual([7, -1, -1, -1]);
    expect(() => tensorValue({ dtype: DT.DT_FLOAT, shape: { dims: [2], unknownRank: false }, content: new Uint8Array(4), floatVal: [], doubleVal: [], intVal: [], int64Val: [], boolVal: [], halfVal: [], stringVal: [], uint32Val: [], uint64Val: [] }, 'c')).toThrow(/tensor_content has 4 bytes, DT_FLOAT\[2\] needs 8/);
  });

  it('orders keys naturally: output_2 < output_10', () => {
    expect(['output_10', 'output_2', 'output_1', 'B', 'A'].sort(naturalCompare)).toEqual(['A', 'B', 'output_1', 'output_2', 'output_10']);
  });
});
