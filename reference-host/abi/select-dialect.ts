/**
 * Which dialect a guest is served, in this order:
 *   1. the explicit choice (the CLI's --nn-dialect, the embedder's `dialect`);
 *   2. the guest's `wasi-nn.dialect` custom section (the driver guests carry one);
 *   3. its imports: module `wasi_nn` → wamr-legacy; a WasmEdge-only function → wasmedge;
 *   4. witx.
 * Numberings that share their imports with witx (witx-2020, wamr, wamr-2.1) can only be told
 * by 1 or 2; hints say when the imports or the section disagree with the choice, or leave it open.
 */
import {
  DIALECTS,
  DIALECT_NAMES,
  WASI_EPHEMERAL_NN,
  WASI_NN_LEGACY,
  WASMEDGE_ONLY_FUNCTIONS,
  isDialectName,
  type Dialect,
  type DialectName,
} from './dialects.js';

/** The custom section naming the dialect a guest was built for (its content: the name, UTF-8). */
export const DIALECT_SECTION = 'wasi-nn.dialect';

export type DialectSource = 'flag' | 'section' | 'imports' | 'default';

export interface DialectChoice {
  dialect: Dialect;
  source: DialectSource;
  /** why, for --nn-trace: "from the guest's imports: module wasi_nn" */
  reason: string;
  /** things the user should know (printed on stderr by the CLI) */
  hints: string[];
}

/** The guest's custom section cannot be used (unknown name, two that disagree, not UTF-8). */
export class DialectSectionError extends Error {
  override name = 'DialectSectionError';
}

/** The dialect named by the guest's `wasi-nn.dialect` section, or undefined when it has none. */
export function sectionDialect(module: WebAssembly.Module): DialectName | undefined {
  const names = new Set<string>();
  for (const bytes of WebAssembly.Module.customSections(module, DIALECT_SECTION)) {
    try {
      names.add(new TextDecoder('utf-8', { fatal: true }).decode(bytes).trim());
    } catch {
      throw new DialectSectionError(`its ${DIALECT_SECTION} custom section is not UTF-8`);
    }
  }
  if (names.size === 0) return undefined;
  if (names.size > 1) throw new DialectSectionError(`its ${DIALECT_SECTION} custom sections disagree: ${[...names].map((n) => JSON.stringify(n)).join(', ')}`);
  const [name] = names as unknown as [string];
  if (!isDialectName(name)) throw new DialectSectionError(`its ${DIALECT_SECTION} custom section names ${JSON.stringify(name)}, which is not a dialect this host knows (${DIALECT_NAMES.join(', ')})`);
  return name;
}

/** The dialect a guest's imports point at, or undefined when they leave it open. */
export function importsDialect(module: WebAssembly.Module): { dialect?: DialectName; reason: string; hint?: string } {
  const imports = WebAssembly.Module.imports(module);
  const legacy = imports.filter((i) => i.module === WASI_NN_LEGACY);
  const ephemeral = imports.filter((i) => i.module === WASI_EPHEMERAL_NN);
  if (legacy.length > 0) return { dialect: 'wamr-legacy', reason: `module ${WASI_NN_LEGACY}` };
  const wasmedgeOnly = ephemeral.find((i) => (WASMEDGE_ONLY_FUNCTIONS as readonly string[]).includes(i.name));
  if (wasmedgeOnly) return { dialect: 'wasmedge', reason: `${WASI_EPHEMERAL_NN}.${wasmedgeOnly.name}, which only WasmEdge provides` };
  if (ephemeral.some((i) => i.name === 'load_by_name_with_config')) {
    return {
      reason: `module ${WASI_EPHEMERAL_NN}`,
      hint: 'the guest imports load_by_name_with_config, which WAMR (≥ 2.2) and WasmEdge provide but spec witx does not: it is served witx numbering; pass --nn-dialect wamr or wasmedge if it was built for one of them',
    };
  }
  return { reason: ephemeral.length > 0 ? `module ${WASI_EPHEMERAL_NN}` : 'no wasi-nn imports' };
}

/** Chooses the dialect for a guest; throws DialectSectionError when its section is unusable and nothing explicit overrides it. */
export function chooseDialect(module: WebAssembly.Module, explicit?: DialectName): DialectChoice {
  const hints: string[] = [];
  if (explicit !== undefined) {
    let section: DialectName | undefined;
    try {
      section = sectionDialect(module);
    } catch (e) {
      hints.push(`the dialect was given, so the guest's ${DIALECT_SECTION} section is ignored: ${(e as Error).message}`);
    }
    if (section !== undefined && section !== explicit) hints.push(`the guest says it was built for the ${section} dialect (${DIALECT_SECTION} section) but is served ${explicit}, as asked`);
    return { dialect: DIALECTS[explicit], source: 'flag', reason: 'as asked', hints };
  }
  const section = sectionDialect(module);
  if (section !== undefined) return { dialect: DIALECTS[section], source: 'section', reason: `from the guest's ${DIALECT_SECTION} custom section`, hints };
  const byImports = importsDialect(module);
  if (byImports.hint) hints.push(byImports.hint);
  if (byImports.dialect !== undefined) return { dialect: DIALECTS[byImports.dialect], source: 'imports', reason: `from the guest's imports: ${byImports.reason}`, hints };
  return { dialect: DIALECTS.witx, source: 'default', reason: `the default (${byImports.reason}; old-witx, wamr and wamr-2.1 guests need --nn-dialect)`, hints };
}

/**
 * Why the guest cannot be served this dialect: it imports a wasi-nn module other than the
 * dialect's (a legacy guest forced to witx, or the reverse). undefined when it can.
 */
export function moduleMismatch(module: WebAssembly.Module, choice: DialectChoice): string | undefined {
  const wrong = WebAssembly.Module.imports(module).find((i) => (i.module === WASI_NN_LEGACY || i.module === WASI_EPHEMERAL_NN) && i.module !== choice.dialect.module);
  if (!wrong) return undefined;
  return `it imports ${wrong.module}.${wrong.name}, but the ${choice.dialect.name} dialect (${choice.reason}) is served as module ${choice.dialect.module}`;
}
