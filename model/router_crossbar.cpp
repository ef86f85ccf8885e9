#include "router_crossbar.h"

#include <algorithm>

namespace cssim {

SumBeat RouterCrossbarCore::blank(int units, int groups, int per_group) {
  SumBeat b;
  b.sum.assign(std::size_t(units) * groups * per_group, 0);
  return b;
}

RouterCrossbarCore::RouterCrossbarCore(int units, int lanes_per_unit, int groups, int per_group,
                                       int latency)
    : units_(units), lanes_(lanes_per_unit), groups_(groups), per_group_(per_group),
      pipe_(latency, blank(units, groups, per_group)) {}

void RouterCrossbarCore::step(const ProductBeat &in) {
  SumBeat *stage = pipe_.advance(in.tag);
  if (!stage)
    return;
  SumBeat &o = *stage;
  std::fill(o.sum.begin(), o.sum.end(), 0);
  const std::size_t G = groups_, N = per_group_;
  for (int u = 0; u < units_; ++u) {
    std::int32_t *__restrict sum = &o.sum[std::size_t(u) * G * N];
    for (int p = 0; p < lanes_; ++p) {
      const std::size_t l = std::size_t(u) * lanes_ + p;
      const std::int32_t *__restrict prod = &in.product[l * G];
      if (N == 1) { // one kernel per group: a plain adder tree per group
        for (std::size_t g = 0; g < G; ++g)
          sum[g] += prod[g];
        continue;
      }
      const std::uint16_t *kid = &in.kid[l * G];
      for (std::size_t g = 0; g < G; ++g)
        sum[g * N + kid[g]] += prod[g];
    }
  }
}

} // namespace cssim
