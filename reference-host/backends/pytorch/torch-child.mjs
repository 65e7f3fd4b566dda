// The engine process of the pytorch backend (plain JS: it runs under plain node both when the host
// runs from source and from dist/). It loads the libtorch addon and answers requests from
// torch-worker.mjs over the IPC channel, one at a time. Whatever libtorch does to this process
// (abort, segfault, a hang), the host's process lives on: the worker turns our death into an errno.
//
//   request  { id, op, args }          op: version | load | forward | unload | crashForTest
//   response { id, ok: true, result } | { id, ok: false, message }
//   at start { ready: true, version, sandbox } | { fatal: message }
//
// Before it answers anything the process takes away its own filesystem and TCP access
// (addon.sandbox(): Landlock, after warming libtorch up): a TorchScript model that got past the
// host's operator check still cannot read or write a host file. `sandbox` says what is in force,
// or why not (a kernel without Landlock); WASI_NN_TORCH_SANDBOX=off leaves the process as it is.
import { createRequire } from 'node:module';

const addonPath = process.argv[2];
const allowCrash = process.env.WASI_NN_TORCH_ALLOW_TEST_CRASH === '1';
let addon;
try {
  addon = createRequire(import.meta.url)(addonPath);
} catch (e) {
  process.send({ fatal: `cannot load ${addonPath}: ${e.message}` }, () => process.exit(1));
}
if (addon) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (msg) => {
    const { id, op, args } = msg;
    let reply;
    try {
      if (op === 'crashForTest' && !allowCrash) throw new Error('crashForTest is only served with WASI_NN_TORCH_ALLOW_TEST_CRASH=1');
      if (!['version', 'load', 'forward', 'unload', 'crashForTest'].includes(op)) throw new Error(`unknown op ${op}`);
      reply = { id, ok: true, result: addon[op](...args) };
    } catch (e) {
      reply = { id, ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    process.send(reply);
  });
  let sandbox;
  if (process.env.WASI_NN_TORCH_SANDBOX === 'off') sandbox = 'off (WASI_NN_TORCH_SANDBOX=off)';
  else {
    try {
      sandbox = addon.sandbox();
    } catch (e) {
      sandbox = `not in force: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  process.send({ ready: true, version: addon.version(), sandbox });
}
