// cssim FIFO between layers: `depth` items, registered valid and ready. An item written at an edge
// can leave at the next edge; ready is high while fewer than `depth` items are held.
#pragma once

#include "stream_stage.h"

namespace cssim {

class FifoCore : public StreamStage {
public:
  explicit FifoCore(int depth) : StreamStage(depth) {}
  void reset() override { clear_stage(); }
  void step(bool in_valid, const Item *in, bool out_ready) override {
    count(in_valid && ready_q_, q_.valid(), out_ready, false);
    q_.drain(out_ready);
    if (in_valid && ready_q_)
      q_.push(*in);
    ready_d_ = !q_.full();
  }
  int size() const { return q_.size(); }
};

} // namespace cssim
