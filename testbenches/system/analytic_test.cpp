// The analytic timing engine (model/analytic.h) against the simulating engines: every word's start
// and done edges and every layer's start and end edges per word equal the fast engine's on random
// small networks (random shapes, P, Q, R, latencies, FIFO depth, result slots, k-WTA forms) and
// GSC variants in all three modes, and the SystemC engine's on 211 of them.
#include "analytic.h"
#include "config/config.h"
#include "evaluation.h"
#include "network.h"
#include "random_network.h"
#include "resources.h"
#include "synthetic.h"
#include "systemc_once.h"
#include "workload.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cssim {
namespace {

using test::kModes;

constexpr int kRandomNetworks = 100; // x 3 modes: 300 configurations
constexpr int kWords = 4;

/// A simulation of `words` synthetic words (the timing does not depend on them).
SimResult simulated(const NetworkSpec &net, const EngineSpec &engine, Mode mode, int words,
                    EngineKind kind, std::uint64_t seed) {
  std::vector<std::vector<act_t>> in;
  for (int w = 0; w < words; ++w)
    in.push_back(synthesize_input(net.input, seed + std::uint64_t(w)));
  RunOptions o;
  o.mode = mode;
  o.engine = kind;
  o.keep_items = false;
  return simulate(net, engine, synthesize_params(net, seed), in, o);
}

SimResult analytic(const NetworkSpec &net, const EngineSpec &engine, Mode mode, int words) {
  return analytic_edges(layer_hardware(net, mode), engine, net.input, words);
}

/// Every edge the cycle-accounting contract counts is the same.
void expect_same_edges(const SimResult &a, const SimResult &sim) {
  EXPECT_EQ(a.word_start, sim.word_start);
  EXPECT_EQ(a.word_done, sim.word_done);
  ASSERT_EQ(a.layers.size(), sim.layers.size());
  for (std::size_t l = 0; l < a.layers.size(); ++l) {
    EXPECT_EQ(a.layers[l].name, sim.layers[l].name);
    EXPECT_EQ(a.layers[l].start, sim.layers[l].start) << "layer " << sim.layers[l].name;
    EXPECT_EQ(a.layers[l].end, sim.layers[l].end) << "layer " << sim.layers[l].name;
  }
}

class AnalyticRandom : public ::testing::TestWithParam<int> {};

TEST_P(AnalyticRandom, EqualsFastInAllModes) {
  const auto rc = test::random_case(std::uint32_t(GetParam()));
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const SimResult fast =
        simulated(rc.net, rc.engine, m, kWords, EngineKind::Fast, std::uint64_t(GetParam()));
    expect_same_edges(analytic(rc.net, rc.engine, m, kWords), fast);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, AnalyticRandom, ::testing::Range(1, kRandomNetworks + 1));

// The same networks with the tail squeezed: one result slot, a one-item FIFO and a k-WTA that
// counts one value per edge, so that credits and back-pressure set most edges.
TEST_P(AnalyticRandom, EqualsFastUnderBackPressure) {
  auto rc = test::random_case(std::uint32_t(GetParam()));
  rc.engine.result_slots = 1;
  rc.engine.fifo_depth = 1;
  rc.engine.kwta_values_per_cycle = 1;
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const SimResult fast =
        simulated(rc.net, rc.engine, m, kWords, EngineKind::Fast, std::uint64_t(GetParam()));
    expect_same_edges(analytic(rc.net, rc.engine, m, kWords), fast);
  }
}

/// GSC (and the shipped networks) with overrides.
struct GscCase {
  const char *network;
  std::vector<std::string> sets;
};

const GscCase kGscCases[] = {
    {"gsc", {}},
    {"gsc", {"conv1.units=3", "conv2.units=2", "engine.result_slots=1"}},
    {"gsc", {"conv1.lanes=25", "conv2.lanes=40", "linear1.out_lanes=4", "engine.fifo_depth=1"}},
    {"gsc_conv", {"engine.kwta_impl=sortnet", "conv1.k=20", "engine.mem_latency=3"}},
    {"gsc", {"engine.kwta_values_per_cycle=2", "engine.kwta_bins_per_cycle=8", "linear1.k=40"}},
    {"gsc_conv", {}},
    {"kernel", {}},
};

class AnalyticGsc : public ::testing::TestWithParam<int> {};

TEST_P(AnalyticGsc, EqualsFastInAllModes) {
  const GscCase &c = kGscCases[GetParam()];
  const config::Config cfg = config::load(c.network, "u250", c.sets);
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const SimResult fast = simulated(cfg.net, cfg.engine, m, kWords, EngineKind::Fast, 1);
    expect_same_edges(analytic(cfg.net, cfg.engine, m, kWords), fast);
  }
}

INSTANTIATE_TEST_SUITE_P(Networks, AnalyticGsc, ::testing::Range(0, int(std::size(kGscCases))));

// The sweep's engine entry: the same cycles, latency, interval and hardware (G, N) as the fast
// engine's for GSC in every mode.
TEST(AnalyticEngine, TimesLikeTheFastEngine) {
  const config::Config cfg = config::load("gsc", "u250", {});
  Workload w; // four words, as cssim run and the sweeps default to
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const Timed a = timing_engine("analytic").run(cfg, m, w);
    const Timed f = timing_engine("fast").run(cfg, m, w);
    EXPECT_EQ(a.timing.layer_cycles, f.timing.layer_cycles);
    EXPECT_EQ(a.timing.latency, f.timing.latency);
    EXPECT_EQ(a.timing.interval, f.timing.interval);
    EXPECT_FALSE(a.timing.checked);
    ASSERT_EQ(a.hardware.size(), f.hardware.size());
    for (std::size_t l = 0; l < a.hardware.size(); ++l) {
      EXPECT_EQ(a.hardware[l].groups, f.hardware[l].groups) << a.hardware[l].name;
      EXPECT_EQ(a.hardware[l].per_group, f.hardware[l].per_group) << a.hardware[l].name;
    }
  }
}

// Against the SystemC engine itself (one elaboration per process: each case its own ctest).
class AnalyticSystemC : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(AnalyticSystemC, EqualsSystemC) {
  REQUIRE_FRESH_SYSTEMC();
  const int seed = std::get<0>(GetParam());
  const Mode m = kModes[std::get<1>(GetParam())];
  if (seed == 0) { // GSC
    const config::Config cfg = config::load("gsc", "u250", {});
    const SimResult sc = simulated(cfg.net, cfg.engine, m, 3, EngineKind::SystemC, 1);
    expect_same_edges(analytic(cfg.net, cfg.engine, m, 3), sc);
    return;
  }
  const auto rc = test::random_case(std::uint32_t(seed));
  const SimResult sc =
      simulated(rc.net, rc.engine, m, kWords, EngineKind::SystemC, std::uint64_t(seed));
  expect_same_edges(analytic(rc.net, rc.engine, m, kWords), sc);
}

// GSC in sparse-sparse mode and 70 random networks in all three modes: 211 configurations.
INSTANTIATE_TEST_SUITE_P(Gsc, AnalyticSystemC, ::testing::Values(std::make_tuple(0, 2)));
INSTANTIATE_TEST_SUITE_P(Seeds, AnalyticSystemC,
                         ::testing::Combine(::testing::Range(1, 71), ::testing::Range(0, 3)));

} // namespace
} // namespace cssim
