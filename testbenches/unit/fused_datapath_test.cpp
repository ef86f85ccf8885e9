// Unit tests of the fast engine's fused datapath (model/fused_datapath.h): against the combine
// memory, multiplier array and router crossbar chained block by block, beat for beat (the tags;
// the sums a batch's last beat carries are the router's added up over the batch), on random
// memories, batches, gaps and latencies, and their counters once all is out; and its N = 1 kernel
// against the portable form.
#include "combine_memory.h"
#include "fused_datapath.h"
#include "multiplier_array.h"
#include "router_crossbar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace cssim {
namespace {

using Rng = std::mt19937;

int rnd(Rng &r, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(r);
}

/// A batch as the window generator streams it: per unit a field of (index, value) pairs, some
/// activations 0, and its beats, the fields' slices of `lanes` pairs (invalid lanes zero).
struct Batch {
  std::vector<std::vector<std::int32_t>> index;
  std::vector<std::vector<act_t>> value;
  std::vector<FieldView> fields;
  std::vector<ActBeat> beats;
};

Batch random_batch(Rng &r, int units, int lanes, int fan_in, std::uint32_t &seq) {
  Batch b;
  const int active = rnd(r, 1, units);
  b.index.resize(units);
  b.value.resize(units);
  int most = 0;
  std::vector<bool> in_order(units, false);
  for (int u = 0; u < active; ++u) {
    // some fields hold every row in order (as the window generator streams every index)
    in_order[u] = rnd(r, 0, 2) == 0;
    const int n = rnd(r, 0, in_order[u] ? std::min(fan_in, 3 * lanes) : 3 * lanes);
    for (int p = 0; p < n; ++p) {
      b.index[u].push_back(in_order[u] ? p : rnd(r, 0, fan_in - 1));
      b.value[u].push_back(act_t(rnd(r, 0, 4) == 0 ? 0 : rnd(r, 1, 255)));
    }
    most = std::max(most, n);
  }
  for (int u = 0; u < units; ++u)
    b.fields.push_back(
        {b.index[u].data(), b.value[u].data(), int(b.index[u].size()), bool(in_order[u])});
  const int beats = std::max(1, (most + lanes - 1) / lanes);
  const int pos = rnd(r, 0, 100);
  const bool frame_last = rnd(r, 0, 3) == 0;
  for (int k = 0; k < beats; ++k) {
    ActBeat a;
    a.valid = true;
    a.seq = ++seq;
    a.first = k == 0;
    a.last = k == beats - 1;
    a.frame_last = a.last && frame_last;
    a.pos = pos;
    a.units_active = active;
    a.lane_valid.assign(std::size_t(units) * lanes, 0);
    a.index.assign(a.lane_valid.size(), 0);
    a.value.assign(a.lane_valid.size(), 0);
    for (int u = 0; u < units; ++u)
      for (int p = 0; p < lanes && k * lanes + p < b.fields[u].size; ++p) {
        const std::size_t l = std::size_t(u) * lanes + p;
        a.lane_valid[l] = 1;
        a.index[l] = b.index[u][k * lanes + p];
        a.value[l] = b.value[u][k * lanes + p];
      }
    b.beats.push_back(a);
  }
  return b;
}

TEST(FusedDatapath, EqualsTheBlocks) {
  Rng rng(501);
  for (int trial = 0; trial < 40; ++trial) {
    const int F = rnd(rng, 1, 40), G = rnd(rng, 1, trial % 4 == 0 ? 40 : 6);
    const int N = trial % 2 == 0 ? 1 : rnd(rng, 2, 8), units = rnd(rng, 1, 3);
    const int P = rnd(rng, 1, 9);
    EngineSpec e;
    e.mem_latency = rnd(rng, 1, 3);
    e.mul_latency = rnd(rng, 1, 3);
    e.router_latency = rnd(rng, 1, 3);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": F " + std::to_string(F) + " G " +
                 std::to_string(G) + " N " + std::to_string(N) + " Q " + std::to_string(units) +
                 " P " + std::to_string(P));
    CombineMemoryCore mem(F, G, N, G * N, units * P, e.mem_latency);
    for (int i = 0; i < F * G; ++i) {
      const int w = rnd(rng, 0, 2) == 0 ? 0 : rnd(rng, -128, 127);
      const std::uint32_t word = std::uint8_t(w) | std::uint32_t(rnd(rng, 0, N - 1)) << 16;
      ASSERT_TRUE(mem.write32(param_map::kEntryBase + 4 * std::uint64_t(i), word));
    }
    MultiplierArrayCore mul(units * P, G, e.mul_latency);
    RouterCrossbarCore router(units, P, G, N, e.router_latency);
    FusedDatapath fused(mem, units, e);
    fused.load();
    mem.reset();
    mul.reset();
    router.reset();
    fused.reset();
    ActBeat idle;
    idle.lane_valid.assign(std::size_t(units) * P, 0);
    idle.index.assign(idle.lane_valid.size(), 0);
    idle.value.assign(idle.lane_valid.size(), 0);
    std::vector<std::int32_t> batch(router.out().sum.size(), 0); // the router's, added up
    const auto same = [](const Activity &a, const Activity &b) {
      return a.busy == b.busy && a.stalled == b.stalled && a.idle == b.idle;
    };
    std::uint32_t seq = 0;
    Batch current;
    std::size_t next = 0; // current's next beat
    int batches = 0;
    // batches with random gaps between and inside them, then idle edges until all is out
    for (int edge = 1; edge <= 400; ++edge) {
      const bool streaming = edge <= 300;
      if (streaming && next == current.beats.size() && rnd(rng, 0, 2) == 0) {
        current = random_batch(rng, units, P, F, seq);
        next = 0;
        ++batches;
      }
      const bool beat = next < current.beats.size() && (next == 0 || rnd(rng, 0, 3) != 0);
      const ActBeat &in = beat ? current.beats[next] : idle;
      router.step(mul.out());
      mul.step(mem.out());
      mem.step(in);
      fused.step(BeatTag::of(in), beat && in.first ? current.fields.data() : nullptr);
      next += beat;
      const SumBeat &want = router.out();
      ASSERT_EQ(fused.out_valid(), want.tag.valid) << "edge " << edge;
      ASSERT_EQ(fused.out_last() != nullptr, want.tag.valid && want.tag.last) << "edge " << edge;
      if (want.tag.valid) {
        if (want.tag.first)
          std::fill(batch.begin(), batch.end(), 0);
        for (std::size_t i = 0; i < batch.size(); ++i)
          batch[i] += want.sum[i];
        if (want.tag.last) {
          ASSERT_EQ(fused.out_last()->tag, want.tag) << "edge " << edge;
          ASSERT_EQ(fused.out_last()->sum, batch) << "edge " << edge;
        }
      }
      ASSERT_EQ(fused.quiescent(), mem.quiescent() && mul.quiescent() && router.quiescent());
      const DatapathCounters now = fused.counters(); // activity and macs: exact at every edge
      ASSERT_TRUE(same(now.memory, mem.activity()) && same(now.multipliers, mul.activity()) &&
                  same(now.router, router.activity()))
          << "edge " << edge;
      ASSERT_EQ(now.macs, mul.macs()) << "edge " << edge;
      if (!streaming && next == current.beats.size()) // let the rest of the run be idle
        current.beats.clear(), next = 0;
    }
    ASSERT_TRUE(fused.quiescent());
    EXPECT_GT(batches, 20);
    const DatapathCounters c = fused.counters();
    EXPECT_TRUE(same(c.memory, mem.activity()));
    EXPECT_TRUE(same(c.multipliers, mul.activity()));
    EXPECT_TRUE(same(c.router, router.activity()));
    EXPECT_EQ(c.reads, mem.reads());
    EXPECT_EQ(c.macs, mul.macs());
    EXPECT_EQ(c.useful_macs, mul.useful_macs());
  }
}

// The N = 1 kernel this processor runs (AVX2 where there is one) gives the portable loops' sums,
// for any number of lane pairs and groups, at the int8 x uint8 extremes.
TEST(FusedDatapath, RowKernelEqualsPortableForm) {
  Rng rng(502);
  const fused_detail::SumRows kernel = fused_detail::sum_rows();
  for (int trial = 0; trial < 200; ++trial) {
    const int n = rnd(rng, 0, 5), groups = rnd(rng, 1, 70);
    std::vector<std::vector<std::int16_t>> rows(2 * n, std::vector<std::int16_t>(groups));
    for (auto &row : rows)
      for (auto &w : row)
        w = std::int16_t(trial % 10 == 0 ? -128 : rnd(rng, -128, 127));
    std::vector<fused_detail::RowPair> pairs;
    for (int k = 0; k < n; ++k) {
      const std::uint32_t a0 = trial % 10 == 0 ? 255 : rnd(rng, 0, 255);
      const std::uint32_t a1 = trial % 10 == 0 ? 255 : rnd(rng, 0, 255);
      pairs.push_back({rows[2 * k].data(), rows[2 * k + 1].data(), a0 | a1 << 16});
    }
    std::vector<std::int32_t> want(groups), got(groups);
    for (int g = 0; g < groups; ++g)
      want[g] = got[g] = rnd(rng, -100000, 100000);
    fused_detail::sum_rows_portable(want.data(), pairs.data(), n, groups);
    kernel(got.data(), pairs.data(), n, groups);
    ASSERT_EQ(got, want) << "trial " << trial << ": " << n << " pairs, " << groups << " groups";
  }
}

// The in-order N = 1 kernels (portable, and the one this processor runs) give the definition's
// sums, sum over the field's rows of value x weight, for any field length and number of groups
// (each block width and the tail), at the int8 x uint8 extremes; rows past the field add nothing.
TEST(FusedDatapath, InOrderKernelEqualsDefinition) {
  Rng rng(503);
  const fused_detail::SumInOrder kernel = fused_detail::sum_in_order();
  for (int trial = 0; trial < 300; ++trial) {
    const bool extreme = trial % 10 == 0;
    const int n = rnd(rng, 0, 9), rows = n + rnd(rng, 0, 2), groups = rnd(rng, 1, 140);
    std::vector<std::vector<int>> w(rows, std::vector<int>(groups));
    for (auto &row : w)
      for (auto &x : row)
        x = extreme ? -128 : rnd(rng, -128, 127);
    std::vector<act_t> value(rows);
    for (auto &v : value)
      v = act_t(extreme ? 255 : rnd(rng, 0, 255));
    // rows two by two, interleaved: low half row 2k, high half row 2k + 1 (0 past the last row)
    std::vector<std::uint32_t> paired(std::size_t((rows + 1) / 2) * groups, 0);
    for (int f = 0; f < rows; ++f)
      for (int g = 0; g < groups; ++g)
        paired[std::size_t(f / 2) * groups + g] |= std::uint32_t(std::uint16_t(w[f][g]))
                                                   << (f % 2 * 16);
    std::vector<std::int32_t> want(groups), got(groups), portable(groups);
    for (int g = 0; g < groups; ++g) {
      want[g] = got[g] = portable[g] = rnd(rng, -100000, 100000);
      for (int p = 0; p < n; ++p)
        want[g] += int(value[p]) * w[p][g];
    }
    fused_detail::sum_in_order_portable(portable.data(), paired.data(), value.data(), n, groups);
    kernel(got.data(), paired.data(), value.data(), n, groups);
    ASSERT_EQ(portable, want) << "trial " << trial << ": " << n << " rows, " << groups << " groups";
    ASSERT_EQ(got, want) << "trial " << trial << ": " << n << " rows, " << groups << " groups";
  }
}

} // namespace
} // namespace cssim
