#!/usr/bin/env bash
# Configures and builds cssim into build/ (or $CSSIM_BUILD_DIR) with Ninja and ccache.
# Extra arguments go to CMake, e.g. tools/build.sh -DCSSIM_SANITIZE=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CSSIM_BUILD_DIR:-$root/build}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
