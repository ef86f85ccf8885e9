// Resource model: block formulas on hand-worked cases, the calibration against the Yosys table
// (rtl/synth_table.csv), board fit and SLR packing, and auto-balancing.
#include "config/config.h"
#include "error.h"
#include "resources.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace cssim;

namespace {

#ifdef CSSIM_SOURCE_DIR
const std::string kSourceDir = CSSIM_SOURCE_DIR;
#else
const std::string kSourceDir = "..";
#endif

// ---- the synthesis table -----------------------------------------------------------------------

struct Row {
  std::string name, module;
  std::map<std::string, long> params;
  double lut = 0, lutram = 0, ff = 0, dsp = 0, bram36 = 0;
};

std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep))
    out.push_back(cur);
  return out;
}

// The committed table, or the one CSSIM_SYNTH_TABLE names (to check a table just synthesized).
std::vector<Row> read_table() {
  const char *env = std::getenv("CSSIM_SYNTH_TABLE");
  const std::string path = env && *env ? env : kSourceDir + "/rtl/synth_table.csv";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::string line;
  std::getline(in, line);
  const auto head = split(line, ',');
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < head.size(); ++i)
    col[head[i]] = i;
  for (const char *c : {"name", "module", "params", "lut", "lutram", "ff", "dsp", "bram36"})
    EXPECT_TRUE(col.count(c)) << "rtl/synth_table.csv has no column " << c;
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    const auto f = split(line, ',');
    Row r;
    r.name = f.at(col["name"]);
    r.module = f.at(col["module"]);
    for (const auto &kv : split(f.at(col["params"]), ' ')) {
      const auto eq = kv.find('=');
      if (eq != std::string::npos)
        r.params[kv.substr(0, eq)] = std::stol(kv.substr(eq + 1));
    }
    r.lut = std::stod(f.at(col["lut"]));
    r.lutram = std::stod(f.at(col["lutram"]));
    r.ff = std::stod(f.at(col["ff"]));
    r.dsp = std::stod(f.at(col["dsp"]));
    r.bram36 = std::stod(f.at(col["bram36"]));
    rows.push_back(r);
  }
  return rows;
}

/// The estimator's inputs from a table row's RTL parameters; false for a module it does not
/// model block by block.
bool estimate_row(const Row &row, Resources &out) {
  const auto p = [&row](const char *k, long def = 0) {
    const auto it = row.params.find(k);
    return it == row.params.end() ? def : it->second;
  };
  const std::string &m = row.module;
  if (m == "multiplier_array")
    out = res::multiplier_array(int(p("Lanes")), int(p("Groups")), int(p("KidWidth", 1)),
                                int(p("Latency", 1)));
  else if (m == "combine_memory")
    out = res::combine_memory(int(p("FanIn")), int(p("Groups")), int(p("PerGroup")),
                              int(p("Lanes")), int(p("Latency", 1)));
  else if (m == "router_crossbar")
    out = res::router_crossbar(int(p("Units")), int(p("LanesPerUnit")), int(p("Groups")),
                               int(p("PerGroup")), int(p("Latency", 1)), p("Form") != 0);
  else if (m == "accumulators")
    out = res::accumulators(int(p("Units")), int(p("Groups")), int(p("PerGroup")),
                            int(p("Kernels")), p("LastLayer") != 0, int(p("OutLanes")),
                            int(p("ResultCapacity")), p("Form") != 0);
  else if (m == "window_generator") {
    res::WindowParams w;
    w.linear = p("Kind") == 1;
    w.in_h = int(p("InH"));
    w.in_w = int(p("InW"));
    w.in_c = int(p("InC"));
    w.kh = int(p("Kh", 1));
    w.kw = int(p("Kw", 1));
    w.stride = int(p("Stride", 1));
    w.stream_winners = p("StreamWinners") != 0;
    w.lanes = int(p("Lanes"));
    w.units = int(p("Units"));
    w.credits = int(p("Credits"));
    w.drain = int(p("Drain", 1));
    out = res::window_generator(w);
  } else if (m == "max_pool")
    out = res::max_pool(int(p("H")), int(p("W")), int(p("C")), int(p("Pool")));
  else if (m == "fifo")
    out = res::fifo(int(p("Depth")), int(p("Channels")), int(p("ValueWidth", 8)));
  else if (m == "kwta_histogram")
    out = res::kwta_histogram(int(p("H")), int(p("W")), int(p("C")), int(p("K")), p("Global") != 0,
                              int(p("ValuesPerCycle")), int(p("BinsPerCycle")));
  else if (m == "kwta_sortnet")
    out = res::kwta_sortnet(int(p("H")), int(p("W")), int(p("C")), int(p("K")));
  else if (m == "layer_engine") {
    // The sum of the blocks, as estimate() builds a layer (rtl/layer_engine.sv's parameters).
    LayerHardware h;
    h.name = row.name;
    h.kind = p("Kind") == 1 ? LayerKind::Linear : LayerKind::Conv;
    h.in = {int(p("InH")), int(p("InW")), int(p("InC"))};
    if (h.kind == LayerKind::Conv) {
      h.kh = int(p("Kh", 1));
      h.kw = int(p("Kw", 1));
      h.stride = int(p("Stride", 1));
    }
    h.stream_winners = p("StreamWinners") != 0;
    h.lanes = int(p("Lanes"));
    h.units = int(p("Units"));
    h.kernels = int(p("Kernels"));
    h.out_lanes = int(p("OutLanes", 1));
    h.groups = int(p("Groups"));
    h.per_group = int(p("PerGroup"));
    h.last = p("LastLayer") != 0;
    h.pool = int(p("Pool", 1));
    const int oh = h.kind == LayerKind::Conv ? (h.in.h - h.kh) / h.stride + 1 : 1;
    const int ow = h.kind == LayerKind::Conv ? (h.in.w - h.kw) / h.stride + 1 : 1;
    h.conv_out = {oh, ow, h.kernels};
    h.pooled = {oh / h.pool, ow / h.pool, h.kernels};
    h.kwta = p("KwtaKind") == 1   ? KwtaKind::Local
             : p("KwtaKind") == 2 ? KwtaKind::Global
                                  : KwtaKind::None;
    h.k = int(p("K", 1));
    EngineSpec e;
    e.mem_latency = int(p("MemLatency", 1));
    e.mul_latency = int(p("MulLatency", 1));
    e.router_latency = int(p("RouterLatency", 1));
    e.fifo_depth = int(p("FifoDepth", 4));
    e.result_slots = int(p("ResultSlots", 2));
    e.kwta_impl = p("KwtaImpl") == 1 ? KwtaImpl::SortNet : KwtaImpl::Histogram;
    e.kwta_values_per_cycle = int(p("KwtaValuesPerCycle", 16));
    e.kwta_bins_per_cycle = int(p("KwtaBinsPerCycle", 32));
    out = estimate({h}, e).total;
  } else
    return false;
  return true;
}

// Non-trivial counts, the only ones held to the tolerance: at least 50 LUTs or flip-flops (below
// that the control bits Yosys happens to merge or duplicate are most of the count), at least one
// DSP or block RAM. Distributed RAM is printed (estimated LUTs / 8 against Yosys's cells, which
// are 8-LUT RAM32M16/RAM64M8 cells except the 2-LUT 128 x 1 ones) but not held to it.
constexpr double kTolerance = 0.20;
constexpr double kMinLogic = 50, kMinHard = 1, kMinLutramCells = 4;

TEST(ResourcesCalibration, WithinToleranceOfYosys) {
  const auto rows = read_table();
  ASSERT_FALSE(rows.empty());
  int checked_rows = 0;
  std::printf("%-32s %9s %9s %9s %9s %9s  (estimate / Yosys - 1)\n", "parameterization", "LUT",
              "LUTRAM", "FF", "DSP", "BRAM36");
  for (const Row &row : rows) {
    Resources e;
    if (!estimate_row(row, e))
      continue;
    const double est[5] = {e.lut, e.lutram / 8.0, e.ff, e.dsp, e.bram36};
    const double syn[5] = {row.lut, row.lutram, row.ff, row.dsp, row.bram36};
    const double min[5] = {kMinLogic, kMinLutramCells, kMinLogic, kMinHard, kMinHard};
    const char *what[5] = {"LUT", "LUTRAM cells", "FF", "DSP", "BRAM36"};
    bool any = false;
    std::printf("%-32s", row.name.c_str());
    for (int i = 0; i < 5; ++i) {
      if (syn[i] < min[i]) {
        std::printf(" %9s", syn[i] == 0 && est[i] == 0 ? "." : "(small)");
        continue;
      }
      any = any || i != 1;
      const double err = est[i] / syn[i] - 1;
      std::printf(" %+8.1f%%", 100 * err);
      // Layer engines are printed, not held: Yosys flattens an engine and folds constants across
      // its blocks, which the sum of the blocks, calibrated one by one, does not see.
      if (i != 1 && row.module != "layer_engine") {
        EXPECT_LE(std::fabs(err), kTolerance)
            << row.name << " " << what[i] << ": estimate " << est[i] << ", Yosys " << syn[i];
      }
    }
    std::printf("\n");
    checked_rows += any && row.module != "layer_engine";
  }
  EXPECT_GE(checked_rows, 8) << "the calibration needs at least 8 parameterizations";
}

// ---- hand-worked block formulas -----------------------------------------------------------------

TEST(ResourcesBlocks, MultiplierArray) {
  // 2 lanes x 2 groups, 1-bit kids, one stage: {tag 60, 4 x (16 + 1)} = 128 flip-flops.
  Resources r = res::multiplier_array(2, 2, 1, 1);
  EXPECT_EQ(r.ff, 128);
  EXPECT_EQ(r.dsp, 4);
  EXPECT_EQ(r.lut, 0);
  // 20 lanes x 4 groups, 5-bit kids, 3 stages: 3 x (60 + 80 x 21) = 5220.
  EXPECT_EQ(res::multiplier_array(20, 4, 5, 3).ff, 5220);
  // Two products per DSP: 3 groups -> 2 DSPs per lane (one pair, one single), 16 LUTs per pair.
  r = res::multiplier_array(2, 3, 2, 2, MultiplierImpl::DspPacked);
  EXPECT_EQ(r.dsp, 4);
  EXPECT_EQ(r.lut, 32);
  r = res::multiplier_array(2, 3, 2, 2, MultiplierImpl::Lut);
  EXPECT_EQ(r.dsp, 0);
  EXPECT_EQ(r.lut, 6 * 146);
}

TEST(ResourcesBlocks, BlockRamAndUltraRam) {
  EXPECT_EQ(res::bram36_copy(1600, 13), 1.0); // one 2K x 18 RAMB36 (or two 2K x 9 RAMB18)
  EXPECT_EQ(res::bram36_copy(1024, 18), 0.5); // one RAMB18
  EXPECT_EQ(res::bram36_copy(512, 36), 0.5);
  EXPECT_EQ(res::bram36_copy(512, 72), 1.0);
  EXPECT_EQ(res::bram36_copy(4096, 72), 8.0);
  EXPECT_EQ(res::bram36_copy(100, 1), 0.5); // never less than one half
  EXPECT_EQ(res::uram_copy(1600, 13), 1.0);
  EXPECT_EQ(res::uram_copy(8192, 80), 4.0);
  // GSC conv2's combine memory: 4 groups x 10 lanes copies of 1600 x 13 bits.
  const Resources cm = res::combine_memory(1600, 4, 20, 10, 2);
  EXPECT_EQ(cm.bram36, 40);
  EXPECT_EQ(cm.lutram, 0);
  EXPECT_EQ(res::combine_memory(1600, 4, 20, 10, 2, MemoryKind::Uram).uram, 40);
  // Auto: 64 rows in distributed RAM; deeper in block RAM, since a copy's entry (8 + kid bits)
  // never fills a URAM's 72 bits well enough: 32K x 13 is 13 BRAM36 or 8 URAM (64 BRAM36's bits).
  EXPECT_GT(res::combine_memory(64, 8, 1, 4, 1).lutram, 0);
  EXPECT_EQ(res::combine_memory(64, 8, 1, 4, 1).bram36, 0);
  EXPECT_EQ(res::bram36_copy(32768, 13), 13);
  EXPECT_EQ(res::uram_copy(32768, 13), 8);
  EXPECT_EQ(res::combine_memory(32768, 1, 20, 1, 1).bram36, 13);
  EXPECT_EQ(res::combine_memory(32768, 1, 20, 1, 1).uram, 0);
}

TEST(ResourcesBlocks, DistributedRam) {
  // FIFO of 4 items of 594 bits: ceil(594 / 14) = 43 RAM32M16, 8 LUTs each.
  Resources r = res::lutram(4, 594, 1);
  EXPECT_EQ(r.lutram, 43 * 8);
  EXPECT_EQ(r.lut, 0);
  // 40 rows: RAM64M8 (7 bits), 3 ports: 3 x ceil(16 / 7) = 9 cells.
  EXPECT_EQ(res::lutram(40, 16, 3).lutram, 9 * 8);
  // 72 rows: 3 banks of 32, 5 cells for 64 bits each; a 3:1 multiplexer per bit (one LUT) and
  // a bank write enable each.
  r = res::lutram(72, 64, 1);
  EXPECT_EQ(r.lutram, 15 * 8);
  EXPECT_EQ(r.lut, 64 + 3);
  // Read at the write address: 16 bits per RAM32M16.
  EXPECT_EQ(res::lutram(14, 512, 1, true).lutram, 32 * 8);
}

TEST(ResourcesBlocks, WindowGeneratorRowStorage) {
  // A linear layer over a 1x1x100 input with winners: its two rows of 100 x 9 bits (values and
  // mask) are flip-flops, one copy for both lanes; over 1x2x100, four rows, distributed RAM, a
  // copy per lane: 2 x ceil(900 / 14) RAM32M16 of 8 LUTs.
  res::WindowParams w;
  w.linear = true;
  w.in_c = 100;
  w.stream_winners = true;
  w.lanes = 2;
  w.credits = 2;
  const Resources one = res::window_generator(w);
  EXPECT_EQ(one.lutram, 0);
  EXPECT_GE(one.ff, 2 * 900);
  w.in_w = 2;
  const Resources two = res::window_generator(w);
  EXPECT_EQ(two.lutram, 2 * 65 * 8);
  EXPECT_LT(two.ff, 900);
}

TEST(ResourcesBlocks, RouterCrossbar) {
  // 10 lanes: level 1 five 17-bit adders, level 2 two of 18 (one passes), level 3 one of 19,
  // level 4 one of 20: 160 adder bits per slot, plus 10 kid compares and 16 x 9 masking LUTs;
  // 80 slots.
  const Resources r = res::router_crossbar(1, 10, 4, 20, 1);
  EXPECT_EQ(r.lut, 80 * (160 + 10 + 144));
  EXPECT_EQ(r.ff, 60 + 80 * 20); // sums of 16 + clog2(10) = 20 bits
  // N = 1: no kid compares; 4 lanes: 2 x 17 + 18 = 52 bits per slot, 16 slots.
  EXPECT_EQ(res::router_crossbar(2, 4, 8, 1, 1).lut, 16 * 52);
  // Pairs (one lane per unit): nothing added; two registers of the tag and 2 x 3 groups of a
  // 16-bit product and a 3-bit kid (N = 5), against 2 x 3 x 5 sums of 16 bits.
  const Resources pairs = res::router_crossbar(2, 1, 3, 5, 2, true);
  EXPECT_EQ(pairs.lut, 0);
  EXPECT_EQ(pairs.ff, 2 * (60 + 6 * (16 + 3)));
  EXPECT_EQ(res::router_crossbar(2, 1, 3, 5, 2).ff, 2 * (60 + 30 * 16));
  // The layer engine's choice: pairs for one lane per unit and N > 1 only.
  EXPECT_TRUE(res::pairs_form(1, 2));
  EXPECT_FALSE(res::pairs_form(1, 1));
  EXPECT_FALSE(res::pairs_form(2, 20));
}

TEST(ResourcesBlocks, AccumulatorsOutputStage) {
  // GSC linear1: Q = 1, 75 x 20 = 1500 slots, 1500 channels, R = 2 output lanes (D = 750).
  // DSP: four per requantizer, one requantizer per lane and unit; none in the last layer.
  EXPECT_EQ(res::accumulators(1, 75, 20, 1500, false, 2, 4).dsp, 8);
  EXPECT_EQ(res::accumulators(2, 75, 20, 1500, false, 3, 4).dsp, 24);
  EXPECT_EQ(res::accumulators(2, 1, 20, 12, true, 12, 3).dsp, 0);
  // FF: the snapshot doubles the accumulators' 32 x 1500, the assembly registers hold every
  // chunk of a vector but the last (R = 2: 749 x 2 x 8 bits, R = 3: 499 x 3 x 8); one more output
  // lane changes those and the edge counter (750 -> 500: 10 -> 9 bits).
  const Resources r2 = res::accumulators(1, 75, 20, 1500, false, 2, 4);
  const Resources r3 = res::accumulators(1, 75, 20, 1500, false, 3, 4);
  EXPECT_EQ(r2.ff - r3.ff, (749 * 2 - 499 * 3) * 8 + 1);
  // LUT: a lane costs its requantizer and 32-bit select over 1500 slots (72 + 0.723 x 32 x
  // 1500), its table entry select (11 bits x Drain:1) and its gating (8); the chunk decode is one
  // LUT per chunk (750 -> 500).
  const double lane = 72 + 0.723 * 32 * 1500 + 8;
  const double inv2 = 2 * 11 * (188 + 47), inv3 = 3 * 11 * (125 + 32);
  EXPECT_NEAR(r3.lut - r2.lut, lane + inv3 - inv2 + 500 - 750, 1e-6);
  // Distributed RAM: the result queue, 4 entries of 17 + 1500 x 8 bits in RAM32M16 cells of 14
  // bits (859 cells of 8 LUTs), and the biases and channel words read back at the host's address
  // (1500 x 32 bits each, per slot and per channel, in 128 x 1 cells of 2 LUTs: 12 x 32 cells).
  EXPECT_EQ(r2.lutram, 8 * 859 + 2 * (2 * 12 * 32));
  // With 3 units, one queue bank per unit (6 entries of 17 + 5 x 8 bits: 5 cells each), 6 biases
  // and 5 channel words (RAM32M16 read at the write address: 16 bits per cell); the front is
  // a 3:1 select per item bit, and each of the 6 entries records its bank (2 bits); each unit
  // beyond the first has its accumulators and snapshot (2 x 32 x 6) and assembly registers (two
  // chunks of the three: 2 x 2 x 8).
  const Resources m = res::accumulators(3, 2, 3, 5, false, 2, 6);
  EXPECT_EQ(m.lutram, 3 * 5 * 8 + 2 * (2 * 8));
  EXPECT_EQ(m.ff - res::accumulators(1, 2, 3, 5, false, 2, 6).ff,
            2 * (2 * 32 * 6 + 2 * 2 * 8) + 6 * 2);
}

TEST(ResourcesBlocks, AccumulatorsMemoryForm) {
  // Two units, three groups of five slots, 14 channels, R = 2 (7 chunks), a four-item queue.
  const Resources reg = res::accumulators(2, 3, 5, 14, false, 2, 4);
  const Resources mem = res::accumulators(2, 3, 5, 14, false, 2, 4, true);
  // FF: no accumulators, snapshot or bias registers (2 x 32 x 30 + 32 x 15) and the requantize
  // registers kept whole (64 instead of 38); two fresh bits per word (2 x 30) and the bank bit;
  // the table's entries are {group, entry} (2 + 3 bits) instead of a slot number (4 bits). 473
  // is what Yosys counts for accumulators_mem_tiny.
  EXPECT_EQ(mem.ff - reg.ff, -(2 * 32 * 30 + 32 * 15) - 38 + 64 + 2 * 30 + 1 + 14 * (5 - 4));
  EXPECT_EQ(mem.ff, 473);
  // Distributed RAM: per unit and group two banks and per group its biases, 5 x 32 bits with a
  // read port per output lane: 15 memories x 2 ports x 3 RAM32M16 cells; the rest as before.
  EXPECT_EQ(mem.lutram - reg.lutram, 15 * 2 * 3 * 8);
  EXPECT_EQ(mem.lutram, 114 * 8); // Yosys: 114 cells
  // LUT: per unit and group 3 x 32 + 6 x 5 (instead of 2 x 32 per slot); per lane a 6:1 select
  // of 33 bits (two LUT levels), a 3:1 select of the bias (one) and 100 (instead of 0.723 x 32 x
  // 15 slots); the table's 5-bit entries through a 7:1 multiplexer (2 LUTs per bit and lane).
  const double mem_terms = 6 * (96 + 30) + 4 * (33 * 2 + 32 + 100);
  const double reg_terms = 2 * 32 * 30 + 4 * 0.723 * 32 * 15;
  EXPECT_NEAR(mem.lut - reg.lut, mem_terms - reg_terms + 2 * 2 * (5 - 4), 1e-6);
}

TEST(ResourcesBlocks, FifoAndCounts) {
  // A one-item FIFO is a register: 18 + 2 x 9 bits + valid/ready.
  EXPECT_EQ(res::fifo(1, 2).ff, 36 + 2);
  EXPECT_EQ(res::fifo(1, 2).lutram, 0);
  // Depth 4, 64 channels: pointers 2 x 2, count 3, valid, ready.
  EXPECT_EQ(res::fifo(4, 64).ff, 9);
  EXPECT_EQ(res::clog2(1), 0);
  EXPECT_EQ(res::clog2(5), 3);
  EXPECT_EQ(res::index_bits(1), 1);
  EXPECT_EQ(res::index_bits(20), 5);
}

// ---- layers and instances --------------------------------------------------------------------

const char *kSmallNet = R"(
[network]
name = small
input = 8x8x4
[layer c1]
type = conv
kernels = 8
kernel = 3x3
weight_sparsity = 0.5
pool = 2
kwta = local
k = 2
[layer fc]
type = linear
kernels = 6
weight_sparsity = 0.5
)";

const char *kBigBoard = R"(
[board]
name = big
lut = 400000
ff = 800000
dsp = 2000
bram36 = 400
uram = 0
slrs = 2
clock_mhz = 200
power_w = 50
)";

config::Config small_config() {
  return config::parse(kSmallNet, "small.cfg", kBigBoard, "big.cfg", {});
}

TEST(ResourcesInstance, SumsPerLayerAndInstance) {
  const config::Config c = config::load("gsc", "u250", {});
  for (Mode m : {Mode::Dense, Mode::SparseDense, Mode::SparseSparse}) {
    const auto hw = layer_hardware(c.net, m);
    ASSERT_EQ(hw.size(), 4u);
    const InstanceUsage u = estimate(hw, c.engine);
    Resources sum;
    for (const auto &l : u.layers) {
      Resources blocks;
      for (const auto &b : l.blocks)
        blocks += b.r;
      EXPECT_DOUBLE_EQ(blocks.lut, l.total.lut);
      EXPECT_DOUBLE_EQ(blocks.ff, l.total.ff);
      sum += l.total;
    }
    EXPECT_DOUBLE_EQ(sum.lut_sites(), u.total.lut_sites());
    EXPECT_DOUBLE_EQ(sum.dsp, u.total.dsp);
    EXPECT_DOUBLE_EQ(sum.bram36, u.total.bram36);
  }
  // G and N as Combine packs the synthetic kernels (README: conv2 4 x 20, output 1 x 12).
  const auto hw = layer_hardware(c.net, Mode::SparseSparse);
  EXPECT_EQ(hw[1].groups, 4);
  EXPECT_EQ(hw[1].per_group, 20);
  EXPECT_EQ(hw[3].groups, 1);
  EXPECT_EQ(hw[3].per_group, 12);
  EXPECT_EQ(hw[1].pairs_per_position, 150); // 5 x 5 taps x 6 winners
  EXPECT_EQ(layer_hardware(c.net, Mode::Dense)[1].groups, 64);
  // The interval bound of the default GSC sparse-sparse: conv1's 784 positions x 5 beats.
  EXPECT_EQ(interval_bound(hw, c.engine), 3920);
}

BoardSpec board(long lut, long ff, long dsp, long bram, long uram, int slrs) {
  BoardSpec b;
  b.name = "test";
  b.lut = lut;
  b.ff = ff;
  b.dsp = dsp;
  b.bram36 = bram;
  b.uram = uram;
  b.slrs = slrs;
  b.cap_lut = b.cap_ff = b.cap_dsp = b.cap_bram = b.cap_uram = 0.5;
  b.power_w = 10;
  return b;
}

TEST(ResourcesFit, EdgesAndLimitingResource) {
  const BoardSpec b = board(1000, 2000, 10, 4, 0, 1); // budgets 500 LUT, 1000 FF, 5 DSP, 2 BRAM
  Resources r;
  r.lut = 400;
  r.lutram = 100; // 500 LUT sites: exactly the budget
  r.ff = 100;
  r.dsp = 1;
  BoardFit f = fit(r, b);
  EXPECT_TRUE(f.fits);
  EXPECT_EQ(f.limiting, int(Budgeted::Lut));
  EXPECT_DOUBLE_EQ(f.percent_slr[0], 100.0);
  EXPECT_EQ(f.instances, 1);
  r.lut += 1; // one LUT over
  f = fit(r, b);
  EXPECT_FALSE(f.fits);
  EXPECT_EQ(f.instances, 0);
  r.lut = 10;
  r.bram36 = 2.5; // BRAM over, in halves
  f = fit(r, b);
  EXPECT_FALSE(f.fits);
  EXPECT_EQ(f.limiting, int(Budgeted::Bram));
  r.bram36 = 0;
  r.uram = 1; // a resource the board does not have
  f = fit(r, b);
  EXPECT_FALSE(f.fits);
  EXPECT_EQ(f.limiting, int(Budgeted::Uram));
  // A budget fraction scales every budget.
  r = Resources();
  r.lut = 300;
  EXPECT_TRUE(fit(r, b, 0.6).fits);
  EXPECT_FALSE(fit(r, b, 0.59).fits);
}

TEST(ResourcesFit, SlrPacking) {
  // 4 SLRs, per SLR: 4000 x 0.5 / 4 = 500 LUT sites, 10 DSP.
  const BoardSpec b = board(4000, 100000, 80, 100, 0, 4);
  Resources r;
  r.lut = 160;
  r.dsp = 3;
  BoardFit f = fit(r, b);
  EXPECT_TRUE(f.fits);
  EXPECT_EQ(f.per_slr, 3); // LUT: floor(500 / 160) = 3, DSP: floor(10 / 3) = 3
  EXPECT_EQ(f.instances, 12);
  r.dsp = 4; // DSP now limits: floor(10 / 4) = 2 per SLR
  f = fit(r, b);
  EXPECT_EQ(f.per_slr, 2);
  EXPECT_EQ(f.instances, 8);
  EXPECT_EQ(f.limiting, int(Budgeted::Dsp));
  // Larger than one SLR but smaller than the chip: does not fit (an instance may not span SLRs).
  r.dsp = 11;
  f = fit(r, b);
  EXPECT_FALSE(f.fits);
  EXPECT_LT(f.percent_chip[int(Budgeted::Dsp)], 100);
  EXPECT_EQ(f.instances, 0);
}

TEST(ResourcesBalance, MonotonicInBudgetAndDeterministic) {
  const config::Config c = small_config();
  for (Mode m : {Mode::Dense, Mode::SparseDense, Mode::SparseSparse}) {
    long last_interval = 0;
    double last_chip = 0;
    for (double frac : {0.02, 0.05, 0.1, 0.2, 0.4, 0.7, 1.0}) {
      BalanceResult inst, chip;
      try {
        inst = balance(c.net, c.engine, c.board, m, BalanceGoal::Instance, frac);
        chip = balance(c.net, c.engine, c.board, m, BalanceGoal::FullChip, frac);
      } catch (const Error &) {
        EXPECT_EQ(last_interval, 0) << "a larger budget fits where a smaller one did not";
        continue; // too small for P = Q = R = 1
      }
      EXPECT_TRUE(inst.fit.fits);
      if (last_interval) {
        EXPECT_LE(inst.interval, last_interval) << "more budget lowered the throughput";
      }
      const double chip_rate = double(chip.fit.instances) / double(chip.interval);
      EXPECT_GE(chip_rate, last_chip * (1 - 1e-12));
      last_interval = inst.interval;
      last_chip = chip_rate;
      // the same answer twice
      const BalanceResult again = balance(c.net, c.engine, c.board, m, BalanceGoal::Instance, frac);
      EXPECT_EQ(again.lanes, inst.lanes);
      EXPECT_EQ(again.units, inst.units);
      EXPECT_EQ(again.out_lanes, inst.out_lanes);
    }
    EXPECT_GT(last_interval, 0);
  }
}

TEST(ResourcesBalance, SpeedsUpTheBottleneckAndReportsNoFit) {
  const config::Config c = small_config();
  const auto base = layer_hardware(c.net, Mode::Dense);
  NetworkSpec ones = c.net;
  set_smallest(ones);
  const long slow = interval_bound(layer_hardware(ones, Mode::Dense), c.engine);
  const BalanceResult b =
      balance(c.net, c.engine, c.board, Mode::Dense, BalanceGoal::Instance, 1.0);
  EXPECT_LT(b.interval, slow);
  EXPECT_GT(b.steps, 0);
  // A board too small for P = Q = R = 1 is an error naming the limiting resource.
  BoardSpec tiny = c.board;
  tiny.lut = 100;
  try {
    balance(c.net, c.engine, tiny, Mode::Dense, BalanceGoal::Instance, 1.0);
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("does not fit"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("LUT"), std::string::npos) << e.what();
  }
}

} // namespace

namespace {
TEST(ResourcesBalance, GscConvFitsOneU250Slr) {
  // Every mode of gsc_conv, balanced on the U250, fits inside one SLR; more instances per chip
  // for the full-chip goal than none.
  const config::Config c = config::load("gsc_conv", "u250", {});
  for (Mode m : {Mode::Dense, Mode::SparseDense, Mode::SparseSparse}) {
    const BalanceResult b = balance(c.net, c.engine, c.board, m, BalanceGoal::FullChip, 1.0);
    EXPECT_TRUE(b.fit.fits) << config::mode_name(m);
    EXPECT_GE(b.fit.instances, 4) << config::mode_name(m);
    for (int r = 0; r < kBudgeted; ++r)
      EXPECT_LE(b.fit.use[r], b.fit.slr_budget[r]) << budget_name(r);
  }
}

TEST(ResourcesBalance, GscSparseFitsOneU250SlrWithMemoryAccumulators) {
  // GSC at P = Q = R = 1: linear1 and the output layer get the pairs-form router and the
  // memory-form accumulators, and the instance fits one U250 SLR; linear1 at P = 2 (the register
  // form) alone breaks the LUT budget.
  const config::Config c = config::load("gsc", "u250", {});
  NetworkSpec net = c.net;
  set_smallest(net);
  const InstanceUsage small = estimate(layer_hardware(net, Mode::SparseSparse), c.engine);
  EXPECT_TRUE(fit(small.total, c.board).fits);
  NetworkSpec wide = net;
  for (auto &l : wide.layers)
    if (l.name == "linear1")
      l.lanes = 2;
  const InstanceUsage reg = estimate(layer_hardware(wide, Mode::SparseSparse), c.engine);
  EXPECT_FALSE(fit(reg.total, c.board).fits);
  const auto linear1 = [](const InstanceUsage &u) {
    for (const LayerUsage &l : u.layers)
      if (l.name == "linear1")
        return l.total.lut_sites();
    return 0.0;
  };
  EXPECT_GT(linear1(small), 0);
  EXPECT_GT(linear1(reg), 2 * linear1(small));
  // Balanced, sparse-sparse and sparse-dense fit, one instance per SLR at least; dense does not.
  for (Mode m : {Mode::SparseDense, Mode::SparseSparse}) {
    const BalanceResult b = balance(c.net, c.engine, c.board, m, BalanceGoal::FullChip, 1.0);
    EXPECT_TRUE(b.fit.fits) << config::mode_name(m);
    EXPECT_GE(b.fit.instances, 4) << config::mode_name(m);
  }
  EXPECT_THROW(balance(c.net, c.engine, c.board, Mode::Dense, BalanceGoal::FullChip, 1.0), Error);
}
} // namespace
