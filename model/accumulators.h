// cssim accumulators: Q x G x N int32 accumulators and the output stage. The first beat of a
// position batch loads bias + sum, later beats add; the last beat's totals are copied into the
// output stage's snapshot, which frees the accumulators for the next batch. The output stage then
// produces each active unit's vector in original channel order (the Combine permutation undone),
// R = out_lanes channels per edge per unit: channel c is the snapshot of the slot holding c,
// requantized (+ ReLU) or, for the last layer, passed on raw. A batch whose last beat arrives at
// edge a is pushed into the result buffer at edge a + D, D = ceil(kernels / R); the window
// generator spaces last beats at least D edges apart, so the snapshot is free when one arrives.
// The result buffer drains one output vector per transfer on valid/ready; every drained vector
// returns one credit to the window generator. The model computes the vectors when the snapshot is
// taken (they depend only on it) and pushes them when the output stage's edges are done.
#pragma once

#include "combine_memory.h"
#include "item_queue.h"
#include "stream.h"

#include <functional>

namespace cssim {

namespace acc_detail {
/// Requantize + ReLU of n accumulators into out; returns whether every one fits int32
/// (accumulators.cpp). The portable form, and the one this processor runs.
using Requantize = bool (*)(const std::int64_t *acc, std::int32_t *out, std::size_t n,
                            std::uint32_t mult, int shift);
bool requantize_portable(const std::int64_t *acc, std::int32_t *out, std::size_t n,
                         std::uint32_t mult, int shift);
Requantize requantize();
} // namespace acc_detail

class AccumulatorsCore {
public:
  /// params: the combine memory whose bias, channel and requantize registers this bank uses.
  /// out_lanes: R, channels the output stage produces per edge per unit.
  AccumulatorsCore(const CombineMemoryCore &params, int units, int kernels, bool last_layer,
                   int result_capacity, int out_lanes);
  void reset();
  /// One rising edge. out_ready: the receiver's ready before this edge.
  void step(const SumBeat &in, bool out_ready);
  /// The same edge for the fused datapath (fused_datapath.h), which tells only whether a beat
  /// arrives (beat_valid) but for a batch's last (last), which carries the sums of all the batch's
  /// beats: the batch's totals are bias + those sums, taken at its last beat. Same outputs, timing
  /// and counters as step() given the batch beat by beat; accumulator() is then not kept.
  void step_batch(bool beat_valid, const SumBeat *last, bool out_ready);
  void commit() { credit_q_ = credit_d_; }
  /// Nothing to pass on and no credit pulse: with an invalid input beat, stepping only counts an
  /// idle edge. skip(n) counts n such edges at once (SystemC idle skipping).
  bool quiescent() const { return !results_.valid() && credit_q_ == 0 && drain_left_ == 0; }
  void skip(long n) {
    edge_ += n;
    activity_.idle += n;
  }
  /// The edges the output stage only counts down, with no beat arriving: the result buffer empty,
  /// no credit pulse, and the stage busy for more than one more edge (its last pushes the
  /// batch's vectors). count_down(n) does n <= that many such edges at once.
  long countdown_edges() const {
    return results_.valid() || credit_q_ != 0 || drain_left_ < 2 ? 0 : drain_left_ - 1;
  }
  void count_down(long n) {
    edge_ += n;
    activity_.busy += n;
    drain_left_ -= int(n);
  }

  bool out_valid() const { return results_.valid(); }
  const ItemQueue &results() const { return results_; } // the result buffer
  const Item &out() const { return results_.front(); }
  int credit() const { return credit_q_; } // vectors drained at the last edge (0 or 1)
  /// busy: took a beat of sums, worked on a batch's results or passed a result on; stalled: a
  /// result waited for the receiver.
  const Activity &activity() const { return activity_; }
  int capacity() const { return results_.capacity(); }
  /// Edges the output stage takes per batch: ceil(kernels / out_lanes).
  int drain_edges() const { return drain_edges_; }
  /// Output-stage edges still to go for the batch in the snapshot (0: idle).
  int drain_left() const { return drain_left_; }
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
  /// The part of an edge that does not depend on the input beat's sums: counters, credit, the
  /// output stage.
  void begin_edge(bool beat_valid, bool out_ready);
  /// Throws std::logic_error if the output stage still holds a batch (the window generator's
  /// spacing of last beats rules that out).
  void output_stage_free() const;
  /// A batch's totals (units_active x G x N from `totals`): checks that they fit int32, puts the
  /// vectors they make into the snapshot and starts the output stage.
  void snapshot(const BeatTag &tag, const std::int64_t *totals);
  void push_results(long edge);

  int units_, kernels_;
  bool last_layer_;
  int drain_edges_;
  ItemQueue results_;
  std::vector<std::int64_t> acc_; // wide enough for any sum; checked against int32 on a last beat
  std::vector<std::int64_t> totals_; // step_batch: bias + the batch's sums
  // One unit's slots requantized (or, in the last layer, the raw sums) before they are placed in
  // channel order, and a 0 after them for the channels no slot holds.
  std::vector<std::int32_t> requantized_;
  acc_detail::Requantize requantize_;
  // Output stage: the vectors of the batch it holds (units_active x kernels, in channel order) and
  // its tag, and the edges still to go.
  std::vector<std::int32_t> snap_;
  BeatTag snap_tag_;
  int drain_left_ = 0;
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
