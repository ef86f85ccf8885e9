#!/usr/bin/env bash
# Configures and builds cssim into build/ (or $CSSIM_BUILD_DIR) with Ninja and ccache.
# Extra arguments go to CMake, e.g. tools/build.sh -DCSSIM_SANITIZE=ON
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CSSIM_BUILD_DIR:-$root/build}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# ccache caches the files built with a precompiled header (CMakeLists.txt, cssim_precompile) only
# with these sloppiness settings.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
cmake -S "$root" -B "$build" -G Ninja "${launcher[@]}" "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
