/**
 * OpenVINO's runtime libraries from PyPI's `openvino` wheel, made findable by name.
 * The wheel ships `openvino/libs/libopenvino_c.so.<v>` and no `libopenvino_c.so`, but
 * openvino-rs (wasmtime's OpenVINO backend, `runtime-linking`) dlopens exactly `libopenvino_c.so`
 * from OPENVINO_INSTALL_DIR, INTEL_OPENVINO_DIR or LD_LIBRARY_PATH (openvino-finder). So setup
 * makes a folder of links: every file of the wheel's libs folder under its own name, plus the
 * plain names of the versioned libraries. OpenVINO finds its plugins beside libopenvino.so.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeManifestRecord, type OpenvinoRecord } from './manifest.js';
import { OPENVINO_VERSION, OPENVINO_WHEELS } from './pins.js';
import { ensureWheels } from './python-env.js';
import { SetupError, type Log } from './setup-error.js';

/** `libopenvino_c.so.2641` → `libopenvino_c.so` */
export function plainSoName(file: string): string | undefined {
  const m = /^(lib[\w.-]*?\.so)\.\d+$/.exec(file);
  return m?.[1];
}

function linkAll(libDir: string, wheelLibDir: string, files: readonly string[]): void {
  rmSync(libDir, { recursive: true, force: true });
  mkdirSync(libDir, { recursive: true });
  for (const f of files) {
    symlinkSync(join(wheelLibDir, f), join(libDir, f));
    const plain = plainSoName(f);
    if (plain && !files.includes(plain) && !existsSync(join(libDir, plain))) symlinkSync(join(wheelLibDir, f), join(libDir, plain));
  }
}

export function openvinoRecord(cache: string, sitePackages: string, version: string, wheel: string): OpenvinoRecord {
  const pkg = join(sitePackages, 'openvino');
  const wheelLibDir = join(pkg, 'libs');
  if (!existsSync(wheelLibDir)) throw new SetupError(`the openvino wheel has no libs folder at ${wheelLibDir}`, `delete ${sitePackages} and run setup again`);
  const files = readdirSync(wheelLibDir);
  if (!files.some((f) => f.startsWith('libopenvino_c.so'))) throw new SetupError(`no libopenvino_c.so* in ${wheelLibDir}`, `reinstall the pinned wheel (${wheel}) by running setup again`);
  const libDir = join(cache, 'openvino', version, 'lib');
  // made again only when a link is missing or dangling: a run may be loading these libraries now
  const intact = existsSync(libDir) && files.every((f) => existsSync(join(libDir, f))) && existsSync(join(libDir, 'libopenvino_c.so'));
  if (!intact) linkAll(libDir, wheelLibDir, files);
  const includeDir = join(pkg, 'include');
  const cmakeDir = join(pkg, 'cmake');
  return {
    version,
    wheel,
    libDir,
    wheelLibDir,
    ...(existsSync(join(includeDir, 'openvino', 'c', 'openvino.h')) ? { includeDir } : {}),
    ...(existsSync(join(cmakeDir, 'OpenVINOConfig.cmake')) ? { cmakeDir } : {}),
  };
}

/**
 * The setup venv with the openvino wheel (and `extra` wheels of the caller's target installed
 * with it), and the link folder, recorded in the manifest.
 */
export async function setupOpenvino(cache: string, env: NodeJS.ProcessEnv, log: Log, target = 'openvino', extra: readonly string[] = []): Promise<{ record: OpenvinoRecord; sitePackages: string }> {
  const pyenv = await ensureWheels(cache, target, [...extra, ...OPENVINO_WHEELS], env, log);
  const record = openvinoRecord(cache, pyenv.sitePackages, OPENVINO_VERSION, `openvino==${OPENVINO_VERSION}`);
  writeManifestRecord(cache, 'openvino', record);
  log(`openvino: OpenVINO ${record.version} libraries linked in ${record.libDir}`);
  return { record, sitePackages: pyenv.sitePackages };
}
