// cssim Combine (offline): first-fit-decreasing overlay of sparse kernels into dense groups.
#include "combine.h"

#include "error.h"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cssim {

namespace {

void check_sizes(const char *what, const std::vector<weight_t> &kernels,
                 const std::vector<acc_t> &bias, int kernel_count, int fan_in) {
  const std::string w = what;
  if (kernel_count < 1)
    throw Error(w + ": kernel count " + std::to_string(kernel_count) + " must be at least 1");
  if (fan_in < 1)
    throw Error(w + ": fan-in " + std::to_string(fan_in) + " must be at least 1");
  const std::size_t want = std::size_t(kernel_count) * std::size_t(fan_in);
  if (kernels.size() != want)
    throw Error(w + ": " + std::to_string(kernels.size()) +
                " weights given, kernels x fan-in = " + std::to_string(want));
  if (bias.size() != std::size_t(kernel_count))
    throw Error(w + ": " + std::to_string(bias.size()) + " biases given for " +
                std::to_string(kernel_count) + " kernels");
}

/// Bit j set where w[j] != 0, for the n <= 64 weights from w.
std::uint64_t nonzero_bits(const weight_t *w, std::size_t n) {
  std::uint64_t bits = 0;
  std::size_t j = 0;
#if defined(__SSE2__)
  // 16 weights per step: compare with zero, one mask bit per byte.
  const __m128i zero = _mm_setzero_si128();
  for (; j + 16 <= n; j += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i *>(w + j));
    const auto is_zero = std::uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero)));
    bits |= std::uint64_t(~is_zero & 0xffffu) << j;
  }
#endif
  for (; j < n; ++j)
    bits |= std::uint64_t(w[j] != 0) << j;
  return bits;
}

/// The inverse of a slot -> channel map: per channel the slot holding it, -1 for none.
std::vector<int> invert(const std::vector<int> &slot_channel, int channels) {
  std::vector<int> slot(std::size_t(channels), -1);
  for (std::size_t s = 0; s < slot_channel.size(); ++s)
    if (slot_channel[s] >= 0)
      slot[std::size_t(slot_channel[s])] = static_cast<int>(s);
  return slot;
}

} // namespace

CombinedLayer combine(const std::vector<weight_t> &kernels, const std::vector<acc_t> &bias,
                      int kernel_count, int fan_in, int max_per_group) {
  check_sizes("combine", kernels, bias, kernel_count, fan_in);
  if (max_per_group < 0)
    throw Error("combine: max_per_group " + std::to_string(max_per_group) +
                " must be 0 (no limit) or positive");
  const std::size_t F = std::size_t(fan_in);
  const std::size_t limit =
      max_per_group == 0 ? std::numeric_limits<std::size_t>::max() : std::size_t(max_per_group);

  // Non-zero positions of every kernel as a bit set, 64 positions per word (bit f % 64 of word
  // f / 64), so that testing a kernel against a group's occupied positions takes F / 64 ANDs.
  const std::size_t words = (F + 63) / 64;
  std::vector<std::uint64_t> support(std::size_t(kernel_count) * words);
  std::vector<std::size_t> nnz(kernel_count);
  std::size_t total_nnz = 0;
  for (int k = 0; k < kernel_count; ++k) {
    const weight_t *row = kernels.data() + std::size_t(k) * F;
    std::uint64_t *bits = &support[std::size_t(k) * words];
    for (std::size_t w = 0; w < words; ++w) {
      bits[w] = nonzero_bits(row + 64 * w, std::min<std::size_t>(64, F - 64 * w));
      nnz[k] += std::bitset<64>(bits[w]).count();
    }
    total_nnz += nnz[k];
  }

  // Decreasing non-zero count; the stable sort keeps ties in the original kernel order.
  std::vector<int> order(kernel_count);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return nnz[a] > nnz[b]; });

  // First fit: the first group with room whose occupied positions the kernel does not touch.
  // A kernel without non-zeros touches nothing and still takes a slot (it carries a bias).
  std::vector<std::uint64_t> used;       // per group: occupied positions, `words` words
  std::vector<std::vector<int>> members; // per group: kernels in slot order
  for (int k : order) {
    const std::uint64_t *bits = &support[std::size_t(k) * words];
    std::size_t g = 0;
    for (; g < members.size(); ++g) {
      if (members[g].size() >= limit)
        continue;
      const std::uint64_t *u = &used[g * words];
      std::size_t w = 0;
      while (w < words && !(u[w] & bits[w]))
        ++w;
      if (w == words)
        break;
    }
    if (g == members.size()) {
      used.resize(used.size() + words, 0);
      members.emplace_back();
    }
    for (std::size_t w = 0; w < words; ++w)
      used[g * words + w] |= bits[w];
    members[g].push_back(k);
  }

  CombinedLayer c;
  c.fan_in = fan_in;
  c.groups = static_cast<int>(members.size());
  std::size_t n_max = 0;
  for (const auto &m : members)
    n_max = std::max(n_max, m.size());
  if (n_max > std::size_t(std::numeric_limits<kid_t>::max()) + 1)
    throw Error("combine: " + std::to_string(n_max) +
                " kernels in one group exceed the 16-bit kernel id");
  c.per_group = static_cast<int>(n_max);

  const std::size_t G = members.size(), N = n_max;
  c.weight.assign(F * G, 0);
  c.kid.assign(F * G, 0);
  c.slot_channel.assign(G * N, -1);
  c.slot_bias.assign(G * N, 0);
  for (std::size_t g = 0; g < G; ++g) {
    for (std::size_t n = 0; n < members[g].size(); ++n) {
      const int k = members[g][n];
      c.slot_channel[g * N + n] = k;
      c.slot_bias[g * N + n] = bias[k];
      for (std::size_t w = 0; w < words; ++w)
        for (std::uint64_t b = support[std::size_t(k) * words + w]; b; b &= b - 1) {
          const std::size_t f = 64 * w + std::size_t(__builtin_ctzll(b)); // lowest set bit
          c.weight[f * G + g] = kernels[std::size_t(k) * F + f];
          c.kid[f * G + g] = static_cast<kid_t>(n);
        }
    }
  }
  c.efficiency = double(total_nnz) / (double(G) * double(F));
  c.channel_slot = invert(c.slot_channel, kernel_count);
  return c;
}

CombinedLayer combine_dense(const std::vector<weight_t> &kernels, const std::vector<acc_t> &bias,
                            int kernel_count, int fan_in) {
  check_sizes("combine_dense", kernels, bias, kernel_count, fan_in);
  const std::size_t F = std::size_t(fan_in), G = std::size_t(kernel_count);
  CombinedLayer c;
  c.fan_in = fan_in;
  c.groups = kernel_count;
  c.per_group = 1;
  c.weight.assign(F * G, 0);
  c.kid.assign(F * G, 0); // one slot per group: every kernel id is 0
  c.slot_channel.resize(G);
  c.slot_bias = bias;
  std::size_t nnz = 0;
  for (std::size_t g = 0; g < G; ++g) {
    c.slot_channel[g] = static_cast<int>(g);
    for (std::size_t f = 0; f < F; ++f) {
      const weight_t w = kernels[g * F + f];
      c.weight[f * G + g] = w;
      nnz += w != 0;
    }
  }
  c.efficiency = double(nnz) / (double(G) * double(F));
  c.channel_slot = c.slot_channel; // slot g holds channel g
  return c;
}

int nonzeros_per_kernel(double weight_sparsity, int fan_in) {
  if (fan_in < 1)
    throw Error("nonzeros_per_kernel: fan-in " + std::to_string(fan_in) + " must be at least 1");
  if (!(weight_sparsity >= 0.0 && weight_sparsity < 1.0))
    throw Error("nonzeros_per_kernel: weight sparsity " + std::to_string(weight_sparsity) +
                " is outside [0, 1)");
  const long n = std::lround((1.0 - weight_sparsity) * double(fan_in));
  return static_cast<int>(std::clamp<long>(n, 1, fan_in));
}

} // namespace cssim
