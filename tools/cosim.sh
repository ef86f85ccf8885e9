#!/usr/bin/env bash
# RTL co-simulation regression: every block's model and Verilated RTL side by side over many seeds.
#   tools/cosim.sh [--seeds N] [--seed-base S] [--vcd DIR] [ctest arguments, e.g. -R Kwta]
# Builds first (build/ or $CSSIM_BUILD_DIR), then runs the ctest label cosim with N seeds per test
# (default 200) and prints a pass/fail summary; a failure names the seed, cycle, port, expected and
# actual value, and the VCD written for it. --vcd DIR also dumps every RTL signal of each block to
# DIR/<block>.vcd (scopes and names as in the model's trace); give it one test (-R Name).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CSSIM_BUILD_DIR:-$root/build}
seeds=200
base=1
args=()
while (($#)); do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --seed-base) base=$2; shift 2 ;;
    --vcd) mkdir -p "$2"; export CSSIM_RTL_VCD=$(cd "$2" && pwd); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
"$root/tools/build.sh"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 CSSIM_SEEDS=$seeds CSSIM_SEED_BASE=$base
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
ctest --test-dir "$build" -L cosim -j"$(nproc)" --output-on-failure "${args[@]}" | tee "$log" || status=$?
total=$(grep -oE 'tests failed out of [0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
failed=$(grep -oE '[0-9]+ tests failed' "$log" | grep -oE '^[0-9]+' || echo 0)
echo "cosim regression: seeds $base..$((base + seeds - 1)) per test, $total tests:" \
     "$((total - failed)) passed, $failed failed"
exit $status
