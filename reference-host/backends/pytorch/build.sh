#!/usr/bin/env bash
# Builds the libtorch addon (npm run build:torch): build/Release/torch_addon.node.
# Needs Debian's libtorch-dev (headers in /usr/include/torch, libtorch*.so) and a C++17 compiler.
# Uses the node headers installed next to the running node when there are any (no download),
# else node-gyp fetches them for this node version.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f /usr/include/torch/script.h ]; then
  echo "build:torch: /usr/include/torch/script.h is missing: apt-get install libtorch-dev" >&2
  exit 1
fi
prefix="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
args=()
if [ -f "$prefix/include/node/node_api.h" ] && [ -f "$prefix/include/node/common.gypi" ]; then
  args+=("--nodedir=$prefix")
fi
export PATH="$PWD/../../../node_modules/.bin:$PATH"
exec node-gyp rebuild "${args[@]}" --jobs=max
