#!/usr/bin/env python3
"""Writes a GTKWave save file for a cssim VCD: one collapsed group per block (top.<layer>.<block>),
single bits in binary, buses up to 64 bits in decimal (signed for products, sums, accumulators and
weights), wider buses (every lane of a beat in one bus, as the RTL ports) in hexadecimal.

    tools/gtkw_from_vcd.py out.vcd traces/gsc.gtkw
"""
import sys


def main(vcd_path: str, gtkw_path: str) -> None:
    scope, signals, order = [], {}, []
    with open(vcd_path) as f:
        for line in f:
            words = line.split()
            if not words:
                continue
            if words[0] == "$scope":
                scope.append(words[2])
            elif words[0] == "$upscope":
                scope.pop()
            elif words[0] == "$var":
                width, name = int(words[2]), words[4]
                if width > 1:
                    name += f"[{width - 1}:0]"
                block = ".".join(scope)
                if block not in signals:
                    signals[block] = []
                    order.append(block)
                signals[block].append((width, ".".join(scope + [name])))
            elif words[0] == "$enddefinitions":
                break
    with open(gtkw_path, "w") as out:
        out.write("[*] cssim: one group per block; written by tools/gtkw_from_vcd.py\n")
        out.write(f'[dumpfile] "{vcd_path.split("/")[-1]}"\n')
        out.write("[timestart] 0\n[size] 1600 900\n[signals_width] 320\n[sst_width] 240\n")
        out.write("*-16.000000 -1\n")  # zoom: some 100 cycles of 3.3 ns in view
        for block in order:
            label = block[len("top."):] if block.startswith("top.") else block
            out.write("@800200\n")
            out.write(f"-{label}\n")
            for width, name in signals[block]:
                signed = any(k in name for k in ("product", "sum", "acc", "weight"))
                fmt = "@28" if width == 1 else "@22" if width > 64 else "@424" if signed else "@24"
                out.write(fmt + "\n")
                out.write(name + "\n")
            out.write("@1000200\n")
            out.write(f"-{label}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
