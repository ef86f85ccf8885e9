#!/usr/bin/env bash
# Runs a sweep as N shards under GNU parallel (Debian package `parallel`) on this machine or, with
# parallel's --sshlogin, on several, then merges them. Every shard writes OUTDIR/shard-I.csv and
# can be rerun (it resumes); the merge reports the points no shard holds.
#   tools/sweep_parallel.sh N OUTDIR [cssim sweep options...]
#   tools/sweep_parallel.sh 4 gsc_shards configs/sweeps/gsc.sweep -j 1
# The one-liner it runs:
#   seq 1 N | parallel cssim sweep SWEEP --shard {}/N --out OUTDIR/shard-{}.csv -q
#   cssim sweep-merge --sweep SWEEP --out OUTDIR/merged.csv OUTDIR/shard-*.csv
# CSSIM (default: build/cssim beside this script) names the binary; PARALLEL_JOBS (default: the
# cores) how many shards run at once.
set -euo pipefail
if (($# < 3)); then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
n=$1 outdir=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cssim=${CSSIM:-$root/build/cssim}
command -v parallel >/dev/null || { echo "sweep_parallel.sh: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
mkdir -p "$outdir"
seq 1 "$n" | parallel --halt now,fail=1 -j "${PARALLEL_JOBS:-0}" \
  "$cssim" sweep "$@" --shard "{}/$n" --out "$outdir/shard-{}.csv" -q
shards=()
for ((i = 1; i <= n; i++)); do shards+=("$outdir/shard-$i.csv"); done
# sweep-merge takes the sweep's own options; --shard, --out, -j, -q and --engine belong to runs.
merge_args=()
while (($#)); do
  case $1 in
    -j|--jobs|--engine|-e|--shard|--out|-o) shift 2 ;;
    -q|--quiet|--no-check) shift ;;
    *.sweep) merge_args+=(--sweep "$1"); shift ;;
    *) merge_args+=("$1"); shift ;;
  esac
done
exec "$cssim" sweep-merge "${merge_args[@]}" --out "$outdir/merged.csv" "${shards[@]}"
