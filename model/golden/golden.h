// cssim golden model: the numeric contract of design.md section 2, written directly from the text.
// It knows nothing of the cycle models and must never call into them.
#pragma once

#include "spec.h"

#include <cstdint>
#include <vector>

namespace cssim::golden {

/// Everything one layer produced for one input word.
struct LayerResult {
  Shape conv_shape;               // shape of the convolution / linear output
  std::vector<acc_t> acc;         // int32 sums including bias, conv_shape, HWC
  std::vector<std::int32_t> out;  // requantize + ReLU of acc (0..255); the raw acc for the last layer
  Shape out_shape;                // after max-pool (== conv_shape without pooling)
  std::vector<act_t> pooled;      // after max-pool (empty for the last layer)
  std::vector<act_t> activations; // after k-WTA (== pooled without k-WTA): the next layer's input
};

struct Result {
  std::vector<LayerResult> layers;
  std::vector<acc_t> logits; // last layer's int32 outputs, HWC flat
  int predicted = 0;         // argmax of logits, ties to the lower index
};

/// requantize + ReLU: clamp((acc * mult + (1 << (shift - 1))) >> shift, 0, 255), in int64.
act_t requantize(acc_t acc, std::int64_t mult, int shift);

/// k-WTA over each spatial position's channels: the k largest stay, ties to the lower channel.
std::vector<act_t> kwta_local(const std::vector<act_t> &x, const Shape &s, int k);
/// k-WTA over the whole tensor: the k largest stay, ties to the lower flat index.
std::vector<act_t> kwta_global(const std::vector<act_t> &x, int k);
/// Max over each pool x pool window with stride pool (windows that do not fit are dropped).
std::vector<act_t> max_pool(const std::vector<act_t> &x, const Shape &s, int pool, Shape *out_shape);

/// Runs the whole network on one input word (HWC, spec.input). Throws cssim::Error on a
/// parameter or input of the wrong size.
Result run(const NetworkSpec &spec, const NetworkParams &params, const std::vector<act_t> &input);

} // namespace cssim::golden
