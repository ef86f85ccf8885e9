#!/usr/bin/env bash
# Quick start 1: install what is missing, build, and run the GSC network on the U250 in all three
# modes with the SystemC engine. Arguments are passed to `cssim run`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/tools/setup.sh"
"$root/tools/build.sh"
exec "${CSSIM_BUILD_DIR:-$root/build}/cssim" run "$@"
