/**
 * `wasi-nn-host doctor [--json]`: which engine runs on which execution target here, with engine
 * versions, and for every cell that is not available the reason and the fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Backend } from './backends/backend.js';
import { ENCODINGS, type Encoding, type Target } from './core/types.js';
import { DETECTOR_VERSION } from './detect/autodetect-backend.js';
import { ReferenceHost } from './reference-host.js';

export const DOCTOR_TARGETS = ['cpu', 'gpu', 'tpu'] as const satisfies readonly Target[];
type DoctorTarget = (typeof DOCTOR_TARGETS)[number];

export type Cell = { available: true } | { available: false; reason: string; fix: string };

export interface EngineRow {
  encoding: Encoding;
  /** the engine's name; null when no engine for the encoding is built in */
  engine: string | null;
  version: string | null;
  available: boolean;
  reason?: string;
  fix?: string;
  targets: Record<DoctorTarget, Cell>;
}

export interface Machine {
  /** how a GPU was looked for, and what was found */
  gpu: { found: boolean; evidence: string };
  tpu: { found: boolean; evidence: string };
}

export interface DoctorReport {
  machine: Machine;
  /** strict is the default; the fallback policy runs an unavailable cell on cpu */
  targetPolicies: { strict: string; fallback: string };
  engines: EngineRow[];
}

/** Device files of the usual accelerator drivers (no driver library is loaded). */
export function probeMachine(exists: (p: string) => boolean = existsSync): Machine {
  const gpuFiles = ['/dev/nvidia0', '/dev/nvidiactl', '/dev/kfd', '/dev/dri/renderD128'];
  const gpu = gpuFiles.filter(exists);
  let nvidiaDriver = '';
  try {
    if (exists('/proc/driver/nvidia/version')) nvidiaDriver = (readFileSync('/proc/driver/nvidia/version', 'utf8').split('\n')[0] ?? '').trim();
  } catch {
    /* unreadable: the device files still count */
  }
  const tpuFiles = ['/dev/accel0', '/dev/apex_0'];
  const tpu = tpuFiles.filter(exists);
  return {
    gpu: gpu.length
      ? { found: true, evidence: `${gpu.join(', ')}${nvidiaDriver ? ` (${nvidiaDriver})` : ''}` }
      : { found: false, evidence: `none of ${gpuFiles.join(', ')} exists` },
    tpu: tpu.length ? { found: true, evidence: tpu.join(', ') } : { found: false, evidence: `none of ${tpuFiles.join(', ')} exists` },
  };
}

const POLICY_HINT = 'or run with --target-policy fallback, which runs the graph on cpu and records that it did';

/** Why an available engine lacks a target, and what would change that. */
function targetCell(encoding: Encoding, engine: string, target: DoctorTarget, has: readonly Target[], machine: Machine): Cell {
  if (has.includes(target)) return { available: true };
  if (target === 'cpu') return { available: false, reason: `${engine} reports no cpu target`, fix: 'see its availability reason' };
  const device = target === 'gpu' ? machine.gpu : machine.tpu;
  const onMachine = device.found ? `this machine has one (${device.evidence})` : `this machine has none (${device.evidence})`;
  if (encoding === 'autodetect') return { available: false, reason: `autodetect runs the detected format's engine on its targets, and no engine here has ${target}`, fix: `see the engines' rows, ${POLICY_HINT}` };
  if (target === 'tpu') return { available: false, reason: `${engine} drives no TPU; ${onMachine}`, fix: `none in this host; ${POLICY_HINT}` };
  if (encoding === 'onnx' || encoding === 'openvino') {
    return {
      available: false,
      reason: `the ${encoding} backend creates onnxruntime sessions with the CPU execution provider only (onnxruntime-node's CUDA binaries are not installed: its install script is denied in package.json allowScripts, or skipped with ONNXRUNTIME_NODE_INSTALL=skip); ${onMachine}`,
      fix: target === 'gpu' ? `a CUDA execution provider in backends/onnx (needs an NVIDIA GPU, CUDA 12 and onnxruntime-node's CUDA binaries), ${POLICY_HINT}` : `no onnxruntime execution provider drives a TPU from Node; ${POLICY_HINT}`,
    };
  }
  if (encoding === 'pytorch') {
    return {
      available: false,
      reason: `Debian's libtorch-dev is a CPU-only build; ${onMachine}`,
      fix: target === 'gpu' ? `a CUDA build of libtorch, the addon (backends/pytorch/binding.gyp) rebuilt against it, and a cuda device in the backend; ${POLICY_HINT}` : `libtorch has no TPU device; ${POLICY_HINT}`,
    };
  }
  if (encoding === 'ggml') {
    return {
      available: false,
      reason: `the ggml engine starts llama.cpp with gpu: false and gpuLayers: 0 (backends/ggml/engine-process.ts); ${onMachine}`,
      fix: target === 'gpu' ? `node-llama-cpp's CUDA or Vulkan binaries and a ggml backend that offloads layers, ${POLICY_HINT}` : `llama.cpp has no TPU backend; ${POLICY_HINT}`,
    };
  }
  if (encoding === 'tensorflowlite') {
    return {
      available: false,
      reason: `LiteRT runs here as WebAssembly on the CPU (its WebGPU accelerator needs a browser); ${onMachine}`,
      fix: `none for Node; ${POLICY_HINT}`,
    };
  }
  if (encoding === 'tensorflow') {
    return {
      available: false,
      reason: `tfjs runs here on its wasm or cpu backend (its WebGL/WebGPU backends need a browser; @tensorflow/tfjs-node-gpu is not installed); ${onMachine}`,
      fix: target === 'gpu' ? `@tensorflow/tfjs-node-gpu (CUDA) and a gpu path in backends/tensorflow, ${POLICY_HINT}` : `TensorFlow's TPU runtime has no Node binding; ${POLICY_HINT}`,
    };
  }
  return { available: false, reason: `${engine} reports targets ${has.join(', ') || 'none'} only; ${onMachine}`, fix: `an engine build for ${target}, ${POLICY_HINT}` };
}

function row(encoding: Encoding, backend: Backend | undefined, machine: Machine): EngineRow {
  const cells = (cell: (t: DoctorTarget) => Cell) => Object.fromEntries(DOCTOR_TARGETS.map((t) => [t, cell(t)])) as Record<DoctorTarget, Cell>;
  if (!backend) {
    const reason = `no ${encoding} engine is built into this host`;
    const fix = `add a backend for ${encoding} to reference-host/backends/index.ts`;
    return { encoding, engine: null, version: null, available: false, reason, fix, targets: cells(() => ({ available: false, reason, fix })) };
  }
  const a = backend.availability();
  if (!a.available) return { encoding, engine: a.engine, version: null, available: false, reason: a.reason, fix: a.fix, targets: cells(() => ({ available: false, reason: `engine unavailable: ${a.reason}`, fix: a.fix })) };
  const has = backend.targets();
  return { encoding, engine: a.engine, version: encoding === 'autodetect' ? `${a.version} (routes to the engines above)` : a.version, available: true, targets: cells((t) => targetCell(encoding, a.engine, t, has, machine)) };
}

/** The report for a host's engine table. */
export function doctorReport(backends: ReadonlyMap<Encoding, Backend>, machine: Machine = probeMachine()): DoctorReport {
  return {
    machine,
    targetPolicies: {
      strict: 'default: a target the engine or machine lacks answers unsupported_operation',
      fallback: '--target-policy fallback: such a graph runs on cpu, and --nn-trace prints the device that ran it',
    },
    engines: ENCODINGS.map((e) => row(e, backends.get(e), machine)),
  };
}

export function formatDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  /** one note per distinct reason and fix, labelled with every cell that has it */
  const notes: { text: string; cells: string[] }[] = [];
  const head = ['encoding', 'engine', 'version', ...DOCTOR_TARGETS];
  const rows = report.engines.map((r) => {
    const marks = DOCTOR_TARGETS.map((t) => {
      const cell = r.targets[t];
      if (cell.available) return 'yes';
      const text = `${cell.reason}\n      fix: ${cell.fix}`;
      let n = notes.findIndex((x) => x.text === text);
      if (n < 0) n = notes.push({ text, cells: [] }) - 1;
      notes[n]!.cells.push(`${r.encoding} ${t}`);
      return `no (${n + 1})`;
    });
    return [r.encoding, r.engine ?? '-', r.version ?? '-', ...marks];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  lines.push(fmt(head), ...rows.map(fmt), '');
  lines.push(`machine: gpu ${report.machine.gpu.found ? 'found' : 'not found'} (${report.machine.gpu.evidence}); tpu ${report.machine.tpu.found ? 'found' : 'not found'} (${report.machine.tpu.evidence})`);
  lines.push(`target policy: strict (${report.targetPolicies.strict}); fallback (${report.targetPolicies.fallback})`, '');
  notes.forEach((n, i) => lines.push(`(${i + 1}) ${n.cells.join(', ')}: ${n.text}`));
  return `${lines.join('\n')}\n`;
}

/** Runs the doctor subcommand; returns the exit status (0: the report was printed). */
export async function doctor(options: { json: boolean }, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const host = new ReferenceHost();
  try {
    const report = doctorReport(host.backends);
    write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
    return 0;
  } finally {
    host.dispose();
  }
}

export { DETECTOR_VERSION };
