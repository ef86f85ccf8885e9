// cssim accumulators: Q x G x N int32 accumulators. The first beat of a position batch loads
// bias + sum, later beats add; on the last beat each active unit's slots are requantized (+ ReLU)
// or, for the last layer, passed on raw, placed in original channel order, and pushed into the
// result buffer. The result buffer drains one output vector per transfer on valid/ready; every
// drained vector returns one credit to the window generator.
#pragma once

#include "combine_memory.h"
#include "item_queue.h"
#include "stream.h"

#include <functional>

namespace cssim {

class AccumulatorsCore {
public:
  /// params: the combine memory whose bias, channel and requantize registers this bank uses.
  AccumulatorsCore(const CombineMemoryCore &params, int units, int kernels, bool last_layer,
                   int result_capacity);
  void reset();
  /// One rising edge. out_ready: the receiver's ready before this edge.
  void step(const SumBeat &in, bool out_ready);
  void commit() { credit_q_ = credit_d_; }
  /// Nothing to pass on and no credit pulse: with an invalid input beat, stepping only counts an
  /// idle edge. skip(n) counts n such edges at once (SystemC idle skipping).
  bool quiescent() const { return !results_.valid() && credit_q_ == 0; }
  void skip(long n) {
    edge_ += n;
    activity_.idle += n;
  }

  bool out_valid() const { return results_.valid(); }
  const Item &out() const { return results_.front(); }
  int credit() const { return credit_q_; } // vectors drained at the last edge (0 or 1)
  /// busy: took a beat of sums or passed a result on; stalled: a result waited for the receiver.
  const Activity &activity() const { return activity_; }
  int capacity() const { return results_.capacity(); }
  /// Accumulator of unit u, slot s (for tracing).
  std::int64_t accumulator(int u, int s) const {
    return acc_[std::size_t(u) * params_.groups() * params_.per_group() + s];
  }
  /// Edge (from reset) at which each frame's last result vector was pushed.
  const std::vector<long> &frame_end() const { return frame_end_; }

  /// Called with every result vector as it is pushed (for checking against the golden model).
  std::function<void(const Item &)> on_result;

private:
  const CombineMemoryCore &params_;
  int units_, kernels_;
  bool last_layer_;
  ItemQueue results_;
  std::vector<std::int64_t> acc_; // wide enough to hold any sum; checked against int32 on push
  std::vector<std::int32_t> requantized_; // one unit's slots requantized, before placing them
  int credit_q_ = 0, credit_d_ = 0;
  long edge_ = 0;
  std::vector<long> frame_end_;
  Activity activity_;
};

} // namespace cssim

#include "clocked.h"

namespace cssim {

struct Accumulators : ClockedShell {
  sc_core::sc_in<SumBeat> beat_i{"beat_i"};
  sc_core::sc_out<bool> valid_o{"valid_o"};
  sc_core::sc_out<Item> data_o{"data_o"};
  sc_core::sc_in<bool> ready_i{"ready_i"};
  sc_core::sc_out<int> credit_o{"credit_o"};
  Accumulators(const sc_core::sc_module_name &name, AccumulatorsCore &c);
  AccumulatorsCore &core;

private:
  void wake_on_inputs() override { wake_on(beat_i.value_changed_event()); }
  void tick();
};

} // namespace cssim
