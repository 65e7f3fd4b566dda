/**
 * Synchronous calls into the libtorch addon, which runs in a separate engine process so that an
 * abort or segfault inside libtorch becomes an errno instead of killing the host:
 *
 *   host thread ──postMessage──▶ worker thread (torch-worker.mjs) ──IPC──▶ engine process (torch-child.mjs + addon)
 *   host thread ◀─Atomics.notify + receiveMessageOnPort── worker ◀──IPC── engine process
 *
 * The host thread sleeps in Atomics.wait (never busy-waits) until the worker answers. One engine
 * process serves every host in this node process; it is started at the first call and restarted
 * after it dies. The worker and the child are plain .mjs files in this folder (not compiled), so
 * they run the same whether the host runs from source or from dist/.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { TensorType } from '../../core/types.js';
import { findRepoRoot } from '../../repo-root.js';

/** A tensor as it crosses to the engine process and back. */
export interface WireTensor {
  type: TensorType;
  dims: number[];
  data: Uint8Array;
}

export type EngineResponse =
  | { generation: number; ok: true; result: unknown }
  | { generation: number; ok: false; message: string; crashed?: boolean; timedOut?: boolean; unavailable?: boolean; stale?: boolean };

/** reference-host/backends/pytorch in the source tree (the addon and the .mjs files live there, not in dist/). */
export const PYTORCH_DIR = join(findRepoRoot(), 'reference-host', 'backends', 'pytorch');
export const ADDON_PATH = process.env['WASI_NN_TORCH_ADDON'] ?? join(PYTORCH_DIR, 'build', 'Release', 'torch_addon.node');
const LIBTORCH_HEADER = '/usr/include/torch/script.h';
/** A call that runs longer than this kills the engine process (runtime_error). */
export const CALL_TIMEOUT_MS = Number(process.env['WASI_NN_TORCH_TIMEOUT_MS'] ?? 60_000);

export interface TorchEngineOptions {
  /** Extra environment for the engine process (tests set WASI_NN_TORCH_ALLOW_TEST_CRASH=1). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export class TorchEngine {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private ctrl: Int32Array | undefined;
  /** The engine process that answered last (graph ids are only valid in it); 0 before any. */
  generation = 0;
  private workers = 0;

  constructor(private readonly options: TorchEngineOptions = {}) {}

  /** Why the engine cannot run here, with the fix; undefined when the addon file is present. */
  static missing(): { reason: string; fix: string } | undefined {
    if (existsSync(ADDON_PATH)) return undefined;
    const haveLibtorch = existsSync(LIBTORCH_HEADER);
    return {
      reason: `the libtorch addon ${ADDON_PATH} is not built${haveLibtorch ? '' : ` and libtorch is not installed (${LIBTORCH_HEADER} is missing)`}`,
      fix: `${haveLibtorch ? '' : 'apt-get install libtorch-dev && '}bash ${join(PYTORCH_DIR, 'build.sh')} (in a checkout: npm run build:torch)`,
    };
  }

  private ensureWorker(): { port: MessagePort; ctrl: Int32Array } {
    if (!this.worker || !this.port || !this.ctrl) {
      const ctrl = new Int32Array(new SharedArrayBuffer(4));
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(join(PYTORCH_DIR, 'torch-worker.mjs'), {
        workerData: {
          ctrl: ctrl.buffer,
          port: port2,
          childScript: join(PYTORCH_DIR, 'torch-child.mjs'),
          addonPath: ADDON_PATH,
          timeoutMs: this.options.timeoutMs ?? CALL_TIMEOUT_MS,
          env: this.options.env ?? {},
          // a later worker (after this one stopped answering) must never reuse a generation
          generationBase: this.workers++ * 1_000_000,
        },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.worker = worker;
      this.port = port1;
      this.ctrl = ctrl;
    }
    return { port: this.port, ctrl: this.ctrl };
  }

  /** One request, answered synchronously. `start` starts the engine process and returns its libtorch version. */
  call(op: 'start' | 'sandbox' | 'version' | 'load' | 'forward' | 'unload' | 'crashForTest', args: unknown[] = [], expectGeneration?: number): EngineResponse {
    const { port, ctrl } = this.ensureWorker();
    Atomics.store(ctrl, 0, 0);
    port.postMessage({ op, args, expectGeneration });
    // The worker itself enforces timeoutMs (it kills the engine process); this bound only guards
    // against the worker thread itself being gone.
    const waited = Atomics.wait(ctrl, 0, 0, (this.options.timeoutMs ?? CALL_TIMEOUT_MS) + 30_000);
    const received = receiveMessageOnPort(port);
    if (waited === 'timed-out' || !received) {
      this.dispose();
      return { generation: -1, ok: false, crashed: true, message: `the pytorch engine worker did not answer ${op}` };
    }
    const response = received.message as EngineResponse;
    this.generation = response.generation;
    return response;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.port?.close();
    this.worker = undefined;
    this.port = undefined;
    this.ctrl = undefined;
  }
}
