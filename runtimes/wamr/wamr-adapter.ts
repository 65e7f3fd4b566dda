/**
 * WAMR's `iwasm`, built with wasi-nn (WAMR_BUILD_WASI_NN=1, WAMR_BUILD_WASI_EPHEMERAL_NN=1).
 * Flags (bytecodealliance/wasm-micro-runtime product-mini/platforms/common/libc_wasi.c):
 * `--dir=HOST`, `--map-dir=GUEST::HOST`, `--env=K=V`; the guest and its args follow.
 * A trap: iwasm prints `Exception: REASON` on **stdout** and exits 1
 * (product-mini/platforms/posix/main.c; "Exception: %s" in core/iwasm/common/wasm_runtime_common.c).
 * WAMR has no preload flag: `load_by_name` opens the name as a host path, so a case that names a
 * preloaded graph cannot be expressed and is reported UNSUPPORTED.
 */
import type { DialectName } from '../../reference-host/abi/dialects.js';
import type { RunOutcome } from '../../harness/judge.js';
import { SPEC_FUNCTIONS, type Capabilities, type GuestJob } from '../adapter.js';
import { ChildProcessAdapter, baseOutcome, notStarted, type BinarySpec, type CommandContext, type CommandPlan } from '../child-process-adapter.js';
import { encodingsFromEnv } from '../encodings-env.js';
import type { SpawnResult } from '../spawn.js';

export const WAMR_BINARY: BinarySpec = {
  envVar: 'WASI_NN_IWASM',
  defaultName: 'iwasm',
  howToGet: 'build WAMR product-mini with -DWAMR_BUILD_WASI_NN=1 and the backend libraries libwasi_nn_<backend>.so on the library path',
};

/** The last `Exception: ...` line iwasm printed on stdout. */
const EXCEPTION_LINE = /^Exception: (.*)$/gm;

export function interpretIwasm(r: SpawnResult): RunOutcome {
  let trap: string | undefined;
  for (const m of r.stdout.matchAll(EXCEPTION_LINE)) trap = m[1];
  const stdout = trap === undefined ? r.stdout : r.stdout.replace(EXCEPTION_LINE, '').replace(/\n{2,}$/, '\n');
  if (trap !== undefined && r.exitCode !== 0) return baseOutcome(r, { stdout, trap: `Exception: ${trap}` });
  // load/instantiate errors are printed on stdout too
  const nonJson = r.stdout.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('{')).join('\n');
  const startError = notStarted(r, 'iwasm', r.stdout, `${nonJson}\n${r.stderr}`);
  return baseOutcome(r, startError ? { startError } : undefined);
}

export class WamrAdapter extends ChildProcessAdapter {
  readonly name = 'wamr';
  readonly binary = WAMR_BINARY;

  constructor(dialect: DialectName = 'wamr') {
    super(dialect);
  }

  async capabilities(): Promise<Capabilities> {
    return {
      dialects: ['wamr'],
      // the backends wasi_nn.c can dlopen: libwasi_nn_{tflite,openvino,llamacpp,onnx}
      encodings: encodingsFromEnv('WASI_NN_IWASM_ENCODINGS', ['openvino', 'onnx', 'tensorflowlite', 'ggml']),
      targets: ['cpu', 'gpu', 'tpu'],
      preload: 'none',
      functions: [...SPEC_FUNCTIONS, 'load_by_name_with_config'],
      missingImports: 'trap-on-call',
    };
  }

  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    if (job.preloads.length > 0) {
      const names = job.preloads.map((g) => JSON.stringify(g.name)).join(', ');
      return { ok: false, reason: `iwasm has no preload flag (load_by_name opens the name as a host path), so the preloaded graph ${names} cannot be expressed` };
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
    return { ok: true, command: { file: ctx.file, args, env: {}, stage: [] } };
  }

  interpret(r: SpawnResult): RunOutcome {
    return interpretIwasm(r);
  }
}
