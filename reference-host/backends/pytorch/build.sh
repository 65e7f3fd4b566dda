#!/usr/bin/env bash
# Builds the libtorch addon: build/Release/torch_addon.node.
#   build.sh                  (npm run build:torch) build it, fail loudly when it cannot be built
#   build.sh --if-available   (npm ci / npm install, through the prepare script) build it when Debian's
#                             libtorch-dev is installed; otherwise, or when the build fails, print one
#                             line saying why and exit 0: the pytorch cases are then UNSUPPORTED with
#                             that reason, and `wasi-nn-host doctor` gives the fix.
# Needs Debian's libtorch-dev (headers in /usr/include/torch, libtorch*.so) and a C++17 compiler.
# Uses the node headers installed next to the running node when there are any (no download),
# else node-gyp fetches them for this node version.
set -euo pipefail
cd "$(dirname "$0")"
optional=0
[ "${1:-}" = "--if-available" ] && optional=1

if [ ! -f /usr/include/torch/script.h ]; then
  if [ "$optional" = 1 ]; then
    echo "pytorch engine: not built (libtorch-dev is not installed: apt-get install libtorch-dev, then npm run build:torch)" >&2
    exit 0
  fi
  echo "build:torch: /usr/include/torch/script.h is missing: apt-get install libtorch-dev" >&2
  exit 1
fi

prefix="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
args=()
if [ -f "$prefix/include/node/node_api.h" ] && [ -f "$prefix/include/node/common.gypi" ]; then
  args+=("--nodedir=$prefix")
fi
# node-gyp: the project's own (a checkout's devDependency), else the one npm ships with
gyp=()
if [ -x ../../../node_modules/.bin/node-gyp ]; then
  gyp=(../../../node_modules/.bin/node-gyp)
elif [ -n "${npm_config_node_gyp:-}" ] && [ -f "$npm_config_node_gyp" ]; then
  gyp=(node "$npm_config_node_gyp")
else
  npm_gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  if [ -f "$npm_gyp" ]; then gyp=(node "$npm_gyp"); fi
fi
if [ ${#gyp[@]} -eq 0 ]; then
  echo "pytorch engine: not built (no node-gyp found: npm install -g node-gyp)" >&2
  [ "$optional" = 1 ] && exit 0
  exit 1
fi

if [ "$optional" = 0 ]; then
  exec "${gyp[@]}" rebuild "${args[@]}" --jobs=max
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if "${gyp[@]}" rebuild "${args[@]}" --jobs=max >"$log" 2>&1; then
  echo "pytorch engine: built the libtorch addon (build/Release/torch_addon.node)" >&2
else
  echo "pytorch engine: the libtorch addon failed to build; its cases will be UNSUPPORTED. Last lines:" >&2
  tail -n 15 "$log" >&2
fi
exit 0
