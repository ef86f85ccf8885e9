// Co-simulation: model MaxPoolCore and rtl/max_pool.sv on the same random frames, under random
// gaps and random back-pressure (long stalls, always-ready runs).
#include "max_pool_rtl.h"

#include "Vmax_pool_gsc.h"
#include "Vmax_pool_odd.h"
#include "Vmax_pool_pool3.h"
#include "Vmax_pool_tiny.h"

#include <algorithm>

namespace cssim::cosim {
namespace {

/// 2 to max(4, 400 / positions) frames of an h x w x c map in raster order. Values are uint8 (the
/// numeric contract): uniform, or from a narrow range so that equal values meet in a window, or
/// mostly zero (ReLU).
std::vector<Item> random_frames(Bench &b, const Shape &in) {
  std::vector<Item> items;
  const int positions = in.h * in.w, frames = b.uniform(2, std::max(4, 400 / positions));
  for (int f = 0; f < frames; ++f) {
    const int kind = b.uniform(0, 2);
    for (int p = 0; p < positions; ++p) {
      Item it;
      it.pos = p;
      it.last = p == positions - 1;
      it.values.resize(std::size_t(in.c));
      for (auto &v : it.values)
        v = kind == 0   ? b.uniform(0, 255)
            : kind == 1 ? b.uniform(0, 3)
                        : (b.chance(0.8) ? 0 : b.uniform(1, 255));
      items.push_back(std::move(it));
    }
  }
  return items;
}

/// The pooled items, computed directly from the frames (not by MaxPoolCore).
std::vector<Item> pooled(const std::vector<Item> &items, const Shape &in, int pool) {
  std::vector<Item> out;
  const int positions = in.h * in.w, oh = in.h / pool, ow = in.w / pool;
  for (std::size_t base = 0; base + positions <= items.size(); base += std::size_t(positions))
    for (int py = 0; py < oh; ++py)
      for (int px = 0; px < ow; ++px) {
        Item o;
        o.pos = py * ow + px;
        o.last = py == oh - 1 && px == ow - 1;
        o.values.assign(std::size_t(in.c), 0);
        for (int dy = 0; dy < pool; ++dy)
          for (int dx = 0; dx < pool; ++dx) {
            const Item &it = items[base + std::size_t((py * pool + dy) * in.w + px * pool + dx)];
            for (int c = 0; c < in.c; ++c)
              o.values[std::size_t(c)] =
                  std::max(o.values[std::size_t(c)], it.values[std::size_t(c)]);
          }
        out.push_back(std::move(o));
      }
  return out;
}

template <class V>
void run(const Shape &in, int pool, const std::string &name, long min_changes_per_seed) {
  REQUIRE_FRESH_SYSTEMC();
  MaxPoolCore core(in, pool);
  const StageRun r = run_item_stage<V>(
      core, item_shape(in.c), "max_pool", "max_pool_" + name,
      [&in](Bench &b) { return random_frames(b, in); },
      [&in, pool](const std::vector<Item> &items) { return pooled(items, in, pool); });
  CSSIM_EXPECT_STAGE_RUN(r, min_changes_per_seed);
}

TEST(MaxPoolCosim, Tiny) {
  run<Vmax_pool_tiny>({4, 4, 2}, 2, "tiny", 30);
}
TEST(MaxPoolCosim, OddRemainder) {
  run<Vmax_pool_odd>({5, 7, 3}, 2, "odd", 20);
}
TEST(MaxPoolCosim, Pool3) {
  run<Vmax_pool_pool3>({7, 8, 2}, 3, "pool3", 10);
}
TEST(MaxPoolCosim, GscConv1) {
  run<Vmax_pool_gsc>({28, 28, 64}, 2, "gsc", 300);
}

} // namespace
} // namespace cssim::cosim
