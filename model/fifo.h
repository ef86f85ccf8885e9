// cssim FIFO between layers: `depth` items, registered valid and ready. An item written at an edge
// can leave at the next edge; ready is high while fewer than `depth` items are held.
#pragma once

#include "item_queue.h"
#include "stream_stage.h"

namespace cssim {

class FifoCore : public StreamStage {
public:
  explicit FifoCore(int depth) : q_(depth) {}
  void reset() override {
    clear_activity();
    q_.clear();
    ready_q_ = ready_d_ = true;
  }
  void step(bool in_valid, const Item *in, bool out_ready) override {
    count(in_valid && ready_q_, q_.valid(), out_ready, false);
    q_.drain(out_ready);
    if (in_valid && ready_q_)
      q_.push(*in);
    ready_d_ = !q_.full();
  }
  void commit() override { ready_q_ = ready_d_; }
  bool quiescent() const override { return !q_.valid() && ready_q_ == ready_d_; }
  bool in_ready() const override { return ready_q_; }
  bool out_valid() const override { return q_.valid(); }
  const Item &out() const override { return q_.front(); }
  int size() const { return q_.size(); }

private:
  ItemQueue q_;
  bool ready_q_ = true, ready_d_ = true;
};

} // namespace cssim
