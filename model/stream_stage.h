// cssim: the common face of the valid/ready stages between the accumulators and the next layer
// (max-pool, k-WTA, FIFO), so that a layer's tail can be chained and stepped uniformly. Each has
// an output register queue (valid = not empty, data = its front) and a registered ready; they live
// here, so that the handshake is read without a virtual call.
#pragma once

#include "item_queue.h"
#include "stream.h"

namespace cssim {

class StreamStage {
public:
  virtual ~StreamStage() = default;
  virtual void reset() = 0;
  /// One rising edge: in_valid/in from the sender and out_ready from the receiver, as they were
  /// before the edge.
  virtual void step(bool in_valid, const Item *in, bool out_ready) = 0;
  /// Makes the ready computed by step() visible (after every block has stepped).
  void commit() { ready_q_ = ready_d_; }
  bool in_ready() const { return ready_q_; }
  bool out_valid() const { return q_.valid(); }
  const ItemQueue &queue() const { return q_; } // the output register queue
  const Item &out() const { return q_.front(); }
  const Activity &activity() const { return activity_; }
  /// Nothing held, nothing in progress, ready settled: with no input item, stepping only counts an
  /// idle edge. skip(n) counts n such edges at once (SystemC idle skipping).
  bool quiescent() const { return settled() && !working_; }
  void skip(long n) { activity_.idle += n; }

protected:
  explicit StreamStage(int capacity) : q_(capacity) {}
  /// Empties the output queue, sets ready and clears the counters (for reset()).
  void clear_stage() {
    q_.clear();
    ready_q_ = ready_d_ = true;
    working_ = false;
    activity_ = {};
  }
  /// The output queue empty and ready settled (the whole of quiescent() for a stage that holds
  /// nothing else).
  bool settled() const { return !q_.valid() && ready_q_ == ready_d_; }
  /// Counts one edge: stalled when an output waited for a receiver that was not ready.
  void count(bool in_fire, bool out_valid_before, bool out_ready, bool working) {
    activity_.count(in_fire || (out_valid_before && out_ready) || working,
                    out_valid_before && !out_ready);
  }

  ItemQueue q_;
  bool ready_q_ = true, ready_d_ = true; // ready before this edge, after it (commit())
  bool working_ = false; // work in progress beyond the output queue (set by the stage)

private:
  Activity activity_;
};

} // namespace cssim

#include "clocked.h"

namespace cssim {

/// SystemC shell of any valid/ready stage (max-pool, k-WTA, FIFO); the module name tells which.
struct StreamStageShell : ClockedShell {
  sc_core::sc_in<bool> valid_i{"valid_i"};
  sc_core::sc_in<Item> data_i{"data_i"};
  sc_core::sc_out<bool> ready_o{"ready_o"};
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  StreamStageShell(const sc_core::sc_module_name &name, StreamStage &c)
      : ClockedShell(name), core(c) {
    clocked(&StreamStageShell::tick);
  }
  StreamStage &core;

private:
  void wake_on_inputs() override { wake_on(valid_i.value_changed_event()); }
  void tick() {
    run_edge(
        core,
        [this] {
          const bool v = valid_i.read();
          core.step(v, v ? &data_i.read() : nullptr, ready_i.read());
          core.commit();
        },
        [this] {
          ready_o.write(core.in_ready());
          drive(valid_o, data_o, ready_i.read(), core.out_valid(),
                core.out_valid() ? &core.out() : nullptr);
        },
        [this] { return !valid_i.read(); });
  }
};

} // namespace cssim
