// Co-simulation: model RouterCrossbar and rtl/router_crossbar.sv on the same random beats.
#include "cosim.h"
#include "router_crossbar_rtl.h"
#include "systemc_once.h"

#include "Vrouter_crossbar_conv2.h"
#include "Vrouter_crossbar_dense.h"
#include "Vrouter_crossbar_multi.h"
#include "Vrouter_crossbar_pairs.h"
#include "Vrouter_crossbar_tiny.h"

#include <gtest/gtest.h>

namespace cssim::cosim {
namespace {

/// One product: mostly random over the 16-bit signed range, sometimes an extreme (so that a slot
/// sum reaches the ends of its range) or zero.
std::int32_t random_product(Bench &b) {
  const int r = b.uniform(0, 9);
  if (r == 0)
    return 0;
  if (r == 1)
    return b.chance(0.5) ? -32768 : 32767;
  return b.uniform(-32768, 32767);
}

/// Random ProductBeats: valid with probability `density`; kernel ids below N, drawn from a few
/// of them now and then so that many products meet in one slot; an invalid beat is all zeros
/// (model/stream.h).
ProductBeat random_product_beat(Bench &b, const FlatShape &s, double density, std::uint32_t &seq) {
  ProductBeat m;
  const std::size_t entries = std::size_t(s.lanes) * s.groups;
  m.product.assign(entries, 0);
  m.kid.assign(entries, 0);
  if (!b.chance(density))
    return m;
  m.tag = {true,          b.chance(0.3),       b.chance(0.3),
           b.chance(0.1), b.uniform(0, 65535), b.uniform(0, s.units),
           ++seq};
  const int kid_span = b.chance(0.3) ? std::min(2, s.per_group) : s.per_group;
  const bool extreme = b.chance(0.1); // every product at one end of the range
  const std::int32_t end = b.chance(0.5) ? -32768 : 32767;
  for (std::size_t e = 0; e < entries; ++e) {
    m.product[e] = extreme ? end : random_product(b);
    m.kid[e] = std::uint16_t(b.uniform(0, kid_span - 1));
  }
  return m;
}

template <class V>
void run(const FlatShape &s, int latency, const std::string &name, bool pairs = false) {
  REQUIRE_FRESH_SYSTEMC();
  Bench bench;
  sc_core::sc_signal<ProductBeat> in{"in"};
  sc_core::sc_signal<SumBeat> out_model{"out_model"}, out_rtl{"out_rtl"};
  RouterCrossbarCore core(s.units, s.lanes / s.units, s.groups, s.per_group, latency);
  RouterCrossbar model("model", core);
  RouterCrossbarRtl<V> rtl("router_crossbar", s, pairs);
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
  long valid_out = 0, nonzero_out = 0; // output beats the model produced (valid; with a sum != 0)
  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      bench.reset(bench.uniform(1, 3));
      std::uint32_t seq = 0;
      for (int c = 0; c < 400; ++c) {
        // segments of back-to-back beats, of sparse beats and of idle gaps
        const double density = c % 100 < 50 ? 0.9 : c % 100 < 80 ? 0.4 : 0.05;
        in.write(random_product_beat(bench, s, density, seq));
        sc_core::wait(bench.clk.posedge_event());
        const SumBeat &o = out_model.read();
        valid_out += o.tag.valid;
        nonzero_out +=
            o.tag.valid && std::any_of(o.sum.begin(), o.sum.end(), [](auto v) { return v != 0; });
      }
      in.write(random_product_beat(bench, s, 0.0, seq)); // drain: idle until the pipeline is empty
      for (int c = 0; c < latency + 2; ++c)
        sc_core::wait(bench.clk.posedge_event());
      if (checker.mismatch())
        break;
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  EXPECT_GT(checker.changes(), 150 * seeds());
  EXPECT_GT(valid_out, 150 * seeds());
  EXPECT_GT(nonzero_out, 100 * seeds());
}

// FlatShape: lanes (Q x P), units (Q), groups, per_group (N), index_width, channels, value_width.
TEST(RouterCrossbarCosim, Tiny) {
  run<Vrouter_crossbar_tiny>({2, 1, 2, 2, 1, 1, 8}, 1, "router_crossbar_tiny");
}
TEST(RouterCrossbarCosim, Conv2) {
  run<Vrouter_crossbar_conv2>({10, 1, 4, 20, 1, 1, 8}, 1, "router_crossbar_conv2");
}
TEST(RouterCrossbarCosim, MultiUnit) {
  run<Vrouter_crossbar_multi>({6, 3, 3, 4, 1, 1, 8}, 2, "router_crossbar_multi");
}
TEST(RouterCrossbarCosim, Dense) {
  run<Vrouter_crossbar_dense>({8, 2, 8, 1, 1, 1, 8}, 1, "router_crossbar_dense");
}
// The pairs form: one lane per unit (two units), three groups of five slots, two registers.
TEST(RouterCrossbarCosim, Pairs) {
  run<Vrouter_crossbar_pairs>({2, 2, 3, 5, 1, 1, 8}, 2, "router_crossbar_pairs", true);
}

} // namespace
} // namespace cssim::cosim
