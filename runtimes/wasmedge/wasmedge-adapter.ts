/**
 * `wasmedge` with the WASI-NN plugin (WasmEdge/WasmEdge):
 * - `--dir=GUEST:HOST` (split at the first ':', a second ':' starts a mode such as `readonly`:
 *   lib/host/wasi/environ.cpp), `--env=NAME=VALUE` (include/driver/tool.h); `--opt=value` ends the
 *   option, so the guest path that follows is never taken as a second value (lib/po/argument_parser.cpp);
 * - `--nn-preload=NAME:ENCODING:TARGET:PATH[:PATH...]` (plugins/wasi_nn/wasinnenv.cpp; names
 *   case-insensitive);
 * - `--version` lists each loaded plugin as `PATH (plugin "wasi_nn") version ...` (lib/driver/uniTool.cpp).
 * A trap logs `[error] execution failed: REASON, Code: 0x...` on stderr (include/common/errcode.h)
 * and exits 128 + SIGABRT = 134 (lib/driver/runtimeTool.cpp).
 */
import type { DialectName } from '../../reference-host/abi/dialects.js';
import type { RunOutcome } from '../../harness/judge.js';
import { ALL_FUNCTIONS, type Capabilities, type GuestJob } from '../adapter.js';
import { ChildProcessAdapter, baseOutcome, notStarted, type BinarySpec, type CommandContext, type CommandPlan } from '../child-process-adapter.js';
import { encodingsFromEnv } from '../encodings-env.js';
import type { SpawnResult } from '../spawn.js';

export const WASMEDGE_BINARY: BinarySpec = {
  envVar: 'WASI_NN_WASMEDGE',
  defaultName: 'wasmedge',
  howToGet: 'WasmEdge with its WASI-NN plugin for your backend, e.g. install.sh --plugins wasi_nn-openvino',
};

const TRAP_LINE = /\[error\] (execution failed: .*?), Code: (0x[0-9a-f]+)/;
const FUNCTION_LINE = /When executing function name: "([^"]*)"/;

export function interpretWasmedge(r: SpawnResult): RunOutcome {
  const trap = r.exitCode === 134 ? TRAP_LINE.exec(r.stderr) : null;
  if (trap) {
    const fn = FUNCTION_LINE.exec(r.stderr)?.[1];
    return baseOutcome(r, { trap: `${trap[1]} (code ${trap[2]})${fn ? ` (in function ${fn})` : ''}` });
  }
  const startError = notStarted(r, 'wasmedge', r.stdout, r.stderr);
  return baseOutcome(r, startError ? { startError } : undefined);
}

export class WasmedgeAdapter extends ChildProcessAdapter {
  readonly name = 'wasmedge';
  readonly binary = WASMEDGE_BINARY;

  constructor(dialect: DialectName = 'wasmedge') {
    super(dialect);
  }

  protected override checkVersionOutput(stdout: string): { reason: string; fix: string } | undefined {
    if (/\(plugin "wasi_nn"\)/.test(stdout)) return undefined;
    return {
      reason: 'wasmedge --version lists no wasi_nn plugin, so wasi_ephemeral_nn is not provided',
      fix: 'install the WASI-NN plugin (e.g. `install.sh --plugins wasi_nn-openvino`) or point WASMEDGE_PLUGIN_PATH at the dir holding libwasmedgePluginWasiNN.so',
    };
  }

  protected override versionOf(stdout: string): string {
    const lines = stdout.trim().split('\n');
    const plugin = lines.find((l) => l.includes('(plugin "wasi_nn")'));
    const pluginVersion = plugin ? / version (\S+)/.exec(plugin)?.[1] : undefined;
    return `${lines[0] ?? ''}${pluginVersion ? `, wasi_nn plugin ${pluginVersion}` : ''}`;
  }

  async capabilities(): Promise<Capabilities> {
    return {
      dialects: ['wasmedge'],
      // backends plugins/wasi_nn can be built with (one plugin build serves one or a few)
      encodings: encodingsFromEnv('WASI_NN_WASMEDGE_ENCODINGS', ['openvino', 'onnx', 'tensorflow', 'pytorch', 'tensorflowlite', 'ggml']),
      targets: ['cpu', 'gpu', 'tpu', 'auto'],
      preload: 'name-encoding-target-paths',
      functions: ALL_FUNCTIONS,
      missingImports: 'refuse',
    };
  }

  command(job: GuestJob, ctx: CommandContext): CommandPlan {
    const args: string[] = [];
    for (const [guest, host] of Object.entries(job.preopens)) {
      if (guest.includes(':') || host.includes(':')) return { ok: false, reason: `--dir=GUEST:HOST cannot carry a path containing ":" (${guest} → ${host})` };
      args.push(`--dir=${guest}:${host}`);
    }
    for (const [k, v] of Object.entries(job.env ?? {})) {
      if (k === '' || k.includes('=')) return { ok: false, reason: `--env=NAME=VALUE cannot carry the name ${JSON.stringify(k)}` };
      args.push(`--env=${k}=${v}`);
    }
    for (const g of job.preloads) {
      const bad = [g.name, ...g.paths].find((p) => p.includes(':'));
      if (bad !== undefined) return { ok: false, reason: `--nn-preload=NAME:ENCODING:TARGET:PATH cannot carry ${JSON.stringify(bad)}, which contains ":"` };
      if (g.name === '' || g.paths.length === 0) return { ok: false, reason: `--nn-preload needs a name and at least one path (graph ${JSON.stringify(g.name)})` };
      args.push(`--nn-preload=${[g.name, g.encoding.toUpperCase(), g.target.toUpperCase(), ...g.paths].join(':')}`);
    }
    if (job.wasm.startsWith('-')) return { ok: false, reason: `wasmedge would read the guest path ${job.wasm} as an option` };
    args.push(job.wasm, ...job.args);
    return { ok: true, command: { file: ctx.file, args, env: {}, stage: [] } };
  }

  interpret(r: SpawnResult): RunOutcome {
    return interpretWasmedge(r);
  }
}
