/**
 * node:wasi announces itself on stderr with an ExperimentalWarning when it is loaded (once per
 * process, and again in every worker and forked test process). For a host whose stderr belongs
 * to the guest that line is noise in the guest's output, so the host drops exactly that warning
 * and lets every other warning through. Install it before node:wasi is loaded (run-guest.ts).
 */
let installed = false;

export function silenceWasiExperimentalWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const first = rest[0];
    const type = typeof first === 'string' ? first : ((first as { type?: string } | undefined)?.type ?? (warning instanceof Error ? warning.name : undefined));
    if (type === 'ExperimentalWarning' && String(warning instanceof Error ? warning.message : warning).includes('WASI')) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
