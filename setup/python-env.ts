/**
 * The one Python venv `setup` installs wheels into, under the cache folder (never in a checkout).
 * Each target's pinned list is installed with --no-deps (the lists pin the dependencies too) and
 * recorded in the venv, so a second `setup` of the same list does nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { SetupError, type Log } from './setup-error.js';

export interface PythonEnv {
  /** the venv's folder */
  dir: string;
  python: string;
  /** its site-packages, where the wheels' files are */
  sitePackages: string;
}

export function venvDir(cache: string): string {
  return join(cache, 'python', 'venv');
}

/** The python that makes the venv: WASI_NN_PYTHON, else python3 on PATH. */
function basePython(env: NodeJS.ProcessEnv): string {
  return env.WASI_NN_PYTHON !== undefined && env.WASI_NN_PYTHON !== '' ? env.WASI_NN_PYTHON : 'python3';
}

async function sitePackagesOf(python: string): Promise<string> {
  const r = await execa(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { reject: false });
  if (r.exitCode !== 0) throw new SetupError(`${python} cannot tell its site-packages: ${String(r.stderr).trim().split('\n').pop() ?? ''}`, 'check the venv, or delete it so that setup makes it again');
  return String(r.stdout).trim();
}

/** The venv if it exists (no install). */
export async function existingPythonEnv(cache: string): Promise<PythonEnv | undefined> {
  const dir = venvDir(cache);
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python)) return undefined;
  return { dir, python, sitePackages: await sitePackagesOf(python) };
}

async function createVenv(cache: string, env: NodeJS.ProcessEnv, log: Log): Promise<PythonEnv> {
  const dir = venvDir(cache);
  const base = basePython(env);
  mkdirSync(join(cache, 'python'), { recursive: true });
  log(`making a Python venv at ${dir} (with ${base})`);
  const r = await execa(base, ['-m', 'venv', dir], { reject: false });
  if (r.failed) {
    const why = r.code === 'ENOENT' ? `${base} is not installed` : String(r.stderr).trim().split('\n').pop() ?? `exit ${r.exitCode}`;
    throw new SetupError(`cannot make a Python venv with ${base}: ${why}`, 'install Python 3.9+ with its venv module (Debian: python3 python3-venv), or set WASI_NN_PYTHON to one');
  }
  const python = join(dir, 'bin', 'python');
  return { dir, python, sitePackages: await sitePackagesOf(python) };
}

/** The file in the venv listing what a target installed. */
function markerPath(pyenv: PythonEnv, target: string): string {
  return join(pyenv.dir, `wasi-nn-conformance-${target}.txt`);
}

export function installedList(pyenv: PythonEnv, target: string): string[] | undefined {
  const p = markerPath(pyenv, target);
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter((l) => l !== '') : undefined;
}

/** Makes the venv if needed and installs `requirements` (exact pins) into it. */
export async function ensureWheels(cache: string, target: string, requirements: readonly string[], env: NodeJS.ProcessEnv, log: Log): Promise<PythonEnv> {
  const pyenv = (await existingPythonEnv(cache)) ?? (await createVenv(cache, env, log));
  const had = installedList(pyenv, target);
  if (had && had.join('\n') === requirements.join('\n')) {
    log(`${target}: ${requirements.join(' ')} already in ${pyenv.dir}`);
    return pyenv;
  }
  log(`${target}: pip install --no-deps ${requirements.join(' ')}`);
  const r = await execa(pyenv.python, ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '--no-input', ...requirements], { reject: false, all: true });
  if (r.exitCode !== 0) {
    const tail = String(r.all ?? '').trim().split('\n').filter((l) => l.trim() !== '').slice(-2).join(' | ');
    throw new SetupError(`pip could not install ${requirements.join(' ')}: ${tail}`, 'check that this machine reaches PyPI (or a mirror set in pip.conf / PIP_INDEX_URL) and that a wheel exists for this platform and Python');
  }
  writeFileSync(markerPath(pyenv, target), `${requirements.join('\n')}\n`);
  return pyenv;
}
