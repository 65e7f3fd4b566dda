import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../harness/repo-paths.js';
import { TORCH_ATTACKS, torchAttack } from '../../../fixtures/gen/security/torchscript.js';
import { ArchiveInspectionError, findForbiddenOps } from './forbidden-ops.js';

const pt = new Uint8Array(readFileSync(join(FIXTURES_DIR, 'pytorch', 'affine_relu.pt')));
const withBody = (body: string) => torchAttack(pt, { file: 'x.pt', body });

describe('TorchScript that reaches outside its process is found before libtorch compiles it', () => {
  it('flags the security fixtures, naming the operator and the archive entry', () => {
    const found = TORCH_ATTACKS.map((a) => findForbiddenOps(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'security', a.file))))?.op);
    expect(found).toEqual(['aten::from_file', 'aten::from_file', 'aten::save']);
    expect(findForbiddenOps(withBody('return torch.from_file("/etc/passwd", False, 4)'))?.entry).toBe('affine_relu/code/__torch__/wasi_nn_torchscript_affine_relu.py');
  });

  it('flags no model fixture', () => {
    for (const f of readdirSync(join(FIXTURES_DIR, 'pytorch'))) expect(findForbiddenOps(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'pytorch', f)))), f).toBeUndefined();
  });

  it.each([
    ['spaces around the dots', 'return torch . from_file("/etc/passwd", False, 4)', 'aten::from_file'],
    ['the ops namespace', 'return torch.ops.aten.from_file("/etc/passwd", False, 4)', 'aten::from_file'],
    ['a line continuation', 'return torch.\\\n      save(X, "f")', 'aten::save'],
    ['a distributed collective', 'torch.ops.c10d.barrier(X)\n    return X', 'c10d'],
    ['a c10d class', 'S = torch.classes.dist_c10d.TCPStore("h", 1)\n    return X', 'c10d'],
  ])('sees through %s', (_what, body, op) => {
    expect(findForbiddenOps(withBody(body))?.op).toBe(op);
  });

  it('does not flag names that only contain the words', () => {
    expect(findForbiddenOps(withBody('save_from_file = torch.relu(X)\n    return save_from_file'))).toBeUndefined();
  });

  it('refuses what it cannot read: not a zip, no TorchScript code', () => {
    expect(() => findForbiddenOps(new Uint8Array([1, 2, 3]))).toThrow(ArchiveInspectionError);
    expect(() => findForbiddenOps(new Uint8Array(readFileSync(join(FIXTURES_DIR, 'ggml', 'tiny-llama.gguf'))))).toThrow(ArchiveInspectionError);
  });
});
