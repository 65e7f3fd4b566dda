/**
 * `wasi-nn-conformance merge A.json B.json ... --out all.json`: the shard reports of one run
 * (`run --shard K/N`) made into one report, as if the run had not been split: results in the
 * order of the whole selection, counts and findings recomputed, and the run_info of every shard
 * kept under run_info.merged_from. Reports that do not fit together are refused: another runtime,
 * dialect or harness version, shards of different splits, a shard given twice, a case in two
 * shards. Gaps (a shard missing, a shard that did not finish) are refused too, unless allowed,
 * and then the merged report says complete:false.
 * Reports without shard information (e.g. one run per suite) are merged in the order given;
 * only duplicates can be checked there.
 */
import { countStatuses, findingsOf } from './report-io.js';
import { REPORT_FORMAT_VERSION } from './report-io.js';
import type { Report, ReportResult, RunInfo } from './report-types.js';

export class MergeError extends Error {}

export interface MergeInput {
  name: string;
  report: Report;
}

export interface MergeResult {
  report: Report;
  /** what is missing, when gaps were allowed */
  gaps: string[];
}

function sameRun(a: MergeInput, b: MergeInput): string | undefined {
  const ra = a.report.run_info;
  const rb = b.report.run_info;
  if (ra.runtime.name !== rb.runtime.name || ra.runtime.dialect !== rb.runtime.dialect) return `${b.name} is a run of ${rb.runtime.name} (${rb.runtime.dialect}), ${a.name} of ${ra.runtime.name} (${ra.runtime.dialect})`;
  if (ra.runtime.version !== rb.runtime.version) return `${b.name} ran ${rb.runtime.name} ${JSON.stringify(rb.runtime.version)}, ${a.name} ${JSON.stringify(ra.runtime.version)}`;
  if (ra.harness.version !== rb.harness.version || ra.harness.commit !== rb.harness.commit) return `${b.name} was made by harness ${rb.harness.version} (${rb.harness.commit ?? 'no commit'}), ${a.name} by ${ra.harness.version} (${ra.harness.commit ?? 'no commit'})`;
  return undefined;
}

function shardGaps(inputs: readonly MergeInput[]): string[] {
  const first = inputs[0]?.report.run_info.shard;
  if (!first) throw new MergeError('no shard information');
  const gaps: string[] = [];
  const byIndex = new Map<number, string>();
  const taken = new Set<number>();
  for (const { name, report } of inputs) {
    const shard = report.run_info.shard;
    if (!shard) throw new MergeError(`${name} is not a shard (no run_info.shard), but ${inputs[0]?.name} is: merge shards of one run, or whole reports`);
    if (shard.total !== first.total || shard.plan_size !== first.plan_size) {
      throw new MergeError(`${name} is shard ${shard.index}/${shard.total} of ${shard.plan_size} cases, ${inputs[0]?.name} shard ${first.index}/${first.total} of ${first.plan_size}: not the same split`);
    }
    const before = byIndex.get(shard.index);
    if (before) throw new MergeError(`shard ${shard.index}/${shard.total} is given twice: ${before} and ${name}`);
    byIndex.set(shard.index, name);
    for (const p of shard.positions) {
      if (p >= shard.plan_size) throw new MergeError(`${name}: position ${p} is outside the ${shard.plan_size} planned cases`);
      if (taken.has(p)) throw new MergeError(`${name}: case position ${p} is also in another shard`);
      taken.add(p);
    }
    // results are in the shard's planned order; planned cases without a result are a gap
    const planned = shard.positions.length;
    if (report.results.length > planned) throw new MergeError(`${name}: ${report.results.length} results, but the shard planned ${planned}`);
    if (!report.run_info.complete || report.results.length < planned) gaps.push(`${name} (shard ${shard.index}/${shard.total}) is incomplete: ${report.results.length} of ${planned} cases`);
  }
  for (let k = 1; k <= first.total; k++) if (!byIndex.has(k)) gaps.push(`shard ${k}/${first.total} is missing`);
  return gaps;
}

/** Merges shard reports (or whole reports of disjoint case sets) into one report. */
export function mergeReports(inputs: readonly MergeInput[], options: { allowGaps?: boolean } = {}): MergeResult {
  const head = inputs[0];
  if (!head) throw new MergeError('merge needs at least one report');
  for (const other of inputs.slice(1)) {
    const why = sameRun(head, other);
    if (why) throw new MergeError(`the reports are not parts of one run: ${why}`);
  }
  const sharded = head.report.run_info.shard !== undefined;
  if (!sharded) {
    const stray = inputs.find((i) => i.report.run_info.shard);
    if (stray) throw new MergeError(`${stray.name} is a shard, but ${head.name} is not: merge shards of one run, or whole reports`);
  }
  const gaps = sharded ? shardGaps(inputs) : inputs.filter((i) => !i.report.run_info.complete).map((i) => `${i.name} is incomplete (the run was interrupted)`);
  if (gaps.length > 0 && !options.allowGaps) throw new MergeError(`the merged report would have gaps: ${gaps.join('; ')} (--allow-gaps writes it anyway, marked incomplete)`);

  // every result with its position in the whole selection (a complete shard's results are in its
  // planned order, so the i-th result sits at positions[i]); results of whole reports, and of an
  // incomplete shard (where a case in the middle may be missing), follow in the order given
  const placed: { position: number; result: ReportResult }[] = [];
  const seen = new Map<string, string>();
  let fallback = head.report.run_info.shard?.plan_size ?? 0;
  for (const { name, report } of inputs) {
    const shard = report.run_info.shard;
    const positions = shard && report.run_info.complete && report.results.length === shard.positions.length ? shard.positions : undefined;
    report.results.forEach((result, i) => {
      const before = seen.get(result.id);
      if (before) throw new MergeError(`case ${result.id} is in ${before} and in ${name}`);
      seen.set(result.id, name);
      placed.push({ position: positions ? (positions[i] as number) : fallback++, result });
    });
  }
  placed.sort((a, b) => a.position - b.position);
  const results = placed.map((p) => p.result);
  const infos = inputs.map((i) => i.report.run_info);
  const { shard: _shard, merged_from: _merged, ...base } = head.report.run_info;
  const runInfo: RunInfo = {
    ...base,
    encodings: [...new Set(infos.flatMap((r) => r.encodings))],
    engines: Object.assign({}, ...infos.map((r) => r.engines)) as Record<string, string>,
    planned_cases: sharded ? (head.report.run_info.shard?.plan_size as number) : infos.reduce((n, r) => n + (r.planned_cases ?? 0), 0),
    started_at: infos.map((r) => r.started_at).sort()[0] as string,
    finished_at: infos.map((r) => r.finished_at).sort().at(-1) as string,
    complete: gaps.length === 0,
    merged_from: infos,
  };
  return {
    report: {
      format: 'wasi-nn-conformance-report',
      format_version: REPORT_FORMAT_VERSION,
      run_info: runInfo,
      counts: countStatuses(results),
      results,
      findings: findingsOf(results),
    },
    gaps,
  };
}
