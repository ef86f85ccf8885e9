#!/usr/bin/env bash
# ctest (label sweep): a small sweep run as 3 shards under GNU parallel (tools/sweep_parallel.sh)
# merges to the unsharded run's rows: the same points, ids and metrics. Skipped (77) without GNU
# parallel.
#   parallel_shards_test.sh CSSIM_BINARY SOURCE_DIR
set -euo pipefail
cssim=$1 src=$2
command -v parallel >/dev/null || { echo "GNU parallel is not installed: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/s.sweep" <<'SWEEP'
[base]
network = kernel
words = 2
[grid]
conv.weight_sparsity = 75%, 93.75%
pre.k = 16, 4
mode = dense, sparse-dense, sparse-sparse
SWEEP
"$cssim" sweep "$dir/s.sweep" --out "$dir/whole.csv" -q -j 2
CSSIM=$cssim PARALLEL_JOBS=2 "$src/tools/sweep_parallel.sh" 3 "$dir/shards" "$dir/s.sweep" -j 1
for i in 1 2 3; do
  rows=$(($(wc -l <"$dir/shards/shard-$i.csv") - 1))
  [[ $rows -eq 4 ]] || { echo "shard $i has $rows rows, expected 4"; exit 1; }
done
head -1 "$dir/whole.csv" >"$dir/expected.csv"
tail -n +2 "$dir/whole.csv" | sort -t, -k1,1n >>"$dir/expected.csv"
if ! diff "$dir/expected.csv" "$dir/shards/merged.csv"; then
  echo "the merged shards differ from the unsharded run"
  exit 1
fi
[[ $(wc -l <"$dir/shards/merged.csv") -eq 13 ]] || { echo "expected 12 rows"; exit 1; }
echo "3 shards under GNU parallel merge to the unsharded run's 12 rows"
