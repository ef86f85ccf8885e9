// Co-simulation: model FifoCore and rtl/fifo.sv on the same random items, under random gaps and
// random back-pressure (long stalls, always-ready runs). Frames are dense or sparse (k-WTA output:
// a winner mask with the losers' values zero), so every field of the item crosses the FIFO.
#include "fifo_rtl.h"

#include "Vfifo_d2.h"
#include "Vfifo_d3.h"
#include "Vfifo_d4.h"
#include "Vfifo_gsc.h"
#include "Vfifo_tiny.h"

#include <algorithm>
#include <numeric>

namespace cssim::cosim {
namespace {

/// 2 to 5 frames of 1 to `max_positions` positions each, dense or sparse.
std::vector<Item> random_frames(Bench &b, int channels, int max_positions) {
  std::vector<Item> items;
  const int frames = b.uniform(2, 5);
  std::vector<std::uint16_t> order(std::size_t(channels), 0);
  for (int f = 0; f < frames; ++f) {
    const int positions = b.uniform(1, max_positions);
    const bool sparse = b.chance(0.5);
    const int k = b.uniform(1, channels);
    // Half the frames start at a random position, so that every bit of pos toggles.
    const int base = b.chance(0.5) ? 0 : b.uniform(0, 65535 - positions);
    for (int p = 0; p < positions; ++p) {
      Item it;
      it.pos = base + p;
      it.last = p == positions - 1;
      it.sparse = sparse;
      it.values.assign(std::size_t(channels), 0);
      if (sparse) {
        std::iota(order.begin(), order.end(), std::uint16_t(0));
        std::shuffle(order.begin(), order.end(), b.rng);
        it.winners.assign(order.begin(), order.begin() + k);
        std::sort(it.winners.begin(), it.winners.end());
        for (auto c : it.winners)
          it.values[c] = b.uniform(0, 255); // a winner may be 0 (exactly k winners always)
      } else {
        for (auto &v : it.values)
          v = b.uniform(0, 255);
      }
      items.push_back(std::move(it));
    }
  }
  return items;
}

template <class V>
void run(int depth, int channels, const std::string &name, long min_changes_per_seed) {
  REQUIRE_FRESH_SYSTEMC();
  FifoCore core(depth);
  const StageRun r = run_item_stage<V>(
      core, item_shape(channels), "fifo", "fifo_" + name,
      [channels](Bench &b) { return random_frames(b, channels, 150); },
      [](const std::vector<Item> &items) { return items; });
  CSSIM_EXPECT_STAGE_RUN(r, min_changes_per_seed);
}

TEST(FifoCosim, Depth1) {
  run<Vfifo_tiny>(1, 2, "tiny", 50);
}
TEST(FifoCosim, Depth2) {
  run<Vfifo_d2>(2, 3, "d2", 50);
}
TEST(FifoCosim, Depth3) {
  run<Vfifo_d3>(3, 5, "d3", 50);
}
TEST(FifoCosim, Depth4) {
  run<Vfifo_d4>(4, 4, "d4", 50);
}
TEST(FifoCosim, GscDepth4) {
  run<Vfifo_gsc>(4, 64, "gsc", 50);
}

} // namespace
} // namespace cssim::cosim
