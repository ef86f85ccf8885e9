// Random small networks for the whole-network tests: shapes, sparsities, k, lanes, units, output
// lanes and engine parameters drawn from a seed, always a valid configuration.
#pragma once

#include "spec.h"

#include <cstdint>
#include <random>
#include <string>

namespace cssim::test {

struct RandomCase {
  NetworkSpec net;
  EngineSpec engine;
};

inline RandomCase random_case(std::uint32_t seed) {
  std::mt19937 rng(seed);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  RandomCase rc;
  rc.net.name = "random" + std::to_string(seed);
  rc.net.input = {pick(4, 10), pick(4, 10), pick(1, 6)};
  const double sparsities[] = {0.0, 0.5, 0.75, 0.9};
  const int layers = pick(1, 4);
  Shape in = rc.net.input;
  bool global_before = false, any_global = false;
  for (int l = 0; l < layers; ++l) {
    LayerSpec ls;
    ls.name = "l" + std::to_string(l);
    const bool last = l == layers - 1;
    const bool can_conv = !global_before && in.h >= 1 && in.w >= 1;
    ls.kind = can_conv && pick(0, 2) > 0 ? LayerKind::Conv : LayerKind::Linear;
    ls.kernels = pick(1, 24);
    ls.weight_sparsity = sparsities[pick(0, 3)];
    Shape out;
    if (ls.kind == LayerKind::Conv) {
      ls.kh = pick(1, std::min(3, in.h));
      ls.kw = pick(1, std::min(3, in.w));
      ls.stride = pick(1, 2);
      out = {(in.h - ls.kh) / ls.stride + 1, (in.w - ls.kw) / ls.stride + 1, ls.kernels};
    } else {
      out = {1, 1, ls.kernels};
    }
    if (!last) {
      if (out.h >= 2 && out.w >= 2 && pick(0, 2) == 0)
        ls.pool = 2;
      out.h /= ls.pool;
      out.w /= ls.pool;
      const int kind = pick(0, 2);
      if (kind == 1) {
        ls.kwta = KwtaKind::Local;
        ls.k = pick(1, out.c);
      } else if (kind == 2) {
        ls.kwta = KwtaKind::Global;
        ls.k = pick(1, int(out.size()));
      }
    }
    ls.lanes = pick(1, 8);
    ls.units = pick(1, 3);
    ls.out_lanes = pick(1, ls.kernels);
    global_before = ls.kwta == KwtaKind::Global;
    any_global = any_global || global_before;
    rc.net.layers.push_back(ls);
    in = out;
  }
  rc.engine.mem_latency = pick(1, 3);
  rc.engine.mul_latency = pick(1, 3);
  rc.engine.router_latency = pick(1, 3);
  rc.engine.fifo_depth = pick(1, 4);
  rc.engine.result_slots = pick(1, 3);
  rc.engine.kwta_impl = !any_global && pick(0, 1) ? KwtaImpl::SortNet : KwtaImpl::Histogram;
  const int values[] = {1, 4, 16, 64};
  const int bins[] = {8, 32, 256};
  rc.engine.kwta_values_per_cycle = values[pick(0, 3)];
  rc.engine.kwta_bins_per_cycle = bins[pick(0, 2)];
  return rc;
}

} // namespace cssim::test
