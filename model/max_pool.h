// cssim max-pool stage: takes the positions of an H x W x C map in raster order, one per edge, and
// emits each pool x pool window's maximum (stride pool) at the edge that takes the window's
// bottom-right position. Positions outside every window (the right/bottom remainder) are taken and
// dropped. A row of partial maxima is the only state.
#pragma once

#include "spec.h"
#include "stream_stage.h"

namespace cssim {

class MaxPoolCore : public StreamStage {
public:
  MaxPoolCore(const Shape &in, int pool);
  void reset() override;
  void step(bool in_valid, const Item *in, bool out_ready) override;
  Shape out_shape() const { return {in_.h / pool_, in_.w / pool_, in_.c}; }

private:
  Shape in_;
  int pool_;
  std::vector<std::int32_t> partial_; // (W / pool) x C
};

} // namespace cssim
