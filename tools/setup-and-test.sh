#!/usr/bin/env bash
# Quick start 2: install what is missing, build, and run the whole test suite with ctest.
#   --sanitize   build into build-asan/ with AddressSanitizer and UndefinedBehaviorSanitizer
# Other arguments go to ctest (e.g. -L unit, -R Gsc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake_args=()
if [[ ${1:-} == --sanitize ]]; then
  shift
  export CSSIM_BUILD_DIR=${CSSIM_BUILD_DIR:-$root/build-asan}
  # The RTL co-simulation is left out: the Verilated code is generated, not ours to sanitize.
  cmake_args=(-DCSSIM_SANITIZE=ON -DCSSIM_COSIM=OFF -DCMAKE_BUILD_TYPE=Debug)
fi
build=${CSSIM_BUILD_DIR:-$root/build}
"$root/tools/setup.sh"
"$root/tools/build.sh" "${cmake_args[@]}"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
exec ctest --test-dir "$build" -j"$(nproc)" --output-on-failure "$@"
