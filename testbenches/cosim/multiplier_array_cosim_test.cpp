// Co-simulation: model MultiplierArray and rtl/multiplier_array.sv on the same random beats.
#include "cosim.h"
#include "multiplier_array_rtl.h"
#include "systemc_once.h"

#include "Vmultiplier_array_tiny.h"
#include "Vmultiplier_array_wide.h"

#include <gtest/gtest.h>

namespace cssim::cosim {
namespace {

/// Random MemBeats: valid with probability 0.7, random values, weights and kernel ids; an invalid
/// beat is all zeros (model/stream.h).
MemBeat random_mem_beat(Bench &b, const FlatShape &s, std::uint32_t &seq) {
  MemBeat m;
  const std::size_t entries = std::size_t(s.lanes) * s.groups;
  m.value.assign(s.lanes, 0);
  m.weight.assign(entries, 0);
  m.kid.assign(entries, 0);
  if (!b.chance(0.7))
    return m;
  m.tag = {true,          b.chance(0.3),       b.chance(0.3),
           b.chance(0.1), b.uniform(0, 65535), b.uniform(0, s.units),
           ++seq};
  for (auto &v : m.value)
    v = act_t(b.chance(0.2) ? 0 : b.uniform(0, 255));
  for (auto &w : m.weight)
    w = weight_t(b.chance(0.2) ? 0 : b.uniform(-128, 127));
  for (auto &k : m.kid)
    k = std::uint16_t(b.uniform(0, s.per_group - 1));
  return m;
}

template <class V> void run(const FlatShape &s, int latency, const std::string &name) {
  REQUIRE_FRESH_SYSTEMC();
  Bench bench;
  sc_core::sc_signal<MemBeat> in{"in"};
  sc_core::sc_signal<ProductBeat> out_model{"out_model"}, out_rtl{"out_rtl"};
  MultiplierArrayCore core(s.lanes, s.groups, latency);
  MultiplierArray model("model", core);
  MultiplierArrayRtl<V> rtl("multiplier_array", s);
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
  checker.watch([&] { return flatten("beat", out_model.read(), s); },
                [&] { return flatten("beat", out_rtl.read(), s); });
  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      bench.reset();
      std::uint32_t seq = 0;
      for (int c = 0; c < 400; ++c) {
        in.write(random_mem_beat(bench, s, seq));
        sc_core::wait(bench.clk.posedge_event());
      }
      // drain: idle beats until the pipeline is empty
      MemBeat idle = random_mem_beat(bench, s, seq);
      idle.tag = {};
      std::fill(idle.value.begin(), idle.value.end(), 0);
      std::fill(idle.weight.begin(), idle.weight.end(), 0);
      std::fill(idle.kid.begin(), idle.kid.end(), 0);
      in.write(idle);
      for (int c = 0; c < latency + 2; ++c)
        sc_core::wait(bench.clk.posedge_event());
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  EXPECT_GT(checker.changes(), 100);
}

TEST(MultiplierArrayCosim, Tiny) {
  run<Vmultiplier_array_tiny>({2, 1, 2, 2, 1, 1, 8}, 1, "tiny");
}
TEST(MultiplierArrayCosim, Wide) {
  run<Vmultiplier_array_wide>({20, 2, 4, 20, 1, 1, 8}, 3, "wide");
}

} // namespace
} // namespace cssim::cosim
