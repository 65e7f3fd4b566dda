/**
 * Loads a WebAssembly component for the reference host: checks it, reads which `wasi:nn` version
 * it imports, and turns it into JavaScript with jco (@bytecodealliance/jco-transpile) once: the
 * transpiled output is cached on disk by the component's SHA-256 and the transpiler's version,
 * and the core modules in memory, so a run pays for transpiling only the first time it meets a
 * component (the harness runs the same driver component for every case).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WIT_VERSIONS, type WitVersion } from './wasi-nn-wit.js';

/** What the first bytes of a .wasm file say it is. */
export function wasmKind(bytes: Uint8Array): 'module' | 'component' | 'not wasm' {
  if (bytes.byteLength < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return 'not wasm';
  // version 1 layer 0: a core module; layer 1 (bytes 6-7): a component, whatever its version
  if (bytes[6] === 1 && bytes[7] === 0) return 'component';
  return 'module';
}

/** A component that cannot be run: not a component, an import or version we do not serve, no wasi:cli/run export. */
export class ComponentLoadError extends Error {
  override name = 'ComponentLoadError';
}

type Instantiate = (
  getCoreModule: (name: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
) => Record<string, unknown>;

export interface LoadedComponent {
  instantiate: Instantiate;
  getCoreModule: (name: string) => WebAssembly.Module;
  /** the `wasi:nn` version the component imports; undefined when it imports no wasi:nn */
  nnVersion: WitVersion | undefined;
  /** every interface it imports, versioned (`wasi:cli/stdout@0.2.3`) */
  imports: string[];
}

interface CacheMeta {
  nnVersion: WitVersion | null;
  imports: string[];
  files: string[];
}

/**
 * Interface packages a component may import: the WASI 0.2 ones preview2-shim serves, and
 * wasi:nn. wasi:sockets and wasi:http are linked with the network denied (run-component.ts), so a
 * component built by a toolchain that always imports them (componentize-js) still runs.
 */
const SERVED_PACKAGES = ['wasi:nn', 'wasi:cli', 'wasi:io', 'wasi:clocks', 'wasi:filesystem', 'wasi:random', 'wasi:sockets', 'wasi:http'];

const require = createRequire(import.meta.url);
let transpiler: string | undefined;
/** jco-transpile's version, for the cache key (read once per process). */
function transpilerVersion(): string {
  if (transpiler === undefined) {
    const entry = require.resolve('@bytecodealliance/jco-transpile');
    transpiler = (JSON.parse(readFileSync(join(entry, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  }
  return transpiler;
}

/** Where transpiled components are kept: $WASI_NN_COMPONENT_CACHE, else $XDG_CACHE_HOME or ~/.cache, under wasi-nn-conformance/components. */
export function componentCacheDir(): string {
  const explicit = process.env.WASI_NN_COMPONENT_CACHE;
  if (explicit) return explicit;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'wasi-nn-conformance', 'components');
}

const memory = new Map<string, LoadedComponent>();

/** Reads the `wasi:nn` version and the imports from the component's WIT, and checks its imports and exports. */
async function describe(bytes: Uint8Array): Promise<{ nnVersion: WitVersion | undefined; imports: string[] }> {
  const { componentWit } = await import('@bytecodealliance/jco-transpile/wasm-tools');
  let wit: string;
  try {
    wit = await componentWit(bytes);
  } catch (e) {
    throw new ComponentLoadError(`not a valid component: ${firstLine(e)}`);
  }
  const imports = [...wit.matchAll(/^\s*import ([a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(?:@[^;\s]+)?);/gm)].map((m) => m[1] as string);
  const exports = [...wit.matchAll(/^\s*export ([a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(?:@[^;\s]+)?);/gm)].map((m) => m[1] as string);
  const other = [...wit.matchAll(/^\s*import ([^;]+);/gm)].map((m) => (m[1] as string).trim()).filter((i) => !imports.includes(i));
  if (other.length > 0) throw new ComponentLoadError(`it imports ${other[0]}, which is not a WASI interface this host serves`);
  for (const i of imports) {
    const pkg = i.split('/')[0] as string;
    if (!SERVED_PACKAGES.includes(pkg)) throw new ComponentLoadError(`it imports ${i}, which this host does not serve (it serves ${SERVED_PACKAGES.join(', ')})`);
  }
  const nn = new Set(imports.filter((i) => i.startsWith('wasi:nn/')).map((i) => i.split('@')[1] ?? 'unversioned'));
  if (nn.size > 1) throw new ComponentLoadError(`it imports wasi:nn at ${nn.size} versions (${[...nn].join(', ')})`);
  const [version] = [...nn];
  if (version !== undefined && !(WIT_VERSIONS as readonly string[]).includes(version)) {
    throw new ComponentLoadError(`it imports wasi:nn@${version}; this host serves wasi:nn@${WIT_VERSIONS.join(' and @')}`);
  }
  if (!exports.some((e) => /^wasi:cli\/run@0\.2\./.test(e))) {
    throw new ComponentLoadError(`it is not a WASI command: it exports no wasi:cli/run@0.2.x (exports: ${exports.join(', ') || 'none'})`);
  }
  return { nnVersion: version as WitVersion | undefined, imports };
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
}

/**
 * jco's glue calls `_debugLog` several times per canonical-ABI call, and each call reads
 * `process.env.JCO_DEBUG` (a property lookup that crosses into C++ in Node): measured at 23% of
 * the CPU time of an inference loop. Read once instead, when the component is instantiated.
 * A glue without this exact definition is left as it is.
 */
const DEBUG_LOG_PER_CALL = 'const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }\n    console.debug(...args);\n  };';
const DEBUG_LOG_ONCE = 'const _debugLog = globalThis?.process?.env?.JCO_DEBUG ? (...args) => console.debug(...args) : () => {};';
/** Part of the cache key: a change to the glue patches must not reuse older cached output. */
const GLUE_PATCHES = 'debuglog-once-1';

export function patchGlue(js: string): string {
  return js.split(DEBUG_LOG_PER_CALL).join(DEBUG_LOG_ONCE);
}

/** Transpiles into a fresh folder, then renames it into place (another process may win the race: fine). */
async function transpileInto(dir: string, bytes: Uint8Array, meta: Omit<CacheMeta, 'files'>): Promise<void> {
  const { transpileBytes } = await import('@bytecodealliance/jco-transpile');
  let result;
  try {
    result = await transpileBytes(bytes, { name: 'component', instantiation: 'sync', emitTypescriptDeclarations: false });
  } catch (e) {
    throw new ComponentLoadError(`jco cannot transpile it: ${firstLine(e)}`);
  }
  const files = Object.keys(result.files).filter((f) => f.endsWith('.wasm') || f === 'component.js');
  const parent = join(dir, '..');
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, '.staging-'));
  for (const f of files) {
    const content = result.files[f] as Uint8Array;
    writeFileSync(join(staging, f), f === 'component.js' ? patchGlue(Buffer.from(content).toString('utf8')) : content);
  }
  writeFileSync(join(staging, 'meta.json'), JSON.stringify({ ...meta, files } satisfies CacheMeta));
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, 'meta.json'))) throw new Error(`cannot write the component cache ${dir}`);
  }
}

export async function loadComponent(bytes: Uint8Array): Promise<LoadedComponent> {
  if (wasmKind(bytes) !== 'component') throw new ComponentLoadError('not a WebAssembly component');
  const key = createHash('sha256').update(bytes).update(`\0jco-transpile ${transpilerVersion()} ${GLUE_PATCHES}`).digest('hex');
  const hit = memory.get(key);
  if (hit) return hit;
  let dir = join(componentCacheDir(), key);
  if (!existsSync(join(dir, 'meta.json'))) {
    const { nnVersion, imports } = await describe(bytes);
    try {
      await transpileInto(dir, bytes, { nnVersion: nnVersion ?? null, imports });
    } catch (e) {
      if (e instanceof ComponentLoadError) throw e;
      // an unwritable cache folder must not stop a run: transpile into a private temp folder
      dir = join(mkdtempSync(join(tmpdir(), 'wasi-nn-component-')), key);
      await transpileInto(dir, bytes, { nnVersion: nnVersion ?? null, imports });
    }
  }
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as CacheMeta;
  const { instantiate } = (await import(pathToFileURL(join(dir, 'component.js')).href)) as { instantiate: Instantiate };
  const modules = new Map<string, WebAssembly.Module>();
  for (const f of meta.files.filter((f) => f.endsWith('.wasm'))) modules.set(f, new WebAssembly.Module(readFileSync(join(dir, f))));
  const loaded: LoadedComponent = {
    instantiate,
    getCoreModule: (name) => {
      const m = modules.get(name);
      if (!m) throw new Error(`host bug: the transpiled component has no core module ${name}`);
      return m;
    },
    nnVersion: meta.nnVersion ?? undefined,
    imports: meta.imports,
  };
  memory.set(key, loaded);
  return loaded;
}
