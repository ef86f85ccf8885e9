// Unit tests of the offline Combine step (combine.h) and the synthetic parameter generator
// (synthetic.h).
#include "combine.h"
#include "error.h"
#include "golden/golden.h"
#include "synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

namespace cssim {
namespace {

using W = std::vector<weight_t>;
using B = std::vector<acc_t>;

/// Rebuilds the kernels x F matrix and the biases from a combined layer, checking the invariants
/// of the layout on the way (every slot maps to a distinct channel, kid < N, kid 0 under zeros).
void decombine(const CombinedLayer &c, int kernel_count, W &kernels, B &bias) {
  const int F = c.fan_in, G = c.groups, N = c.per_group;
  ASSERT_EQ(c.weight.size(), std::size_t(F) * G);
  ASSERT_EQ(c.kid.size(), std::size_t(F) * G);
  ASSERT_EQ(c.slot_channel.size(), std::size_t(G) * N);
  ASSERT_EQ(c.slot_bias.size(), std::size_t(G) * N);
  kernels.assign(std::size_t(kernel_count) * F, 0);
  bias.assign(kernel_count, 0);
  std::vector<int> seen(kernel_count, 0);
  for (int s = 0; s < G * N; ++s) {
    const int ch = c.slot_channel[s];
    if (ch < 0) {
      EXPECT_EQ(ch, -1);
      EXPECT_EQ(c.slot_bias[s], 0) << "empty slot " << s;
      continue;
    }
    ASSERT_LT(ch, kernel_count);
    ++seen[ch];
    bias[ch] = c.slot_bias[s];
  }
  for (int k = 0; k < kernel_count; ++k)
    EXPECT_EQ(seen[k], 1) << "kernel " << k << " must own exactly one slot";
  for (int f = 0; f < F; ++f) {
    for (int g = 0; g < G; ++g) {
      const weight_t w = c.weight[std::size_t(f) * G + g];
      const kid_t id = c.kid[std::size_t(f) * G + g];
      if (w == 0) {
        EXPECT_EQ(id, 0) << "f " << f << " g " << g;
        continue;
      }
      ASSERT_LT(id, N);
      const int ch = c.slot_channel[std::size_t(g) * N + id];
      ASSERT_GE(ch, 0) << "non-zero weight routed to an empty slot";
      weight_t &dst = kernels[std::size_t(ch) * F + f];
      EXPECT_EQ(dst, 0) << "weight (" << ch << ", " << f << ") stored twice";
      dst = w;
    }
  }
}

/// Kernel id of original kernel k and its group, found through slot_channel.
std::pair<int, int> slot_of(const CombinedLayer &c, int k) {
  for (int s = 0; s < c.groups * c.per_group; ++s)
    if (c.slot_channel[s] == k)
      return {s / c.per_group, s % c.per_group};
  return {-1, -1};
}

int count_nonzero(const W &w) {
  return static_cast<int>(std::count_if(w.begin(), w.end(), [](weight_t v) { return v != 0; }));
}

// ---------------------------------------------------------------------------------------------
// combine()

TEST(Combine, ComplementaryKernelsShareOneGroup) {
  // 4 kernels over F = 4, kernel k owns position (k + 1) % 4.
  const W k = {0, 5, 0, 0, /**/ 0, 0, -6, 0, /**/ 0, 0, 0, 7, /**/ -8, 0, 0, 0};
  const B b = {10, 20, 30, 40};
  const CombinedLayer c = combine(k, b, 4, 4);
  EXPECT_EQ(c.fan_in, 4);
  EXPECT_EQ(c.groups, 1);
  EXPECT_EQ(c.per_group, 4);
  EXPECT_EQ(c.weight, (W{-8, 5, -6, 7}));
  EXPECT_EQ(c.kid, (std::vector<kid_t>{3, 0, 1, 2}));
  EXPECT_EQ(c.slot_channel, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(c.slot_bias, b);
  EXPECT_DOUBLE_EQ(c.efficiency, 1.0);
}

TEST(Combine, OverlappingKernelsNeedMoreGroups) {
  // k0 {0,1}, k1 {1,2}, k2 {2,3}, k3 {0}. FFD order k0, k1, k2, k3:
  // k0 -> g0; k1 hits g0 at 1 -> g1; k2 fits g0; k3 hits g0 at 0, fits g1.
  const W k = {1, 2, 0, 0, /**/ 0, 3, 4, 0, /**/ 0, 0, 5, 6, /**/ 7, 0, 0, 0};
  const B b = {-1, -2, -3, -4};
  const CombinedLayer c = combine(k, b, 4, 4);
  EXPECT_EQ(c.groups, 2);
  EXPECT_EQ(c.per_group, 2);
  EXPECT_EQ(c.slot_channel, (std::vector<int>{0, 2, 1, 3}));
  EXPECT_EQ(c.slot_bias, (B{-1, -3, -2, -4}));
  // rows f: (g0, g1)
  EXPECT_EQ(c.weight, (W{1, 7, /**/ 2, 3, /**/ 5, 4, /**/ 6, 0}));
  EXPECT_EQ(c.kid, (std::vector<kid_t>{0, 1, /**/ 0, 0, /**/ 1, 0, /**/ 1, 0}));
  EXPECT_DOUBLE_EQ(c.efficiency, 7.0 / 8.0);
}

TEST(Combine, DecreasingNonZeroOrderWithStableTies) {
  // k0 {0}, k1 {1,2,3}, k2 {0}, k3 {3}: order k1 (3 nnz), then k0, k2, k3 (ties by index).
  // k1 -> g0 slot 0; k0 -> g0 slot 1; k2 hits g0 -> g1 slot 0; k3 hits g0 -> g1 slot 1.
  const W k = {9, 0, 0, 0, /**/ 0, 1, 2, 3, /**/ 4, 0, 0, 0, /**/ 0, 0, 0, 5};
  const CombinedLayer c = combine(k, B{0, 1, 2, 3}, 4, 4);
  EXPECT_EQ(c.groups, 2);
  EXPECT_EQ(c.per_group, 2);
  EXPECT_EQ(c.slot_channel, (std::vector<int>{1, 0, 2, 3}));
  EXPECT_EQ(c.slot_bias, (B{1, 0, 2, 3}));
  EXPECT_EQ(c.weight, (W{9, 4, /**/ 1, 0, /**/ 2, 0, /**/ 3, 5}));
  EXPECT_EQ(c.kid, (std::vector<kid_t>{1, 0, /**/ 0, 0, /**/ 0, 0, /**/ 0, 1}));
}

TEST(Combine, MaxPerGroupIsHonoured) {
  const W k = {0, 5, 0, 0, /**/ 0, 0, -6, 0, /**/ 0, 0, 0, 7, /**/ -8, 0, 0, 0};
  const B b = {10, 20, 30, 40};
  const CombinedLayer c = combine(k, b, 4, 4, 3);
  EXPECT_EQ(c.groups, 2);
  EXPECT_EQ(c.per_group, 3);
  EXPECT_EQ(c.slot_channel, (std::vector<int>{0, 1, 2, 3, -1, -1}));
  EXPECT_EQ(c.slot_bias, (B{10, 20, 30, 40, 0, 0}));
  EXPECT_EQ(c.weight, (W{0, -8, /**/ 5, 0, /**/ -6, 0, /**/ 7, 0}));
  EXPECT_EQ(c.kid, (std::vector<kid_t>{0, 0, /**/ 0, 0, /**/ 1, 0, /**/ 2, 0}));
  EXPECT_DOUBLE_EQ(c.efficiency, 4.0 / 8.0);

  const CombinedLayer one = combine(k, b, 4, 4, 1);
  EXPECT_EQ(one.groups, 4);
  EXPECT_EQ(one.per_group, 1);
  EXPECT_EQ(one.slot_channel, (std::vector<int>{0, 1, 2, 3}));
}

TEST(Combine, ZeroKernelStillGetsASlot) {
  // k1 has no non-zeros but a bias; it goes last in the order and into the first group with room.
  const W k = {1, 2, 0, /**/ 0, 0, 0, /**/ 0, 0, 3};
  const B b = {5, 77, 9};
  const CombinedLayer c = combine(k, b, 3, 3);
  EXPECT_EQ(c.groups, 1);
  EXPECT_EQ(c.per_group, 3);
  EXPECT_EQ(c.slot_channel, (std::vector<int>{0, 2, 1}));
  EXPECT_EQ(c.slot_bias, (B{5, 9, 77}));
  EXPECT_EQ(c.weight, (W{1, 2, 3}));
  EXPECT_EQ(c.kid, (std::vector<kid_t>{0, 0, 1}));

  // All-zero layer: still one slot per kernel (bias only).
  const CombinedLayer z = combine(W(6, 0), B{1, 2}, 2, 3);
  EXPECT_EQ(z.groups, 1);
  EXPECT_EQ(z.per_group, 2);
  EXPECT_EQ(z.slot_channel, (std::vector<int>{0, 1}));
  EXPECT_EQ(z.slot_bias, (B{1, 2}));
  EXPECT_EQ(z.weight, W(3, 0));
  EXPECT_DOUBLE_EQ(z.efficiency, 0.0);

  // With a group limit the zero kernel opens a group of its own.
  const CombinedLayer lim = combine(k, b, 3, 3, 2);
  EXPECT_EQ(lim.groups, 2);
  EXPECT_EQ(lim.slot_channel, (std::vector<int>{0, 2, 1, -1}));
  EXPECT_EQ(lim.slot_bias, (B{5, 9, 77, 0}));
}

TEST(Combine, KernelCountNotAMultipleOfN) {
  // Pairs of complementary kernels over F = 4 (N = 2) and a fifth kernel: 3 groups, last half full.
  const W k = {1, 1, 0, 0, /**/ 0, 0, 2, 2, /**/ 3, 3, 0, 0, /**/ 0, 0, 4, 4, /**/ 0, 5, 5, 0};
  const B b = {1, 2, 3, 4, 5};
  const CombinedLayer c = combine(k, b, 5, 4);
  EXPECT_EQ(c.groups, 3);
  EXPECT_EQ(c.per_group, 2);
  EXPECT_EQ(c.slot_channel, (std::vector<int>{0, 1, 2, 3, 4, -1}));
  EXPECT_EQ(c.slot_bias, (B{1, 2, 3, 4, 5, 0}));
  EXPECT_DOUBLE_EQ(c.efficiency, 10.0 / 12.0);
  W back;
  B bb;
  decombine(c, 5, back, bb);
  EXPECT_EQ(back, k);
  EXPECT_EQ(bb, b);
}

TEST(Combine, RejectsBadSizes) {
  const W k(8, 1);
  const B b(2, 0);
  EXPECT_THROW(combine(k, b, 2, 3), Error);       // 8 != 2 x 3
  EXPECT_THROW(combine(k, B(3, 0), 2, 4), Error); // bias count
  EXPECT_THROW(combine(W{}, B{}, 0, 4), Error);   // no kernels
  EXPECT_THROW(combine(W{}, B{0}, 1, 0), Error);  // no inputs
  EXPECT_THROW(combine(k, b, 2, 4, -1), Error);   // bad limit
  EXPECT_THROW(combine_dense(k, b, 4, 4), Error); // 8 != 4 x 4
  EXPECT_THROW(combine_dense(k, B(1, 0), 2, 4), Error);
  EXPECT_NO_THROW(combine(k, b, 2, 4));
  try {
    combine(k, b, 2, 3);
  } catch (const Error &e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one-line message";
  }
}

TEST(Combine, RandomKernelsRoundTrip) {
  std::mt19937_64 eng(12345);
  for (int trial = 0; trial < 200; ++trial) {
    const int K = 1 + int(eng() % 40);
    const int F = 1 + int(eng() % 60);
    const int limit = int(eng() % 4 == 0 ? 0 : eng() % 6); // 0 = no limit, often small limits
    const int density_pct = int(eng() % 60);               // includes fully zero kernels
    W k(std::size_t(K) * F, 0);
    B b(K);
    for (auto &w : k) {
      if (int(eng() % 100) < density_pct) {
        const int v = int(eng() % 254); // non-zero in [-127, 127]
        w = static_cast<weight_t>(v < 127 ? v - 127 : v - 126);
      }
    }
    for (auto &v : b)
      v = static_cast<acc_t>(eng() % 200001) - 100000;
    SCOPED_TRACE("trial " + std::to_string(trial) + " K " + std::to_string(K) + " F " +
                 std::to_string(F) + " limit " + std::to_string(limit));

    const CombinedLayer c = combine(k, b, K, F, limit);
    ASSERT_GE(c.groups, 1);
    ASSERT_LE(c.groups, K);
    if (limit > 0) {
      EXPECT_LE(c.per_group, limit);
    }
    // per_group is the largest group's kernel count; no group is empty.
    int largest = 0;
    for (int g = 0; g < c.groups; ++g) {
      int used = 0;
      for (int n = 0; n < c.per_group; ++n)
        used += c.slot_channel[std::size_t(g) * c.per_group + n] >= 0;
      EXPECT_GE(used, 1);
      largest = std::max(largest, used);
    }
    EXPECT_EQ(largest, c.per_group);

    W back;
    B bb;
    decombine(c, K, back, bb);
    EXPECT_EQ(back, k);
    EXPECT_EQ(bb, b);
    // Every non-zero weight sits in its own kernel's group at row f with the kernel's id.
    for (int kk = 0; kk < K; ++kk) {
      const auto [g, n] = slot_of(c, kk);
      ASSERT_GE(g, 0);
      for (int f = 0; f < F; ++f) {
        const weight_t w = k[std::size_t(kk) * F + f];
        if (w == 0)
          continue;
        EXPECT_EQ(c.weight[std::size_t(f) * c.groups + g], w);
        EXPECT_EQ(c.kid[std::size_t(f) * c.groups + g], n);
      }
    }
    EXPECT_DOUBLE_EQ(c.efficiency, double(count_nonzero(k)) / (double(c.groups) * F));

    // Deterministic.
    const CombinedLayer again = combine(k, b, K, F, limit);
    EXPECT_EQ(again.weight, c.weight);
    EXPECT_EQ(again.kid, c.kid);
    EXPECT_EQ(again.slot_channel, c.slot_channel);
  }
}

TEST(Combine, DenseModeIsIdentity) {
  const W k = {1, 0, 2, /**/ 0, 0, 0, /**/ -3, 4, 0};
  const B b = {7, 8, 9};
  const CombinedLayer c = combine_dense(k, b, 3, 3);
  EXPECT_EQ(c.fan_in, 3);
  EXPECT_EQ(c.groups, 3);
  EXPECT_EQ(c.per_group, 1);
  EXPECT_EQ(c.weight, (W{1, 0, -3, /**/ 0, 0, 4, /**/ 2, 0, 0}));
  EXPECT_EQ(c.kid, std::vector<kid_t>(9, 0));
  EXPECT_EQ(c.slot_channel, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(c.slot_bias, b);
  EXPECT_DOUBLE_EQ(c.efficiency, 4.0 / 9.0);
  W back;
  B bb;
  decombine(c, 3, back, bb);
  EXPECT_EQ(back, k);
  EXPECT_EQ(bb, b);
}

TEST(Combine, NonzerosPerKernel) {
  EXPECT_EQ(nonzeros_per_kernel(0.95, 1600), 80);
  EXPECT_EQ(nonzeros_per_kernel(0.95, 1500), 75);
  EXPECT_EQ(nonzeros_per_kernel(0.0, 25), 25);
  EXPECT_EQ(nonzeros_per_kernel(0.5, 3), 2);      // 1.5 rounds up
  EXPECT_EQ(nonzeros_per_kernel(0.75, 10), 3);    // 2.5 rounds up (half away from zero)
  EXPECT_EQ(nonzeros_per_kernel(0.9, 25), 2);     // (1 - 0.9) * 25 is 2.4999... in double
  EXPECT_EQ(nonzeros_per_kernel(0.999, 10), 1);   // never below 1
  EXPECT_EQ(nonzeros_per_kernel(0.0001, 10), 10); // never above F
  EXPECT_EQ(nonzeros_per_kernel(0.0, 1), 1);
  EXPECT_THROW(nonzeros_per_kernel(0.5, 0), Error);
  EXPECT_THROW(nonzeros_per_kernel(1.0, 10), Error);
  EXPECT_THROW(nonzeros_per_kernel(-0.1, 10), Error);
}

// ---------------------------------------------------------------------------------------------
// synthesize_params() / synthesize_input()

LayerSpec conv(const char *name, int kernels, int kh, double sparsity, int pool, KwtaKind kwta,
               int k) {
  LayerSpec l;
  l.name = name;
  l.kind = LayerKind::Conv;
  l.kernels = kernels;
  l.kh = l.kw = kh;
  l.weight_sparsity = sparsity;
  l.pool = pool;
  l.kwta = kwta;
  l.k = k;
  return l;
}

LayerSpec linear(const char *name, int kernels, double sparsity, KwtaKind kwta, int k) {
  LayerSpec l = conv(name, kernels, 1, sparsity, 1, kwta, k);
  l.kind = LayerKind::Linear;
  return l;
}

/// The published GSC network with our default sparsities and k (design.md section 3).
NetworkSpec gsc_spec() {
  NetworkSpec s;
  s.name = "gsc";
  s.input = Shape{32, 32, 1};
  s.layers.push_back(conv("conv1", 64, 5, 0.0, 2, KwtaKind::Local, 6));
  s.layers.push_back(conv("conv2", 64, 5, 0.95, 2, KwtaKind::Local, 8));
  s.layers.push_back(linear("linear1", 1500, 0.95, KwtaKind::Global, 150));
  s.layers.push_back(linear("output", 12, 0.95, KwtaKind::None, 0));
  return s;
}

/// A small network whose F is not a multiple of nnz and whose Cout is not a multiple of N.
NetworkSpec odd_spec() {
  NetworkSpec s;
  s.name = "odd";
  s.input = Shape{9, 9, 3};
  s.layers.push_back(conv("c1", 20, 3, 0.9, 1, KwtaKind::Local, 5)); // F 27, nnz 3, N 9
  s.layers.push_back(conv("c2", 13, 3, 0.7, 2, KwtaKind::None, 0));  // F 180, nnz 54, N 3
  s.layers.push_back(linear("out", 7, 0.8, KwtaKind::None, 0));      // F 144, nnz 29, N 4
  return s;
}

struct LayerDims {
  int F, nnz, N;
};

std::vector<LayerDims> dims_of(const NetworkSpec &s) {
  std::vector<LayerDims> d;
  Shape in = s.input;
  for (const LayerSpec &l : s.layers) {
    Shape conv;
    int F;
    if (l.kind == LayerKind::Conv) {
      F = l.kh * l.kw * in.c;
      conv = Shape{(in.h - l.kh) / l.stride + 1, (in.w - l.kw) / l.stride + 1, l.kernels};
    } else {
      F = static_cast<int>(in.size());
      conv = Shape{1, 1, l.kernels};
    }
    const int nnz = nonzeros_per_kernel(l.weight_sparsity, F);
    d.push_back({F, nnz, std::min(l.kernels, F / nnz)});
    in = Shape{conv.h / l.pool, conv.w / l.pool, conv.c};
  }
  return d;
}

void check_blocks(const NetworkSpec &spec, const NetworkParams &p) {
  const std::vector<LayerDims> d = dims_of(spec);
  ASSERT_EQ(p.layers.size(), spec.layers.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    const LayerSpec &l = spec.layers[i];
    const LayerParams &lp = p.layers[i];
    const auto [F, nnz, N] = d[i];
    SCOPED_TRACE(l.name);
    ASSERT_EQ(lp.weights.size(), std::size_t(l.kernels) * F);
    ASSERT_EQ(lp.bias.size(), std::size_t(l.kernels));
    for (int k0 = 0; k0 < l.kernels; k0 += N) {
      std::vector<int> owner(F, -1);
      int covered = 0;
      for (int k = k0; k < std::min(l.kernels, k0 + N); ++k) {
        int count = 0;
        for (int f = 0; f < F; ++f) {
          const weight_t w = lp.weights[std::size_t(k) * F + f];
          if (w == 0)
            continue;
          ++count;
          EXPECT_GE(w, -127);
          EXPECT_EQ(owner[f], -1) << "kernels " << owner[f] << " and " << k << " share " << f;
          owner[f] = k;
        }
        EXPECT_EQ(count, nnz) << "kernel " << k;
        covered += count;
      }
      EXPECT_EQ(covered, nnz * std::min(N, l.kernels - k0));
    }

    const CombinedLayer c = combine(lp.weights, lp.bias, l.kernels, F);
    EXPECT_EQ(c.groups, (l.kernels + N - 1) / N);
    EXPECT_EQ(c.per_group, N);
    W back;
    B bb;
    decombine(c, l.kernels, back, bb);
    EXPECT_EQ(back, lp.weights);
    EXPECT_EQ(bb, lp.bias);
  }
}

TEST(Synthetic, GscBlocksAreComplementaryAndPackIntoCeilGroups) {
  const NetworkSpec spec = gsc_spec();
  const std::vector<LayerDims> d = dims_of(spec);
  EXPECT_EQ(d[0].N, 1);
  EXPECT_EQ(d[1].N, 20);
  EXPECT_EQ(d[2].N, 20);
  EXPECT_EQ(d[3].N, 12); // 1500 / 75 = 20 would fit, but there are only 12 kernels
  check_blocks(spec, synthesize_params(spec, 1));
  // Groups per layer: 64, 4, 75, 1.
  const NetworkParams p = synthesize_params(spec, 1);
  EXPECT_EQ(combine(p.layers[1].weights, p.layers[1].bias, 64, 1600).groups, 4);
  EXPECT_EQ(combine(p.layers[2].weights, p.layers[2].bias, 1500, 1600).groups, 75);
  EXPECT_EQ(combine(p.layers[3].weights, p.layers[3].bias, 12, 1500).groups, 1);
}

TEST(Synthetic, OddShapesPackIntoCeilGroups) {
  const NetworkSpec spec = odd_spec();
  const std::vector<LayerDims> d = dims_of(spec);
  EXPECT_EQ(d[0].F, 27);
  EXPECT_EQ(d[0].nnz, 3);
  EXPECT_EQ(d[0].N, 9);
  for (std::uint64_t seed : {0ull, 7ull, 0xFFFFFFFFFFFFFFFFull})
    check_blocks(spec, synthesize_params(spec, seed));
}

TEST(Synthetic, GscNonZeroCount) {
  const NetworkParams p = synthesize_params(gsc_spec(), 3);
  // 64*25 + 64*80 + 1500*80 + 12*75 (design.md reports 127,696 for the published network).
  const int expect[] = {1600, 5120, 120000, 900};
  long total = 0;
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(count_nonzero(p.layers[i].weights), expect[i]);
    total += count_nonzero(p.layers[i].weights);
  }
  EXPECT_EQ(total, 127620);
}

TEST(Synthetic, WeightsBiasesAndRequantInRange) {
  const NetworkParams p = synthesize_params(gsc_spec(), 5);
  for (const LayerParams &lp : p.layers) {
    bool neg = false, pos = false;
    for (weight_t w : lp.weights) {
      EXPECT_NE(w, -128);
      neg |= w < 0;
      pos |= w > 0;
    }
    EXPECT_TRUE(neg && pos);
    for (acc_t b : lp.bias) {
      EXPECT_GE(b, -1024);
      EXPECT_LE(b, 1024);
    }
    EXPECT_GE(lp.mult, 1);
    EXPECT_LE(lp.mult, 65535);
    EXPECT_GE(lp.shift, 1);
    EXPECT_LE(lp.shift, 40);
  }
  // Biases are not all equal.
  const auto &b = p.layers[2].bias;
  EXPECT_GT(std::set<acc_t>(b.begin(), b.end()).size(), 100u);
}

TEST(Synthetic, SameSeedSameParamsDifferentSeedDifferent) {
  const NetworkSpec spec = gsc_spec();
  const NetworkParams a = synthesize_params(spec, 42);
  const NetworkParams b = synthesize_params(spec, 42);
  const NetworkParams c = synthesize_params(spec, 43);
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].weights, b.layers[i].weights);
    EXPECT_EQ(a.layers[i].bias, b.layers[i].bias);
    EXPECT_EQ(a.layers[i].mult, b.layers[i].mult);
    EXPECT_EQ(a.layers[i].shift, b.layers[i].shift);
    EXPECT_NE(a.layers[i].weights, c.layers[i].weights);
    EXPECT_NE(a.layers[i].bias, c.layers[i].bias);
  }
  // Layers draw from independent streams: identical geometry, different weights.
  NetworkSpec twin;
  twin.input = Shape{1, 1, 10};
  twin.layers = {linear("a", 10, 0.8, KwtaKind::None, 0), linear("b", 10, 0.8, KwtaKind::None, 0)};
  const NetworkParams t = synthesize_params(twin, 1);
  EXPECT_NE(t.layers[0].weights, t.layers[1].weights);
}

// Locks the random scheme (synthetic.cpp header): identical on every platform and library.
TEST(Synthetic, StreamIsPinned) {
  std::uint64_t h = 1469598103934665603ull; // FNV-1a over weights and biases
  const auto mix = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  const NetworkParams p = synthesize_params(odd_spec(), 2024);
  for (const LayerParams &lp : p.layers) {
    for (weight_t w : lp.weights)
      mix(static_cast<std::uint8_t>(w));
    for (acc_t b : lp.bias)
      mix(static_cast<std::uint32_t>(b));
  }
  const std::vector<act_t> x = synthesize_input(Shape{4, 4, 2}, 2024);
  for (act_t v : x)
    mix(v);
  EXPECT_EQ(h, 0x9377d88760c137cdull) << std::hex << h;
}

TEST(Synthetic, InputIsSeededAndSpread) {
  const Shape s{32, 32, 1};
  const std::vector<act_t> a = synthesize_input(s, 9);
  EXPECT_EQ(a.size(), 1024u);
  EXPECT_EQ(a, synthesize_input(s, 9));
  EXPECT_NE(a, synthesize_input(s, 10));
  const std::set<act_t> distinct(a.begin(), a.end());
  EXPECT_GT(distinct.size(), 200u);
  EXPECT_THROW(synthesize_input(Shape{0, 1, 1}, 1), Error);
}

TEST(Synthetic, SpecRequantIsUsed) {
  NetworkSpec spec = odd_spec();
  spec.layers[0].requant_mult = 1234;
  spec.layers[0].requant_shift = 17;
  spec.layers[1].requant_shift = 20; // mult calibrated for this shift
  const NetworkParams p = synthesize_params(spec, 4);
  EXPECT_EQ(p.layers[0].mult, 1234);
  EXPECT_EQ(p.layers[0].shift, 17);
  EXPECT_EQ(p.layers[1].shift, 20);
  EXPECT_GE(p.layers[1].mult, 1);
  // Weights do not depend on requantization.
  const NetworkParams q = synthesize_params(odd_spec(), 4);
  EXPECT_EQ(p.layers[1].weights, q.layers[1].weights);

  spec.layers[1].requant_mult = 70000;
  EXPECT_THROW(synthesize_params(spec, 4), Error);
  spec.layers[1].requant_mult = 0;
  spec.layers[1].requant_shift = 41;
  EXPECT_THROW(synthesize_params(spec, 4), Error);
}

TEST(Synthetic, RejectsBadSpecsAndInt32Overflow) {
  NetworkSpec big;
  big.name = "big";
  big.input = Shape{1, 1, 200000}; // 255 * sum |w| ~ 255 * 64 * 200000 > 2^31
  big.layers = {linear("wide", 1, 0.0, KwtaKind::None, 0)};
  EXPECT_THROW(synthesize_params(big, 1), Error);
  big.layers[0].weight_sparsity = 0.9; // 20000 non-zeros: fits
  EXPECT_NO_THROW(synthesize_params(big, 1));

  NetworkSpec bad = odd_spec();
  bad.layers[0].kh = 10; // window larger than the 9x9 input
  EXPECT_THROW(synthesize_params(bad, 1), Error);
  bad = odd_spec();
  bad.layers[1].pool = 8; // 7x7 output
  EXPECT_THROW(synthesize_params(bad, 1), Error);
  bad = odd_spec();
  bad.layers[2].weight_sparsity = 1.0;
  EXPECT_THROW(synthesize_params(bad, 1), Error);
  bad.layers.clear();
  EXPECT_THROW(synthesize_params(bad, 1), Error);
}

/// Fractions of non-zero and saturated (255) values.
std::pair<double, double> fractions(const std::vector<act_t> &v) {
  long nz = 0, sat = 0;
  for (act_t a : v) {
    nz += a != 0;
    sat += a == 255;
  }
  return {double(nz) / double(v.size()), double(sat) / double(v.size())};
}

TEST(Synthetic, GscCalibrationGivesHealthyActivations) {
  const NetworkSpec spec = gsc_spec();
  for (std::uint64_t seed : {1ull, 99ull}) {
    const NetworkParams p = synthesize_params(spec, seed);
    // Both a fresh word and another one: calibration must generalise beyond its own input.
    for (std::uint64_t word : {seed + 1000, seed + 2000}) {
      const golden::Result r = golden::run(spec, p, synthesize_input(spec.input, word));
      ASSERT_EQ(r.layers.size(), 4u);
      for (std::size_t i = 0; i + 1 < r.layers.size(); ++i) {
        const auto [nz, sat] = fractions(r.layers[i].pooled); // before k-WTA
        std::vector<act_t> out(r.layers[i].out.begin(), r.layers[i].out.end());
        const auto [nz_out, sat_out] = fractions(out); // before max-pool
        SCOPED_TRACE("seed " + std::to_string(seed) + " word " + std::to_string(word) + " " +
                     spec.layers[i].name);
        RecordProperty(spec.layers[i].name + "_nonzero", std::to_string(nz));
        EXPECT_GT(nz, 0.05);
        EXPECT_LT(nz, 0.95);
        EXPECT_LT(sat, 0.05);
        EXPECT_GT(nz_out, 0.05);
        EXPECT_LT(nz_out, 0.95);
        EXPECT_LT(sat_out, 0.05);
      }
      // The logits are not all equal.
      const std::set<acc_t> logits(r.logits.begin(), r.logits.end());
      EXPECT_GT(logits.size(), 1u);
    }
  }
}

} // namespace
} // namespace cssim
