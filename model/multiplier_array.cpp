#include "multiplier_array.h"

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
  ProductBeat &o = pipe_.advance();
  const bool was_valid = o.tag.valid;
  o.tag = in.tag;
  if (!in.tag.valid && !was_valid)
    return; // an invalid stage already holds zeros
  const std::size_t G = groups_;
  if (in.tag.valid) {
    macs_ += std::uint64_t(lanes_) * G;
    for (int l = 0; l < lanes_; ++l)
      if (in.value[l])
        for (std::size_t g = 0; g < G; ++g)
          useful_ += in.weight[l * G + g] != 0;
  }
  for (int l = 0; l < lanes_; ++l) {
    const std::int32_t a = in.value[l];
    for (std::size_t g = 0; g < G; ++g) {
      o.product[l * G + g] = a * std::int32_t(in.weight[l * G + g]);
      o.kid[l * G + g] = in.kid[l * G + g];
    }
  }
}

} // namespace cssim
