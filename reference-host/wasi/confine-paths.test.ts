/**
 * A guest reads through symlinks in a granted folder: one leading out (a directory symlink to
 * /etc, a file symlink to /etc/hostname, one made dangling) is refused with notcapable, one
 * staying inside works, as do `..` refusals and plain reads.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/repo-paths.js';

const HOST_BIN = join(REPO_ROOT, 'bin', 'wasi-nn-host.js');
const DRIVER = join(REPO_ROOT, 'guests', 'driver', 'witx.wasm');

describe('preopens hold against symlinks', () => {
  it('a symlink out of the granted folder is notcapable; one inside it works', () => {
    const granted = mkdtempSync(join(tmpdir(), 'wasi-nn-granted-'));
    const outside = mkdtempSync(join(tmpdir(), 'wasi-nn-outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'host secret');
    mkdirSync(join(granted, 'sub'));
    writeFileSync(join(granted, 'sub', 'ok.txt'), 'granted');
    symlinkSync(outside, join(granted, 'link'));
    symlinkSync(join(outside, 'secret.txt'), join(granted, 'flink'));
    symlinkSync('sub', join(granted, 'inner'));
    symlinkSync(join(granted, 'link'), join(granted, 'sub', 'chain'));
    symlinkSync('/no/such/place', join(granted, 'dangling'));
    const reads = ['link/secret.txt', 'flink', 'sub/chain/secret.txt', 'inner/ok.txt', 'sub/ok.txt', '../secret.txt', 'dangling/x', 'link/../sub/ok.txt'];
    writeFileSync(join(granted, 'steps.txt'), reads.map((r, i) => `file f${i} /g/${r}`).join('\n') + '\n');
    const out = execFileSync(process.execPath, [HOST_BIN, 'run', '--dir', `${granted}::/g`, DRIVER, '/g/steps.txt'], { encoding: 'utf8' });
    const records = out.trim().split('\n').map((l) => JSON.parse(l) as { name?: string; error?: string; size?: number });
    const byRead = Object.fromEntries(reads.map((r, i) => [r, records[i]?.error ?? `read ${records[i]?.size} bytes`]));
    expect(byRead).toEqual({
      'link/secret.txt': 'Capabilities insufficient',
      flink: 'Capabilities insufficient',
      'sub/chain/secret.txt': 'Capabilities insufficient',
      'inner/ok.txt': 'read 7 bytes',
      'sub/ok.txt': 'read 7 bytes',
      '../secret.txt': 'Capabilities insufficient',
      'dangling/x': 'Capabilities insufficient',
      // uvwasi normalises lexically: link/.. is the granted folder itself
      'link/../sub/ok.txt': 'read 7 bytes',
    });
    expect(records.at(-1)).toEqual({ done: true, steps: reads.length });
  });
});
