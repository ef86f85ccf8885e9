// Whole-network tests of Combine with weights that are NOT complementary: every kernel draws its
// own random sparse mask (so supports overlap and first-fit packing leaves holes), some kernels are
// fully dense random int8 (each needs a group of its own) and a few are all zero. Combine then
// reorders the kernels (decreasing non-zero count, first fit), and the accumulators must put every
// slot's sum back on its original channel: the simulated network must still equal the golden
// model, layer by layer, in all three modes.
#include "check.h"
#include "combine.h"
#include "config/config.h"
#include "golden/golden.h"
#include "network.h"
#include "random_network.h"
#include "synthetic.h"
#include "workload.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace cssim {
namespace {

using test::kModes;
using test::sim;
using test::Workload;

constexpr int kRandomNetworks = 40;

weight_t random_weight(std::mt19937 &rng, bool nonzero) {
  for (;;) {
    const int v = std::uniform_int_distribution<int>(-128, 127)(rng);
    if (v != 0 || !nonzero)
      return static_cast<weight_t>(v);
  }
}

/// Replaces every layer's weights with independent per-kernel draws: a fraction `dense` of the
/// kernels (all of them in layers of weight sparsity 0 if `dense_layers`) are fully random int8
/// (zeros possible, -128 included), about 5% are all zero, and the rest keep a random mask of
/// 1 .. 2 * nnz positions (nnz from the layer's weight sparsity) with non-zero int8 weights.
/// Biases stay the synthetic ones.
void randomize_weights(const NetworkSpec &net, NetworkParams &params, std::uint32_t seed,
                       double dense, bool dense_layers) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const auto shapes = config::layer_shapes(net);
  for (std::size_t l = 0; l < net.layers.size(); ++l) {
    const int F = shapes[l].fan_in;
    const int nnz = nonzeros_per_kernel(net.layers[l].weight_sparsity, F);
    const double p_dense = dense_layers && net.layers[l].weight_sparsity == 0.0 ? 1.0 : dense;
    std::vector<weight_t> &w = params.layers[l].weights;
    std::fill(w.begin(), w.end(), weight_t(0));
    std::vector<int> pos(std::size_t(F), 0);
    for (int k = 0; k < net.layers[l].kernels; ++k) {
      weight_t *row = w.data() + std::size_t(k) * std::size_t(F);
      const double r = u(rng);
      if (r < p_dense) {
        for (int f = 0; f < F; ++f)
          row[f] = random_weight(rng, false);
      } else if (r >= p_dense + 0.05) {
        const int n = std::uniform_int_distribution<int>(1, std::min(F, 2 * nnz))(rng);
        std::iota(pos.begin(), pos.end(), 0);
        for (int i = 0; i < n; ++i) // partial Fisher-Yates: n distinct positions
          std::swap(pos[std::size_t(i)],
                    pos[std::size_t(std::uniform_int_distribution<int>(i, F - 1)(rng))]);
        for (int i = 0; i < n; ++i)
          row[pos[std::size_t(i)]] = random_weight(rng, true);
      } // else: all zero, only the bias
    }
  }
}

Workload prepare(const NetworkSpec &net, std::uint32_t seed, int words, double dense,
                 bool dense_layers = false) {
  Workload r;
  r.params = synthesize_params(net, seed);
  randomize_weights(net, r.params, seed * 7919u + 1u, dense, dense_layers);
  for (int w = 0; w < words; ++w)
    r.words.push_back(synthesize_input(net.input, std::uint64_t(seed) * 100 + std::uint64_t(w)));
  calibrate_requant(net, r.params, r.words); // for the new weights
  for (const auto &w : r.words)
    r.gold.push_back(golden::run(net, r.params, w));
  return r;
}

/// The packing is valid: no fewer groups than a perfect packing needs, every channel in exactly
/// one slot with its own weights (disjoint within a group by construction of the (F, G) layout)
/// and bias.
void expect_valid_packing(const CombinedLayer &c, const LayerParams &lp, int kernels, int F,
                          int max_per_group = 0) {
  long nnz = 0;
  for (weight_t w : lp.weights)
    nnz += w != 0;
  EXPECT_GE(long(c.groups), (nnz + F - 1) / F);
  if (max_per_group > 0) {
    EXPECT_LE(c.per_group, max_per_group);
    EXPECT_GE(c.groups, (kernels + max_per_group - 1) / max_per_group);
  }
  ASSERT_EQ(c.weight.size(), std::size_t(F) * std::size_t(c.groups));
  ASSERT_EQ(c.slot_channel.size(), std::size_t(c.groups) * std::size_t(c.per_group));
  std::vector<weight_t> back(lp.weights.size(), 0);
  std::vector<int> seen(std::size_t(kernels), 0);
  for (int g = 0; g < c.groups; ++g)
    for (int n = 0; n < c.per_group; ++n) {
      const std::size_t s = std::size_t(g) * std::size_t(c.per_group) + std::size_t(n);
      const int ch = c.slot_channel[s];
      if (ch < 0)
        continue;
      ASSERT_LT(ch, kernels);
      ++seen[std::size_t(ch)];
      EXPECT_EQ(c.slot_bias[s], lp.bias[std::size_t(ch)]) << "channel " << ch;
      for (int f = 0; f < F; ++f) {
        const std::size_t e = std::size_t(f) * std::size_t(c.groups) + std::size_t(g);
        if (c.weight[e] != 0 && c.kid[e] == n)
          back[std::size_t(ch) * std::size_t(F) + std::size_t(f)] = c.weight[e];
      }
    }
  EXPECT_EQ(seen, std::vector<int>(std::size_t(kernels), 1));
  EXPECT_EQ(back, lp.weights);
}

/// True when some slot does not hold the channel an in-order packing would put there.
bool permuted(const CombinedLayer &c) {
  for (std::size_t s = 0; s < c.slot_channel.size(); ++s)
    if (c.slot_channel[s] >= 0 && std::size_t(c.slot_channel[s]) != s)
      return true;
  return false;
}

class CombineNetwork : public ::testing::TestWithParam<int> {};

// Random small networks (shapes, k-WTA, lanes, units, latencies from test::random_case) with
// overlapping random masks and some dense kernels: all three modes equal the golden model.
TEST_P(CombineNetwork, NonComplementaryWeightsMatchGolden) {
  const auto seed = std::uint32_t(GetParam());
  const auto rc = test::random_case(seed);
  const Workload r = prepare(rc.net, seed, 3, 0.15);
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const auto plans = plan_network(rc.net, r.params, m);
    if (m != Mode::Dense)
      for (std::size_t l = 0; l < plans.size(); ++l) {
        SCOPED_TRACE("layer " + plans[l].name);
        expect_valid_packing(plans[l].combined, r.params.layers[l], plans[l].kernels,
                             plans[l].geo.fan_in());
      }
    const SimResult s = sim(rc.net, rc.engine, r, m);
    EXPECT_EQ(first_mismatch(rc.net, s, r.gold), "");
    ASSERT_EQ(s.word_done.size(), 3u);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, CombineNetwork, ::testing::Range(1, kRandomNetworks + 1));

// The workloads above really test what they are meant to: over all seeds, many layers are packed
// out of channel order and worse than perfectly (overlapping supports), and the calibrated layers
// produce requantized outputs strictly inside 0..255, where a misrouted sum cannot hide behind
// clamping. Also: capped packings of the same layers stay valid.
TEST(CombineNetworkWorkloads, ArePermutedImperfectAndUnclamped) {
  int layers = 0, permuted_layers = 0, imperfect = 0, hidden = 0, unclamped = 0;
  for (int seed = 1; seed <= kRandomNetworks; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const auto rc = test::random_case(std::uint32_t(seed));
    const Workload r = prepare(rc.net, std::uint32_t(seed), 3, 0.15);
    const auto plans = plan_network(rc.net, r.params, Mode::SparseSparse);
    for (std::size_t l = 0; l < plans.size(); ++l) {
      const CombinedLayer &c = plans[l].combined;
      const int F = plans[l].geo.fan_in();
      long nnz = 0;
      for (weight_t w : r.params.layers[l].weights)
        nnz += w != 0;
      ++layers;
      permuted_layers += permuted(c);
      imperfect += c.groups > (nnz + F - 1) / F;
      for (int cap : {1, 2, 3, 7}) {
        SCOPED_TRACE("layer " + plans[l].name + ", max_per_group " + std::to_string(cap));
        const CombinedLayer capped =
            combine(r.params.layers[l].weights, r.params.layers[l].bias, plans[l].kernels, F, cap);
        expect_valid_packing(capped, r.params.layers[l], plans[l].kernels, F, cap);
      }
      if (plans[l].last)
        continue;
      ++hidden;
      bool inside = false;
      for (const auto &g : r.gold)
        for (std::int32_t v : g.layers[l].out)
          inside = inside || (v > 0 && v < 255);
      unclamped += inside;
    }
  }
  EXPECT_GE(permuted_layers, layers / 2) << permuted_layers << " of " << layers;
  EXPECT_GE(imperfect, layers / 2) << imperfect << " of " << layers;
  EXPECT_GE(unclamped, hidden * 9 / 10) << unclamped << " of " << hidden;
}

// GSC at full size with every sparse layer's kernels masked independently (1 .. 160 of 1600 or
// 1500 inputs, about 95% sparsity, so linear1's 1500 kernels no longer fit 75 groups) and conv1
// fully random dense int8.
TEST(CombineNetworkGsc, IndependentMasksMatchGolden) {
  const auto cfg = config::load("gsc", "u250", {});
  const Workload r = prepare(cfg.net, 11, 2, 0.0, true);
  {
    const auto plans = plan_network(cfg.net, r.params, Mode::SparseSparse);
    for (std::size_t l = 0; l < plans.size(); ++l) {
      SCOPED_TRACE("layer " + plans[l].name);
      expect_valid_packing(plans[l].combined, r.params.layers[l], plans[l].kernels,
                           plans[l].geo.fan_in());
    }
    EXPECT_TRUE(permuted(plans[2].combined));
    EXPECT_GT(plans[2].combined.groups, 75); // linear1: more than a perfect packing
  }
  for (Mode m : kModes) {
    SCOPED_TRACE(config::mode_name(m));
    const SimResult s = sim(cfg.net, cfg.engine, r, m);
    EXPECT_EQ(first_mismatch(cfg.net, s, r.gold), "");
  }
}

} // namespace
} // namespace cssim
