// Co-simulation: the model's k-WTA (KwtaHistogramCore, KwtaSortnetCore behind a StreamStageShell)
// and rtl/kwta_histogram.sv, rtl/kwta_sortnet.sv on the same random frames, with random gaps on
// the input and random back-pressure on the output. Every output port (ready_o, valid_o, data_o)
// is compared at every cycle; the items the sink took are also checked against the golden model.
#include "cosim.h"
#include "golden/golden.h"
#include "kwta.h"
#include "kwta_histogram_rtl.h"
#include "kwta_sortnet_rtl.h"
#include "stream_tb.h"
#include "systemc_once.h"

#include "Vkwta_histogram_global.h"
#include "Vkwta_histogram_k1.h"
#include "Vkwta_histogram_kc.h"
#include "Vkwta_histogram_local_gsc.h"
#include "Vkwta_histogram_local_tiny.h"
#include "Vkwta_sortnet_c20.h"
#include "Vkwta_sortnet_gsc.h"
#include "Vkwta_sortnet_tiny.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>

namespace cssim::cosim {
namespace {

/// The block under test: the model's form and configuration (must match the parameterization).
struct Config {
  Shape shape;
  KwtaKind kind = KwtaKind::Local;
  int k = 1;
  bool sortnet = false;
  int values_per_cycle = 16, bins_per_cycle = 32; // histogram form
};

std::unique_ptr<KwtaCore> make_core(const Config &c) {
  if (c.sortnet)
    return std::make_unique<KwtaSortnetCore>(c.shape, c.k);
  return std::make_unique<KwtaHistogramCore>(c.shape, c.kind, c.k, c.values_per_cycle,
                                             c.bins_per_cycle);
}

/// One position's C values: all zero (1 in 8), or drawn from a few values so that ties at the
/// threshold are common, with many zeros.
std::vector<act_t> random_position(Bench &b, int channels) {
  std::vector<act_t> x(std::size_t(channels), 0);
  if (b.chance(0.125))
    return x;
  const int pool[] = {0, 0, 0, 1, 4, 4, 90, 90, 255};
  const int spread = b.uniform(0, 2); // 0: ties everywhere; 2: mostly distinct values
  for (auto &v : x) {
    if (spread == 0 || (spread == 1 && b.chance(0.7)))
      v = act_t(pool[b.uniform(0, 8)]);
    else
      v = act_t(b.chance(0.3) ? 0 : b.uniform(0, 255));
  }
  return x;
}

/// Random frames as items (pos in raster order, last on the frame's last position). The input's
/// sparse flag and winners are random: the block must ignore them.
std::vector<Item> random_frames(Bench &b, const Shape &s, int frames, std::vector<act_t> &flat) {
  std::vector<Item> items;
  const int positions = s.h * s.w;
  for (int f = 0; f < frames; ++f)
    for (int p = 0; p < positions; ++p) {
      Item it;
      it.pos = p;
      it.last = p == positions - 1;
      it.sparse = b.chance(0.5);
      const auto x = random_position(b, s.c);
      flat.insert(flat.end(), x.begin(), x.end());
      it.values.assign(x.begin(), x.end());
      for (int c = 0; c < s.c; ++c)
        if (b.chance(0.2))
          it.winners.push_back(std::uint16_t(c));
      items.push_back(std::move(it));
    }
  return items;
}

/// What the sink must receive, by the golden model: the values after k-WTA, frame by frame.
std::vector<act_t> golden_values(const Config &c, const std::vector<act_t> &flat) {
  const std::size_t frame = std::size_t(c.shape.size());
  std::vector<act_t> out;
  for (std::size_t f = 0; f < flat.size(); f += frame) {
    const std::vector<act_t> x(flat.begin() + long(f), flat.begin() + long(f + frame));
    const auto y = c.kind == KwtaKind::Global ? golden::kwta_global(x, c.k)
                                              : golden::kwta_local(x, c.shape, c.k);
    out.insert(out.end(), y.begin(), y.end());
  }
  return out;
}

Fields ports(bool ready, bool valid, const Item &data, const FlatShape &s) {
  Bits r(1), v(1);
  r.put(0, 1, ready);
  v.put(0, 1, valid);
  Fields f{{"ready", r}, {"valid", v}};
  for (auto &x : flatten("data", valid, data, s))
    f.push_back(std::move(x));
  return f;
}

template <class V> void run(const Config &c, const std::string &name) {
  REQUIRE_FRESH_SYSTEMC();
  FlatShape fs;
  fs.channels = c.shape.c;
  fs.value_width = 8;
  Bench bench;
  sc_core::sc_signal<bool> in_valid{"in_valid"}, out_ready{"out_ready"};
  sc_core::sc_signal<Item> in_data{"in_data"};
  sc_core::sc_signal<bool> ready_model{"ready_model"}, valid_model{"valid_model"};
  sc_core::sc_signal<bool> ready_rtl{"ready_rtl"}, valid_rtl{"valid_rtl"};
  sc_core::sc_signal<Item> data_model{"data_model"}, data_rtl{"data_rtl"};

  TbSourceCore src({}, 100, 0);
  TbSinkCore sink(100, 0);
  TbSource source("source", src);
  TbSink sinkm("sink", sink);
  auto core = make_core(c);
  StreamStageShell model("model", *core);
  KwtaRtl<V> rtl("kwta", fs);
  Checker checker("checker", name + "_mismatch.vcd");

  source.clk_i(bench.clk);
  source.rst_ni(bench.rst_n);
  source.valid_o(in_valid);
  source.data_o(in_data);
  source.ready_i(ready_model);
  for (auto *m : {static_cast<ClockedShell *>(&model), static_cast<ClockedShell *>(&sinkm)}) {
    m->clk_i(bench.clk);
    m->rst_ni(bench.rst_n);
  }
  model.valid_i(in_valid);
  model.data_i(in_data);
  model.ready_o(ready_model);
  model.valid_o(valid_model);
  model.data_o(data_model);
  model.ready_i(out_ready);
  rtl.clk_i(bench.clk);
  rtl.rst_ni(bench.rst_n);
  rtl.valid_i(in_valid);
  rtl.data_i(in_data);
  rtl.ready_o(ready_rtl);
  rtl.valid_o(valid_rtl);
  rtl.data_o(data_rtl);
  rtl.ready_i(out_ready);
  sinkm.valid_i(valid_model);
  sinkm.data_i(data_model);
  sinkm.ready_o(out_ready);
  checker.clk_i(bench.clk);
  checker.rst_ni(bench.rst_n);
  checker.watch(
      [&] { return ports(ready_model.read(), valid_model.read(), data_model.read(), fs); },
      [&] { return ports(ready_rtl.read(), valid_rtl.read(), data_rtl.read(), fs); });

  long transfers = 0, expected_transfers = 0, winners = 0;
  std::vector<std::string> errors;
  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds() && !checker.mismatch(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      // Gaps and back-pressure from none to heavy; the first seed runs at full rate.
      const int offer = i == 0 ? 100 : std::array{100, 70, 30}[std::size_t(bench.uniform(0, 2))];
      const int ready = i == 0 ? 100 : std::array{100, 60, 25}[std::size_t(bench.uniform(0, 2))];
      // 2 to 4 frames, of at least 24 positions together for the small frames.
      const int positions = c.shape.h * c.shape.w;
      const int frames = bench.uniform(2, 4) * ((24 + positions - 1) / positions);
      std::vector<act_t> flat;
      auto items = random_frames(bench, c.shape, frames, flat);
      const std::size_t n = items.size();
      src = TbSourceCore(std::move(items), offer, seed * 7 + 1);
      sink = TbSinkCore(ready, seed * 7 + 2);
      bench.reset();
      long cycles = 0;
      const long limit = 2000 + long(n) * 2000;
      while (sink.got().size() < n && cycles < limit && !checker.mismatch()) {
        sc_core::wait(bench.clk.posedge_event());
        ++cycles;
      }
      for (int w = 0; w < 8; ++w) // the outputs settle idle
        sc_core::wait(bench.clk.posedge_event());
      expected_transfers += long(n);
      transfers += long(sink.got().size());
      if (checker.mismatch())
        break;
      const std::string at = "seed " + std::to_string(seed) + ": ";
      if (sink.got().size() != n)
        errors.push_back(at + "got " + std::to_string(sink.got().size()) + " of " +
                         std::to_string(n) + " items");
      if (sink.violations())
        errors.push_back(at + "handshake violations");
      // Exactly k winners per position (local) or per frame (global), values as the golden model.
      const auto want = golden_values(c, flat);
      const std::size_t per_frame = std::size_t(c.shape.h * c.shape.w);
      std::size_t frame_winners = 0;
      for (std::size_t t = 0; t < sink.got().size() && t < n; ++t) {
        const Item &it = sink.got()[t].item;
        const std::size_t base = t * std::size_t(c.shape.c);
        winners += long(it.winners.size());
        frame_winners += it.winners.size();
        const bool count_ends = c.kind == KwtaKind::Local || t % per_frame == per_frame - 1;
        if (!it.sparse || (count_ends && frame_winners != std::size_t(c.k)))
          errors.push_back(at + "item " + std::to_string(t) + ": not sparse with k winners");
        if (count_ends)
          frame_winners = 0;
        for (int ch = 0; ch < c.shape.c; ++ch)
          if (it.values[std::size_t(ch)] != want[base + std::size_t(ch)]) {
            errors.push_back(at + "item " + std::to_string(t) + " differs from the golden model");
            break;
          }
      }
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  std::printf("%s: %d seeds, %ld items, %ld winners, %ld cycles compared, %ld changes\n",
              name.c_str(), seeds(), transfers, winners, checker.compared(), checker.changes());
  for (const auto &e : errors)
    ADD_FAILURE() << e;
  EXPECT_EQ(transfers, expected_transfers);
  EXPECT_GT(transfers, 0);
  EXPECT_GT(winners, 0);
  // Every item moves the outputs (valid, data, ready) at least once.
  EXPECT_GT(checker.changes(), transfers);
}

Config histogram(Shape s, KwtaKind kind, int k, int v, int b) {
  return {s, kind, k, false, v, b};
}
Config sortnet(Shape s, int k) {
  return {s, KwtaKind::Local, k, true, 0, 0};
}

TEST(KwtaHistogramCosim, LocalTiny) {
  run<Vkwta_histogram_local_tiny>(histogram({2, 2, 8}, KwtaKind::Local, 3, 4, 32), "local_tiny");
}
TEST(KwtaHistogramCosim, LocalGsc) {
  run<Vkwta_histogram_local_gsc>(histogram({5, 5, 64}, KwtaKind::Local, 8, 16, 32), "local_gsc");
}
TEST(KwtaHistogramCosim, Global) {
  run<Vkwta_histogram_global>(histogram({2, 3, 8}, KwtaKind::Global, 10, 16, 32), "global");
}
TEST(KwtaHistogramCosim, GlobalK1) {
  run<Vkwta_histogram_k1>(histogram({1, 2, 5}, KwtaKind::Global, 1, 3, 24), "k1");
}
TEST(KwtaHistogramCosim, LocalKEqualsC) {
  run<Vkwta_histogram_kc>(histogram({2, 2, 8}, KwtaKind::Local, 8, 8, 256), "kc");
}
TEST(KwtaSortnetCosim, Tiny) {
  run<Vkwta_sortnet_tiny>(sortnet({2, 2, 8}, 3), "sortnet_tiny");
}
TEST(KwtaSortnetCosim, PartialGroup) {
  run<Vkwta_sortnet_c20>(sortnet({2, 2, 20}, 5), "sortnet_c20");
}
TEST(KwtaSortnetCosim, Gsc) {
  run<Vkwta_sortnet_gsc>(sortnet({5, 5, 64}, 8), "sortnet_gsc");
}

} // namespace
} // namespace cssim::cosim
