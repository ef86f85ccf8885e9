#include "multiplier_array.h"

#include <algorithm>

namespace cssim {

ProductBeat MultiplierArrayCore::blank(int lanes, int groups) {
  ProductBeat b;
  b.product.assign(std::size_t(lanes) * groups, 0);
  b.kid.assign(std::size_t(lanes) * groups, 0);
  return b;
}

MultiplierArrayCore::MultiplierArrayCore(int lanes, int groups, int latency)
    : lanes_(lanes), groups_(groups), pipe_(latency, blank(lanes, groups)) {}

void MultiplierArrayCore::step(const MemBeat &in) {
  ProductBeat *stage = pipe_.advance(in.tag);
  if (!stage)
    return;
  ProductBeat &o = *stage;
  const std::size_t G = groups_;
  std::copy(in.kid.begin(), in.kid.end(), o.kid.begin());
  std::uint64_t useful = 0;
  for (int l = 0; l < lanes_; ++l) {
    const std::int32_t a = in.value[l];
    const weight_t *__restrict w = &in.weight[l * G];
    std::int32_t *__restrict p = &o.product[l * G];
    if (a == 0) {
      std::fill_n(p, G, 0);
      continue;
    }
    int nonzero = 0;
    for (std::size_t g = 0; g < G; ++g) {
      p[g] = a * std::int32_t(w[g]);
      nonzero += w[g] != 0;
    }
    useful += std::uint64_t(nonzero);
  }
  if (in.tag.valid) {
    macs_ += std::uint64_t(lanes_) * G;
    useful_ += useful;
  }
}

} // namespace cssim
