// Whole-network tests: random small networks and GSC in all three modes against the golden model,
// the fast engine against the SystemC engine, and the cycle-accounting contract on cases worked
// out by hand.
#include "check.h"
#include "config/config.h"
#include "golden/golden.h"
#include "network.h"
#include "random_network.h"
#include "synthetic.h"
#include "systemc_once.h"
#include "workload.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace cssim {
namespace {

using test::kModes;
using test::sim;
using test::Workload;

constexpr int kRandomNetworks = 60;

Workload prepare(const NetworkSpec &net, std::uint64_t seed, int words) {
  Workload r;
  r.params = synthesize_params(net, seed);
  for (int w = 0; w < words; ++w) {
    r.words.push_back(synthesize_input(net.input, seed * 100 + std::uint64_t(w)));
    r.gold.push_back(golden::run(net, r.params, r.words.back()));
  }
  return r;
}

/// Every block counted the same busy, stalled and idle edges (the SystemC shells sleep through
/// idle edges and must account for them exactly).
void expect_same_stats(const LayerStats &a, const LayerStats &b, const std::string &what) {
  const auto same = [&](const Activity &x, const Activity &y, const std::string &block) {
    EXPECT_EQ(x.busy, y.busy) << what << " " << block;
    EXPECT_EQ(x.stalled, y.stalled) << what << " " << block;
    EXPECT_EQ(x.idle, y.idle) << what << " " << block;
  };
  same(a.window_generator, b.window_generator, "window_generator");
  same(a.combine_memory, b.combine_memory, "combine_memory");
  same(a.multiplier_array, b.multiplier_array, "multiplier_array");
  same(a.router_crossbar, b.router_crossbar, "router_crossbar");
  same(a.accumulators, b.accumulators, "accumulators");
  ASSERT_EQ(a.tail.size(), b.tail.size());
  for (std::size_t t = 0; t < a.tail.size(); ++t)
    same(a.tail[t].second, b.tail[t].second, a.tail[t].first);
  EXPECT_EQ(a.memory_reads, b.memory_reads) << what;
  EXPECT_EQ(a.macs, b.macs) << what;
  EXPECT_EQ(a.useful_macs, b.useful_macs) << what;
}

class RandomNetwork : public ::testing::TestWithParam<int> {};

// Every layer of every word equals the golden model, in all three modes (fast engine).
TEST_P(RandomNetwork, MatchesGoldenInAllModes) {
  const auto rc = test::random_case(std::uint32_t(GetParam()));
  const Workload r = prepare(rc.net, std::uint64_t(GetParam()), 3);
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const SimResult s = sim(rc.net, rc.engine, r, m, EngineKind::Fast);
    EXPECT_EQ(first_mismatch(rc.net, s, r.gold), "");
    ASSERT_EQ(s.word_done.size(), 3u);
  }
}

// The SystemC engine gives the same outputs, cycle counts and block counters as the fast engine,
// for every random network in every mode. (One SystemC elaboration per process:
// gtest_discover_tests runs each case on its own.)
class RandomNetworkMode : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(RandomNetworkMode, SystemCEqualsFast) {
  REQUIRE_FRESH_SYSTEMC();
  const int seed = std::get<0>(GetParam());
  const Mode m = kModes[std::get<1>(GetParam())];
  const auto rc = test::random_case(std::uint32_t(seed));
  const Workload r = prepare(rc.net, std::uint64_t(seed), 2);
  const SimResult fast = sim(rc.net, rc.engine, r, m, EngineKind::Fast);
  const SimResult sc = sim(rc.net, rc.engine, r, m, EngineKind::SystemC);
  EXPECT_EQ(first_mismatch(rc.net, sc, r.gold), "");
  EXPECT_EQ(sc.logits, fast.logits);
  EXPECT_EQ(sc.word_start, fast.word_start);
  EXPECT_EQ(sc.word_done, fast.word_done);
  ASSERT_EQ(sc.layers.size(), fast.layers.size());
  for (std::size_t l = 0; l < sc.layers.size(); ++l) {
    EXPECT_EQ(sc.layers[l].start, fast.layers[l].start) << "layer " << l;
    EXPECT_EQ(sc.layers[l].end, fast.layers[l].end) << "layer " << l;
    expect_same_stats(sc.layers[l].stats, fast.layers[l].stats, "layer " + std::to_string(l));
  }
}

/// Two runs agree on everything a run reports: outputs, cycles, every layer's items and counters.
void expect_same_run(const SimResult &a, const SimResult &b) {
  EXPECT_EQ(a.logits, b.logits);
  EXPECT_EQ(a.word_start, b.word_start);
  EXPECT_EQ(a.word_done, b.word_done);
  EXPECT_EQ(a.edges, b.edges);
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    const std::string what = "layer " + std::to_string(l);
    EXPECT_EQ(a.layers[l].start, b.layers[l].start) << what;
    EXPECT_EQ(a.layers[l].end, b.layers[l].end) << what;
    EXPECT_EQ(a.layers[l].inputs, b.layers[l].inputs) << what;
    EXPECT_EQ(a.layers[l].results, b.layers[l].results) << what;
    expect_same_stats(a.layers[l].stats, b.layers[l].stats, what);
  }
}

std::string read_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The fast engine's fused datapath (the default, which every other fast run here uses) gives what
// stepping the combine memory, multiplier array and router crossbar block by block gives. A run
// that writes a trace falls back to the blocks: its trace is the per-block run's, beat for beat.
TEST_P(RandomNetwork, FusedDatapathEqualsPerBlock) {
  const auto rc = test::random_case(std::uint32_t(GetParam()));
  const Workload r = prepare(rc.net, std::uint64_t(GetParam()), 2);
  const std::string dir = ::testing::TempDir();
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    RunOptions o;
    o.mode = m;
    const SimResult fused = simulate(rc.net, rc.engine, r.params, r.words, o);
    o.fuse_datapath = false;
    const SimResult blocks = simulate(rc.net, rc.engine, r.params, r.words, o);
    expect_same_run(fused, blocks);

    const std::string base =
        dir + "cssim-fused-" + std::to_string(GetParam()) + "-" + config::mode_name(m);
    o.trace_path = base + "-blocks.vcd";
    const SimResult traced_blocks = simulate(rc.net, rc.engine, r.params, r.words, o);
    o.fuse_datapath = true;
    o.trace_path = base + "-fused.vcd";
    const SimResult traced = simulate(rc.net, rc.engine, r.params, r.words, o);
    expect_same_run(traced, fused);
    const std::string trace = read_file(base + "-fused.vcd");
    EXPECT_NE(trace.find("beat_product_o"), std::string::npos);
    EXPECT_EQ(trace, read_file(base + "-blocks.vcd"));
    std::remove((base + "-blocks.vcd").c_str());
    std::remove((base + "-fused.vcd").c_str());
  }
}

// The number of beats each position streams is what the configuration says: every receptive
// field holds F pairs (dense input) or kh*kw*k / k winners (k-WTA input, sparse-sparse mode).
TEST_P(RandomNetwork, LayerCyclesFollowBeatsPerPosition) {
  const auto rc = test::random_case(std::uint32_t(GetParam()));
  const Workload r = prepare(rc.net, std::uint64_t(GetParam()), 1);
  for (Mode m : kModes) {
    const auto plans = plan_network(rc.net, r.params, m);
    const SimResult s = sim(rc.net, rc.engine, r, m, EngineKind::Fast);
    for (std::size_t l = 0; l < plans.size(); ++l) {
      const LayerPlan &p = plans[l];
      const long batches = (p.geo.positions() + p.geo.units - 1) / p.geo.units;
      const long issue = batches * p.beats_per_position();
      const long depth =
          rc.engine.mem_latency + rc.engine.mul_latency + rc.engine.router_latency + 1;
      // first beat to last push: every beat issues (stalls only add) and then the pipeline drains
      EXPECT_GE(s.layers[l].end[0] - s.layers[l].start[0] + 1, issue + depth - 1)
          << config::mode_name(m) << " layer " << l;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RandomNetwork, ::testing::Range(1, kRandomNetworks + 1));
INSTANTIATE_TEST_SUITE_P(Seeds, RandomNetworkMode,
                         ::testing::Combine(::testing::Range(1, kRandomNetworks + 1),
                                            ::testing::Range(0, 3)));

TEST(Gsc, MatchesGoldenInAllModes) {
  const auto cfg = config::load("gsc", "u250", {});
  const Workload r = prepare(cfg.net, 7, 2);
  long dense_ii = 0;
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const SimResult s = sim(cfg.net, cfg.engine, r, m, EngineKind::Fast);
    EXPECT_EQ(first_mismatch(cfg.net, s, r.gold), "");
    const long ii = s.word_done[1] - s.word_done[0];
    if (m == Mode::Dense) {
      dense_ii = ii;
    } else if (m == Mode::SparseSparse) {
      EXPECT_LT(ii, dense_ii); // fewer streamed indices: faster than dense
    }
  }
}

TEST(Gsc, SystemCEqualsFast) {
  REQUIRE_FRESH_SYSTEMC();
  const auto cfg = config::load("gsc", "u250", {});
  const Workload r = prepare(cfg.net, 3, 2);
  const SimResult fast = sim(cfg.net, cfg.engine, r, Mode::SparseSparse, EngineKind::Fast);
  const SimResult sc = sim(cfg.net, cfg.engine, r, Mode::SparseSparse, EngineKind::SystemC);
  EXPECT_EQ(first_mismatch(cfg.net, sc, r.gold), "");
  EXPECT_EQ(sc.word_done, fast.word_done);
  EXPECT_EQ(sc.logits, fast.logits);
  for (std::size_t l = 0; l < sc.layers.size(); ++l)
    expect_same_stats(sc.layers[l].stats, fast.layers[l].stats, "layer " + std::to_string(l));
}

// ---- cycle accounting, worked out by hand (README, "Cycle accounting") ----------------------

// One linear layer over a 1x1x4 input, 2 kernels, P = 2 lanes: 2 beats per word; R output lanes,
// so the output stage takes D = ceil(2 / R) edges.
//   edge 0: the source presents the word's only position
//   edge 1: the window generator takes it (word start); the frame is complete
//   edge 2: first beat issues (layer start); edge 3: second (last) beat
//   edge 3 + Lm + Lmul + Lr + 1: the accumulators take the last sum (into the output stage)
//   D edges later the output stage pushes the result (layer end)
//   one edge later the sink takes it (word done)
// latency = done - start = beats + Lm + Lmul + Lr + D + 2; layer cycles = end - start + 1.
struct Latencies {
  int mem, mul, router, out_lanes;
};

class LinearCycles : public ::testing::TestWithParam<Latencies> {};

TEST_P(LinearCycles, HandWorked) {
  const Latencies L = GetParam();
  NetworkSpec net;
  net.name = "tiny";
  net.input = {1, 1, 4};
  LayerSpec ls;
  ls.name = "fc";
  ls.kind = LayerKind::Linear;
  ls.kernels = 2;
  ls.lanes = 2;
  ls.out_lanes = L.out_lanes;
  net.layers = {ls};
  EngineSpec e;
  e.mem_latency = L.mem;
  e.mul_latency = L.mul;
  e.router_latency = L.router;
  const Workload r = prepare(net, 5, 1);
  const SimResult s = sim(net, e, r, Mode::Dense, EngineKind::Fast);
  const long beats = 2, depth = L.mem + L.mul + L.router, D = L.out_lanes == 1 ? 2 : 1;
  EXPECT_EQ(s.word_start[0], 1);
  EXPECT_EQ(s.layers[0].start[0], 2);
  EXPECT_EQ(s.layers[0].end[0], 1 + beats + depth + 1 + D);
  EXPECT_EQ(s.word_done[0], 1 + beats + depth + D + 2);
  EXPECT_EQ(s.word_done[0] - s.word_start[0], beats + depth + D + 2);
  EXPECT_EQ(first_mismatch(net, s, r.gold), "");
}

INSTANTIATE_TEST_SUITE_P(Latencies, LinearCycles,
                         ::testing::Values(Latencies{1, 1, 1, 2}, Latencies{2, 3, 1, 2},
                                           Latencies{4, 1, 2, 2}, Latencies{1, 1, 1, 1},
                                           Latencies{2, 1, 3, 1}));

/// A 3x3x1 input and one 2x2 convolution (4 output positions) with P = 4 lanes: one beat each;
/// out_lanes 0: every channel in one edge (at most 16 kernels).
NetworkSpec small_conv(int kernels, int out_lanes = 0) {
  NetworkSpec net;
  net.name = "conv";
  net.input = {3, 3, 1};
  LayerSpec ls;
  ls.name = "c";
  ls.kind = LayerKind::Conv;
  ls.kernels = kernels;
  ls.kh = ls.kw = 2;
  ls.lanes = 4;
  ls.out_lanes = out_lanes;
  net.layers = {ls};
  return net;
}

// A 3x3x1 input, one 2x2 convolution (4 output positions), P = 4: one beat per position, and
// enough result slots (8) that credits never hold the window generator back. Three kernels, all
// produced by the output stage in one edge (D = 1).
//   edges 1..9: the nine input positions are taken; the frame completes at edge 9
//   edges 10..13: one beat per output position
//   position p's last sum reaches the accumulators at 10 + p + 3 + 1, its result is pushed one
//   edge later (D = 1) and taken by the sink one edge after that
// word 0: start 1, done 13 + 3 + 1 + 1 + 1 = 19, latency 18. Words stream back to back: the
// source needs 9 edges per word and everything else is faster, so the interval is 9.
TEST(ConvCycles, HandWorkedLatencyAndInterval) {
  const NetworkSpec net = small_conv(3);
  EngineSpec e; // latencies 1, 1, 1
  e.result_slots = 8;
  const Workload r = prepare(net, 9, 3);
  const SimResult s = sim(net, e, r, Mode::Dense, EngineKind::Fast);
  EXPECT_EQ(s.word_start, (std::vector<long>{1, 10, 19}));
  EXPECT_EQ(s.layers[0].start[0], 10);
  EXPECT_EQ(s.layers[0].end[0], 18);
  EXPECT_EQ(s.word_done, (std::vector<long>{19, 28, 37}));
  EXPECT_EQ(first_mismatch(net, s, r.gold), "");
}

// The same convolution with one output lane: the output stage takes D = 3 edges per position,
// so the window generator spaces the one-beat batches 3 edges apart and the layer, not the
// source, sets the interval (4 positions x 3 = 12 edges per word).
//   word 0: beats at 10, 13, 16, 19; last sums at beat + 4, results pushed 3 edges later:
//           17, 20, 23, 26 (layer end); done 27
//   word 1: items taken 10..18 (the other slot); its first beat waits for the spacing after
//           word 0's last beat at 19: 22, 25, 28, 31; pushed 29 .. 38; done 39
//   word 2: slot 0 is released by word 0's last beat at 19 and ready from 20: items 20..28;
//           beats 34, 37, 40, 43 (after word 1's last at 31); pushed 41 .. 50; done 51
TEST(ConvCycles, OutputStageSetsTheInterval) {
  const NetworkSpec net = small_conv(3, 1);
  EngineSpec e;
  e.result_slots = 8;
  const Workload r = prepare(net, 9, 3);
  const SimResult s = sim(net, e, r, Mode::Dense, EngineKind::Fast);
  EXPECT_EQ(s.word_start, (std::vector<long>{1, 10, 20}));
  EXPECT_EQ(s.layers[0].start, (std::vector<long>{10, 22, 34}));
  EXPECT_EQ(s.layers[0].end, (std::vector<long>{26, 38, 50}));
  EXPECT_EQ(s.word_done, (std::vector<long>{27, 39, 51}));
  EXPECT_EQ(first_mismatch(net, s, r.gold), "");
}

// With a single result slot the window generator waits for each result to drain before it starts
// the next position: the result is pushed (Lm + Lmul + Lr + 1) + D edges after the beat, the sink
// takes it one edge later and the credit is used one edge after that, so each position costs
// 4 + 1 + 2 = 7 edges instead of 1.
TEST(ConvCycles, CreditsThrottleTheWindowGenerator) {
  const NetworkSpec net = small_conv(2);
  EngineSpec e;
  e.result_slots = 1;
  const Workload r = prepare(net, 4, 1);
  const SimResult s = sim(net, e, r, Mode::Dense, EngineKind::Fast);
  // position 0: beat at 10, last sum at 14, pushed at 15, taken at 16 (credit visible from edge 16
  // on, used at 17); position p: beat at 10 + 7p; the last (p = 3) is pushed at 36, taken at 37
  EXPECT_EQ(s.layers[0].start[0], 10);
  EXPECT_EQ(s.layers[0].end[0], 36);
  EXPECT_EQ(s.word_done[0], 37);
  EXPECT_EQ(first_mismatch(net, s, r.gold), "");
}

} // namespace
} // namespace cssim
