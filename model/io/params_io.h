// cssim: network parameter and input files on top of NumPy .npz / .npy (layout in FORMATS.md).
//
// Parameters: one .npz per network with, for every layer L (LayerSpec::name):
//   L.weight  int8  conv (kernels, kh, kw, Cin), linear (kernels, F), F = H*W*C of the HWC input
//   L.bias    int32 (kernels,)
//   L.requant int64 (2,) = [mult, shift]; required for every layer but the last
// Inputs: one .npy of uint8, shape (H, W, C) for one word or (words, H, W, C).
#pragma once

#include "spec.h"

#include <string>
#include <vector>

namespace cssim {

/// The output shape of one layer for input shape `in`: convolution (valid padding, stride) or
/// linear (1 x 1 x kernels), then max-pool (window = stride = pool, partial windows dropped).
/// Throws cssim::Error naming `network` and the layer if a window does not fit.
Shape layer_output_shape(const LayerSpec &layer, const Shape &in, const std::string &network = "");

/// The input shape of every layer (one entry per layer; entry 0 is spec.input).
/// Throws cssim::Error naming the network and layer if the spec is inconsistent.
std::vector<Shape> layer_input_shapes(const NetworkSpec &spec);

/// Weights per kernel: kh*kw*Cin for a convolution, H*W*C of the input for a linear layer.
long layer_fan_in(const LayerSpec &layer, const Shape &in);

/// Reads the parameter .npz at `path` for `spec`. Missing, unknown, wrongly typed or wrongly
/// shaped members, and requantization outside mult [1, 65535], shift [1, 40], are cssim::Errors
/// naming the file, the member and the reason. The last layer's L.requant is optional (it is not
/// used by the numeric contract; without it mult = shift = 1).
NetworkParams load_params(const NetworkSpec &spec, const std::string &path);

/// Writes `params` for `spec` as a stored .npz at `path` in the layout load_params reads
/// (L.requant is written for every layer, the last included, so the round trip is exact).
void save_params(const NetworkSpec &spec, const NetworkParams &params, const std::string &path);

/// Reads input words from a uint8 .npy of shape (H, W, C) (one word) or (words, H, W, C), where
/// (H, W, C) must equal spec.input. Each word is HWC flat.
std::vector<std::vector<act_t>> load_inputs(const NetworkSpec &spec, const std::string &path);

/// Writes input words as a uint8 .npy of shape (words, H, W, C).
void save_inputs(const NetworkSpec &spec, const std::vector<std::vector<act_t>> &words,
                 const std::string &path);

} // namespace cssim
