#!/usr/bin/env bash
# Builds every guest .wasm byte-identically (see guests/README.md).
#   bash guests/build.sh           rebuild every guest .wasm in place
#   bash guests/build.sh --check   rebuild into a temp dir; exit 1 naming each committed .wasm
#                                  that differs from (or is missing next to) a fresh build
# Exit status: 0 ok, 1 --check found differences, 2 toolchain missing or bad usage.
set -euo pipefail

# Work from the repo root whatever the caller's cwd, and only ever name sources by paths
# relative to it, so no checkout directory can leak into the output.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd -P)

export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=0
CC=clang-14
INSTALL='sudo apt-get install -y clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32'

mode=build
case "${1-}" in
  '') ;;
  --check) mode=check ;;
  *) echo "usage: bash guests/build.sh [--check]" >&2; exit 2 ;;
esac

if ! command -v "$CC" >/dev/null 2>&1; then
  echo "guests/build.sh: $CC not found; install the toolchain with: $INSTALL" >&2
  exit 2
fi
if [ ! -d node_modules/@bytecodealliance/jco ] || [ ! -d node_modules/@bytecodealliance/jco-transpile ]; then
  echo "guests/build.sh: the component guests need @bytecodealliance/jco and jco-transpile: run npm ci" >&2
  exit 2
fi
if [ ! -f /usr/lib/wasm32-wasi/libc.a ] || ! command -v wasm-ld-14 >/dev/null 2>&1; then
  echo "guests/build.sh: wasi-libc or lld-14 missing; install the toolchain with: $INSTALL" >&2
  exit 2
fi

# Compile (-O2) and link (no -O flag) in separate steps: a clang link step given -O runs any
# `wasm-opt` found on PATH, which would make the output depend on the machine. No -g; the
# linker keeps the wasm "name" section, so traps show function names; --strip-debug drops
# only the DWARF that the distro's libc.a carries (it holds that build's paths).
CFLAGS=(--target=wasm32-wasi --sysroot=/usr -O2 -std=c11 -Wall -Wextra -Werror
        -ffile-prefix-map="$ROOT"=. -fdebug-prefix-map="$ROOT"=. -fno-ident)
LDFLAGS=(--target=wasm32-wasi --sysroot=/usr -fuse-ld=lld -Wl,--strip-debug)

# Every guest: OUTPUT (relative to the repo root) SOURCE [extra compiler flags...]
# The driver: one build per ABI dialect (reference-host/abi/dialects.ts, guests/README.md). The
# flags choose the import module, the legacy arities and the function set; NN_DIALECT names the
# dialect in the module's `wasi-nn.dialect` custom section.
GUESTS=(
  "guests/driver/witx.wasm guests/driver/driver.c -DNN_DIALECT=\"witx\""
  "guests/driver/wasmedge.wasm guests/driver/driver.c -DNN_DIALECT=\"wasmedge\" -DNN_WITH_CONFIG -DNN_WASMEDGE"
  "guests/driver/wamr.wasm guests/driver/driver.c -DNN_DIALECT=\"wamr\" -DNN_WITH_CONFIG"
  "guests/driver/wamr-2.1.wasm guests/driver/driver.c -DNN_DIALECT=\"wamr-2.1\" -DNN_WITH_CONFIG"
  "guests/driver/witx-2020.wasm guests/driver/driver.c -DNN_DIALECT=\"witx-2020\""
  "guests/driver/wamr-legacy.wasm guests/driver/driver.c -DNN_DIALECT=\"wamr-legacy\" -DNN_MODULE=\"wasi_nn\" -DNN_LEGACY"
  "guests/examples/onnx-affine.wasm guests/examples/onnx-affine.c"
  "guests/examples/affine-any.wasm guests/examples/affine-any.c"
  "guests/examples/onnx-bench.wasm guests/examples/onnx-bench.c"
  "guests/examples/wasi-basics.wasm guests/examples/wasi-basics.c"
  "guests/examples/wasmedge-chat.wasm guests/examples/wasmedge-chat.c"
  "guests/driver/wit-2024-10-28.wasm guests/driver/driver.c -DNN_DIALECT=\"wit-2024-10-28\" -DNN_COMPONENT -DNN_WIT_VERSION=\"0.2.0-rc-2024-10-28\""
  "guests/driver/wit-2024-08-19.wasm guests/driver/driver.c -DNN_DIALECT=\"wit-2024-08-19\" -DNN_COMPONENT -DNN_WIT_VERSION=\"0.2.0-rc-2024-08-19\" -DNN_WIT_SET_INPUT"
  "guests/examples/wit-any.wasm guests/examples/wit-any.c -DNN_WIT_VERSION=\"0.2.0-rc-2024-10-28\""
  "guests/examples/wit-bench.wasm guests/examples/wit-bench.c -DNN_WIT_VERSION=\"0.2.0-rc-2024-10-28\""
)

# Components: a build whose flags name -DNN_WIT_VERSION is a core module made into a component
# importing wasi:nn at that version (guests/componentize.mjs: jco's wasm-tools and its WASI
# preview1 command adapter, pinned in package.json, so the output is as reproducible as clang's).
WIT_DIR=reference-host/component/wit

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# build_all DIR: writes every guest's output under DIR (same relative paths)
build_all() {
  local dir=$1 spec out src i=0
  for spec in "${GUESTS[@]}"; do
    # shellcheck disable=SC2086
    set -- $spec
    out=$1 src=$2
    shift 2
    i=$((i + 1))
    mkdir -p "$dir/$(dirname "$out")"
    "$CC" "${CFLAGS[@]}" "$@" -c "$src" -o "$tmp/obj$i.o"
    local version
    version=$(printf '%s\n' "$@" | sed -n 's/^-DNN_WIT_VERSION="\(.*\)"$/\1/p')
    if [ -z "$version" ]; then
      "$CC" "${LDFLAGS[@]}" "$tmp/obj$i.o" -o "$dir/$out"
    else
      # no crt1: lld wraps every export of a *command* module in the C constructors and
      # destructors, so each host call into cabi_realloc would run exit-time stdio cleanup;
      # the source exports its own _start (see guests/README.md, "Component builds")
      "$CC" "${LDFLAGS[@]}" -nostartfiles -Wl,--no-entry "$tmp/obj$i.o" -o "$tmp/core$i.wasm"
      node guests/componentize.mjs "$tmp/core$i.wasm" "$WIT_DIR/wasi-nn@$version.wit" "$dir/$out"
    fi
  done
}

if [ "$mode" = build ]; then
  build_all "$tmp/out"
  for spec in "${GUESTS[@]}"; do
    out=${spec%% *}
    cp "$tmp/out/$out" "$out"
    chmod 644 "$out"
    echo "built $out ($(wc -c <"$out") bytes)"
  done
  exit 0
fi

build_all "$tmp/out"
bad=0
for spec in "${GUESTS[@]}"; do
  out=${spec%% *}
  if [ ! -f "$out" ]; then
    echo "guests/build.sh --check: $out is missing (run: bash guests/build.sh)" >&2
    bad=1
  elif ! cmp -s "$out" "$tmp/out/$out"; then
    echo "guests/build.sh --check: $out differs from a fresh build (run: bash guests/build.sh and commit it)" >&2
    bad=1
  fi
done
if [ "$bad" = 0 ]; then
  echo "guests/build.sh --check: all ${#GUESTS[@]} guest .wasm files match a fresh build"
fi
exit "$bad"
