#!/usr/bin/env bash
# A sweep on a Slurm cluster (Debian package slurm-wlm; not installed by tools/setup.sh): one array
# task per shard, each `cssim sweep --shard I/N` on the cores Slurm gives it, then one dependent
# job that merges the shards and reports the points no shard holds. A failed or killed task can
# be resubmitted alone (sbatch --array=I): it resumes from its CSV.
#   tools/sweep_slurm.sh N OUTDIR SWEEP_FILE [cssim sweep options...]
#   tools/sweep_slurm.sh 16 /scratch/gsc configs/sweeps/gsc.sweep --engine fast
# Options for sbatch go in SBATCH_ARGS (e.g. "--partition=short --time=01:00:00"); CSSIM names the
# binary (default: build/cssim beside this script; it must be reachable from the nodes).
set -euo pipefail
if (($# < 3)); then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
n=$1 outdir=$2 sweep=$3
shift 3
root=$(cd "$(dirname "$0")/.." && pwd)
cssim=${CSSIM:-$root/build/cssim}
mkdir -p "$outdir/logs"
run_args=$(printf ' %q' "$@")
merge_args=()
while (($#)); do
  case $1 in
    -j|--jobs|--engine|-e) shift 2 ;;
    -q|--quiet|--no-check) shift ;;
    *) merge_args+=("$1"); shift ;;
  esac
done
merge_args_text=""
((${#merge_args[@]})) && merge_args_text=$(printf ' %q' "${merge_args[@]}")
# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_ARGS:-} --array="1-$n" --job-name=cssim-sweep \
  --output="$outdir/logs/shard-%a.log" --wrap \
  "$(printf '%q' "$cssim") sweep $(printf '%q' "$sweep")$run_args -j \${SLURM_CPUS_PER_TASK:-1} --shard \${SLURM_ARRAY_TASK_ID}/$n --out $(printf '%q' "$outdir")/shard-\${SLURM_ARRAY_TASK_ID}.csv -q")
shards=$(for ((i = 1; i <= n; i++)); do printf ' %q' "$outdir/shard-$i.csv"; done)
# shellcheck disable=SC2086
sbatch ${SBATCH_ARGS:-} --dependency="afterany:$array" --job-name=cssim-sweep-merge \
  --output="$outdir/logs/merge.log" --wrap \
  "$(printf '%q' "$cssim") sweep-merge --sweep $(printf '%q' "$sweep")$merge_args_text --out $(printf '%q' "$outdir")/merged.csv$shards"
echo "submitted array job $array ($n shards) and its merge; results in $outdir/merged.csv"
