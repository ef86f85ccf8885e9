// cssim host side of a network instance: the source that streams input words into the first
// layer (one position per edge, words back to back) and the sink that takes the last layer's
// output vectors (always ready). Both record the edges of their transfers; these define the
// cycle-accounting contract (README, "Cycle accounting").
#pragma once

#include "item_queue.h"
#include "spec.h"

#include <vector>

namespace cssim {

class HostSourceCore {
public:
  HostSourceCore(const Shape &shape, std::vector<std::vector<act_t>> words);
  void reset();
  void step(bool out_ready) {
    if (q_.valid() && !out_ready) // the item waits: nothing moves
      ++edge_;
    else
      move(out_ready);
  }
  bool out_valid() const { return q_.valid(); }
  const Item &out() const { return q_.front(); }
  bool done() const { return word_ == words_.size() && !q_.valid(); }
  /// Edge at which each word's first position was taken by the first layer.
  const std::vector<long> &word_start() const { return start_; }

private:
  void move(bool out_ready); // step() when an item is taken or the queue is empty
  Shape shape_;
  std::vector<std::vector<act_t>> words_;
  std::size_t word_ = 0;
  int pos_ = 0;
  ItemQueue q_;
  long edge_ = 0;
  std::vector<long> start_;
};

class HostSinkCore {
public:
  explicit HostSinkCore(int positions) : positions_(positions) {}
  void reset();
  void step(bool in_valid, const Item *in) {
    if (in_valid)
      take(*in);
    ++edge_;
  }
  bool in_ready() const { return true; }
  /// Edge at which each word's last output vector was taken.
  const std::vector<long> &word_done() const { return done_; }
  /// Each word's outputs, HWC flat (the logits).
  const std::vector<std::vector<acc_t>> &outputs() const { return out_; }
  long edges() const { return edge_; }

private:
  void take(const Item &in);
  int positions_;
  long edge_ = 0;
  std::vector<long> done_;
  std::vector<std::vector<acc_t>> out_;
  std::vector<acc_t> current_;
};

} // namespace cssim

#include "clocked.h"

namespace cssim {

struct HostSource : ClockedShell {
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  HostSource(const sc_core::sc_module_name &name, HostSourceCore &c) : ClockedShell(name), core(c) {
    clocked(&HostSource::tick);
  }
  HostSourceCore &core;

private:
  void tick() {
    if (!rst_ni.read())
      core.reset();
    else
      core.step(ready_i.read());
    drive(valid_o, data_o, ready_i.read(), core.out_valid(),
          core.out_valid() ? &core.out() : nullptr);
  }
};

using HostSink = SinkShell<HostSinkCore>;

} // namespace cssim
