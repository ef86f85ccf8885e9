// Co-simulation: model Accumulators and rtl/accumulators.sv on the same random batches of SumBeats,
// the same host parameters (loaded over TLM-2.0 into both, in reset) and the same random
// back-pressure.
//
// Stimulus follows what the window generator guarantees: a batch is `beats` valid beats (gaps
// allowed between them) with first on the first and last on the last, the same pos, units_active
// and frame_last on all; positions run through frames of random length, units_active = min(Q,
// positions left). A batch starts only with a result credit per active unit; credits start at the
// queue's capacity and come back through the model's credit_o. A batch's last beat comes at least
// D = ceil(kernels / out_lanes) edges after the previous one (held back by gaps when needed), so
// the output stage is exercised both back to back and with idle edges between batches. The sink's
// ready comes in phases (long stalls, always ready, random), so the queue fills and drains. Sums
// and biases stay small enough that no accumulator leaves int32 (the network planner's guarantee);
// the model would throw. The memory form (one lane per unit) gets what its router sends: per unit
// and group at most one non-zero sum a beat, at a random slot.
//
// Parameters per seed: random biases, a random channel -> slot table (channels on distinct slots;
// some seeds let two channels read one slot or leave a channel without a slot, with assorted
// out-of-range words) written after a random history of channel writes; mult and shift drawn so
// that requantized values land inside 0..255 as well as below and above it. Every word is read back
// from both sides, and illegal accesses must fail on both.
#include "accumulators_rtl.h"
#include "combine_memory.h"
#include "cosim.h"
#include "stream_tb.h"
#include "systemc_once.h"

#include "Vaccumulators_conv2.h"
#include "Vaccumulators_last.h"
#include "Vaccumulators_mem_gsc.h"
#include "Vaccumulators_mem_last.h"
#include "Vaccumulators_mem_tiny.h"
#include "Vaccumulators_multi.h"
#include "Vaccumulators_tiny.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace cssim::cosim {
namespace {

struct Config {
  int units, groups, per_group, kernels, capacity, out_lanes;
  bool last_layer;
  int max_beats;       // beats per batch: 1 .. max_beats
  int cycles;          // stimulus edges per seed
  bool memory = false; // the RTL's memory form (Form = 1)
  int slots() const { return groups * per_group; }
  int drain() const { return (kernels + out_lanes - 1) / out_lanes; }
  FlatShape shape() const {
    FlatShape s;
    s.lanes = units;
    s.units = units;
    s.groups = groups;
    s.per_group = per_group;
    s.channels = kernels;
    s.value_width = last_layer ? 32 : 8;
    return s;
  }
};

/// The host: one initiator socket to each side.
struct AccHost : Host {
  using Host::Host;

  /// Writes one word to both sides; both must accept it.
  void write(std::uint64_t addr, std::uint32_t word) {
    EXPECT_EQ(transport_words(model_s, true, addr, {word}).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(transport_words(rtl_s, true, addr, {word}).status, tlm::TLM_OK_RESPONSE)
        << "RTL write at 0x" << std::hex << addr;
  }
  /// Reads `n` words from both sides; both must answer `expected`.
  void expect_read(std::uint64_t addr, const std::vector<std::uint32_t> &expected) {
    for (auto *s : {&model_s, &rtl_s}) {
      const WordsResult r =
          transport_words(*s, false, addr, std::vector<std::uint32_t>(expected.size()));
      EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
      EXPECT_EQ(r.words, expected)
          << (s == &rtl_s ? "RTL" : "model") << " read at 0x" << std::hex << addr;
    }
  }
  /// An access both sides must refuse.
  void expect_refused(tlm::tlm_command cmd, std::uint64_t addr) {
    for (auto *s : {&model_s, &rtl_s}) {
      EXPECT_EQ(transport_words(*s, cmd == tlm::TLM_WRITE_COMMAND, addr, {0x12345678}).status,
                tlm::TLM_ADDRESS_ERROR_RESPONSE)
          << (s == &rtl_s ? "RTL" : "model") << " access at 0x" << std::hex << addr;
    }
  }
};

struct Params {
  std::vector<std::int32_t> bias;
  std::vector<std::uint32_t> slot; // per channel
  std::uint32_t mult = 1, shift = 1;
  std::int64_t scale = 1; // |bias| <= scale, |sum of one beat| <= scale / 2
};

/// A channel-table word that names no slot: Slots or more.
std::uint32_t no_slot(Bench &b, int slots) {
  switch (b.uniform(0, 3)) {
  case 0:
    return 0xffffffffu;
  case 1:
    return std::uint32_t(slots);
  case 2:
    return std::uint32_t(slots + b.uniform(1, 1000));
  default:
    return 0x80000000u;
  }
}

Params random_params(Bench &b, const Config &c) {
  Params p;
  const int S = c.slots();
  // Channel table: channels on distinct random slots while there are slots, the rest none.
  std::vector<int> order(S);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), b.rng);
  p.slot.resize(c.kernels);
  for (int k = 0; k < c.kernels; ++k)
    p.slot[k] = k < S ? std::uint32_t(order[k]) : no_slot(b, S);
  if (b.chance(0.25)) // two channels read one slot
    p.slot[b.uniform(0, c.kernels - 1)] = std::uint32_t(b.uniform(0, S - 1));
  if (b.chance(0.2)) // a channel no slot holds
    p.slot[b.uniform(0, c.kernels - 1)] = no_slot(b, S);
  // Requantization: mostly the numeric contract's ranges, sometimes beyond.
  p.shift = std::uint32_t(b.chance(0.1) ? b.uniform(41, 62) : b.uniform(1, 40));
  p.mult = b.chance(0.15)
               ? std::uint32_t(std::uniform_int_distribution<std::uint32_t>(1, 0xffffffffu)(b.rng))
               : std::uint32_t(b.uniform(1, 65535));
  // Accumulator scale: where acc * mult >> shift lands near 0 .. 255, within 1 .. 2^26 (so that
  // bias + max_beats sums stay far inside int32 and acc * mult + round inside int64).
  double scale = std::ldexp(100.0 / p.mult, int(p.shift));
  if (c.last_layer || b.chance(0.15))
    scale = std::ldexp(1.0, b.uniform(2, 26));
  p.scale = std::int64_t(std::clamp(scale, 4.0, std::ldexp(1.0, 26)));
  p.bias.resize(S);
  for (auto &x : p.bias)
    x = std::int32_t(b.chance(0.2) ? 0 : b.uniform(-int(p.scale), int(p.scale)));
  return p;
}

/// Loads the parameters into both sides (in reset), after a random history of channel writes,
/// then checks illegal accesses and reads every word back.
void load(AccHost &host, Bench &b, const Config &c, const Params &p) {
  using namespace param_map;
  const int S = c.slots();
  const int K = c.kernels;
  if (b.chance(0.5))
    for (int i = b.uniform(1, 2 * K); i-- > 0;)
      host.write(kChannelBase + 4 * b.uniform(0, K - 1), std::uint32_t(b.uniform(-2, S + 1)));
  std::vector<int> order(std::max(S, K));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), b.rng);
  for (int i : order) {
    if (i < K)
      host.write(kChannelBase + 4 * i, p.slot[i]);
    if (i < S)
      host.write(kBiasBase + 4 * i, std::uint32_t(p.bias[i]));
  }
  host.write(kRequantBase, p.mult);
  host.write(kRequantBase + 4, p.shift);
  // Outside the accumulators' regions, or not word-aligned: refused by both, changing nothing.
  host.expect_refused(tlm::TLM_WRITE_COMMAND, kBiasBase + 4 * S);
  host.expect_refused(tlm::TLM_WRITE_COMMAND, kChannelBase + 4 * K);
  host.expect_refused(tlm::TLM_WRITE_COMMAND, kBiasBase + 2);
  host.expect_refused(tlm::TLM_WRITE_COMMAND, kRequantBase + 8);
  host.expect_refused(tlm::TLM_WRITE_COMMAND, kLayerStride + kBiasBase);
  host.expect_refused(tlm::TLM_READ_COMMAND, kChannelBase + 4 * K + 4);
  // The entry region belongs to the combine memory: the RTL accumulators refuse it.
  EXPECT_EQ(transport_words(host.rtl_s, false, kEntryBase, {0}).status,
            tlm::TLM_ADDRESS_ERROR_RESPONSE);
  for (int s = 0; s < S; ++s)
    host.expect_read(kBiasBase + 4 * s, {std::uint32_t(p.bias[s])});
  for (int k = 0; k < K; ++k)
    host.expect_read(kChannelBase + 4 * k, {p.slot[k]});
  host.expect_read(kRequantBase, {p.mult, p.shift}); // one two-word burst
}

/// Random sums for one beat: |sum| <= scale / 2, some zeros; for the memory form one slot per
/// unit and group (or none).
void random_sums(Bench &b, const Config &c, const Params &p, std::vector<std::int32_t> &sum) {
  const int r = int(std::max<std::int64_t>(1, p.scale / 2));
  if (!c.memory) {
    for (auto &x : sum)
      x = b.chance(0.15) ? 0 : b.uniform(-r, r);
    return;
  }
  std::fill(sum.begin(), sum.end(), 0);
  for (int e = 0; e < c.units * c.groups; ++e)
    if (!b.chance(0.15))
      sum[std::size_t(e) * c.per_group + b.uniform(0, c.per_group - 1)] = b.uniform(-r, r);
}

/// The block's outputs as compared: the item stream, valid and the credit.
Fields outputs(bool valid, const Item &item, int credit, const FlatShape &s) {
  Fields f = flatten("data", valid, item, s);
  Bits v(1), cr(1);
  v.put(0, 1, valid);
  cr.put(0, 1, std::uint64_t(credit));
  f.push_back({"valid", v});
  f.push_back({"credit", cr});
  return f;
}

template <class V> void run(const Config &c, const std::string &name) {
  REQUIRE_FRESH_SYSTEMC();
  const FlatShape shape = c.shape();
  const int S = c.slots(), Q = c.units;
  Bench bench;
  sc_core::sc_signal<SumBeat> in{"in"};
  sc_core::sc_signal<bool> valid_m{"valid_m"}, valid_r{"valid_r"}, ready{"ready"};
  sc_core::sc_signal<Item> data_m{"data_m"}, data_r{"data_r"};
  sc_core::sc_signal<int> credit_m{"credit_m"}, credit_r{"credit_r"};
  sc_core::sc_signal<ActBeat> mem_in{"mem_in"};
  sc_core::sc_signal<MemBeat> mem_out{"mem_out"};

  // Model: the accumulators read their parameters from a combine memory (loaded through its
  // params_t).
  CombineMemoryCore mem(1, c.groups, c.per_group, c.kernels, Q, 1);
  CombineMemory mem_shell("combine_memory", mem);
  AccumulatorsCore core(mem, Q, c.kernels, c.last_layer, c.capacity, c.out_lanes);
  Accumulators model("model", core);
  AccumulatorsRtl<V> rtl("accumulators", shape, c.memory);
  TbSinkCore sink_core(50, 1);
  TbSink sink("sink", sink_core);
  AccHost host("host");
  Checker checker("checker", name + "_mismatch.vcd");

  mem_shell.clk_i(bench.clk);
  mem_shell.rst_ni(bench.rst_n);
  mem_shell.beat_i(mem_in);
  mem_shell.beat_o(mem_out);
  host.model_s.bind(mem_shell.params_t);
  host.rtl_s.bind(rtl.params_t);
  model.clk_i(bench.clk);
  model.rst_ni(bench.rst_n);
  model.beat_i(in);
  model.valid_o(valid_m);
  model.data_o(data_m);
  model.ready_i(ready);
  model.credit_o(credit_m);
  rtl.clk_i(bench.clk);
  rtl.rst_ni(bench.rst_n);
  rtl.beat_i(in);
  rtl.valid_o(valid_r);
  rtl.data_o(data_r);
  rtl.ready_i(ready);
  rtl.credit_o(credit_r);
  sink.clk_i(bench.clk);
  sink.rst_ni(bench.rst_n);
  sink.valid_i(valid_m);
  sink.data_i(data_m);
  sink.ready_o(ready);
  checker.clk_i(bench.clk);
  checker.rst_ni(bench.rst_n);
  checker.watch([&] { return outputs(valid_m.read(), data_m.read(), credit_m.read(), shape); },
                [&] { return outputs(valid_r.read(), data_r.read(), credit_r.read(), shape); });

  long transfers = 0, batches = 0, credit_waits = 0, mid_values = 0, negative_values = 0, stuck = 0;
  sc_core::sc_spawn([&] {
    const auto edge = [&] { sc_core::wait(bench.clk.posedge_event()); };
    for (int i = 0; i < seeds() && !checker.mismatch(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      // Reset; the host loads the parameters while it holds.
      bench.rst_n.write(false);
      sink_core = TbSinkCore(std::array{15, 50, 90, 100}[bench.uniform(0, 3)], seed);
      edge();
      edge(); // every shell has seen reset
      const Params p = random_params(bench, c);
      load(host, bench, c, p);
      edge();
      sc_core::wait(1, sc_core::SC_NS);
      bench.rst_n.write(true);

      const double start_p = std::array{0.3, 0.8, 1.0}[bench.uniform(0, 2)];
      const double gap_p = std::array{0.0, 0.2, 0.5}[bench.uniform(0, 2)];
      std::uint32_t seq = 0;
      int credits = c.capacity;
      bool in_batch = false;
      int beats = 0, k = 0, ua = 0, positions = 0, frame_pos = 0, base = 0;
      int last_beat_t = -c.drain(); // stimulus edge of the previous batch's last beat
      SumBeat idle;
      idle.sum.assign(std::size_t(Q) * S, 0);
      int phase_left = 0;
      for (int t = 0; t < c.cycles || in_batch || credits < c.capacity; ++t) {
        edge();
        // Back-pressure in phases: long stalls, always-ready runs, random ready; the first phase
        // keeps the seed's own chance.
        if (--phase_left <= 0) {
          const int kind = t == 0 ? 3 : bench.uniform(0, 3);
          phase_left = bench.uniform(10, 150);
          if (kind == 0)
            sink_core.set_ready_pct(0);
          else if (kind == 1)
            sink_core.set_ready_pct(100);
          else if (kind == 2)
            sink_core.set_ready_pct(bench.uniform(10, 90));
        }
        if (t >= c.cycles)
          sink_core.set_ready_pct(50); // drain
        credits += credit_m.read();    // the credit pulse of the last edge
        SumBeat beat = idle;
        if (!in_batch && t < c.cycles && bench.chance(start_p)) {
          if (frame_pos == positions) { // a new frame
            positions = bench.uniform(1, 4 * Q);
            frame_pos = 0;
            base = bench.chance(0.1) ? bench.uniform(0, 65536 - positions) : 0;
          }
          ua = std::min(Q, positions - frame_pos);
          credit_waits += credits < ua;
          if (credits >= ua) {
            credits -= ua;
            in_batch = true;
            beats = bench.uniform(1, c.max_beats);
            k = 0;
            ++batches;
          }
        }
        if (in_batch && (k == 0 || !bench.chance(gap_p)) &&
            (k < beats - 1 || t >= last_beat_t + c.drain())) {
          beat.tag = {true, k == 0, k == beats - 1, frame_pos + ua == positions, base + frame_pos,
                      ua,   ++seq};
          random_sums(bench, c, p, beat.sum);
          if (++k == beats) {
            in_batch = false;
            frame_pos += ua;
            last_beat_t = t;
          }
        }
        in.write(beat);
        if (t > c.cycles + 5000) { // the sink would have drained everything long ago
          ++stuck;
          break;
        }
      }
      in.write(idle);
      edge();
      edge();
      transfers += long(sink_core.got().size());
      for (const auto &tr : sink_core.got())
        for (auto v : tr.item.values) {
          mid_values += v > 0 && v < 255;
          negative_values += v < 0;
        }
      EXPECT_EQ(sink_core.violations(), 0);
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  EXPECT_EQ(stuck, 0);
  EXPECT_GT(checker.changes(), 40L * seeds());
  EXPECT_GT(transfers, 20L * seeds());
  EXPECT_GT(batches, 10L * seeds());
  EXPECT_GT(credit_waits, 0); // the queue filled up
  if (c.last_layer)
    EXPECT_GT(negative_values, 0);
  else
    EXPECT_GT(mid_values, 0);
  std::printf("%s: %d seeds, %ld cycles compared (%ld changes), %ld batches, %ld items "
              "transferred, %ld batch starts waited for credits, %ld values in 1..254, %ld "
              "negative\n",
              name.c_str(), seeds(), checker.compared(), checker.changes(), batches, transfers,
              credit_waits, mid_values, negative_values);
}

// Q=1, G=2, N=2: four slots, three channels, one slot empty; a two-item queue; one output lane
// (three output-stage edges per batch).
TEST(AccumulatorsCosim, Tiny) {
  run<Vaccumulators_tiny>({1, 2, 2, 3, 2, 1, false, 4, 2000}, "acc_tiny");
}
// conv2 of the GSC network: 64 kernels in G=4 groups of N=20 (16 empty slots), Q=1, 8 output
// lanes.
TEST(AccumulatorsCosim, Conv2) {
  run<Vaccumulators_conv2>({1, 4, 20, 64, 4, 8, false, 10, 3000}, "acc_conv2");
}
// Three position units: up to three items pushed at one edge into a six-item queue; two output
// lanes for five channels (the last chunk has one).
TEST(AccumulatorsCosim, MultiUnit) {
  run<Vaccumulators_multi>({3, 2, 3, 5, 6, 2, false, 4, 2000}, "acc_multi");
}
// The output layer: 12 classes in one group of N=20, raw int32 values, two units, five output
// lanes (chunks of 5, 5, 2).
TEST(AccumulatorsCosim, LastLayer) {
  run<Vaccumulators_last>({2, 1, 20, 12, 3, 5, true, 4, 2000}, "acc_last");
}

// Memory form: two units, three groups of five (slot 14 of 15 empty), two output lanes.
TEST(AccumulatorsCosim, MemoryTiny) {
  run<Vaccumulators_mem_tiny>({2, 3, 5, 14, 4, 2, false, 4, 2000, true}, "acc_mem_tiny");
}
// Memory form, the last layer: 12 classes in two groups of eight, raw int32, three output lanes.
TEST(AccumulatorsCosim, MemoryLastLayer) {
  run<Vaccumulators_mem_last>({1, 2, 8, 12, 2, 3, true, 4, 2000, true}, "acc_mem_last");
}
// Memory form at GSC linear1's size: 75 groups of 20, 1500 channels, one output lane (1500
// output-stage edges per batch).
TEST(AccumulatorsCosim, MemoryGscLinear1) {
  run<Vaccumulators_mem_gsc>({1, 75, 20, 1500, 2, 1, false, 300, 40000, true}, "acc_mem_gsc");
}

} // namespace
} // namespace cssim::cosim
