// cssim synthetic parameters and inputs.
//
// Random numbers (identical on every platform and standard library):
//   * Every random stream is a std::mt19937_64 (its output sequence is fixed by the C++ standard)
//     seeded with mix64(seed + (stream + 1) * 0x9E3779B97F4A7C15), where mix64 is the SplitMix64
//     finalizer. Stream 0 is synthesize_input(); stream l + 1 is layer l of synthesize_params().
//     Layer l's weights therefore depend only on the seed, l and the layer's own geometry.
//   * A value in [0, n) is drawn from the raw 64-bit engine output r by rejection: r is redrawn
//     while r < (2^64 - n) mod n, then r mod n is returned (unbiased). No std:: distributions are
//     used, because their algorithms differ between standard libraries.
//   * Permutations are Fisher-Yates (i = F-1 down to 1, swap with draw(i + 1)), not std::shuffle.
//
// Parameters of layer l, drawn from its stream in this order:
//   1. weights, block by block: N = min(kernels, F / nnz) kernels per block (the last block may be
//      shorter); each block draws a fresh permutation perm of 0..F-1, and kernel n of the block
//      owns positions perm[n*nnz .. (n+1)*nnz), visited in that order, each drawing a non-zero
//      int8 weight uniform over [-127, -1] u [1, 127];
//   2. biases, kernel by kernel, uniform int32 in [-kBiasRange, kBiasRange] = [-1024, 1024]
//      (small next to typical accumulators, which reach 10^4..10^5).
//   The worst case |bias| + 255 * sum |w| of every kernel must fit int32, else cssim::Error.
//
// Requantization calibration (every layer but the last, wherever the spec leaves requant_mult
// or requant_shift at 0), layer by layer in order:
//   * the calibration word is synthesize_input(spec.input, seed ^ 0x63616C6962726174 ("calibrat"));
//   * golden::run executes layers 0..l (the earlier layers with their final parameters, layer l
//     as a last layer without pool / k-WTA) and yields layer l's accumulators;
//   * p = the 99th percentile (nearest rank) of the strictly positive accumulators (p = 1 if there
//     are none); the rule maps p to kTarget = 200, leaving headroom up to 255 so that only about
//     the top 1% of positive outputs come near saturation, while ReLU keeps every positive one;
//   * neither given: shift = 16 and mult = round(200 * 2^shift / p); while mult > 65535 the shift
//     is lowered (down to 1), while mult < 128 (coarse) it is raised (up to 40); mult is finally
//     clamped to [1, 65535];
//   * only the shift given: mult = clamp(round(200 * 2^shift / p), 1, 65535);
//   * only the mult given: the shift in [1, 40] whose round(p * mult / 2^shift) is closest to 200
//     (ties to the smaller shift).
//   Values the spec gives are used as they are (after a range check). The last layer has no
//   requantization; it keeps the spec's values or 1.
#include "synthetic.h"

#include "combine.h"
#include "error.h"
#include "golden/golden.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string>

namespace cssim {

namespace {

constexpr std::uint64_t kGoldenGamma = 0x9E3779B97F4A7C15ull;
constexpr std::uint64_t kCalibrationSalt = 0x63616C6962726174ull; // "calibrat"
constexpr std::int32_t kBiasRange = 1024;
constexpr std::int64_t kTarget = 200; // requantized value of the 99th-percentile accumulator
constexpr int kDefaultShift = 16;
constexpr std::int64_t kMinPreciseMult = 128;

std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::mt19937_64 stream_engine(std::uint64_t seed, std::uint64_t stream) {
  return std::mt19937_64(mix64(seed + (stream + 1) * kGoldenGamma));
}

/// Uniform in [0, n), n >= 1, from the raw 64-bit engine output (rejection, unbiased).
std::uint64_t draw(std::mt19937_64 &eng, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n; // 2^64 mod n
  for (;;) {
    const std::uint64_t r = static_cast<std::uint64_t>(eng());
    if (r >= threshold)
      return r % n;
  }
}

weight_t draw_weight(std::mt19937_64 &eng) {
  const int v = static_cast<int>(draw(eng, 254)); // 0..253
  return static_cast<weight_t>(v < 127 ? v - 127 : v - 126);
}

struct Geometry {
  Shape in;       // layer input
  int fan_in = 0; // F
  Shape conv;     // convolution / linear output
  Shape out;      // after max-pool
};

[[noreturn]] void fail(const LayerSpec &l, int index, const std::string &why) {
  throw Error("synthesize_params: layer " + std::to_string(index) + " '" + l.name + "': " + why);
}

std::vector<Geometry> geometry(const NetworkSpec &spec) {
  if (spec.layers.empty())
    throw Error("synthesize_params: network '" + spec.name + "' has no layers");
  if (spec.input.h < 1 || spec.input.w < 1 || spec.input.c < 1)
    throw Error("synthesize_params: network '" + spec.name + "': input shape " +
                std::to_string(spec.input.h) + "x" + std::to_string(spec.input.w) + "x" +
                std::to_string(spec.input.c) + " is empty");
  std::vector<Geometry> geo;
  Shape in = spec.input;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec &l = spec.layers[i];
    const int idx = static_cast<int>(i);
    Geometry g;
    g.in = in;
    if (l.kernels < 1)
      fail(l, idx, "kernels " + std::to_string(l.kernels) + " must be at least 1");
    long fan_in = 0;
    if (l.kind == LayerKind::Conv) {
      if (l.kh < 1 || l.kw < 1 || l.stride < 1)
        fail(l, idx, "kernel window and stride must be at least 1");
      if (l.kh > in.h || l.kw > in.w)
        fail(l, idx,
             "kernel " + std::to_string(l.kh) + "x" + std::to_string(l.kw) +
                 " does not fit the input " + std::to_string(in.h) + "x" + std::to_string(in.w));
      fan_in = long(l.kh) * l.kw * in.c;
      g.conv = Shape{(in.h - l.kh) / l.stride + 1, (in.w - l.kw) / l.stride + 1, l.kernels};
    } else {
      fan_in = in.size();
      g.conv = Shape{1, 1, l.kernels};
    }
    if (fan_in > INT_MAX)
      fail(l, idx, "fan-in " + std::to_string(fan_in) + " is too large");
    g.fan_in = static_cast<int>(fan_in);
    if (l.pool < 1)
      fail(l, idx, "pool " + std::to_string(l.pool) + " must be at least 1");
    g.out = Shape{g.conv.h / l.pool, g.conv.w / l.pool, g.conv.c};
    if (g.out.h < 1 || g.out.w < 1)
      fail(l, idx, "pool " + std::to_string(l.pool) + " is larger than its input");
    geo.push_back(g);
    in = g.out;
  }
  return geo;
}

void check_requant(const LayerSpec &l, int idx) {
  if (l.requant_mult != 0 && (l.requant_mult < 1 || l.requant_mult > 65535))
    fail(l, idx, "requant mult " + std::to_string(l.requant_mult) + " is outside [1, 65535]");
  if (l.requant_shift != 0 && (l.requant_shift < 1 || l.requant_shift > 40))
    fail(l, idx, "requant shift " + std::to_string(l.requant_shift) + " is outside [1, 40]");
}

std::int64_t mult_for(std::int64_t p, int shift) {
  return ((kTarget << shift) + p / 2) / p;
}

/// Chooses (mult, shift) from the 99th-percentile positive accumulator p (see the file comment).
void calibrate(std::int64_t p, const LayerSpec &l, LayerParams &lp) {
  if (l.requant_mult != 0 && l.requant_shift != 0) {
    lp.mult = l.requant_mult;
    lp.shift = l.requant_shift;
  } else if (l.requant_mult == 0 && l.requant_shift == 0) {
    int shift = kDefaultShift;
    std::int64_t mult = mult_for(p, shift);
    while (mult > 65535 && shift > 1)
      mult = mult_for(p, --shift);
    while (mult < kMinPreciseMult && shift < 40)
      mult = mult_for(p, ++shift);
    lp.mult = std::clamp<std::int64_t>(mult, 1, 65535);
    lp.shift = shift;
  } else if (l.requant_mult == 0) {
    lp.shift = l.requant_shift;
    lp.mult = std::clamp<std::int64_t>(mult_for(p, lp.shift), 1, 65535);
  } else {
    lp.mult = l.requant_mult;
    const std::int64_t scaled = p * lp.mult;
    std::int64_t best = -1;
    for (int s = 1; s <= 40; ++s) {
      const std::int64_t v = (scaled + (std::int64_t(1) << (s - 1))) >> s;
      const std::int64_t d = std::llabs(v - kTarget);
      if (best < 0 || d < best) {
        best = d;
        lp.shift = s;
      }
    }
  }
}

} // namespace

std::vector<act_t> synthesize_input(const Shape &shape, std::uint64_t seed) {
  if (shape.h < 1 || shape.w < 1 || shape.c < 1)
    throw Error("synthesize_input: shape " + std::to_string(shape.h) + "x" +
                std::to_string(shape.w) + "x" + std::to_string(shape.c) + " is empty");
  std::mt19937_64 eng = stream_engine(seed, 0);
  std::vector<act_t> x(static_cast<std::size_t>(shape.size()));
  for (auto &v : x)
    v = static_cast<act_t>(draw(eng, 256));
  return x;
}

NetworkParams synthesize_params(const NetworkSpec &spec, std::uint64_t seed) {
  const std::vector<Geometry> geo = geometry(spec);
  const std::size_t L = spec.layers.size();
  NetworkParams params;
  params.layers.resize(L);

  // Weights and biases: independent of requantization, so draw them all first.
  for (std::size_t i = 0; i < L; ++i) {
    const LayerSpec &l = spec.layers[i];
    const int idx = static_cast<int>(i);
    check_requant(l, idx);
    const int F = geo[i].fan_in;
    const int K = l.kernels;
    int nnz = 0;
    try {
      nnz = nonzeros_per_kernel(l.weight_sparsity, F);
    } catch (const Error &e) {
      fail(l, idx, e.what());
    }
    const int N = std::min(K, F / nnz);
    LayerParams &lp = params.layers[i];
    lp.weights.assign(std::size_t(K) * F, 0);
    lp.bias.assign(K, 0);
    std::mt19937_64 eng = stream_engine(seed, i + 1);
    std::vector<int> perm(F);
    for (int k0 = 0; k0 < K; k0 += N) {
      std::iota(perm.begin(), perm.end(), 0);
      for (int j = F - 1; j > 0; --j)
        std::swap(perm[j], perm[draw(eng, std::uint64_t(j) + 1)]);
      for (int n = 0; n < N && k0 + n < K; ++n) {
        weight_t *row = lp.weights.data() + std::size_t(k0 + n) * F;
        for (int t = 0; t < nnz; ++t)
          row[perm[std::size_t(n) * nnz + t]] = draw_weight(eng);
      }
    }
    for (int k = 0; k < K; ++k)
      lp.bias[k] = static_cast<acc_t>(draw(eng, 2 * kBiasRange + 1)) - kBiasRange;

    // Worst-case accumulator: |bias| + 255 * sum |w| must fit int32.
    for (int k = 0; k < K; ++k) {
      std::int64_t worst = std::llabs(lp.bias[k]);
      const weight_t *row = lp.weights.data() + std::size_t(k) * F;
      for (int f = 0; f < F; ++f)
        worst += 255 * std::int64_t(std::abs(int(row[f])));
      if (worst > INT32_MAX)
        fail(l, idx,
             "kernel " + std::to_string(k) + ": worst-case accumulator " + std::to_string(worst) +
                 " overflows int32 (fan-in " + std::to_string(F) + ")");
    }
    lp.mult = l.requant_mult != 0 ? l.requant_mult : 1;
    lp.shift = l.requant_shift != 0 ? l.requant_shift : 1;
  }

  calibrate_requant(spec, params, {synthesize_input(spec.input, seed ^ kCalibrationSalt)});
  return params;
}

void calibrate_requant(const NetworkSpec &spec, NetworkParams &params,
                       const std::vector<std::vector<act_t>> &words) {
  // Layer by layer (the last layer has none): layer i's sums depend on the layers before it.
  for (std::size_t i = 0; i + 1 < spec.layers.size(); ++i) {
    const LayerSpec &l = spec.layers[i];
    if (l.requant_mult != 0 && l.requant_shift != 0)
      continue;
    NetworkSpec prefix = spec;
    prefix.layers.resize(i + 1);
    LayerSpec &last = prefix.layers.back();
    last.pool = 1;
    last.kwta = KwtaKind::None;
    last.k = 0;
    NetworkParams pp;
    pp.layers.assign(params.layers.begin(), params.layers.begin() + i + 1);
    pp.layers.back().mult = 1;
    pp.layers.back().shift = 1;
    std::vector<acc_t> pos;
    for (const auto &word : words) {
      const golden::Result r = golden::run(prefix, pp, word);
      for (acc_t a : r.layers.at(i).acc)
        if (a > 0)
          pos.push_back(a);
    }
    std::int64_t p = 1;
    if (!pos.empty()) {
      const std::size_t rank = (99 * pos.size() + 99) / 100; // ceil(0.99 n), 1-based
      std::nth_element(pos.begin(), pos.begin() + (rank - 1), pos.end());
      p = pos[rank - 1];
    }
    calibrate(p, l, params.layers[i]);
  }
}

} // namespace cssim
