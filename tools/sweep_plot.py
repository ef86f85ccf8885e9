#!/usr/bin/python3
"""Renders PNG figures from a `cssim sweep` CSV (README, "Sweeps").

    tools/sweep_plot.py SWEEP.csv OUTDIR [--layer NAME]

Figures, each skipped with a message when the CSV lacks what it needs:
  pareto.png          throughput vs LUTs per board, with each board's Pareto front: full-chip
                      words/s where instances fit, else one instance's words/s (said in the legend)
  speedup_sparsity.png  speed-up over dense (the dense row with the same other parameters) vs
                      weight sparsity, one line per activation density / active inputs
  speedup_density.png speed-up over dense vs activation density, one line per weight sparsity
  resources.png       LUT, FF, BRAM36 and URAM vs weight sparsity, one line per other parameter
                      combination (of the instance, or of layer NAME with --layer)
With several boards, every figure but the Pareto one shows the first board's rows.

Uses Debian's matplotlib (python3-matplotlib) with the Agg backend: run it with /usr/bin/python3
(the python3 first on PATH may lack Debian's packages).
"""
import argparse
import csv
import os
import sys
from collections import OrderedDict

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.stderr.write("sweep_plot.py: matplotlib is missing (apt-get install python3-matplotlib; "
                     "run with /usr/bin/python3)\n")
    sys.exit(77)

MAX_LINES = 10


def number(text):
    """A sweep value as a number: '87.5%' -> 87.5, '0.95' -> 95 for sparsities is done by the
    caller; None when not a number."""
    t = text.strip()
    try:
        return float(t[:-1]) if t.endswith("%") else float(t)
    except ValueError:
        return None


def as_percent(text):
    """A fraction or a percentage as a percentage."""
    t = text.strip()
    v = number(t)
    if v is None:
        return None
    return v if t.endswith("%") else 100.0 * v


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: int(r["point"]))  # the sweep's order, not the finishing order
    if not rows:
        sys.exit("sweep_plot.py: %s has no rows" % path)
    header = list(rows[0].keys())
    first_metric = next((i for i, c in enumerate(header) if c.endswith(".cycles")), len(header))
    params = [c for c in header[:first_metric] if c not in ("point", "hash")]
    return rows, params


def sparsity_column(params, rows):
    cols = [c for c in params if c.endswith("weight_sparsity")]
    varying = [c for c in cols if len({r[c] for r in rows}) > 1]
    return (varying or cols or [None])[0]


def density_column(params, rows):
    for pred in (lambda c: c == "density", lambda c: c.endswith(".density"),
                 lambda c: c.endswith(".k")):
        cols = [c for c in params if pred(c) and len({r[c] for r in rows}) > 1]
        if cols:
            return cols[0]
    return None


def key(row, cols):
    return tuple(row[c] for c in cols)


def first_board(rows, params):
    if "board" not in params:
        return rows, ""
    boards = list(OrderedDict.fromkeys(r["board"] for r in rows))
    return [r for r in rows if r["board"] == boards[0]], boards[0]


def limit_groups(rows, group_cols):
    """Fixes the grouping columns with the most values (other than mode) to their first value
    until at most MAX_LINES groups remain; returns the rows kept and a note of what was fixed."""
    fixed = []
    cols = list(group_cols)
    while len({key(r, cols) for r in rows}) > MAX_LINES:
        candidates = [c for c in cols if c != "mode"] or cols
        c = max(candidates, key=lambda c: len({r[c] for r in rows}))
        v = rows[0][c]
        rows = [r for r in rows if r[c] == v]
        cols.remove(c)
        fixed.append("%s=%s" % (c, v))
    return rows, cols, fixed


def label(row, cols):
    return ", ".join("%s=%s" % (c, row[c]) for c in cols) or "all"


def lines_vs(ax, rows, x_of, y_of, group_cols, style=None):
    groups = OrderedDict()
    for r in rows:
        groups.setdefault(key(r, group_cols), []).append(r)
    for g, rs in groups.items():
        pts = sorted((x_of(r), y_of(r)) for r in rs if x_of(r) is not None and y_of(r) is not None)
        if not pts:
            continue
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o",
                linestyle=(style(rs[0]) if style else "-"), label=label(rs[0], group_cols))


def pareto(rows, params, out):
    if "lut" not in rows[0]:
        return "no lut column"
    fig, ax = plt.subplots(figsize=(8, 5.5))
    boards = OrderedDict()
    for r in rows:
        boards.setdefault(r.get("board", ""), []).append(r)
    for board, rs in boards.items():
        fits = [r for r in rs if r["fits"] == "yes"]
        if fits:
            pts = [(float(r["lut"]), float(r["chip_words_per_s"])) for r in fits]
            what = "full chip"
        else:
            pts = [(float(r["lut"]), float(r["words_per_s"])) for r in rs]
            what = "one instance, none fits"
        sc = ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=14, alpha=0.5,
                        label="%s (%s)" % (board, what))
        front, best = [], -1.0
        for x, y in sorted(pts, key=lambda p: (p[0], -p[1])):
            if y > best:
                front.append((x, y))
                best = y
        ax.step([p[0] for p in front], [p[1] for p in front], where="post",
                color=sc.get_facecolor()[0], alpha=1.0, linewidth=1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("LUTs of one instance")
    ax.set_ylabel("words/s")
    ax.set_title("Throughput vs LUTs, Pareto front per board")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "pareto.png"), dpi=110)
    plt.close(fig)


def speedups(rows, params):
    """(row, speed-up over the dense row with the same other parameters) for non-dense rows."""
    if "mode" not in params:
        return []
    others = [c for c in params if c != "mode"]
    dense = {key(r, others): float(r["interval_cycles"]) for r in rows if r["mode"] == "dense"}
    return [(r, dense[key(r, others)] / float(r["interval_cycles"])) for r in rows
            if r["mode"] != "dense" and key(r, others) in dense]


def speedup_vs(rows, params, x_col, x_name, out, name):
    if x_col is None:
        return "no %s axis" % x_name
    rs, board = first_board(rows, params)
    su = speedups(rs, params)
    if not su:
        return "no dense rows to compare with"
    table = {id(r): s for r, s in su}
    kept = [r for r, _ in su]
    group_cols = [c for c in params
                  if c not in (x_col, "board") and len({r[c] for r in kept}) > 1 and
                  not (c.endswith("weight_sparsity") and x_col.endswith("weight_sparsity"))]
    kept, group_cols, fixed = limit_groups(kept, group_cols)
    x_of = (lambda r: as_percent(r[x_col])) if "sparsity" in x_col or "density" in x_col else (
        lambda r: number(r[x_col]))
    fig, ax = plt.subplots(figsize=(8, 5.5))
    lines_vs(ax, kept, x_of, lambda r: table[id(r)], group_cols,
             style=lambda r: "--" if r.get("mode") == "sparse-dense" else "-")
    ax.axhline(1.0, color="grey", linewidth=0.8)
    ax.set_xlabel(x_col + (" (%)" if "sparsity" in x_col or "density" in x_col else ""))
    ax.set_ylabel("speed-up over dense (interval)")
    ax.set_title("Speed-up vs %s%s%s" % (x_name, " on " + board if board else "",
                                         "; " + ", ".join(fixed) if fixed else ""), fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=110)
    plt.close(fig)


def resources(rows, params, layer, out):
    x_col = sparsity_column(params, rows)
    if x_col is None:
        return "no weight-sparsity axis"
    prefix = layer + "." if layer else ""
    cols = [prefix + c for c in ("lut", "ff", "bram36", "uram")]
    if any(c not in rows[0] for c in cols):
        return "no %s columns (is the layer name right?)" % ", ".join(cols)
    rs, board = first_board(rows, params)
    group_cols = [c for c in params if c not in (x_col, "board") and len({r[c] for r in rs}) > 1
                  and not c.endswith("weight_sparsity")]
    rs, group_cols, fixed = limit_groups(rs, group_cols)
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    for ax, c in zip(axes.flat, cols):
        lines_vs(ax, rs, lambda r: as_percent(r[x_col]), lambda r: float(r[c]), group_cols)
        ax.set_xlabel(x_col + " (%)")
        ax.set_ylabel(c)
    axes.flat[0].legend(fontsize=6)
    fig.suptitle("Resources %svs weight sparsity%s%s" % (
        "of " + layer + " " if layer else "", " on " + board if board else "",
        "; " + ", ".join(fixed) if fixed else ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "resources.png"), dpi=110)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("csv")
    p.add_argument("outdir")
    p.add_argument("--layer", help="plot this layer's resource columns (LAYER.lut, ...)")
    a = p.parse_args()
    rows, params = read(a.csv)
    os.makedirs(a.outdir, exist_ok=True)
    figures = [
        ("pareto.png", lambda: pareto(rows, params, a.outdir)),
        ("speedup_sparsity.png", lambda: speedup_vs(rows, params, sparsity_column(params, rows),
                                                    "weight sparsity", a.outdir,
                                                    "speedup_sparsity.png")),
        ("speedup_density.png", lambda: speedup_vs(rows, params, density_column(params, rows),
                                                   "activation density", a.outdir,
                                                   "speedup_density.png")),
        ("resources.png", lambda: resources(rows, params, a.layer, a.outdir)),
    ]
    for name, make in figures:
        why = make()
        if why:
            print("sweep_plot.py: skipped %s: %s" % (name, why))
        else:
            print("sweep_plot.py: wrote %s" % os.path.join(a.outdir, name))


if __name__ == "__main__":
    main()
