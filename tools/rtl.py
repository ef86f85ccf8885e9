#!/usr/bin/env python3
"""cssim RTL checks over the named parameterizations of rtl/params.cmake.

  tools/rtl.py list                      the parameterizations
  tools/rtl.py lint [-j N] [NAME...]     verilator --lint-only -Wall on each
  tools/rtl.py synth [-j N] [--small] [--skip REGEX] [--table FILE [--update]] [NAME...]
                                         yosys synth_xilinx -family xcup on each; prints the cells
                                         and writes them to FILE (CSV); fails on a Yosys error, a
                                         latch or an unmapped cell. --small: the *_tiny* blocks
                                         and the quickest layer engine, engine_linear.
                                         --skip: leave out the names REGEX matches (re.search,
                                         repeatable). --update: keep FILE's other rows and replace
                                         those synthesized now (rows in params.cmake order).

-j N runs N checks at once (default: the number of cores); results print in file order. Synthesis
flattens the design, so a composed block (the layer engine) counts the cells of its sub-blocks.

The table (CSV) has one row per parameterization: name, module, params (the PARAMS of
params.cmake, "Key=Value" separated by spaces, so a reader can rebuild the block's inputs), then
the cell classes below and the synthesis time in seconds. It is rewritten after every
parameterization, so a long run keeps what it has.

Cell classes in the table: lut = LUT1..LUT6 (INV excluded: Yosys 0.23 puts one inverter on the
clear input of every flip-flop with an active-low asynchronous reset, where the device inverts
the pin for free), lutram = distributed-RAM cells, ff = FD* flip-flops, carry = CARRY8 or CARRY4
(Yosys 0.23 maps xcup adders to CARRY4, which Vivado retargets), mux = MUXF7/8/9,
dsp = DSP48E2, bram36 = RAMB36E2 + RAMB18E2 / 2, uram = URAM288.
Exit status: 0 when every check passed, 1 otherwise; one line per failure names the
parameterization and the reason.
"""
import concurrent.futures
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RTL = os.path.join(ROOT, "rtl")


def parameterizations():
    """(name, top, [(param, value)]) from rtl/params.cmake, in file order."""
    text = open(os.path.join(RTL, "params.cmake")).read()
    text = re.sub(r"#[^\n]*", "", text)
    out = []
    for m in re.finditer(r"cssim_verilate\(([^)]*)\)", text):
        words = m.group(1).split()
        name, rest = words[0], words[1:]
        top = rest[rest.index("TOP") + 1]
        params = []
        if "PARAMS" in rest:
            for p in rest[rest.index("PARAMS") + 1:]:
                k, v = p.split("=", 1)
                params.append((k, v))
        out.append((name, top, params))
    return out


def select(names, small=False, skip=()):
    all_ = parameterizations()
    known = {n for n, _, _ in all_}
    for n in names:
        if n not in known:
            sys.exit(f"rtl/params.cmake: no parameterization named {n}")
    chosen = [p for p in all_ if (not names or p[0] in names)]
    if small:
        chosen = [p for p in chosen
                  if ("tiny" in p[0] and p[1] != "layer_engine") or p[0] == "engine_linear"]
    for rx in skip:
        chosen = [p for p in chosen if not re.search(rx, p[0])]
    return chosen


def in_parallel(fn, items, jobs):
    """fn over items on `jobs` threads (each runs a subprocess); results in item order, each
    yielded as soon as it and the ones before it are done."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(fn, items)


def lint_one(item):
    name, top, params = item
    cmd = ["verilator", "--lint-only", "-Wall", os.path.join(RTL, "lint_waivers.vlt"),
           "-y", RTL, "--top-module", top, os.path.join(RTL, top + ".sv")]
    cmd += [f"-G{k}={v}" for k, v in params]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return name, r.returncode == 0 and "%Warning" not in r.stderr, r.stderr


def lint(items, jobs):
    failed = 0
    for name, ok, stderr in in_parallel(lint_one, items, jobs):
        print(f"lint {name:32s} {'ok' if ok else 'FAILED'}", flush=True)
        if not ok:
            failed += 1
            sys.stdout.write(stderr)
    return failed


CLASSES = ["lut", "lutram", "ff", "carry", "mux", "dsp", "bram36", "uram"]


def classify(cells):
    c = dict.fromkeys(CLASSES, 0)
    bad = []
    for t, n in cells.items():
        if re.fullmatch(r"LUT[1-6]", t):
            c["lut"] += n
        elif t.startswith("RAM") and ("M" in t[3:] or "X" in t[3:]) and not t.startswith("RAMB"):
            c["lutram"] += n
        elif re.fullmatch(r"FD[CPRSE]+", t):
            c["ff"] += n
        elif t in ("CARRY8", "CARRY4"):  # Yosys 0.23 maps xcup carry chains to CARRY4
            c["carry"] += n
        elif re.fullmatch(r"MUXF[789]", t):
            c["mux"] += n
        elif t == "DSP48E2":
            c["dsp"] += n
        elif t == "RAMB36E2":
            c["bram36"] += n
        elif t == "RAMB18E2":
            c["bram36"] += n / 2
        elif t == "URAM288":
            c["uram"] += n
        elif t.startswith("$") or t.startswith("LD") or "latch" in t.lower():
            bad.append(f"{n} {t} cell(s)")
        elif t in ("INV", "BUFG", "IBUF", "OBUF", "GND", "VCC"):
            pass
        else:
            bad.append(f"unexpected cell type {t}")
    return c, bad


def synth_one(item):
    """(counts or None, reason or None, seconds) of one parameterization."""
    name, top, params = item
    with tempfile.TemporaryDirectory() as tmp:
        stat = os.path.join(tmp, "stat.json")
        chparam = " ".join(f"-set {k} {v}" for k, v in params)
        sources = " ".join(sorted(os.path.join(RTL, f) for f in os.listdir(RTL)
                                  if f.endswith(".sv")))
        script = (f"read_verilog -sv {sources}; "
                  + (f"chparam {chparam} {top}; " if params else "")
                  + f"synth_xilinx -family xcup -noiopad -flatten -top {top}; check -assert; "
                  + f"tee -q -o {stat} stat -json")
        t0 = time.time()
        r = subprocess.run(["yosys", "-q", "-p", script], capture_output=True, text=True)
        secs = time.time() - t0
        if r.returncode != 0:
            err = [l for l in (r.stderr + r.stdout).splitlines() if "ERROR" in l]
            return None, err[0] if err else f"yosys exited with {r.returncode}", secs
        cells = {}
        for m in json.load(open(stat))["modules"].values():
            for t, n in m["num_cells_by_type"].items():
                cells[t] = cells.get(t, 0) + n
    counts, bad = classify(cells)
    return counts, "; ".join(bad) if bad else None, secs


def write_table(table, rows, update):
    """Writes rows to table; with update, rows of table not synthesized now are kept. Rows follow
    the order of params.cmake (unknown names last, in their old order)."""
    fields = ["name", "module", "params"] + CLASSES + ["seconds"]
    merged = {}
    if update and os.path.exists(table):
        with open(table, newline="") as f:
            for r in csv.DictReader(f):
                merged[r["name"]] = r
    for r in rows:
        merged[r["name"]] = r
    order = {n: i for i, (n, _, _) in enumerate(parameterizations())}
    out = sorted(merged.values(), key=lambda r: order.get(r["name"], len(order)))
    with open(table, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", restval="")
        w.writeheader()
        w.writerows(out)


def synth(items, table, jobs, update=False):
    failed = 0
    rows = []
    for (name, top, params), (counts, reason, secs) in zip(
            items, in_parallel(synth_one, items, jobs)):
        if reason:
            failed += 1
            print(f"synth {name:32s} FAILED: {reason}", flush=True)
            continue
        print(f"synth {name:32s} " + " ".join(f"{k}={counts[k]:g}" for k in CLASSES)
              + f"  ({secs:.0f} s)", flush=True)
        rows.append({"name": name, "module": top,
                     "params": " ".join(f"{k}={v}" for k, v in params),
                     **{k: f"{v:g}" for k, v in counts.items()}, "seconds": f"{secs:.0f}"})
        if table:  # written after every parameterization: a long run keeps what it has
            write_table(table, rows, update)
    return failed


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if not argv or argv[0] not in ("list", "lint", "synth"):
        sys.exit(__doc__)
    cmd, args = argv[0], argv[1:]
    if "-h" in args or "--help" in args:
        print(__doc__)
        return 0
    for i, a in enumerate(args):
        if a in ("--table", "-j", "--skip") and i + 1 == len(args):
            sys.exit(f"tools/rtl.py: {a} needs a value")
        if a.startswith("-") and a not in ("--table", "-j", "--skip", "--small", "--update") \
                and (i == 0 or args[i - 1] not in ("--table", "-j", "--skip")):
            sys.exit(f"tools/rtl.py: unknown option {a}")
    small = "--small" in args
    table = None
    if "--table" in args:
        i = args.index("--table")
        table = args[i + 1]
        del args[i:i + 2]
    jobs = os.cpu_count() or 1
    if "-j" in args:
        i = args.index("-j")
        jobs = int(args[i + 1])
        del args[i:i + 2]
    skip = []
    while "--skip" in args:
        i = args.index("--skip")
        skip.append(args[i + 1])
        del args[i:i + 2]
    update = "--update" in args
    names = [a for a in args if not a.startswith("-")]
    items = select(names, small, skip)
    if cmd == "list":
        for name, top, params in items:
            print(name, top, " ".join(f"{k}={v}" for k, v in params))
        return 0
    failed = lint(items, jobs) if cmd == "lint" else synth(items, table, jobs, update)
    print(f"{cmd}: {len(items) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
