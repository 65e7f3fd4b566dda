/**
 * Where `wasi-nn-conformance setup` keeps what it installs: outside any checkout, per user, so
 * that one machine builds or downloads each thing once. WASI_NN_CONFORMANCE_CACHE wins, then
 * $XDG_CACHE_HOME/wasi-nn-conformance, then ~/.cache/wasi-nn-conformance.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.WASI_NN_CONFORMANCE_CACHE;
  if (own !== undefined && own !== '') return resolve(own);
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'wasi-nn-conformance');
  return join(homedir(), '.cache', 'wasi-nn-conformance');
}
