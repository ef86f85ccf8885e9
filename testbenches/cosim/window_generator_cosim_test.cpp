// Co-simulation: model WindowGenerator and rtl/window_generator.sv on the same random frames and
// the same returned credits. Every seed streams several frames back to back (both slots, ping-pong,
// a frame waiting for a slot), with random gaps between items, and returns every spent credit
// after a random delay, at most one per edge, so that batches also wait for credits.
#include "cosim.h"
#include "stream_tb.h"
#include "systemc_once.h"
#include "window_generator_rtl.h"

#include "Vwindow_generator_gsc.h"
#include "Vwindow_generator_linear.h"
#include "Vwindow_generator_out.h"
#include "Vwindow_generator_stride.h"
#include "Vwindow_generator_tiny.h"
#include "Vwindow_generator_tiny_linear.h"
#include "Vwindow_generator_tiny_units.h"
#include "Vwindow_generator_wide.h"

#include <algorithm>
#include <deque>
#include <gtest/gtest.h>

namespace cssim::cosim {
namespace {

/// One frame of items in raster order. With sparse items (always with stream_winners, at random
/// otherwise) a position has no winners, every channel winning, or a random subset; losers are 0.
/// Some frames are very sparse, so that whole receptive fields come out empty. Winner values are
/// random, 0 included.
std::vector<Item> random_frame(Bench &b, const WindowGeometry &g) {
  std::vector<Item> items;
  const int positions = g.in.h * g.in.w, C = g.in.c;
  const bool sparse_frame = g.stream_winners || b.chance(0.5);
  const int none = b.chance(0.2) ? 9 : b.chance(0.3) ? 6 : 1; // out of 10: positions, no winners
  for (int p = 0; p < positions; ++p) {
    Item it;
    it.pos = p;
    it.last = p == positions - 1;
    it.values.assign(C, 0);
    it.sparse = sparse_frame && (g.stream_winners || b.chance(0.7));
    const int shape = b.uniform(0, 10); // < none: no winners, == none: all, else a subset
    for (int c = 0; c < C; ++c) {
      const bool wins = !it.sparse || shape == none || (shape > none && b.chance(0.3));
      if (!wins)
        continue;
      if (it.sparse)
        it.winners.push_back(std::uint16_t(c));
      it.values[c] = b.chance(0.15) ? 0 : b.uniform(1, 255);
    }
    items.push_back(std::move(it));
  }
  return items;
}

Fields ready_fields(bool ready) {
  Bits b(1);
  b.put(0, 1, ready);
  return {{"ready", b}};
}

template <class V>
void run(const WindowGeometry &g, int credits, const std::string &name, int frames_per_seed,
         bool expect_empty_batches, bool expect_credit_waits = true) {
  REQUIRE_FRESH_SYSTEMC();
  const FlatShape s{g.lanes * g.units, g.units, 1, 1, bits_for(g.fan_in()), g.in.c, 8};
  Bench bench;
  sc_core::sc_signal<bool> valid{"valid"}, ready_model{"ready_model"}, ready_rtl{"ready_rtl"};
  sc_core::sc_signal<Item> data{"data"};
  sc_core::sc_signal<int> credit{"credit"};
  sc_core::sc_signal<ActBeat> beat_model{"beat_model"}, beat_rtl{"beat_rtl"};

  TbSourceCore src_core({}, 100, 1);
  TbSource source("source", src_core);
  WindowGeneratorCore core(g, credits);
  WindowGenerator model("model", core);
  WindowGeneratorRtl<V> rtl("window_generator", s);
  Checker checker("checker", name + "_mismatch.vcd");

  source.clk_i(bench.clk);
  source.rst_ni(bench.rst_n);
  source.valid_o(valid);
  source.data_o(data);
  source.ready_i(ready_model); // the checker holds the RTL's ready to the model's
  model.clk_i(bench.clk);
  model.rst_ni(bench.rst_n);
  model.valid_i(valid);
  model.data_i(data);
  model.ready_o(ready_model);
  model.credit_i(credit);
  model.beat_o(beat_model);
  rtl.clk_i(bench.clk);
  rtl.rst_ni(bench.rst_n);
  rtl.valid_i(valid);
  rtl.data_i(data);
  rtl.ready_o(ready_rtl);
  rtl.credit_i(credit);
  rtl.beat_o(beat_rtl);
  checker.clk_i(bench.clk);
  checker.rst_ni(bench.rst_n);
  checker.watch([&] { return ready_fields(ready_model.read()); },
                [&] { return ready_fields(ready_rtl.read()); });
  checker.watch([&] { return flatten("beat", beat_model.read(), s); },
                [&] { return flatten("beat", beat_rtl.read(), s); });

  long beats = 0, frames = 0, credit_waits = 0, ready_low = 0, empty_batches = 0, drain_waits = 0;
  int complete = 0, aborted = 0, undrained = 0, short_seeds = 0;
  sc_core::sc_spawn([&] {
    for (int i = 0; i < seeds() && !checker.mismatch(); ++i) {
      const std::uint32_t seed = seed_base() + std::uint32_t(i);
      bench.rng.seed(seed);
      checker.set_seed(seed);
      bench.reset();
      std::vector<Item> items;
      for (int f = 0; f < frames_per_seed; ++f) {
        const auto frame = random_frame(bench, g);
        items.insert(items.end(), frame.begin(), frame.end());
      }
      src_core = TbSourceCore(items, bench.uniform(30, 100), seed);
      // Some seeds end in an asynchronous reset in mid-stream (slots half written, batches and
      // credits outstanding), at an edge where the output beat is idle.
      const long abort_at = i > 0 && bench.chance(0.25) ? bench.uniform(10, 600) : -1;
      // Credit returner: every position of a batch gives its credit back `delay` edges after the
      // batch's last beat, at most one credit per edge.
      const int delay_max = bench.uniform(0, 3) == 0 ? 40 : 8;
      std::deque<long> due;
      long edge = 0, spent = 0, returned = 0, frames_done = 0;
      bool abort = false;
      const long limit = 200000;
      for (; edge < limit; ++edge) {
        sc_core::wait(bench.clk.posedge_event());
        // beat_model and ready_model hold what the edge before this one wrote
        const ActBeat &b = beat_model.read();
        if (b.valid) {
          ++beats;
          if (b.first)
            spent += b.units_active;
          if (b.first && b.last &&
              std::none_of(b.lane_valid.begin(), b.lane_valid.end(), [](auto v) { return v; }))
            ++empty_batches; // every receptive field of the batch was empty
          if (b.last) {
            for (int u = 0; u < b.units_active; ++u)
              due.push_back(
                  std::max(edge + bench.uniform(1, delay_max), due.empty() ? 0 : due.back() + 1));
            frames_done += b.frame_last;
          }
        }
        credit_waits += core.waiting_for_credit();
        drain_waits += core.drain_wait() > 0;
        ready_low += !ready_model.read();
        const bool give = !due.empty() && due.front() <= edge;
        if (give) {
          due.pop_front();
          ++returned;
        }
        credit.write(give ? 1 : 0);
        if (src_core.done() && due.empty() && !b.valid && core.quiescent() && returned == spent)
          break;
        if (abort_at >= 0 && edge >= abort_at) {
          sc_core::wait(1, sc_core::SC_NS); // after this edge's updates
          if ((abort = !core.out().valid))
            break;
        }
      }
      frames += frames_done;
      if (abort) {
        ++aborted;
        credit.write(0); // the credits still due die with the reset
        continue;
      }
      ++complete;
      undrained += edge == limit;
      short_seeds += src_core.accepted().size() != items.size() || frames_done != frames_per_seed;
      for (int c = 0; c < 4; ++c)
        sc_core::wait(bench.clk.posedge_event());
    }
    sc_core::sc_stop();
  });
  sc_core::sc_start();
  ASSERT_FALSE(checker.mismatch()) << checker.mismatch()->text();
  EXPECT_EQ(undrained, 0) << "seeds that did not finish their frames";
  EXPECT_EQ(short_seeds, 0) << "seeds whose items or frames did not all go through";
  EXPECT_GE(complete, 1);
  EXPECT_GT(beats, long(complete) * frames_per_seed * g.positions() / g.units);
  if (expect_credit_waits) {
    EXPECT_GT(credit_waits, 0) << "no batch ever waited for credits";
  }
  if (g.drain > 1) {
    EXPECT_GT(drain_waits, 0) << "the output stage's spacing never held a batch";
  }
  EXPECT_GT(ready_low, 0) << "both slots were never full";
  if (expect_empty_batches) {
    EXPECT_GT(empty_batches, 0) << "no batch with empty receptive fields";
  }
  EXPECT_GT(checker.changes(), long(seeds()) * 20);
  std::cout << name << ": " << complete << " seeds run through, " << aborted
            << " reset in mid-stream; " << checker.compared() << " cycles, " << beats << " beats, "
            << frames << " frames, " << credit_waits << " edges waiting for credits, "
            << drain_waits << " edges of output-stage spacing, " << empty_batches
            << " empty batches\n";
}

WindowGeometry conv(Shape in, int k, int stride, bool winners, int P, int Q, int drain) {
  WindowGeometry g;
  g.drain = drain;
  g.kind = LayerKind::Conv;
  g.in = in;
  g.kh = g.kw = k;
  g.stride = stride;
  g.stream_winners = winners;
  g.lanes = P;
  g.units = Q;
  return g;
}

// Parameters as in rtl/params.cmake.
TEST(WindowGeneratorCosim, TinyConvDense) {
  run<Vwindow_generator_tiny>(conv({4, 4, 3}, 2, 1, false, 2, 1, 1), 2, "wg_tiny", 8, false);
}
TEST(WindowGeneratorCosim, ConvWinnersStride) {
  run<Vwindow_generator_stride>(conv({6, 6, 8}, 3, 2, true, 3, 2, 4), 3, "wg_stride", 8, true);
}
TEST(WindowGeneratorCosim, LinearWinners) {
  WindowGeometry g;
  g.kind = LayerKind::Linear;
  g.in = {2, 2, 6};
  g.stream_winners = true;
  g.lanes = 4;
  g.units = 1;
  g.drain = 3;
  run<Vwindow_generator_linear>(g, 2, "wg_linear", 10, true);
}
TEST(WindowGeneratorCosim, ConvUnitsSpanRows) {
  run<Vwindow_generator_tiny_units>(conv({5, 4, 2}, 2, 1, true, 3, 5, 5), 6, "wg_tiny_units", 8,
                                    true);
}
TEST(WindowGeneratorCosim, LinearDenseIdleUnit) {
  WindowGeometry g;
  g.kind = LayerKind::Linear;
  g.in = {3, 2, 4};
  g.lanes = 2;
  g.units = 2;
  g.drain = 2;
  run<Vwindow_generator_tiny_linear>(g, 2, "wg_tiny_linear", 10, false);
}
TEST(WindowGeneratorCosim, GscConv2Like) {
  run<Vwindow_generator_gsc>(conv({8, 8, 64}, 5, 1, true, 10, 1, 8), 2, "wg_gsc", 3, false);
}
// Linear layers over wide masks, where the k-th winner is searched among hundreds of channels.
WindowGeometry linear_winners(Shape in, int lanes, int drain) {
  WindowGeometry g;
  g.kind = LayerKind::Linear;
  g.in = in;
  g.stream_winners = true;
  g.lanes = lanes;
  g.units = 1;
  g.drain = drain;
  return g;
}
TEST(WindowGeneratorCosim, LinearWideChannels) {
  run<Vwindow_generator_wide>(linear_winners({2, 2, 300}, 3, 2), 2, "wg_wide", 6, true);
}
TEST(WindowGeneratorCosim, GscOutputLike) {
  // One 1500-channel position per frame (its two rows synthesize to flip-flops); a batch of up
  // to 750 beats gives the credits time to come back, so none is ever waited for.
  run<Vwindow_generator_out>(linear_winners({1, 1, 1500}, 2, 12), 2, "wg_out", 6, true, false);
}

} // namespace
} // namespace cssim::cosim
