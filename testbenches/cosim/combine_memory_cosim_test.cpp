// Co-simulation: model CombineMemory and rtl/combine_memory.sv, loaded with the same random
// contents through their TLM-2.0 host sockets, then read by the same random ActBeats.
#include "combine_memory_rtl.h"
#include "cosim.h"
#include "systemc_once.h"

#include "Vcombine_memory_conv2.h"
#include "Vcombine_memory_dense.h"
#include "Vcombine_memory_tiny.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace cssim::cosim {
namespace {

/// The host: one initiator socket to each side; every access goes to both, and the two responses
/// (status, and the data of a read) must agree.
struct MemoryHost : Host {
  using Host::Host;

  /// The same transaction on both sides; returns whether both said OK. Records a disagreement.
  bool both(bool write, std::uint64_t addr, std::vector<std::uint32_t> words) {
    const WordsResult m = transport_words(model_s, write, addr, words);
    const WordsResult r = transport_words(rtl_s, write, addr, words);
    ++accesses;
    EXPECT_EQ(m.status, r.status) << (write ? "write" : "read") << " at 0x" << std::hex << addr;
    if (!write && m.status == tlm::TLM_OK_RESPONSE) {
      EXPECT_EQ(m.words, r.words) << "read at 0x" << std::hex << addr;
    }
    return m.status == tlm::TLM_OK_RESPONSE && r.status == tlm::TLM_OK_RESPONSE;
  }
  std::vector<std::uint32_t> read(std::uint64_t addr, std::size_t n) {
    return transport_words(model_s, false, addr, std::vector<std::uint32_t>(n)).words;
  }
  long accesses = 0;
};

struct Shape {
  FlatShape flat; // lanes, units, groups, per_group, index_width
  int fan_in, latency;
};

/// Loads random entries (weight, kid < N) into both sides, in reset: a random order of rows, each
/// row's G words as one transaction or one word at a time. Then illegal writes, which both must
/// reject and which must change nothing, and a read-back of both.
void load(MemoryHost &host, Bench &b, const Shape &s) {
  const int G = s.flat.groups, N = s.flat.per_group, F = s.fan_in;
  const auto entry = [&] {
    const std::uint32_t w = std::uint8_t(b.chance(0.2) ? 0 : b.uniform(-128, 127));
    return w | std::uint32_t(b.uniform(0, N - 1)) << 16;
  };
  std::vector<int> rows(F);
  std::iota(rows.begin(), rows.end(), 0);
  std::shuffle(rows.begin(), rows.end(), b.rng);
  for (int f : rows) {
    std::vector<std::uint32_t> row(G);
    for (auto &w : row)
      w = entry();
    if (b.chance(0.5)) {
      EXPECT_TRUE(host.both(true, 4ull * f * G, row));
    } else {
      for (int g = 0; g < G; ++g)
        EXPECT_TRUE(host.both(true, 4ull * (f * G + g), {row[g]}));
    }
  }
  const std::uint64_t end = 4ull * F * G; // first byte past the entry region
  for (int i = 0; i < 8; ++i) {
    const int f = b.uniform(0, F - 1), g = b.uniform(0, G - 1);
    const std::uint64_t a = 4ull * (f * G + g);
    // a burst that runs past the end: the words before the end are written, then an error
    EXPECT_FALSE(host.both(true, end - 4, {entry(), entry()}));
    const std::vector<std::uint32_t> before = host.read(a, 1);
    EXPECT_FALSE(host.both(true, a, {std::uint32_t(N) << 16}));             // kid N: no slot
    EXPECT_FALSE(host.both(true, a, {0xffffu << 16 | 0x7fu}));              // kid 65535
    EXPECT_FALSE(host.both(true, a, {entry() | 1u << b.uniform(8, 15)}));   // a reserved bit
    EXPECT_FALSE(host.both(true, a + b.uniform(1, 3), {entry()}));          // unaligned
    EXPECT_FALSE(host.both(true, end + 4ull * b.uniform(0, 3), {entry()})); // past the region
    EXPECT_FALSE(host.both(true, param_map::kLayerStride + a, {entry()}));  // another layer
    EXPECT_FALSE(host.both(false, end, {0}));
    EXPECT_FALSE(host.both(false, a + 2, {0}));
    EXPECT_TRUE(host.both(false, a, {0}));
    EXPECT_EQ(host.read(a, 1), before) << "an illegal write changed the entry";
  }
  // read-back: every row for small memories, a random sample of rows otherwise
  for (int i = 0; i < std::min(F, 64); ++i) {
    const int f = F <= 64 ? i : b.uniform(0, F - 1);
    if (b.chance(0.5)) {
      EXPECT_TRUE(host.both(false, 4ull * f * G, std::vector<std::uint32_t>(G)));
    } else {
      for (int g = 0; g < G; ++g)
        EXPECT_TRUE(host.both(false, 4ull * (f * G + g), {0}));
    }
  }
}

/// A random ActBeat: valid with probability `density`; each lane valid with probability 0.7,
/// reading a random row (the first and the last one more often); invalid lanes and invalid beats
/// carry zeros (model/stream.h).
ActBeat random_act_beat(Bench &b, const Shape &s, double density, std::uint32_t &seq) {
  ActBeat a;
  const int L = s.flat.lanes;
  a.lane_valid.assign(L, 0);
  a.index.assign(L, 0);
  a.value.assign(L, 0);
  if (!b.chance(density))
    return a;
  a.valid = true;
  a.seq = ++seq;
  a.first = b.chance(0.3);
  a.last = b.chance(0.3);
  a.frame_last = b.chance(0.1);
  a.pos = b.uniform(0, 65535);
  a.units_active = b.uniform(0, s.flat.units);
  for (int l = 0; l < L; ++l) {
    if (!b.chance(0.7))
      continue;
    a.lane_valid[l] = 1;
    const int r = b.uniform(0, 9);
    a.index[l] = r == 0 ? 0 : r == 1 ? s.fan_in - 1 : b.uniform(0, s.fan_in - 1);
    a.value[l] = act_t(b.chance(0.2) ? 0 : b.uniform(0, 255));
  }
  return a;
}

template <class V> void run(const Shape &s, const std::string &name) {
  REQUIRE_FRESH_SYSTEMC();
  const FlatShape &fs = s.flat;
  Bench bench;
  sc_core::sc_signal<ActBeat> in{"in"};
  sc_core::sc_signal<MemBeat> out_model{"out_model"}, out_rtl{"out_rtl"};
  CombineMemoryCore core(s.fan_in, fs.groups, fs.per_group, fs.groups * fs.per_group, fs.lanes,
                         s.latency);
  CombineMemory model("model", core);
  CombineMemoryRtl<V> rtl("combine_memory", fs);
  MemoryHost host("host");
  host.model_s.bind(model.params_t);
  host.rtl_s.bind(rtl.params_t);
  Checker checker("checker", name + "_mismatch.vcd");
  model.clk_i(bench.clk);
  model.rst_ni(bench.rst_n);
  model.beat_i(in);
  model.beat_o(out_model);
  rtl.clk_i(bench.clk);
  rtl.rst_ni(bench.rst_n);
  rtl.beat_i(in);
  rtl.beat_o(out_rtl);
  checker.clk_i(bench.clk);
  checker.rst_ni(bench.rst_n);
  checker.watch([&] { return flatten("beat", out_model.read(), fs); },
                [&] { return flatten("beat", out_rtl.read(), fs); });
  long valid_out = 0, lanes_out = 0; // valid output beats, and valid lanes with a non-zero entry
  std::uint64_t reads = 0;           // rows read by the model
  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds() && !checker.mismatch(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      bench.rst_n.write(false);
      sc_core::wait(bench.clk.posedge_event());
      load(host, bench, s);
      bench.reset(bench.uniform(1, 3));
      std::uint32_t seq = 0;
      for (int c = 0; c < 400; ++c) {
        // segments of back-to-back beats, of sparse beats and of idle gaps
        const double density = c % 100 < 50 ? 0.9 : c % 100 < 80 ? 0.4 : 0.05;
        in.write(random_act_beat(bench, s, density, seq));
        sc_core::wait(bench.clk.posedge_event());
        const MemBeat &o = out_model.read();
        valid_out += o.tag.valid;
        for (std::size_t e = 0; e < o.weight.size(); ++e)
          lanes_out += o.weight[e] != 0 || o.kid[e] != 0;
      }
      in.write(random_act_beat(bench, s, 0.0, seq)); // drain: idle until the pipeline is empty
      for (int c = 0; c < s.latency + 2; ++c)
        sc_core::wait(bench.clk.posedge_event());
      reads += core.reads();
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  EXPECT_GT(host.accesses, long(seeds()) * s.fan_in);
  EXPECT_GT(checker.changes(), 150 * seeds());
  EXPECT_GT(valid_out, 150 * seeds());
  EXPECT_GT(reads, std::uint64_t(150) * seeds());
  EXPECT_GT(lanes_out, 150 * seeds());
}

// FlatShape: lanes (P x Q), units (Q), groups, per_group (N), index_width (bits of F).
TEST(CombineMemoryCosim, Tiny) {
  run<Vcombine_memory_tiny>({{2, 1, 2, 2, 3, 1, 8}, 8, 1}, "combine_memory_tiny");
}
TEST(CombineMemoryCosim, Conv2) {
  run<Vcombine_memory_conv2>({{10, 1, 4, 20, 11, 1, 8}, 1600, 2}, "combine_memory_conv2");
}
TEST(CombineMemoryCosim, Dense) {
  run<Vcombine_memory_dense>({{4, 2, 8, 1, 6, 1, 8}, 64, 1}, "combine_memory_dense");
}

} // namespace
} // namespace cssim::cosim
