// cssim synthetic parameters and inputs: seeded, exactly complementary weight masks.
#pragma once

#include "spec.h"

#include <cstdint>
#include <vector>

namespace cssim {

/// Weights, biases and requantization for every layer. Kernels come in blocks of
/// N = min(kernels, F / nnz) that partition a random permutation of the F inputs, so each block is
/// exactly complementary; non-zero weights are int8 in [-127, 127] without 0. Requantization
/// (where the spec leaves it 0) is calibrated on a synthetic input so that activations use the
/// uint8 range without saturating most of it. Deterministic for a seed.
NetworkParams synthesize_params(const NetworkSpec &spec, std::uint64_t seed);

/// Chooses the requantization of every layer but the last whose spec leaves it open, layer by
/// layer, from the layer's accumulators over `words` (golden model, with the layers before it as
/// already chosen): the 99th percentile of the positive ones maps to about 200.
/// synthesize_params() calls it with one seeded calibration word.
void calibrate_requant(const NetworkSpec &spec, NetworkParams &params,
                       const std::vector<std::vector<act_t>> &words);

/// A seeded input word of spec.input values in [0, 255].
std::vector<act_t> synthesize_input(const Shape &shape, std::uint64_t seed);

} // namespace cssim
