/**
 * WAMR's `iwasm`, built with wasi-nn (WAMR_BUILD_WASI_NN=1, WAMR_BUILD_WASI_EPHEMERAL_NN=1).
 * Flags (bytecodealliance/wasm-micro-runtime product-mini/platforms/common/libc_wasi.c):
 * `--dir=HOST`, `--map-dir=GUEST::HOST`, `--env=K=V`; the guest and its args follow.
 * A trap: iwasm prints `Exception: REASON` on **stdout** and exits 1
 * (product-mini/platforms/posix/main.c; "Exception: %s" in core/iwasm/common/wasm_runtime_common.c).
 * WAMR has no preload flag: `load_by_name` opens the name as a host path (relative to iwasm's cwd),
 * so a preloaded graph NAME is staged as the symlink STAGE/NAME → its model file and iwasm runs
 * in STAGE (through `/bin/sh -c 'cd -- "$0" && exec "$@"'`: iwasm has no cwd flag). A name that
 * cannot be a file name, or a graph of several files (OpenVINO), is UNSUPPORTED. The entries of the
 * harness's working dir are mirrored into STAGE too, so any other relative name a guest gives
 * resolves as it does without preloads (a relative host path is WAMR's security hole, §4.1).
 *
 * Measured with iwasm 2.4.3 built from main (`646b5a9`) with its ONNX backend:
 * - wasi_nn.c's own log lines (`[wasi_nn.c:344 ERROR] ...`, utils/logger.h) and WAMR's `bh_log`
 *   lines (`[20:00:55:512 - 7F1234]: warning: ...`) go to **stdout**, between the guest's lines;
 *   they are moved to stderr here, so they neither count as guest output nor get lost.
 * - the backends are `dlopen`ed by bare name (`libwasi_nn_onnx.so`, ...), and a cmake build puts
 *   them next to `iwasm` (`make install`: PREFIX/lib beside PREFIX/bin) without an rpath for them,
 *   so the child gets those two dirs in front of LD_LIBRARY_PATH: pointing WASI_NN_IWASM at the
 *   build dir's iwasm is then enough.
 * - which backends a build has is which of those libraries the child's dlopen would find; an
 *   encoding with no library is UNSUPPORTED instead of WAMR's answer for a missing backend (a
 *   failed `load` and then an abort in the next call).
 */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { DialectName } from '../../reference-host/abi/dialects.js';
import type { Encoding } from '../../reference-host/core/types.js';
import type { RunOutcome } from '../../harness/judge.js';
import { SPEC_FUNCTIONS, type Capabilities, type GuestJob } from '../adapter.js';
import { RECORD_TAG } from '../../harness/observations.js';
import { ChildProcessAdapter, baseOutcome, notStarted, resolveBinary, type BinarySpec, type CommandContext, type CommandPlan, type Resolution, type StagedLink } from '../child-process-adapter.js';
import { encodingsFromEnv } from '../encodings-env.js';
import type { SpawnResult } from '../spawn.js';

export const WAMR_BINARY: BinarySpec = {
  envVar: 'WASI_NN_IWASM',
  defaultName: 'iwasm',
  howToGet: 'build WAMR product-mini with -DWAMR_BUILD_WASI_NN=1 and the backend libraries libwasi_nn_<backend>.so on the library path',
};

/** The last `Exception: ...` line iwasm printed on stdout. */
const EXCEPTION_LINE = /^Exception: (.*)$/gm;

/**
 * WAMR's own log lines on stdout: wasi-nn's `[FILE.c:LINE LEVEL] ...`
 * (core/iwasm/libraries/wasi-nn/src/utils/logger.h, printf) and `bh_log`'s
 * `[HH:MM:SS:mmm - THREAD]: ...` (core/shared/utils/bh_log.c, os_printf).
 */
const WAMR_LOG_LINE = /^(?:\[[\w.+-]+\.(?:c|cc|cpp|h):\d+ (?:ERROR|WARNING|INFO|DEBUG)\] |\[\d\d:\d\d:\d\d:\d{3} - [0-9A-Fa-f]+\]: )/;

/**
 * Splits iwasm's stdout into what the guest printed and WAMR's log lines. A log message can span
 * lines (the ONNX backend logs ORT's error text, whose later lines start with a blank:
 * `[wasi_nn_onnx.cpp:66 ERROR] ONNX Runtime error: Got invalid dimensions ...` then
 * ` index: 0 Got: 0 Expected: 1`): a line right after a log line that starts with a blank belongs to it.
 */
export function splitWamrLog(stdout: string): { guest: string; log: string[] } {
  const guest: string[] = [];
  const log: string[] = [];
  let inLog = false;
  for (const line of stdout.split('\n')) {
    if (WAMR_LOG_LINE.test(line)) {
      log.push(line);
      inLog = true;
    } else if (inLog && /^[ \t]/.test(line)) {
      log[log.length - 1] += `\n${line}`;
    } else {
      guest.push(line);
      inLog = false;
    }
  }
  return { guest: guest.join('\n'), log };
}

export function interpretIwasm(r: SpawnResult): RunOutcome {
  const { guest, log } = splitWamrLog(r.stdout);
  const stderr = log.length === 0 ? r.stderr : `${r.stderr}${r.stderr === '' || r.stderr.endsWith('\n') ? '' : '\n'}${log.map((l) => `${l}\n`).join('')}`;
  let trap: string | undefined;
  for (const m of guest.matchAll(EXCEPTION_LINE)) trap = m[1];
  if (trap !== undefined && r.exitCode !== 0) {
    const stdout = guest.replace(EXCEPTION_LINE, '').replace(/\n{2,}$/, '\n');
    return baseOutcome(r, { stdout, stderr, trap: `Exception: ${trap}` });
  }
  // load/instantiate errors are printed on stdout too
  const nonJson = guest.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('{') && !l.includes(`${RECORD_TAG} `)).join('\n');
  const startError = notStarted(r, 'iwasm', guest, `${nonJson}\n${stderr}`);
  return baseOutcome(r, { stdout: guest, stderr, ...(startError ? { startError } : {}) });
}

/** The backend library wasi_nn.c dlopens for each encoding (`*_BACKEND_LIB`). */
export const WAMR_BACKEND_LIBS: Readonly<Partial<Record<Encoding, string>>> = {
  openvino: 'libwasi_nn_openvino.so',
  onnx: 'libwasi_nn_onnx.so',
  tensorflowlite: 'libwasi_nn_tflite.so',
  ggml: 'libwasi_nn_llamacpp.so',
};

/** The dirs put in front of the child's LD_LIBRARY_PATH: the binary's own dir and `../lib`. */
export function iwasmLibraryDirs(file: string): string[] {
  const dir = dirname(file);
  return [dir, join(dir, '..', 'lib')];
}

/** The LD_LIBRARY_PATH the child gets: the binary's dirs, then the one inherited. */
export function iwasmLibraryPath(file: string, inherited: string | undefined): string {
  return [...iwasmLibraryDirs(file), ...(inherited ?? '').split(delimiter).filter((d) => d !== '')].join(delimiter);
}

/** Where the dynamic loader looks after LD_LIBRARY_PATH (the default dirs of glibc on Debian-like systems). */
const SYSTEM_LIB_DIRS = ['/usr/local/lib', '/usr/local/lib64', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib'];

/**
 * The encodings whose WAMR backend library the child's dlopen would find, plus `autodetect` when
 * any is found (WAMR's autodetect takes the first library that loads).
 */
export function wamrBackendEncodings(libraryPath: string, exists: (path: string) => boolean = existsSync): Encoding[] {
  const dirs = [...libraryPath.split(delimiter).filter((d) => d !== ''), ...SYSTEM_LIB_DIRS];
  const found = (Object.entries(WAMR_BACKEND_LIBS) as [Encoding, string][]).filter(([, lib]) => dirs.some((d) => exists(join(d, lib)))).map(([e]) => e);
  return found.length > 0 ? [...found, 'autodetect'] : [];
}

export class WamrAdapter extends ChildProcessAdapter {
  readonly name = 'wamr';
  readonly binary = WAMR_BINARY;

  constructor(
    dialect: DialectName = 'wamr',
    /** the environment the child inherits (LD_LIBRARY_PATH, WASI_NN_IWASM_ENCODINGS) */
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
    /** the harness's working dir and its entries, mirrored into the stage dir (see command()) */
    private readonly workDir: { path: string; entries: () => string[] } = { path: process.cwd(), entries: () => readdirSync(process.cwd()) },
  ) {
    super(dialect);
  }

  protected override resolve(): Resolution {
    return resolveBinary(this.binary, this.hostEnv);
  }

  async capabilities(): Promise<Capabilities> {
    const detection = await this.detect();
    // the backends wasi_nn.c can dlopen (libwasi_nn_{openvino,onnx,tflite,llamacpp}.so) that the
    // child would find; without a binary, every one (the run stops as unavailable anyway)
    const found = detection.available && detection.path ? wamrBackendEncodings(iwasmLibraryPath(detection.path, this.hostEnv.LD_LIBRARY_PATH)) : ['openvino', 'onnx', 'tensorflowlite', 'ggml', 'autodetect'] as Encoding[];
    const engines = Object.fromEntries(found.flatMap((e) => (WAMR_BACKEND_LIBS[e] ? [[e, `WAMR backend ${WAMR_BACKEND_LIBS[e]}`]] : [])));
    return {
      engines,
      dialects: ['wamr', 'wamr-2.1', 'wamr-legacy'],
      encodings: encodingsFromEnv('WASI_NN_IWASM_ENCODINGS', found, this.hostEnv),
      targets: ['cpu', 'gpu', 'tpu'],
      // no preload flag; a preloaded name becomes a host file in iwasm's cwd (see command())
      preload: 'host-path',
      functions: [...SPEC_FUNCTIONS, 'load_by_name_with_config'],
      missingImports: 'trap-on-call',
    };
  }

  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    // WAMR's load_by_name opens the name as a host path, relative to iwasm's cwd: a preloaded
    // graph NAME is a symlink STAGE/NAME → the model, and iwasm runs in STAGE
    const stage: StagedLink[] = [];
    for (const g of job.preloads) {
      if (g.name === '' || g.name === '.' || g.name === '..' || /[/\0]/.test(g.name)) {
        return { ok: false, reason: `iwasm's load_by_name opens the name as a host path, and the preloaded name ${JSON.stringify(g.name)} cannot be a file name in its working dir` };
      }
      if (g.paths.length !== 1) {
        return { ok: false, reason: `iwasm's load_by_name opens the name as one host file, and the preloaded graph ${JSON.stringify(g.name)} has ${g.paths.length} files` };
      }
      stage.push({ path: join(ctx.stageDir, g.name), target: g.paths[0] as string });
    }
    const args: string[] = [];
    for (const [guest, host] of Object.entries(job.preopens)) {
      if (guest === host) args.push(`--dir=${host}`);
      else if (guest.includes('::')) return { ok: false, reason: `--map-dir=GUEST::HOST cannot carry a guest path containing "::" (${guest})` };
      else args.push(`--map-dir=${guest}::${host}`);
    }
    for (const [k, v] of Object.entries(job.env ?? {})) {
      if (k === '' || k.includes('=')) return { ok: false, reason: `--env=KEY=VALUE cannot carry the name ${JSON.stringify(k)}` };
      args.push(`--env=${k}=${v}`);
    }
    if (job.wasm.startsWith('-')) return { ok: false, reason: `iwasm would read the guest path ${job.wasm} as an option` };
    args.push(job.wasm, ...job.args);
    const env = { LD_LIBRARY_PATH: iwasmLibraryPath(ctx.file, this.hostEnv.LD_LIBRARY_PATH) };
    if (stage.length === 0) return { ok: true, command: { file: ctx.file, args, env, stage } };
    const relative = [...(ctx.file.includes('/') ? [ctx.file] : []), job.wasm, ...Object.values(job.preopens)].find((p) => !isAbsolute(p));
    if (relative !== undefined) return { ok: false, reason: `iwasm runs in the dir of the preloaded names, so ${relative} must be an absolute path` };
    // any other relative name must still resolve as it would in the harness's working dir (where
    // iwasm runs when nothing is preloaded): its entries are mirrored beside the preloaded names
    const names = new Set(job.preloads.map((g) => g.name));
    for (const entry of this.workDir.entries()) if (!names.has(entry)) stage.push({ path: join(ctx.stageDir, entry), target: join(this.workDir.path, entry) });
    // iwasm has no --cwd: a POSIX shell changes dir and execs it (exit status and signals are iwasm's own)
    return { ok: true, command: { file: '/bin/sh', args: ['-c', 'cd -- "$0" && exec "$@"', ctx.stageDir, ctx.file, ...args], env, stage } };
  }

  interpret(r: SpawnResult): RunOutcome {
    return interpretIwasm(r);
  }
}
