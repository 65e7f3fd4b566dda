import { existsSync, mkdirSync, mkdtempSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheRoot } from './cache-dir.js';
import { manifestPath, readManifest, writeManifestRecord } from './manifest.js';
import { openvinoRecord, plainSoName } from './openvino-libs.js';
import { SetupError } from './setup-error.js';

describe('the setup cache folder', () => {
  it('is WASI_NN_CONFORMANCE_CACHE, else XDG_CACHE_HOME/wasi-nn-conformance, else ~/.cache/wasi-nn-conformance', () => {
    expect(cacheRoot({ WASI_NN_CONFORMANCE_CACHE: '/c/own', XDG_CACHE_HOME: '/x' })).toBe('/c/own');
    expect(cacheRoot({ XDG_CACHE_HOME: '/x' })).toBe('/x/wasi-nn-conformance');
    // a relative XDG_CACHE_HOME is invalid by the XDG spec and ignored
    expect(cacheRoot({ XDG_CACHE_HOME: 'rel' })).toMatch(/\/\.cache\/wasi-nn-conformance$/);
  });
});

describe('the setup manifest', () => {
  it('keeps each record, replaces one at a time, and reads a missing or broken file as nothing set up', () => {
    const cache = mkdtempSync(join(tmpdir(), 'wasi-nn-setup-'));
    expect(readManifest(cache)).toEqual({});
    writeManifestRecord(cache, 'wasmtime', { binary: '/b/wasmtime', version: 'wasmtime 49.0.3', source: 'wheel' });
    writeManifestRecord(cache, 'wasmtime-onnx', { binary: '/o/wasmtime', version: 'wasmtime 48.0.2', source: 'crate', libDirs: ['/o/ort'] });
    writeManifestRecord(cache, 'wasmtime', { binary: '/b2/wasmtime', version: 'wasmtime 49.0.3', source: 'wheel' });
    expect(readManifest(cache)).toEqual({
      wasmtime: { binary: '/b2/wasmtime', version: 'wasmtime 49.0.3', source: 'wheel' },
      'wasmtime-onnx': { binary: '/o/wasmtime', version: 'wasmtime 48.0.2', source: 'crate', libDirs: ['/o/ort'] },
    });
    writeFileSync(manifestPath(cache), '{ not json');
    expect(readManifest(cache)).toEqual({});
    writeFileSync(manifestPath(cache), '[1, 2]');
    expect(readManifest(cache)).toEqual({});
  });
});

describe('OpenVINO\'s libraries under their plain names', () => {
  it('plainSoName drops the version openvino-rs does not ask for', () => {
    expect(plainSoName('libopenvino_c.so.2641')).toBe('libopenvino_c.so');
    expect(plainSoName('libopenvino.so.2641')).toBe('libopenvino.so');
    expect(plainSoName('libtbb.so.12')).toBe('libtbb.so');
    expect(plainSoName('libopenvino_intel_cpu_plugin.so')).toBeUndefined();
    expect(plainSoName('cache.json')).toBeUndefined();
  });
  it('links every file of the wheel\'s libs folder and the plain names, and refuses a wheel without libopenvino_c', () => {
    const cache = mkdtempSync(join(tmpdir(), 'wasi-nn-ov-'));
    const site = join(cache, 'site');
    const libs = join(site, 'openvino', 'libs');
    mkdirSync(libs, { recursive: true });
    for (const f of ['libopenvino.so.2641', 'libopenvino_c.so.2641', 'libopenvino_intel_cpu_plugin.so', 'libtbb.so.12']) writeFileSync(join(libs, f), '');
    const r = openvinoRecord(cache, site, '2026.4.1', 'openvino==2026.4.1');
    expect(r).toEqual({ version: '2026.4.1', wheel: 'openvino==2026.4.1', libDir: join(cache, 'openvino', '2026.4.1', 'lib'), wheelLibDir: libs });
    expect(readlinkSync(join(r.libDir, 'libopenvino_c.so'))).toBe(join(libs, 'libopenvino_c.so.2641'));
    expect(readlinkSync(join(r.libDir, 'libopenvino_intel_cpu_plugin.so'))).toBe(join(libs, 'libopenvino_intel_cpu_plugin.so'));
    expect(existsSync(join(r.libDir, 'libtbb.so'))).toBe(true);
    // made again from scratch: a second setup does not trip over its own links
    expect(openvinoRecord(cache, site, '2026.4.1', 'openvino==2026.4.1').libDir).toBe(r.libDir);
    const empty = join(cache, 'empty');
    mkdirSync(join(empty, 'openvino', 'libs'), { recursive: true });
    expect(() => openvinoRecord(cache, empty, '2026.4.1', 'openvino==2026.4.1')).toThrow(SetupError);
  });
});
