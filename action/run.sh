#!/usr/bin/env bash
# The script behind action.yml, usable on its own in any CI: runs the harness on one runtime,
# writes the JSON report, a Markdown summary and JUnit XML, appends the summary to
# $GITHUB_STEP_SUMMARY when there is one, and exits with the run's own status (0 as expected,
# 1 unexpected results, 2 usage or unusable input: harness/exit-codes.ts).
#
# Inputs (environment; empty means "not given"):
#   INPUT_RUNTIME       reference, reference-cli, wamr, wasmtime, wasmedge (required)
#   INPUT_BINARY        the runtime binary you just built (else its env var, else PATH)
#   INPUT_SETUP         `wasi-nn-conformance setup` targets to install first (wasmtime, openvino, wasmtime-onnx)
#   INPUT_DIALECT       the ABI dialect (else the runtime's default)
#   INPUT_SUITES        extra suite folders, separated by newlines or spaces
#   INPUT_SUITE         a glob on suite files / folders
#   INPUT_CASE          case-id globs, separated by newlines or spaces
#   INPUT_EXPECTATIONS  your runtime's expected failures (reports/expectations schema)
#   INPUT_BASELINE      an approved report: only regressions against it fail
#   INPUT_SHARD         K/N
#   INPUT_TIMEOUT       seconds per case
#   INPUT_JOBS          cases at once
#   INPUT_OUT_DIR       where the reports go (default wasi-nn-reports)
#   HARNESS             the wasi-nn-conformance command (default: npx --no-install wasi-nn-conformance)
set -uo pipefail

runtime="${INPUT_RUNTIME:-}"
if [ -z "$runtime" ]; then
  echo "wasi-nn-conformance action: the runtime input is required" >&2
  exit 2
fi
out_dir="${INPUT_OUT_DIR:-wasi-nn-reports}"
read -r -a harness <<< "${HARNESS:-npx --no-install wasi-nn-conformance}"

name="$runtime"
[ -n "${INPUT_DIALECT:-}" ] && name="$name-$INPUT_DIALECT"
[ -n "${INPUT_SHARD:-}" ] && name="$name-shard-${INPUT_SHARD//\//-of-}"
report="$out_dir/$name.json"

if [ -n "${INPUT_SETUP:-}" ]; then
  read -r -a targets <<< "$INPUT_SETUP"
  echo "wasi-nn-conformance setup ${targets[*]}"
  if ! "${harness[@]}" setup "${targets[@]}"; then
    [ -n "${GITHUB_OUTPUT:-}" ] && { echo "status=2"; echo "name=wasi-nn-$name"; } >> "$GITHUB_OUTPUT"
    exit 2
  fi
fi

args=(run --runtime "$runtime" --out "$report")
[ -n "${INPUT_BINARY:-}" ] && args+=(--binary "$INPUT_BINARY")
[ -n "${INPUT_DIALECT:-}" ] && args+=(--dialect "$INPUT_DIALECT")
[ -n "${INPUT_SUITE:-}" ] && args+=(--suite "$INPUT_SUITE")
for d in ${INPUT_SUITES:-}; do args+=(--suites "$d"); done
for c in ${INPUT_CASE:-}; do args+=(--case "$c"); done
[ -n "${INPUT_EXPECTATIONS:-}" ] && args+=(--expectations "$INPUT_EXPECTATIONS")
[ -n "${INPUT_BASELINE:-}" ] && args+=(--baseline "$INPUT_BASELINE")
[ -n "${INPUT_SHARD:-}" ] && args+=(--shard "$INPUT_SHARD")
[ -n "${INPUT_TIMEOUT:-}" ] && args+=(--timeout "$INPUT_TIMEOUT")
[ -n "${INPUT_JOBS:-}" ] && args+=(--jobs "$INPUT_JOBS")

echo "wasi-nn-conformance ${args[*]}"
"${harness[@]}" "${args[@]}"
status=$?

if [ -f "$report" ]; then
  "${harness[@]}" render --format markdown "$report" --out "$out_dir/$name.md" || status=2
  "${harness[@]}" render --format junit "$report" --out "$out_dir/$name.junit.xml" || status=2
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out_dir/$name.md" ]; then
    cat "$out_dir/$name.md" >> "$GITHUB_STEP_SUMMARY"
  fi
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  { echo "report=$report"; echo "status=$status"; echo "name=wasi-nn-$name"; } >> "$GITHUB_OUTPUT"
fi
case "$status" in
  0) echo "wasi-nn-conformance: every case as expected ($report)" ;;
  1) echo "wasi-nn-conformance: unexpected results, see the summary and $report" >&2 ;;
  *) echo "wasi-nn-conformance: the run could not be made (exit $status)" >&2 ;;
esac
exit "$status"
