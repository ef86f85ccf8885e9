// cssim FPGA resource model. Each block's estimate counts what its RTL twin (rtl/<block>.sv)
// builds, in the units Yosys 0.23 `synth_xilinx -family xcup` maps it to:
//   - flip-flops: every register bit the RTL declares, less the bits synthesis finds constant
//     (noted per block); exact for most blocks;
//   - distributed RAM: RAM32M16 / RAM64M8 cells, a copy per read port (lutram() below);
//   - block RAM: the RAMB18E2/RAMB36E2 aspect ratio that needs the fewest 18 Kb halves;
//   - DSP48E2: one per 8 x 8 product (Yosys packs one), four per 31 x 39 requantize product;
//   - logic LUTs: counted per structure (adder bits, multiplexer inputs, comparators); where
//     Yosys's mapping of a structure is not predictable from the RTL alone (masking it does not
//     fold into adders, the requantizer's partial-product adders, the k-WTA's bin counters) a
//     constant fitted on the parameterizations of rtl/synth_table.csv, written beside the formula
//     with what it was fitted on. No parameterization is special-cased; the calibration test
//     (testbenches/unit/resources_test.cpp) keeps every estimate within 20% of that table.
// Budgets count LUT sites (logic + distributed RAM); the board's LUTRAM-capable share (SLICEM) is
// not checked separately.
// Widths follow the RTL's localparams: $clog2 is clog2() here; a "Width = $clog2(n) > 0 ?
// $clog2(n) : 1" is index_bits(n).
#include "resources.h"

#include "combine.h"
#include "config/config.h"
#include "error.h"
#include "kwta.h"
#include "layer_engine.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cssim {

Resources &Resources::operator+=(const Resources &o) {
  lut += o.lut;
  lutram += o.lutram;
  ff += o.ff;
  dsp += o.dsp;
  bram36 += o.bram36;
  uram += o.uram;
  return *this;
}
Resources operator+(Resources a, const Resources &b) {
  return a += b;
}
Resources operator*(Resources a, double k) {
  a.lut *= k;
  a.lutram *= k;
  a.ff *= k;
  a.dsp *= k;
  a.bram36 *= k;
  a.uram *= k;
  return a;
}

namespace res {

namespace {
long ceil_div(long a, long b) {
  return (a + b - 1) / b;
}
/// The beat tag every datapath stage carries: valid, seq (32), first, last, frame_last,
/// pos (16), units_active (8).
constexpr int kTagBits = 1 + 32 + 1 + 1 + 1 + 16 + 8;
/// LUT6 levels of an n:1 multiplexer per output bit: a LUT6 is a 4:1 multiplexer, MUXF7/F8/F9
/// combine up to four of them without LUTs; beyond 16 inputs another LUT level per 16.
double mux_luts(long n) {
  if (n <= 1)
    return 0;
  if (n <= 4)
    return 1;
  return double(ceil_div(n, 4)) + (n > 16 ? double(ceil_div(n, 16)) : 0.0);
}
} // namespace

int clog2(long n) {
  int b = 0;
  while ((1L << b) < n)
    ++b;
  return b;
}
int index_bits(long n) {
  return std::max(1, clog2(n));
}

// Distributed RAM, as Yosys maps an inferred memory with asynchronous reads on UltraScale+
// (observed in the table and in the cell lists of fifo, max_pool, window_generator), one copy
// per read port:
//   up to 32 rows: RAM32M16 cells, 8 LUTs holding 32 rows x 14 bits (seven 2-bit read ports
//     beside the write port; 16 bits when the only read is at the write address, max_pool's row
//     of partial maxima, since the write port's LUT then reads too);
//   33 to 64 rows: RAM64M8 cells, 8 LUTs holding 64 rows x 7 bits;
//   deeper: banks of 32 rows (RAM32M16), and per read port and bit a ceil(depth / 32):1
//     multiplexer (mux_luts), plus a write-enable decode LUT per bank; but a memory whose only
//     read is at the write address goes to single-port 128 x 1 cells (2 LUTs each), one per bit
//     and 128 rows (the accumulators' channel words: 32 cells for 80 rows), each 128-row bank
//     its own memory (rtl/host_words.sv: Yosys 0.23 fails on deeper single-port ones) read
//     through a ceil(depth / 128):1 multiplexer per bit.
//   cells = read_ports x banks x ceil(width / bits per cell), lutram = 8 x cells.
Resources lutram(long depth, long width, long read_ports, bool read_at_write_address) {
  Resources r;
  if (depth <= 0 || width <= 0 || read_ports <= 0)
    return r;
  long banks = 1, bits = read_at_write_address ? 16 : 14;
  if (depth > 64 && read_at_write_address) {
    r.lutram = 2.0 * double(read_ports * ceil_div(depth, 128) * width);
    r.lut = double(read_ports * width) * mux_luts(ceil_div(depth, 128));
    return r;
  }
  if (depth > 64)
    banks = ceil_div(depth, 32);
  else if (depth > 32)
    bits = 7;
  const long cells = read_ports * banks * ceil_div(width, bits);
  r.lutram = 8.0 * double(cells);
  if (banks > 1)
    r.lut = double(read_ports * width) * mux_luts(banks) + double(banks);
  return r;
}

// Block RAM: a copy of depth x width bits (one write port, one read port) takes, over the aspect
// ratios of RAMB18E2 (16K x 1 .. 512 x 36, simple dual port) and RAMB36E2 (32K x 1 .. 512 x 72),
// the fewest 18 Kb halves: ceil(depth / d) x ceil(width / w) blocks of that ratio.
double bram36_copy(long depth, long width) {
  static const long r18[][2] = {{16384, 1}, {8192, 2}, {4096, 4}, {2048, 9}, {1024, 18}, {512, 36}};
  static const long r36[][2] = {{32768, 1}, {16384, 2}, {8192, 4}, {4096, 9},
                                {2048, 18}, {1024, 36}, {512, 72}};
  long best = std::numeric_limits<long>::max();
  for (const auto &a : r18)
    best = std::min(best, ceil_div(depth, a[0]) * ceil_div(width, a[1]));
  for (const auto &a : r36)
    best = std::min(best, 2 * ceil_div(depth, a[0]) * ceil_div(width, a[1]));
  return double(best) / 2.0;
}

// UltraRAM: 4096 x 72 bits per URAM288 (one read and one write port per copy).
double uram_copy(long depth, long width) {
  return double(ceil_div(depth, 4096) * ceil_div(width, 72));
}

// Multiplier array (rtl/multiplier_array.sv): Lanes x Groups products of an unsigned 8-bit
// activation and a signed 8-bit weight, then Latency stages of {tag, products (16 bits each),
// kernel ids}.
//   FF  = Latency x (tag + Lanes x Groups x (16 + KidWidth))                        [exact]
//   DSP = Lanes x Groups (Yosys maps each product to one DSP48E2; the stages stay in the
//         fabric since their asynchronous reset does not fit the DSP's synchronous registers)
// Two products per DSP48E2 (dsp_packed): the two weights of groups 2j and 2j+1 of a lane go on the
// 27-bit A port 18 bits apart, the lane's activation on B; the DSP returns a x w0 + 2^18 a x w1,
// and the upper product is corrected for the lower one's sign in the fabric (a 16-bit increment).
// Valid because both products share the activation (every lane reads G weights for one
// activation) and |a x w| < 2^17 keeps the two fields apart:
//   DSP = Lanes x ceil(Groups / 2), LUT = 16 per packed pair.
// LUT multipliers (lut): 146 LUTs per product, measured with synth_xilinx -nodsp on
// multiplier_array Lanes=2 Groups=2 (584 LUTs for 4 products); Vivado's LUT multipliers are
// smaller, so this errs high.
Resources multiplier_array(int lanes, int groups, int kid_width, int latency, MultiplierImpl impl) {
  Resources r;
  const double products = double(lanes) * groups;
  r.ff = double(latency) * (kTagBits + products * (16 + kid_width));
  switch (impl) {
  case MultiplierImpl::Dsp:
    r.dsp = products;
    break;
  case MultiplierImpl::DspPacked: {
    const double pairs = double(lanes) * (groups / 2);
    r.dsp = double(lanes) * ceil_div(groups, 2);
    r.lut = 16.0 * pairs;
    break;
  }
  case MultiplierImpl::Lut:
    r.lut = 146.0 * products;
    break;
  }
  return r;
}

// Combine memory (rtl/combine_memory.sv): per group g and lane l a copy of bank g, FanIn rows of
// {kid, weight} (8 + KidWidth bits): Groups x Lanes copies, written together by the host, each
// read by its lane. engine.combine_memory chooses the mapping; auto: FanIn <= 64 rows in
// distributed RAM (what Yosys infers), deeper in UltraRAM when a copy takes no more 36 Kb
// equivalents there (a URAM288 is eight) than in block RAM (only very deep, wide copies: 4096 x
// 72 is 8 BRAM36 or 1 URAM), else block RAM (what Yosys infers). Forced lutram on a deep memory
// costs 32-row banks and their read multiplexers (see lutram()).
//   BRAM   = Groups x Lanes x bram36_copy(FanIn, 8 + KidWidth)
//   URAM   = Groups x Lanes x uram_copy(FanIn, 8 + KidWidth)
//   LUTRAM = lutram(FanIn, 8 + KidWidth, Lanes + 1) per group (the host's read of copy 0 is a
//            second read port, which distributed RAM serves with one more copy), plus the read
//            registers rd_q (Lanes x Groups x EntryWidth FF; a block RAM holds them in its
//            output latch)
//   FF     = stage 0: tag + Lanes (lane valids) + 8 x Lanes (activations)
//            + (Latency - 1) x (tag + 8 x Lanes + Lanes x Groups x EntryWidth)
//            + host port: ok, read, group (index_bits(Groups)) + host read of copy 0
//            (Groups x EntryWidth, in the RAM's latch for block RAM)
//   LUT    = the read beat masked by the lane valids: Lanes x (8 + Groups x EntryWidth)
//            + host port decode (row = word / Groups, the group's write enable, the read-back
//            Groups:1 multiplexer): 20 + Groups x (1 + EntryWidth x mux_luts(Groups) / Groups)
Resources combine_memory(int fan_in, int groups, int per_group, int lanes, int latency,
                         MemoryKind kind) {
  Resources r;
  const int kid = index_bits(per_group);
  const int entry = 8 + kid;
  const double copies = double(groups) * lanes;
  if (kind == MemoryKind::Auto) {
    if (fan_in <= 64)
      kind = MemoryKind::LutRam;
    else
      kind = 8 * uram_copy(fan_in, entry) <= bram36_copy(fan_in, entry) ? MemoryKind::Uram
                                                                        : MemoryKind::Bram;
  }
  switch (kind) {
  case MemoryKind::LutRam: {
    r += lutram(fan_in, entry, lanes + 1) * double(groups);
    r.ff += copies * entry + double(groups) * entry;
    break;
  }
  case MemoryKind::Bram:
    r.bram36 = copies * bram36_copy(fan_in, entry);
    break;
  case MemoryKind::Uram:
    r.uram = copies * uram_copy(fan_in, entry);
    break;
  case MemoryKind::Auto:
    break;
  }
  r.ff += kTagBits + lanes + 8.0 * lanes;
  r.ff += double(latency - 1) * (kTagBits + 8.0 * lanes + copies * entry);
  r.ff += 2 + index_bits(groups);
  r.lut += double(lanes) * (8 + double(groups) * entry);
  r.lut += 20 + double(groups) * (1 + entry * mux_luts(groups) / groups);
  return r;
}

bool pairs_form(int lanes_per_unit, int per_group) {
  return lanes_per_unit == 1 && per_group > 1;
}

// Router crossbar (rtl/router_crossbar.sv): per unit, group and slot (Units x Groups x PerGroup
// slots) an adder tree over the unit's LanesPerUnit products, each routed in when its kernel id
// names the slot (PerGroup = 1: always). Level k of a tree has floor(nodes(k-1) / 2) two-operand
// adders of 16 + k bits; one LUT per adder bit (the carry chain does the rest). With PerGroup > 1
// each lane's product is routed in by "kid == n ? product : 0": the kid compare is one LUT per
// lane and slot (KidWidth <= 6 inputs), and Yosys keeps the masking as its own LUTs rather than
// folding it into the first adder level, about 16 per lane beyond the first (what
// router_crossbar_conv2, _tiny and _multi leave per slot: 141 for 10 lanes, 13 for 2).
//   LUT = slots x (adder bits + (PerGroup > 1 ? LanesPerUnit + 16 (LanesPerUnit - 1) : 0))
//   FF  = Latency x (tag + slots x (16 + $clog2(LanesPerUnit)))                     [exact]
// The pairs form passes each unit's product of a group with its kernel id through the registers:
//   LUT = 0, FF = Latency x (tag + Units x Groups x (16 + KidWidth))                 [exact]
Resources router_crossbar(int units, int lanes_per_unit, int groups, int per_group, int latency,
                          bool pairs) {
  Resources r;
  if (pairs) {
    r.ff = double(latency) * (kTagBits + double(units) * groups * (16 + index_bits(per_group)));
    return r;
  }
  const double slots = double(units) * groups * per_group;
  double adder_bits = 0;
  long nodes = lanes_per_unit;
  for (int k = 1; nodes > 1; ++k) {
    adder_bits += double(nodes / 2) * (16 + k);
    nodes = ceil_div(nodes, 2);
  }
  r.lut = slots * (adder_bits + (per_group > 1 ? lanes_per_unit + 16.0 * (lanes_per_unit - 1) : 0));
  r.ff = double(latency) * (kTagBits + slots * (16 + clog2(lanes_per_unit)));
  return r;
}

// Accumulators (rtl/accumulators.sv), Slots = Groups x PerGroup, Accs = Units x Slots, R =
// OutLanes, Drain = ceil(Kernels / R), ItemW = 17 + Kernels x ValueWidth, TabW = the channel
// table's entry (SlotW bits of a slot number; memory form: GrpW + KidW bits of group and entry).
// What both forms build:
//   FF  = 25 (the batch's tag) + clog2(Drain + 1) (edges to go) + Units x (Drain - 1) x R x
//         ValueWidth (assembly registers: every chunk's but the last, which goes into the queue
//         from the lanes) + Kernels x (TabW + 1) (the channel table)
//         + result queue: head index_bits(ResultCapacity), count clog2(ResultCapacity + 1),
//           valid, credit, and with Units > 1 each entry's bank (index_bits(Units))
//         + read port (33)
//   DSP = 4 x Units x R requantize products (31 x 39 bits: four DSP48E2 under Yosys), none in
//         the last layer
//   LUTRAM: the biases and the channel words as written (Slots and Kernels words of 32 bits, read
//         back by the host at the address it writes); the result queue, one bank of
//         ResultCapacity x ItemW per unit
//   LUT = Units x R x (requantizing ? 72 : 0): each lane's requantizer (Yosys splits the 31 x 39
//           product into four DSP48E2 and sums the partial products in the fabric; 72 fitted on
//           the four register rows, below)
//         + R x TabW x mux_luts(Drain) (each lane's table entry for the chunk) + Kernels (the
//           table's write enables)
//         + Units x R x ValueWidth (the "a slot names it" gating) + Drain (chunk decode; the
//           assembly registers load through their enables)
//         + ItemW x mux_luts(Units) (the queue's front: the bank holding it)
//         + host port: 32 x mux_luts(4) read-back select, 120 for the address decode and the
//           pre-shift of the multiplier (39 bits by 0..7)
//         + fitted on the register rows (with the 72 above; now tiny +0.5%, conv2 +0.4%, multi
//           -8.8%, last +2.2%): 143 in requantizing layers (the requantize terms all lanes share:
//           coarse shift, over-byte masks) and 350 per unit beyond the first (each unit's item tag
//           and queue write address)
//         + wide tables, beyond what the terms above count (fitted on accumulators_mem_wide and
//           _mem_gsc, 1,500 channels; no other row has more than 64 channels or 16 chunks, so
//           the term is zero there): 2.14 LUTs per channel at 11-bit channel numbers, scaled by
//           the bits beyond six (the table's write-enable compare and the chunk decode take a
//           second LUT level), and with more than 16 chunks 0.24 LUTs per chunk and table bit
//           per lane (Yosys reads such a table through an AND-OR multiplexer, not mux_luts's
//           tree)
// Registers (Form 0), beside that:
//   FF  = 32 x Accs (accumulators) + 32 x Accs (the output stage's snapshot) + 32 x Slots
//         (biases) + 32 (mult) + 6 (shift, low bits used) in requantizing layers       [exact]
//   LUT = 2 x 32 x Accs: the accumulate adder and the first beat's bias select, for most bits a
//           LUT3 of its own beside the carry chain (Yosys feeds the carry's DI from the select;
//           1.73 LUTs per bit on 80 accumulators synthesized alone)
//         + Units x R x 0.723 x 32 x Slots: each lane's 32-bit snapshot select, Slots compares
//           of the slot number each gating a slot's 32 bits into an OR (0.723 LUTs per slot and
//           bit: least squares over the four rows)
// Memory (Form 1), beside that:
//   FF  = 2 x Accs fresh bits + the bank bit + 64 (mult and shift: Yosys keeps all their bits in
//         this form)                                                                   [exact]
//   LUTRAM: per unit and group two banks of PerGroup x 32 bits, and per group its biases again,
//         each with R read ports (port 0 of the accumulating bank reads the beat's kid instead)
//   LUT = per unit and group: the 32-bit adder, the 2:1 select of the accumulating bank's word
//           and its fresh gating (3 x 32), and 6 per word for its two fresh bits (the clear on a
//           batch's first beat, the set at kid, the reads at kid and at the lane's entry) and
//           the bank ports' address selects
//         + per unit and lane: {fresh, word} from 2 x Groups bank ports (33 x mux_luts(2G)), the
//           bias from Groups (32 x mux_luts(G)), and 100 for their 32-bit sum and the lane's
//           entry and group fan-out
//   (the 6 and the 100 fitted on accumulators_mem_tiny, _last and _groups, the last one 75
//   groups of 20 with 100 channels: 216 LUTs per group)
Resources accumulators(int units, int groups, int per_group, int kernels, bool last_layer,
                       int out_lanes, int result_capacity, bool memory) {
  Resources r;
  const long slots = long(groups) * per_group;
  const double accs = double(units) * slots;
  const double lanes = double(units) * out_lanes;
  const long drain = ceil_div(kernels, out_lanes);
  const int vw = last_layer ? 32 : 8;
  const int tab_w = memory ? index_bits(groups) + index_bits(per_group) : index_bits(slots);
  const double item_w = 17.0 + double(kernels) * vw;
  r.ff = 25 + clog2(drain + 1) + double(units) * (drain - 1) * out_lanes * vw +
         double(kernels) * (tab_w + 1) + index_bits(result_capacity) + clog2(result_capacity + 1) +
         2 + (units > 1 ? double(result_capacity) * index_bits(units) : 0) + 33;
  r.dsp = last_layer ? 0 : 4 * lanes;
  r.lut = lanes * (last_layer ? 0 : 72) + double(out_lanes) * tab_w * mux_luts(drain) +
          double(kernels) + lanes * vw + double(drain) + item_w * mux_luts(units) +
          32 * mux_luts(4) + 120 + (last_layer ? 0 : 143) + 350.0 * (units - 1);
  const int ch_w = index_bits(kernels);
  r.lut += double(kernels) * 2.14 * std::max(0, ch_w - 6) / 5.0 +
           (drain > 16 ? 0.24 * double(out_lanes) * tab_w * double(drain) : 0.0);
  r += lutram(slots, 32, 1, true) + lutram(kernels, 32, 1, true) +
       lutram(result_capacity, long(item_w), 1) * double(units);
  if (!memory) {
    r.ff += 64 * accs + 32.0 * slots + (last_layer ? 0 : 38);
    r.lut += 2 * 32 * accs + lanes * 0.723 * 32 * double(slots);
    return r;
  }
  r.ff += 2 * accs + 1 + 64;
  r += lutram(per_group, 32, out_lanes) * (2.0 * units * groups + groups);
  r.lut += double(units) * groups * (3 * 32 + 6.0 * per_group) +
           lanes * (33 * mux_luts(2L * groups) + 32 * mux_luts(groups) + 100);
  return r;
}

// Window generator (rtl/window_generator.sv). Storage: the value rows (2 x InH x InW rows of
// InC x 8 bits) and, streaming winners, the winners masks (InC bits), distributed RAM with one
// asynchronous read per lane (Lanes x Units copies), or flip-flops when there are only two rows;
// winner counts in flip-flops.
// Per lane: the tap search (Taps compares of the entry number against the prefix sums), the
// tap's base offset and F index (Taps:1 multiplexers), the row address adder, the InC:1 channel
// multiplexer of 8 bits, and streaming winners the k-th-set-bit search over the mask (ChW levels
// of a popcount and a shift of InC bits). Per unit streaming winners: each tap's count is a
// Positions:1 multiplexer of CntW bits, and the Taps prefix sums of SumW bits.
//   FF = control (2 + 1 + 1 + 1 + CredW + 1 + PosW + EntW + 32 issued, + DrainW when Drain > 1)
//        + beat registers (tag, less the pos bits above PosW and the units bits above UnitW)
//        + L x (1 + IndexWidth + 8) + Units x (YW + XW)
//        + winner counts, 2 x CntW per input position a tap can reach                 [exact]
//   LUT = the structures above: one LUT per compare bit pair, adder bit or mux_luts; the
//         constants are noted in the code
Resources window_generator(const WindowParams &p) {
  Resources r;
  const int win_h = p.linear ? p.in_h : p.kh, win_w = p.linear ? p.in_w : p.kw;
  const int step = p.linear ? 1 : p.stride;
  const int out_h = (p.in_h - win_h) / step + 1, out_w = (p.in_w - win_w) / step + 1;
  const long positions = long(out_h) * out_w;
  const long taps = long(win_h) * win_w;
  const long c = p.in_c;
  const long fan_in = taps * c;
  // Units beyond the positions are never active: synthesis removes their lanes.
  const int units = int(std::min<long>(p.units, positions));
  const long lanes = long(p.lanes) * units;
  const long hw = long(p.in_h) * p.in_w;
  // Input rows a tap can reach (the winner counts of the others are never read and removed).
  const auto reach = [step](int out, int win) {
    return step <= win ? long(out - 1) * step + win : long(out) * win;
  };
  const long reachable = reach(out_h, win_h) * reach(out_w, win_w);
  const long depth = 2 * hw;
  const int index_w = index_bits(fan_in);
  const int pos_w = clog2(positions + 1);
  const int unit_w = clog2(p.units + 1);
  const int cnt_w = clog2(c + 1);
  const int sum_w = clog2(fan_in + 1);
  const int ent_w = clog2(fan_in + 2L * p.lanes + 1);
  const int ch_w = index_bits(c);
  const int cred_w = clog2(p.credits + 2);
  const int yw = clog2(out_h + p.units + 1), xw = index_bits(out_w);
  const int addr_w = clog2(depth);

  // storage: the value and mask rows share their write and read addresses, and Yosys merges
  // them into one memory of InC x 9 bits (window_generator_tiny_units: 15 lanes x 3 RAM64M8
  // for 16 + 2 bits). Two rows (a 1 x 1 input) go to flip-flops instead, one copy for all lanes,
  // and each lane's InC:1 channel multiplexer takes the row bit as one more select bit
  // (window_generator_out: 27,000 flip-flops, no distributed RAM; 8 rows, window_generator_wide,
  // are distributed RAM).
  const long row_bits = c * (p.stream_winners ? 9 : 8);
  const bool rows_in_ff = depth <= 2;
  if (rows_in_ff)
    r.ff += double(depth * row_bits);
  else
    r += lutram(depth, row_bits, lanes);
  // flip-flops
  const int drain_w = clog2(p.drain + 1);
  r.ff += 2 + 1 + 1 + 1 + cred_w + 1 + pos_w + ent_w + 32 + (p.drain > 1 ? drain_w : 0);
  r.ff += kTagBits - (16 - std::min(16, pos_w)) - (8 - std::min(8, unit_w));
  r.ff += double(lanes) * (1 + index_w + 8);
  r.ff += double(units) * (yw + xw);
  if (p.stream_winners)
    r.ff += 2.0 * double(reachable) * cnt_w;
  // logic per lane
  double lane = 0;
  // entry >= incl[t]: carry-chain compares against data-dependent prefix sums when streaming
  // winners, against constants otherwise (half the logic); streaming winners also costs about
  // 50 LUTs of per-lane control (the entry's offset, k, the ok test against the unit's total),
  // fitted on window_generator_stride, _linear and _tiny_units.
  lane += p.stream_winners ? double(taps) * ent_w / 2.0 + 50 : double(taps) * ent_w / 4.0;
  lane += double(sum_w) * mux_luts(taps);             // prior
  lane += double(addr_w + index_w) * mux_luts(taps);  // off, tap_index
  lane += cnt_w + 2.0 * addr_w + index_w;             // k, addr adders, index adder
  lane += 8.0 * mux_luts(rows_in_ff ? depth * c : c); // the channel's value
  if (p.stream_winners)
    // k-th set bit, ChW levels: the window's shift and the popcount of its lower half, both over
    // the InC real bits (the RTL pads the mask to a power of two with zeros, which synthesis
    // removes): window_generator_wide, InC = 300 (padded to 512), fits this and not the padded
    // width. The 1.5 is what the search costs in place (window_generator_gsc, _wide and _out:
    // InC = 64, 300 and 1500); synthesized alone it is smaller, so the term also holds per-lane
    // logic around it that grows with InC x ChW.
    lane += double(ch_w) * 1.5 * double(c);
  double unit = 0;
  if (p.stream_winners)
    unit += double(taps) * (cnt_w * mux_luts(positions) + sum_w);
  unit += 2.0 * (yw + xw) + double(addr_w) * 2; // coordinates, base address
  // the output-stage spacing: the wait's decrement and zero test (its compare with the batch's
  // pairs shares the start logic's carry chain: window_generator_tiny_linear, Drain = 2, shows
  // no more LUTs than before the spacing was added)
  const double spacing = p.drain > 1 ? drain_w + 1 : 0;
  // 30: control (slot flags, credits, start and issue), fitted on the six rows
  r.lut += double(lanes) * lane + double(units) * unit + spacing + 30;
  return r;
}

// Max-pool (rtl/max_pool.sv): one row of partial maxima, W / Pool entries of C x 8 bits in
// distributed RAM read at the write address; C 8-bit compares and selects; a two-entry output
// queue of {pos, last, values}; raster counters.
//   FF  = 2 x (17 + 8C) + x, y, xs, ys, px counters + opos (16) + count (2) + ready      [exact]
//   LUT = C x 8 x 3.8 (a carry-chain compare per value, the select folded with the "opens"
//         bypass, the queue's head and tail multiplexers per bit) + 40 control, + 30 when Pool
//         is not a power of two (the window counters wrap short of a power of two and the
//         in-window test compares against Pool multiples)
Resources max_pool(int h, int w, int c, int pool) {
  Resources r;
  const int ow = w / pool;
  r += lutram(ow, long(c) * 8, 1, true);
  const double entry = 17.0 + 8.0 * c;
  r.ff = 2 * entry + index_bits(w) + index_bits(h) + 2 * index_bits(pool) + index_bits(ow) + 16 +
         2 + 1;
  r.lut += 8.0 * c * 3.8 + 40 + ((pool & (pool - 1)) != 0 ? 30 : 0);
  return r;
}

// FIFO (rtl/fifo.sv): Depth items of 18 + Channels x (ValueWidth + 1) bits in distributed RAM
// (one asynchronous read at the head pointer); pointers, count, valid and ready in flip-flops.
// Yosys keeps a one-item memory in flip-flops (no RAM).
//   FF  = 2 x PtrWidth + CountWidth + 2 (+ the item, Depth = 1)                         [exact]
//   LUT = 10 (pointer and count logic)
Resources fifo(int depth, int channels, int value_width) {
  Resources r;
  const long item = 18 + long(channels) * (value_width + 1);
  const int ptr_w = index_bits(depth);
  if (depth == 1) {
    r.ff = double(item) + 2 + 0;
    r.lut = 3;
    return r;
  }
  r += lutram(depth, item, 1);
  r.ff += 2.0 * ptr_w + clog2(depth + 1) + 2;
  r.lut += 10;
  return r;
}

// k-WTA, histogram form (rtl/kwta_histogram.sv), N = C (local) or H x W x C (global) values,
// V values per cycle, B bins per cycle, CountWidth = clog2(N + 1), ItemW = 18 + 9C:
//   FF  = buffer 8N + winners N + histogram 256 x CountWidth + the output queue's head (1) and
//         count (2) + phase, step, threshold, running count, ties and position registers
//                                                                                    [near exact]
//   LUTRAM = lutram(3, ItemW, 1): the two-entry output queue (rtl/out_queue.sv), a ring of two
//         items and a zero row read while it is empty, one asynchronous read port
//   LUT = bins: 256 x (2.5 V + 0.7 CountWidth): each lane's decode lines ANDed per bin and its
//         share of the bin's trio counters, and the bin's adder
//         + 0.6 x (scan + the rest), counted structurally:
//           scan: B x (3 CountWidth + 6.5 + CountWidth x mux_luts(ceil(256 / B))) (each lane's
//                 bin count selected by the step, the running-count adder, the >= K compare,
//                 the threshold and ties selects, chained over the B lanes);
//           rest: decoders 32 V, select V x (9 + CountWidth), lane multiplexers
//                 8 V x mux_luts(ceil(C / V) x positions + ceil(N / V)), the pending item
//                 9 C x mux_luts(positions), winners 2N.
//         The queue's own logic (tail, take, count, the read address) is a few LUTs, not
//         counted: the RAM's write data is the pending item. (With the queue in flip-flops,
//         "3 x ItemW" was in the rest; Yosys's LUTs fell by 68 to 1,300 on the five rows.)
//         The constants 2.5, 0.7 and 0.6 are a least-squares fit on the five histogram
//         parameterizations of the table and two more synthesized for it (H 2, W 2, C 8, K 3,
//         local, V = 4 with B = 256 and V = 8 with B = 32), made with the queue in flip-flops
//         and not refitted: residuals on the five rows now -10% .. +19%.
Resources kwta_histogram(int h, int w, int c, int k, bool global, int values_per_cycle,
                         int bins_per_cycle) {
  (void)k;
  Resources r;
  const long positions = global ? long(h) * w : 1;
  const long n = positions * c;
  const int cw = clog2(n + 1);
  const long v = values_per_cycle, b = bins_per_cycle;
  const long count_edges = ceil_div(c, v), scan_edges = ceil_div(256, b),
             select_edges = ceil_div(n, v);
  const long max_edges = std::max({count_edges, scan_edges, select_edges});
  const int step_w = index_bits(max_edges);
  const long item = 16 + 1 + 1 + 9L * c;
  // buffer, winners, bins; queue head, fresh, phase, working, step, cum, found, thr, ties;
  // position registers; queue count, ready
  r.ff = 8.0 * n + double(n) + 256.0 * cw + 1 + 1 + 2 + 1 + step_w + cw + 1 + 8 + cw +
         (global ? 2.0 * index_bits(positions) + clog2(positions + 1) : 17.0 + 1) + 2 + 1;
  const double bins = 256.0 * (2.5 * double(v) + 0.7 * cw);
  const double scan = double(b) * (3.0 * cw + 6.5 + cw * mux_luts(scan_edges));
  const double rest = 32.0 * v + double(v) * (9 + cw) +
                      8.0 * v * mux_luts(count_edges * positions + select_edges) +
                      9.0 * c * mux_luts(positions) + 2.0 * n;
  r.lut = bins + 0.6 * (scan + rest);
  r += lutram(3, item, 1);
  return r;
}

// k-WTA, sorting-network form (rtl/kwta_sortnet.sv): ceil(C / 8) groups of 8 keys (1 + 8 + 3
// bits). The network's comparators are written as one chain of 19 compare-and-swap steps per
// group, each enabled on its layer's edge, so all 19 are built: a 12-bit key compare and two
// 12-bit swap selects each; then K merge edges over the group heads; the item buffer and the
// two-entry output queue (rtl/out_queue.sv) in distributed RAM.
//   FF  = keys 8 x 12 x Groups + values 8C + winners C + control (working, edge counter, pos,
//         last, pending, ready) + the queue's head (1) and count (2)                      [exact]
//   LUTRAM = lutram(3, ItemW, 1), ItemW = 18 + 9C: the queue's two items and its zero row
//   LUT = Groups x (19 x 80 + 8 x 12 x 2) (comparator chain; the keys' next-value select among
//         load, sorted and merged) + (Groups - 1) x 24 (head compares of the merge)
//         + 30 C (pending values, winners, the queue's write data) + 60; the 80 per comparator
//         is what kwta_sortnet_tiny (one group) leaves, and holds for _c20 and _gsc (3 and 8
//         groups). The 30 C was fitted with the queue in flip-flops; moving it to distributed
//         RAM changed Yosys's LUTs by +45, -152 and -522 (tiny, c20, gsc), so it stays.
Resources kwta_sortnet(int h, int w, int c, int k) {
  (void)h;
  (void)w;
  Resources r;
  const long groups = ceil_div(c, 8);
  const long item = 16 + 1 + 1 + 9L * c;
  // working, edge counter, pos, last, pending, ready; the queue's head and count
  r.ff = groups * 8.0 * 12 + 8.0 * c + c + 1 + clog2(6 + k) + 16 + 1 + 1 + 1 + 1 + 2;
  r.lut = groups * (19.0 * 80 + 8 * 12 * 2) + double(groups - 1) * 24 + 30.0 * c + 60;
  r += lutram(3, item, 1);
  return r;
}

// The layer engine's own logic (rtl/layer_engine.sv): the host port's read-back multiplexer of
// the two answering blocks (32 bits) and the reset; the rest is wiring.
Resources layer_control() {
  Resources r;
  r.lut = 34;
  return r;
}

} // namespace res

// ---------------------------------------------------------------------------------------------
// Layers and instances

std::vector<LayerHardware> layer_hardware(const NetworkSpec &net, Mode mode) {
  const auto shapes = config::layer_shapes(net);
  std::vector<LayerHardware> out;
  KwtaKind in_kwta = KwtaKind::None;
  int in_k = 0;
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const LayerSpec &ls = net.layers[l];
    LayerHardware h;
    h.name = ls.name;
    h.kind = ls.kind;
    h.in = shapes[l].in;
    if (ls.kind == LayerKind::Conv) {
      h.kh = ls.kh;
      h.kw = ls.kw;
      h.stride = ls.stride;
    }
    h.stream_winners = mode == Mode::SparseSparse && in_kwta != KwtaKind::None;
    h.lanes = ls.lanes;
    h.units = ls.units;
    h.out_lanes = ls.output_lanes();
    h.kernels = ls.kernels;
    const int F = h.fan_in();
    if (mode == Mode::Dense) {
      h.per_group = 1;
      h.groups = ls.kernels;
    } else {
      const int nnz = nonzeros_per_kernel(ls.weight_sparsity, F);
      h.per_group = std::max(1, std::min(ls.kernels, F / nnz));
      h.groups = (ls.kernels + h.per_group - 1) / h.per_group;
    }
    h.last = l + 1 == net.layers.size();
    h.conv_out = shapes[l].conv_out;
    h.pooled = shapes[l].out;
    h.pool = ls.pool;
    h.kwta = ls.kwta;
    h.k = ls.k;
    if (!h.stream_winners)
      h.pairs_per_position = F;
    else if (in_kwta == KwtaKind::Global)
      h.pairs_per_position = in_k;
    else if (ls.kind == LayerKind::Conv)
      h.pairs_per_position = ls.kh * ls.kw * in_k;
    else
      h.pairs_per_position = h.in.h * h.in.w * in_k;
    out.push_back(h);
    in_kwta = ls.kwta;
    in_k = ls.k;
  }
  return out;
}

std::vector<LayerHardware> layer_hardware(const std::vector<LayerPlan> &plans) {
  std::vector<LayerHardware> out;
  for (const LayerPlan &p : plans) {
    LayerHardware h;
    h.name = p.name;
    h.kind = p.geo.kind;
    h.in = p.geo.in;
    h.kh = p.geo.kh;
    h.kw = p.geo.kw;
    h.stride = p.geo.stride;
    h.stream_winners = p.geo.stream_winners;
    h.lanes = p.geo.lanes;
    h.units = p.geo.units;
    h.out_lanes = p.out_lanes;
    h.kernels = p.kernels;
    h.groups = p.combined.groups;
    h.per_group = p.combined.per_group;
    h.last = p.last;
    h.conv_out = p.conv_out;
    h.pooled = p.pooled;
    h.pool = p.pool;
    h.kwta = p.kwta;
    h.k = p.k;
    h.pairs_per_position = p.pairs_per_position;
    out.push_back(h);
  }
  return out;
}

InstanceUsage estimate(const std::vector<LayerHardware> &layers, const EngineSpec &engine) {
  InstanceUsage inst;
  for (const LayerHardware &h : layers) {
    LayerUsage lu;
    lu.name = h.name;
    const int lanes = h.lanes * h.units;
    const int kid = res::index_bits(h.per_group);
    res::WindowParams wp;
    wp.linear = h.kind == LayerKind::Linear;
    wp.in_h = h.in.h;
    wp.in_w = h.in.w;
    wp.in_c = h.in.c;
    wp.kh = h.kh;
    wp.kw = h.kw;
    wp.stride = h.stride;
    wp.stream_winners = h.stream_winners;
    wp.lanes = h.lanes;
    wp.units = h.units;
    wp.credits = engine.result_slots * h.units;
    wp.drain = h.drain();
    lu.blocks.push_back({"window_generator", res::window_generator(wp)});
    lu.blocks.push_back(
        {"combine_memory", res::combine_memory(h.fan_in(), h.groups, h.per_group, lanes,
                                               engine.mem_latency, engine.combine_memory)});
    lu.blocks.push_back(
        {"multiplier_array",
         res::multiplier_array(lanes, h.groups, kid, engine.mul_latency, engine.multiplier_impl)});
    // One lane per unit: the router's pairs form and the accumulators' memory form, named so.
    const bool pairs = res::pairs_form(h.lanes, h.per_group);
    lu.blocks.push_back({pairs ? "router_crossbar (pairs)" : "router_crossbar",
                         res::router_crossbar(h.units, h.lanes, h.groups, h.per_group,
                                              engine.router_latency, pairs)});
    lu.blocks.push_back({pairs ? "accumulators (memory)" : "accumulators",
                         res::accumulators(h.units, h.groups, h.per_group, h.kernels, h.last,
                                           h.out_lanes, engine.result_slots * h.units, pairs)});
    if (h.pool > 1)
      lu.blocks.push_back(
          {"max_pool", res::max_pool(h.conv_out.h, h.conv_out.w, h.conv_out.c, h.pool)});
    if (!h.last)
      lu.blocks.push_back({"fifo", res::fifo(engine.fifo_depth, h.pooled.c)});
    if (h.kwta != KwtaKind::None)
      lu.blocks.push_back(
          {"kwta", engine.kwta_impl == KwtaImpl::Histogram
                       ? res::kwta_histogram(
                             h.pooled.h, h.pooled.w, h.pooled.c, h.k, h.kwta == KwtaKind::Global,
                             engine.kwta_values_per_cycle, engine.kwta_bins_per_cycle)
                       : res::kwta_sortnet(h.pooled.h, h.pooled.w, h.pooled.c, h.k)});
    lu.blocks.push_back({"control", res::layer_control()});
    for (const auto &b : lu.blocks)
      lu.total += b.r;
    inst.total += lu.total;
    inst.layers.push_back(std::move(lu));
  }
  return inst;
}

// ---------------------------------------------------------------------------------------------
// Boards

const char *budget_name(int r) {
  static const char *names[kBudgeted] = {"LUT", "FF", "DSP", "BRAM36", "URAM"};
  return names[r];
}

double budget_use(const Resources &r, int kind) {
  switch (kind) {
  case 0:
    return r.lut_sites();
  case 1:
    return r.ff;
  case 2:
    return r.dsp;
  case 3:
    return r.bram36;
  default:
    return r.uram;
  }
}

double reported_use(const Resources &r, int kind) {
  const double v = budget_use(r, kind);
  return kind <= int(Budgeted::Ff) ? std::max(0.0, std::ceil(v - 1e-9)) : v;
}

// Budget of resource r: board total x cap x budget_fraction for the chip, that / slrs per SLR.
// An instance fits when every resource's use is within one SLR's budget. SLR packing: identical
// instances, none spanning two SLRs, so each SLR holds min over used resources of
// floor(SLR budget / use) instances and the chip slrs times that. The limiting resource is the
// one with the highest share of the SLR budget: the first to run out as the instance grows, and
// the one that bounds the instances per SLR.
BoardFit fit(const Resources &instance, const BoardSpec &board, double budget_fraction) {
  BoardFit f;
  const double total[kBudgeted] = {double(board.lut), double(board.ff), double(board.dsp),
                                   double(board.bram36), double(board.uram)};
  const double cap[kBudgeted] = {board.cap_lut, board.cap_ff, board.cap_dsp, board.cap_bram,
                                 board.cap_uram};
  const int slrs = std::max(1, board.slrs);
  f.fits = true;
  double worst = -1;
  long per_slr = std::numeric_limits<long>::max();
  for (int r = 0; r < kBudgeted; ++r) {
    f.use[r] = budget_use(instance, r);
    f.chip_budget[r] = total[r] * cap[r] * budget_fraction;
    f.slr_budget[r] = f.chip_budget[r] / slrs;
    const auto pct = [&](double budget) {
      return budget > 0     ? 100.0 * f.use[r] / budget
             : f.use[r] > 0 ? std::numeric_limits<double>::infinity()
                            : 0.0;
    };
    f.percent_slr[r] = pct(f.slr_budget[r]);
    f.percent_chip[r] = pct(f.chip_budget[r]);
    if (f.use[r] > f.slr_budget[r] * (1 + 1e-12))
      f.fits = false;
    if (f.percent_slr[r] > worst) {
      worst = f.percent_slr[r];
      f.limiting = r;
    }
    if (f.use[r] > 0)
      per_slr = std::min(per_slr, long(std::floor(f.slr_budget[r] / f.use[r] + 1e-9)));
  }
  if (per_slr == std::numeric_limits<long>::max())
    per_slr = 0; // an instance that uses nothing is not a design
  f.per_slr = f.fits ? per_slr : 0;
  f.instances = f.per_slr * slrs;
  return f;
}

// ---------------------------------------------------------------------------------------------
// Throughput bound

// Cycles per word of each stage of a layer in steady state (the stages overlap, so the slowest
// bounds the layer; the slowest layer bounds the instance's initiation interval):
//   engine:   ceil(positions / Q) batches x batch_edges(): max(1, ceil(pairs / P)) beats (window
//             generator, one beat per edge, README "Cycle accounting"), or ceil(kernels / R)
//             when the accumulators' output stage takes longer (batches' last beats are spaced
//             that far apart);
//   max-pool: one conv_out position per edge;
//   k-WTA:    histogram local: pooled positions x (1 + 2 ceil(C / V) + ceil(256 / B));
//             global: positions x (1 + ceil(C / V)) + ceil(256 / B) + ceil(N / V) + positions;
//             sorting network: pooled positions x (1 + 6 + k)  (kwta.h, README);
//   the next layer's window generator takes one pooled position per edge, and the first layer's
//   from the source one input position per edge.
// It is a bound, not the simulated interval: credits, fill and hand-over edges add a few percent
// (GSC sparse-sparse, the default lanes: bound 3920, simulated 3920).
long layer_cycles_bound(const LayerHardware &h, const EngineSpec &engine) {
  const auto cdiv = [](long a, long b) { return (a + b - 1) / b; };
  const long positions = long(h.conv_out.h) * h.conv_out.w;
  long c = cdiv(positions, h.units) * h.batch_edges();
  c = std::max(c, long(h.in.h) * h.in.w);
  if (h.pool > 1)
    c = std::max(c, positions);
  const long pooled = long(h.pooled.h) * h.pooled.w;
  if (h.kwta != KwtaKind::None) {
    // an accept edge and the work edges per position; a global k-WTA's frame also waits for its
    // scan and selection, and its positions leave one per edge
    const KwtaTiming t = kwta_timing(h.pooled, h.kwta, h.k, engine);
    long k = pooled * (1 + t.position);
    if (h.kwta == KwtaKind::Global)
      k += t.frame_last - t.position + pooled;
    c = std::max(c, k);
  }
  return c;
}

int LayerHardware::beats() const {
  return std::max(1, (pairs_per_position + lanes - 1) / lanes);
}

int LayerHardware::drain() const {
  return (kernels + out_lanes - 1) / out_lanes;
}

int LayerHardware::batch_edges() const {
  return std::max(beats(), drain());
}

long interval_bound(const std::vector<LayerHardware> &layers, const EngineSpec &engine) {
  long c = 1;
  for (const auto &h : layers)
    c = std::max(c, layer_cycles_bound(h, engine));
  return c;
}

// ---------------------------------------------------------------------------------------------
// Auto-balancing
//
// A greedy walk that only ever speeds up the bottleneck:
//   1. every layer starts at P = Q = R = 1;
//   2. the bottleneck is the layer whose engine edges, ceil(positions / Q) x T with T =
//      max(beats, drain), beats = ceil(pairs / P), drain = ceil(kernels / R), are the largest
//      (ties: the earlier layer); when some other stage's bound (k-WTA, max-pool, input) is at
//      least that, no parallelism can help and the walk ends;
//   3. its next step, while T > 1: the smallest P' > P with fewer beats per position
//      (P' = ceil(pairs / (T - 1)), at most the fan-in) if beats = T, and the smallest R' > R
//      with a shorter drain (R' = ceil(kernels / (T - 1))) if drain = T (both when both are T);
//      at T = 1, the smallest Q' > Q that needs fewer batches (at most the positions); none
//      left: the walk ends;
//   4. the step is taken when the instance with it still fits within budget_fraction of one SLR's
//      capped budget; otherwise the walk ends.
// Every point of the walk is a candidate. Instance goal: the candidate with the lowest
// interval_bound (the earliest, i.e. cheapest, on ties). FullChip goal: the highest
// instances x clock / interval_bound (the earliest on ties).
// The walk does not depend on the budget, only where it stops, so more budget never lowers the
// throughput chosen (tested). Deterministic: no randomness, ties broken by order.
BalanceResult balance(const NetworkSpec &net, const EngineSpec &engine, const BoardSpec &board,
                      Mode mode, BalanceGoal goal, double budget_fraction) {
  NetworkSpec n = net;
  set_smallest(n);
  auto hw = layer_hardware(n, mode);
  const auto cdiv = [](long a, long b) { return (a + b - 1) / b; };
  const auto engine_beats = [&](const LayerHardware &h) {
    return cdiv(h.positions(), h.units) * h.batch_edges();
  };
  BalanceResult best;
  bool have = false;
  double best_score = 0;
  for (int steps = 0;; ++steps) {
    const InstanceUsage use = estimate(hw, engine);
    const BoardFit f = fit(use.total, board, budget_fraction);
    if (!f.fits) {
      if (!have)
        throw Error("board " + board.name + ": the smallest " + config::mode_name(mode) +
                    " instance (every layer P = Q = R = 1) does not fit within " +
                    std::to_string(int(std::lround(budget_fraction * 100))) +
                    "% of one SLR's budget (" + budget_name(f.limiting) + ")");
      break;
    }
    const long interval = interval_bound(hw, engine);
    const double score = goal == BalanceGoal::Instance ? 1.0 / double(interval)
                                                       : double(f.instances) / double(interval);
    if (!have || score > best_score * (1 + 1e-12)) {
      have = true;
      best_score = score;
      best.lanes.clear();
      best.units.clear();
      best.out_lanes.clear();
      for (const auto &h : hw) {
        best.lanes.push_back(h.lanes);
        best.units.push_back(h.units);
        best.out_lanes.push_back(h.out_lanes);
      }
      best.interval = interval;
      best.usage = use;
      best.fit = f;
      best.steps = steps;
    }
    // the bottleneck and its next step
    std::size_t b = 0;
    for (std::size_t i = 1; i < hw.size(); ++i)
      if (engine_beats(hw[i]) > engine_beats(hw[b]))
        b = i;
    LayerHardware &h = hw[b];
    const long beats = engine_beats(h);
    if (beats < interval)
      break; // a stage parallelism cannot speed up bounds the instance
    const long per_pos = h.beats(), drain = h.drain(), t = h.batch_edges();
    if (t > 1) {
      if (per_pos == t) {
        const long p = cdiv(h.pairs_per_position, t - 1);
        if (p > h.fan_in())
          break;
        h.lanes = int(p);
      }
      if (drain == t)
        h.out_lanes = int(cdiv(h.kernels, t - 1));
    } else {
      const long batches = cdiv(h.positions(), h.units);
      if (batches <= 1)
        break;
      h.units = int(cdiv(h.positions(), batches - 1));
    }
  }
  return best;
}

void apply(const BalanceResult &b, NetworkSpec &net) {
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    net.layers[l].lanes = b.lanes[l];
    net.layers[l].units = b.units[l];
    net.layers[l].out_lanes = b.out_lanes[l];
  }
}

void set_smallest(NetworkSpec &net) {
  for (auto &l : net.layers)
    l.lanes = l.units = l.out_lanes = 1;
}

std::string parallelism_text(const NetworkSpec &net) {
  std::string s;
  for (const auto &l : net.layers)
    s += (s.empty() ? "" : " ") + std::to_string(l.lanes) + "x" + std::to_string(l.units) + "x" +
         std::to_string(l.output_lanes());
  return s;
}

} // namespace cssim
