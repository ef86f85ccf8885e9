// cssim co-simulation: the layers the RTL layer engine is checked on. Each is one layer of a small
// network; rtl/params.cmake has a Verilated parameterization engine_<name> for each, with the
// layer's geometry and the Combine shape (groups, kernels per group) it gets.
#pragma once

#include "spec.h"

#include <string>

namespace cssim::cosim {

inline LayerSpec conv(const std::string &name, int kernels, int k_hw, double sparsity, int lanes) {
  LayerSpec l;
  l.name = name;
  l.kind = LayerKind::Conv;
  l.kernels = kernels;
  l.kh = l.kw = k_hw;
  l.weight_sparsity = sparsity;
  l.lanes = lanes;
  return l;
}

inline LayerSpec linear(const std::string &name, int kernels, double sparsity, int lanes) {
  LayerSpec l;
  l.name = name;
  l.kind = LayerKind::Linear;
  l.kernels = kernels;
  l.weight_sparsity = sparsity;
  l.lanes = lanes;
  return l;
}

/// One layer under test: the network around it, which layer, the mode, and the Combine shape the
/// Verilated parameterization was built for (the layer's out_lanes is set to the RTL's OutLanes).
struct EngineCase {
  NetworkSpec net;
  EngineSpec engine;
  int layer = 0;
  Mode mode = Mode::SparseSparse;
  int groups = 1, per_group = 1; // as in rtl/params.cmake
  int words = 2;
};

// conv, sparse-sparse: winners of a local k-WTA in, max-pool, FIFO and histogram k-WTA out.
inline EngineCase tiny_case() {
  EngineCase c;
  c.net.name = "tiny";
  c.net.input = {6, 6, 2};
  LayerSpec pre = conv("pre", 4, 1, 0.0, 2);
  pre.kwta = KwtaKind::Local;
  pre.k = 2;
  LayerSpec l = conv("conv", 6, 3, 0.5, 3);
  l.out_lanes = 2;
  l.pool = 2;
  l.kwta = KwtaKind::Local;
  l.k = 3;
  c.net.layers = {pre, l, linear("out", 3, 0.0, 2)};
  c.layer = 1;
  c.groups = 3;
  c.per_group = 2;
  return c;
}

// linear, the network's last layer: raw int32 outputs, no tail.
inline EngineCase linear_case() {
  EngineCase c;
  c.net.name = "linear";
  c.net.input = {4, 4, 3};
  LayerSpec pre = conv("pre", 6, 2, 0.0, 3);
  pre.kwta = KwtaKind::Local;
  pre.k = 2;
  LayerSpec fc = linear("fc", 5, 0.5, 4);
  fc.out_lanes = 2;
  c.net.layers = {pre, fc};
  c.layer = 1;
  c.groups = 3;
  c.per_group = 2;
  return c;
}

// dense mode (N = 1), two position units, the sorting-network k-WTA, input from the host.
inline EngineCase dense_case() {
  EngineCase c;
  c.net.name = "dense";
  c.net.input = {6, 6, 3};
  LayerSpec l = conv("conv", 4, 3, 0.5, 3);
  l.units = 2;
  l.out_lanes = 4;
  l.pool = 2;
  l.kwta = KwtaKind::Local;
  l.k = 2;
  c.net.layers = {l, linear("out", 3, 0.0, 2)};
  c.engine.kwta_impl = KwtaImpl::SortNet;
  c.layer = 0;
  c.mode = Mode::Dense;
  c.groups = 4;
  c.per_group = 1;
  return c;
}

// tiny_case's network with one lane per unit (two units): the router's pairs form and the
// accumulators' memory form; weights 80% sparse, so N = 5 (not a power of two) in two groups,
// one of them part-empty.
inline EngineCase p1_case() {
  EngineCase c = tiny_case();
  c.net.name = "p1";
  LayerSpec &l = c.net.layers[1];
  l.weight_sparsity = 0.8;
  l.lanes = 1;
  l.units = 2;
  c.groups = 2;
  c.per_group = 5;
  return c;
}

// GSC conv2's engine: F = 1600 (5x5x64), 95% sparse, N = 20, G = 4, P = 10, on a 6x6 input.
inline EngineCase conv2_case() {
  EngineCase c;
  c.net.name = "conv2";
  c.net.input = {6, 6, 1};
  LayerSpec pre = conv("conv1", 64, 1, 0.0, 1);
  pre.kwta = KwtaKind::Local;
  pre.k = 6;
  LayerSpec l = conv("conv2", 64, 5, 0.95, 10);
  l.out_lanes = 8;
  l.pool = 2;
  l.kwta = KwtaKind::Local;
  l.k = 8;
  c.net.layers = {pre, l, linear("out", 12, 0.0, 4)};
  c.engine.mem_latency = 2;
  c.engine.result_slots = 4;
  c.layer = 1;
  c.groups = 4;
  c.per_group = 20;
  c.words = 1;
  return c;
}

} // namespace cssim::cosim
