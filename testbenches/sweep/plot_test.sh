#!/usr/bin/env bash
# ctest (label sweep): tools/sweep_plot.py renders every figure from a small sweep's CSV, and
# skips the figures whose axis the CSV lacks with a message. Skipped (77) without Debian's
# matplotlib.
#   plot_test.sh CSSIM_BINARY SOURCE_DIR
set -euo pipefail
cssim=$1 src=$2
/usr/bin/python3 -c 'import matplotlib' 2>/dev/null || { echo "no matplotlib: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/s.sweep" <<'SWEEP'
[base]
network = kernel
words = 2
[grid]
conv.weight_sparsity = 75%, 93.75%
pre.k = 16, 4
mode = dense, sparse-sparse
board = u250, zu3eg
SWEEP
"$cssim" sweep "$dir/s.sweep" --out "$dir/s.csv" -q -j 2
/usr/bin/python3 "$src/tools/sweep_plot.py" "$dir/s.csv" "$dir/fig" --layer conv | tee "$dir/log"
for f in pareto speedup_sparsity speedup_density resources; do
  [[ -s $dir/fig/$f.png ]] || { echo "$f.png missing"; exit 1; }
  [[ $(head -c 8 "$dir/fig/$f.png" | od -An -c | tr -d ' ') == '211PNG\r\n032\n' ]] ||
    { echo "$f.png is not a PNG"; exit 1; }
done
# Without a weight-sparsity axis two figures are skipped, with a message, and the run succeeds.
"$cssim" sweep --network kernel --axis pre.k=16,4 --axis mode=dense,sparse-sparse --words 2 \
  --out "$dir/k.csv" -q -j 2
/usr/bin/python3 "$src/tools/sweep_plot.py" "$dir/k.csv" "$dir/fig2" | tee "$dir/log2"
grep -q "skipped speedup_sparsity.png: no weight sparsity axis" "$dir/log2"
grep -q "skipped resources.png: no weight-sparsity axis" "$dir/log2"
[[ -s $dir/fig2/speedup_density.png && ! -e $dir/fig2/resources.png ]]
echo "figures rendered"
