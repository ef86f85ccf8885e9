// cssim fused datapath (fast engine only): the combine memory, multiplier array and router crossbar
// of one layer engine as one computation per batch of positions, for runs in which nothing looks
// at the beats between them (no VCD trace).
//
// Why it equals the per-block path: the three blocks are fixed-latency pipelines without
// back-pressure, and the combine memory's contents do not change while beats are in flight (the
// host loads them before reset ends). So the routed sums of a beat depend only on its lanes'
// (row, activation) pairs, whenever they are computed:
//   sum[u][g][n] = sum over the unit's valid lanes l with kid[row_l][g] == n of
//                  value_l * weight[row_l][g]
// which is what the multiplier array's products, routed by the crossbar's adder trees, add up to
// (lanes with a zero activation add nothing and are skipped). The accumulators only add a
// batch's beats up (bias + the sums of its beats) and look at the total at its last beat, so the
// fused datapath takes the whole batch's pairs when its first beat enters (the window
// generator's fields, whose slices the beats are: FieldView), adds them up at once, and hands the
// accumulators only the last beat's sums: the sums of the whole batch, delayed by mem + mul +
// router latency edges, the time the three blocks take (AccumulatorsCore::step_batch). They fit
// int32: plan_network rejects a layer whose worst-case sum does not.
//
// Beside the sums, a shift register of the beats' valid bits (and one of the last beats', whose
// tags and sums are kept) as long as the three blocks' latencies sees every beat enter every
// block at the same edge as the blocks do: it gives the same activity and macs, tells when the
// datapath is quiescent and when the accumulators take a beat. Row reads and useful macs
// (activation and weight both non-zero) are counted for the whole batch as its first beat enters:
// the same totals once the batch's beats are in, which they are when a run ends.
#pragma once

#include "combine_memory.h"
#include "spec.h"
#include "stream.h"

#include <cstdint>
#include <vector>

namespace cssim {

/// Activity and work counters of the combine memory, multiplier array and router crossbar.
struct DatapathCounters {
  Activity memory, multipliers, router;
  std::uint64_t reads = 0;       // combine-memory rows read
  std::uint64_t macs = 0;        // multiplications (lanes x G per valid beat)
  std::uint64_t useful_macs = 0; // of those, weight and activation both non-zero
};

namespace fused_detail {
/// Two lanes of a unit (N = 1): their rows of weights and their activations, a0 | a1 << 16. A lane
/// without a partner pairs with itself at activation 0.
struct RowPair {
  const std::int16_t *w0, *w1;
  std::uint32_t a;
};
/// sum[g] += sum over n pairs of a0 * w0[g] + a1 * w1[g], g < groups: the N = 1 routing of a
/// unit's lanes (fused_datapath.cpp). The portable form, and the one route() uses on this
/// processor.
using SumRows = void (*)(std::int32_t *sum, const RowPair *pairs, int n, std::size_t groups);
void sum_rows_portable(std::int32_t *sum, const RowPair *pairs, int n, std::size_t groups);
SumRows sum_rows();
/// sum[g] += sum over p < n of value[p] * w[p][g], g < groups: the N = 1 routing of a field with
/// every row in order (FieldView::in_order). `paired` holds the rows two by two, interleaved:
/// word k * groups + g is w[2k][g] | w[2k + 1][g] << 16 (int16 halves; a row past the memory's
/// is 0). The portable form, and the one route() uses on this processor.
using SumInOrder = void (*)(std::int32_t *sum, const std::uint32_t *paired, const act_t *value,
                            int n, std::size_t groups);
void sum_in_order_portable(std::int32_t *sum, const std::uint32_t *paired, const act_t *value,
                           int n, std::size_t groups);
SumInOrder sum_in_order();
} // namespace fused_detail

class FusedDatapath {
public:
  /// mem: the layer's combine memory (its rows are read by load()); units: Q.
  FusedDatapath(const CombineMemoryCore &mem, int units, const EngineSpec &engine);
  /// Takes the memory's rows as they are now; call after the parameters are loaded.
  void load();
  void reset();
  /// One rising edge: `in` is the tag of the window generator's beat before this edge; on a
  /// batch's first beat, `fields` holds the batch's pairs, one field per unit (the lanes of the
  /// beats are not read).
  void step(const BeatTag &in, const FieldView *fields);
  /// Whether the router's output, what the accumulators take at the next edge, is a valid beat.
  bool out_valid() const { return (in_flight_ >> out_bit_) & 1; }
  /// When that beat is a batch's last: its tag and the sums of all the batch's beats (what the
  /// router's outputs add up to; AccumulatorsCore::step_batch). Otherwise nullptr: the other
  /// beats' sums are not kept.
  const SumBeat *out_last() const {
    return (last_in_flight_ >> out_bit_) & 1 ? &last_[last_head_] : nullptr;
  }
  bool quiescent() const { return (in_flight_ & flight_mask_) == 0; }
  void skip(long n) { edges_ += n; } // only when quiescent: no valid beat moves
  DatapathCounters counters() const;

private:
  /// Adds a batch's routed sums into batch_ and counts its row reads and useful macs.
  void route(const FieldView *fields, int units_active);

  const CombineMemoryCore &mem_;
  int groups_, per_group_;
  // Edges a beat takes to enter the multiplier array and the router crossbar.
  int to_multipliers_, to_router_;
  // Bit i: a valid beat (a batch's last beat) entered the memory i edges ago; i < the total
  // latency: in flight. Bit out_bit_ = latency - 1 is the router's output.
  std::uint64_t in_flight_ = 0, last_in_flight_ = 0, flight_mask_ = 0;
  int out_bit_ = 0;
  // The tags and sums of the last beats in flight: a ring, oldest at last_head_.
  std::vector<SumBeat> last_;
  int last_head_ = 0, lasts_ = 0;
  long edges_ = 0;
  std::uint64_t entered_ = 0;       // valid beats that entered the memory
  std::vector<std::int32_t> batch_; // the sums of the batch whose beats are entering
  std::uint64_t reads_ = 0, useful_ = 0;

  // The memory's rows in the form route() reads them, built by load().
  std::vector<std::uint32_t> row_nonzeros_; // per row: non-zero weights
  // N = 1: row f's weights as int16, G of them from f * G (slot g of a unit is group g); and the
  // rows two by two, interleaved (fused_detail::SumInOrder), for fields with every row in order.
  std::vector<std::int16_t> dense_weight_;
  std::vector<std::uint32_t> paired_weight_;
  // N > 1: row f's entries with a non-zero weight (a zero weight adds nothing), from
  // entry_begin_[f] to entry_begin_[f + 1]: slot g * N + kid and weight; a multiple of 4 of them,
  // the last ones padded with (slot 0, weight 0), so that they are taken four at a time.
  std::vector<std::uint32_t> entry_begin_;
  std::vector<std::uint32_t> entry_slot_;
  std::vector<std::int32_t> entry_weight_;
  // N = 1: a unit's lanes with a non-zero activation, in pairs (an odd one out pairs with itself
  // at activation 0), summed in one pass over the groups
  std::vector<fused_detail::RowPair> pairs_;
  fused_detail::SumRows sum_rows_;
  fused_detail::SumInOrder sum_in_order_;
};

} // namespace cssim
