import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attr, graphDefBytes } from '../../../fixtures/gen/tensorflow/tf-proto.js';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { NnError } from '../../core/types.js';
import { createBackends } from '../index.js';

const backend = createBackends().get('tensorflow');

function refusal(bytes: Uint8Array): NnError {
  try {
    backend?.load([bytes], 'cpu');
  } catch (e) {
    if (e instanceof NnError) return e;
    throw e;
  }
  throw new Error('the graph loaded');
}

describe('TensorFlow file ops are refused at load, named before any other unsupported op', () => {
  it('ReadFile behind DecodeRaw and Slice (security fixture)', async () => {
    const e = refusal(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'security', 'tf_read_file.pb'))));
    expect(e.errno).toBe('unsupported_operation');
    expect(e.message).toBe("tensorflow: node contents is op ReadFile, which reaches the host's files: this engine never runs file ops (a model is bytes)");
  });

  it('WriteFile reached only through a control input', async () => {
    const graph = graphDefBytes([
      { name: 'X', op: 'Placeholder', inputs: [], attrs: { dtype: attr.type(1), shape: attr.shape([1, 4]) } },
      { name: 'f', op: 'Const', inputs: [], attrs: { dtype: attr.type(7), value: attr.tensor({ dtype: 7, dims: [], strings: ['out.txt'] }) } },
      { name: 'c', op: 'Const', inputs: [], attrs: { dtype: attr.type(7), value: attr.tensor({ dtype: 7, dims: [], strings: ['pwned'] }) } },
      { name: 'w', op: 'WriteFile', inputs: ['f', 'c'], attrs: {} },
      { name: 'Y', op: 'Identity', inputs: ['X', '^w'], attrs: { T: attr.type(1) } },
    ]);
    expect(refusal(graph).message).toMatch(/node w is op WriteFile, which reaches the host's files/);
  });
});
