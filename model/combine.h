// cssim Combine (offline): overlays sparse kernels with disjoint supports into dense groups.
// Each position of a group holds one (weight, kernel id) entry; the combine memory stores one
// row per input index f with one entry per group (design.md section 1).
#pragma once

#include "spec.h"

#include <cstdint>
#include <vector>

namespace cssim {

using kid_t = std::uint16_t;

struct CombinedLayer {
  int fan_in = 0;                // F: rows of the combine memory
  int groups = 0;                // G
  int per_group = 0;             // N: kernel slots per group (kernel ids 0..N-1)
  std::vector<weight_t> weight;  // F x G, row-major: weight[f * G + g]
  std::vector<kid_t> kid;        // F x G: kernel id of weight[f * G + g] (0 where the weight is 0)
  std::vector<int> slot_channel; // G x N: original output channel of slot g * N + n, -1 if empty
  std::vector<int> channel_slot; // per original output channel: the slot holding it (the inverse)
  std::vector<acc_t> slot_bias;  // G x N: bias of the slot's kernel, 0 if empty
  double efficiency = 0.0;       // non-zero weights / (G * F)
};

/// Packs arbitrary kernels (kernels x F, kernel-major) into as few groups as it can: first-fit
/// over kernels ordered by decreasing non-zero count, a kernel joins the first group whose support
/// it does not touch and that has fewer than max_per_group kernels (0 = no limit). Deterministic.
/// The result's per_group is the largest group's kernel count.
CombinedLayer combine(const std::vector<weight_t> &kernels, const std::vector<acc_t> &bias,
                      int kernel_count, int fan_in, int max_per_group = 0);

/// Dense mode: every kernel its own group (N = 1), zeros stored as weights.
CombinedLayer combine_dense(const std::vector<weight_t> &kernels, const std::vector<acc_t> &bias,
                            int kernel_count, int fan_in);

/// Non-zero weights per kernel for a weight sparsity s: max(1, round((1 - s) * F)).
int nonzeros_per_kernel(double weight_sparsity, int fan_in);

} // namespace cssim
