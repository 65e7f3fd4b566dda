/**
 * `wasmtime run` with wasi-nn (bytecodealliance/wasmtime):
 * - `-S nn` links `wasi_ephemeral_nn` for a core module (src/commands/run.rs; `nn` in
 *   crates/cli-flags/src/lib.rs `WasiOptions`);
 * - `-S nn-graph=ENCODING::DIR` preloads a graph named after DIR's basename
 *   (crates/cli-flags/src/opt.rs `WasiNnGraph`, crates/wasi-nn/src/registry/in_memory.rs), read from
 *   fixed file names in DIR (crates/wasi-nn/src/backend/{onnx,openvino,pytorch}.rs `load_from_dir`),
 *   always on the CPU;
 * - `--dir HOST::GUEST`, `--env K=V` (src/common.rs `parse_dirs`, `parse_env_var`).
 * A trap prints `Error: ...` with `wasm trap: REASON` and a wasm backtrace on stderr, and exits
 * 134 on Unix (run.rs: `EXIT_SIGNALED_SIGABRT`; crates/environ/src/trap_encoding.rs).
 * Components (the wit-2024-10-28 dialect: wasmtime >= 35; wit-2024-08-19: 25-34) run with the
 * same `run -S nn` (crates/wasi-nn/src/wit.rs). A handle the guest does not hold is an error out
 * of the canonical ABI or of the host's ResourceTable, not a wasm trap: `unknown handle index N`
 * (crates/wasmtime/src/runtime/vm/component/handle_table.rs) or `resource not present` /
 * `resource is of another type` (runtime/component/resource_table.rs), exit 1; both are the
 * component model's trap, reported as TRAP. Read from wasmtime's source at e6b33de (2026-08-21),
 * not yet measured: no wasmtime binary can be built here.
 */
import { basename, join } from 'node:path';
import { DIALECTS, type DialectName } from '../../reference-host/abi/dialects.js';
import type { Encoding } from '../../reference-host/core/types.js';
import type { RunOutcome } from '../../harness/judge.js';
import { SPEC_FUNCTIONS, type Capabilities, type GuestJob } from '../adapter.js';
import { ChildProcessAdapter, baseOutcome, notStarted, type BinarySpec, type CommandContext, type CommandPlan, type StagedLink } from '../child-process-adapter.js';
import { encodingsFromEnv } from '../encodings-env.js';
import type { SpawnResult } from '../spawn.js';

export const WASMTIME_BINARY: BinarySpec = {
  envVar: 'WASI_NN_WASMTIME',
  defaultName: 'wasmtime',
  howToGet: 'a wasmtime built with the wasi-nn feature and the backends you want (cargo features onnx, openvino, pytorch)',
};

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

export function interpretWasmtime(r: SpawnResult): RunOutcome {
  const resource = r.exitCode !== 0 && r.exitCode !== null ? RESOURCE_TRAP.exec(r.stderr) : null;
  if (resource) return baseOutcome(r, { trap: `canonical ABI: ${resource[1]}` });
  const trap = r.exitCode === 134 ? TRAP_LINE.exec(r.stderr) : null;
  if (trap) {
    const fn = FIRST_FRAME.exec(r.stderr)?.[1]?.trim();
    return baseOutcome(r, { trap: `wasm trap: ${trap[1]}${fn ? ` (in function ${fn})` : ''}` });
  }
  const startError = notStarted(r, 'wasmtime', r.stdout, r.stderr);
  return baseOutcome(r, startError ? { startError } : undefined);
}

export class WasmtimeAdapter extends ChildProcessAdapter {
  readonly name = 'wasmtime';
  readonly binary = WASMTIME_BINARY;

  constructor(dialect: DialectName = 'witx') {
    super(dialect);
  }

  async capabilities(): Promise<Capabilities> {
    return {
      // witx-2020: wasmtime 13–14 read the old tensor types (u8 = 2) with today's errno 0..8 (ABI reference §2.3, §2.4);
      // the component dialects: the WIT interface, wasmtime >= 35 (rc-2024-10-28) and 25–34 (rc-2024-08-19)
      dialects: ['witx', 'witx-2020', 'wit-2024-10-28', 'wit-2024-08-19'],
      // the backends in crates/wasi-nn/src/backend (winml is Windows-only)
      encodings: encodingsFromEnv('WASI_NN_WASMTIME_ENCODINGS', ['openvino', 'onnx', 'pytorch']),
      targets: ['cpu', 'gpu', 'tpu'],
      preload: 'encoding-dir',
      functions: DIALECTS[this.dialect].layout === 'component' ? DIALECTS[this.dialect].functions : SPEC_FUNCTIONS,
      missingImports: 'refuse',
    };
  }

  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    const args = ['run', '-S', 'nn'];
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
    return { ok: true, command: { file: ctx.file, args, env: {}, stage } };
  }

  interpret(r: SpawnResult): RunOutcome {
    return interpretWasmtime(r);
  }
}
