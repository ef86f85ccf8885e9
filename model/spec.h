// cssim: the plain description of a network, its parameters and the hardware it runs on.
// These structs are shared by the configuration loader, the golden model and the cycle models.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cssim {

using act_t = std::uint8_t;   // activations (design.md section 2)
using weight_t = std::int8_t; // weights
using acc_t = std::int32_t;   // biases, products, sums

/// Height x width x channels; tensors are stored HWC (flat index (y*W + x)*C + c).
struct Shape {
  int h = 1, w = 1, c = 1;
  long size() const { return static_cast<long>(h) * w * c; }
  bool operator==(const Shape &o) const { return h == o.h && w == o.w && c == o.c; }
  bool operator!=(const Shape &o) const { return !(*this == o); }
};

enum class LayerKind { Conv, Linear };
enum class KwtaKind { None, Local, Global };
enum class KwtaImpl { Histogram, SortNet };
enum class Mode { Dense, SparseDense, SparseSparse };
/// How the multiplier array's products are built (resource model only; the timing is the same):
/// one product per DSP48E2, two products sharing the activation per DSP48E2, or LUT logic.
enum class MultiplierImpl { Dsp, DspPacked, Lut };
/// Where the combine memory's copies live (resource model only): Auto picks by depth and width
/// (model/resources.cpp, combine_memory).
enum class MemoryKind { Auto, LutRam, Bram, Uram };

/// One compute layer with its optional max-pool and k-WTA that follow it.
/// Order inside a layer: conv/linear -> (+bias, requantize + ReLU unless last) -> max-pool ->
/// k-WTA.
struct LayerSpec {
  std::string name;
  LayerKind kind = LayerKind::Conv;
  int kernels = 1;                // Cout
  int kh = 1, kw = 1, stride = 1; // convolution window (valid padding); linear: 1, 1, 1
  double weight_sparsity = 0.0;   // fraction of zero weights per kernel, [0, 1)
  int pool = 1;                   // max-pool window = stride; 1 = no pooling
  KwtaKind kwta = KwtaKind::None;
  int k = 0;                     // winners per position (local) or per tensor (global)
  std::int64_t requant_mult = 0; // 0 = chosen by the synthetic generator
  int requant_shift = 0;         // 0 = chosen by the synthetic generator
  // hardware parallelism of this layer's engine
  int lanes = 1; // P: (index, value) pairs streamed per cycle per position unit
  int units = 1; // Q: output positions processed at once
  /// R: output channels the accumulators' output stage requantizes per edge per unit; 0 (not
  /// configured) means min(16, kernels). A position's results take ceil(kernels / R) edges.
  int out_lanes = 0;
  int output_lanes() const { return out_lanes > 0 ? out_lanes : (kernels < 16 ? kernels : 16); }
};

struct NetworkSpec {
  std::string name;
  Shape input;
  std::vector<LayerSpec> layers;
};

/// Micro-architecture parameters shared by all layer engines.
struct EngineSpec {
  int mem_latency = 1;    // combine-memory read latency, cycles
  int mul_latency = 1;    // multiplier pipeline depth
  int router_latency = 1; // crossbar adder-tree pipeline depth
  int fifo_depth = 4;     // FIFO between layers, items
  int result_slots = 2;   // accumulator result buffer, output vectors (per position unit)
  KwtaImpl kwta_impl = KwtaImpl::Histogram;
  int kwta_values_per_cycle = 16; // histogram k-WTA: values counted / selected per cycle
  int kwta_bins_per_cycle = 32;   // histogram k-WTA: bins scanned per cycle
  MultiplierImpl multiplier_impl = MultiplierImpl::Dsp;
  MemoryKind combine_memory = MemoryKind::Auto;
};

struct BoardSpec {
  std::string name;
  long lut = 0, ff = 0, dsp = 0, bram36 = 0, uram = 0;
  int slrs = 1;
  double clock_mhz = 100.0;
  double power_w = 0.0;
  double cap_lut = 0.7, cap_ff = 0.5, cap_bram = 0.8, cap_uram = 0.8, cap_dsp = 0.8;
};

/// Integer parameters of one layer as the numeric contract sees them.
/// weights: kernel-major, kernels x F, F in contract order ((dy*kw + dx)*Cin + c for convolutions).
struct LayerParams {
  std::vector<weight_t> weights;
  std::vector<acc_t> bias; // one per kernel
  std::int64_t mult = 1;   // requantize multiplier, [1, 65535]
  int shift = 1;           // requantize shift, [1, 40]
};

struct NetworkParams {
  std::vector<LayerParams> layers;
};

} // namespace cssim
