// cssim fused datapath (fast engine only): the combine memory, multiplier array and router crossbar
// of one layer engine as one computation per beat, for runs in which nothing looks at the MemBeat
// and ProductBeat between them (no VCD trace).
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
// fused datapath adds each beat's sums into the batch's running sums as the beat enters, and
// hands the accumulators only the last beat's: the sums of the whole batch, delayed by mem + mul
// + router latency edges, the time the three blocks take (AccumulatorsCore::step_batch). They fit
// int32: plan_network rejects a layer whose worst-case sum does not. Beside them, three tag-only
// pipelines with the blocks' latencies, stepped in the same order (Pipeline, pipeline.h), see every
// beat enter every block at the same edge as the blocks do, and so count the same activity, row
// reads (entering the memory), macs and useful macs (entering the multipliers: activation and
// weight both non-zero, the row's non-zero count per non-zero lane), and tell when the datapath is
// quiescent.
#pragma once

#include "combine_memory.h"
#include "pipeline.h"
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
} // namespace fused_detail

class FusedDatapath {
public:
  /// mem: the layer's combine memory (its rows are read by load()); units: Q.
  FusedDatapath(const CombineMemoryCore &mem, int units, const EngineSpec &engine);
  /// Takes the memory's rows as they are now; call after the parameters are loaded.
  void load();
  void reset();
  /// One rising edge: `in` is the window generator's beat before this edge.
  void step(const ActBeat &in);
  /// The router's output tag, what the accumulators take at the next edge; on a batch's last beat
  /// the sums of all the batch's beats (what the router's outputs add up to), on its other beats
  /// sums that mean nothing (AccumulatorsCore::step_batch).
  const SumBeat &out() const { return sums_.out(); }
  bool quiescent() const { return sums_.quiescent(); }
  void skip(long n) {
    memory_.skip(n);
    multipliers_.skip(n);
    router_.skip(n);
  }
  DatapathCounters counters() const;

private:
  /// What the tag pipelines carry: the beat's tag and its useful macs.
  struct Tag {
    BeatTag tag;
    std::uint64_t useful = 0;
  };
  /// Adds a valid beat's routed sums into `out` (N = 1: into the batch's pairs, which the last
  /// beat sums into `out`) and counts its row reads and useful macs.
  void route(const ActBeat &in, std::vector<std::int32_t> &out, std::uint64_t &useful);

  const CombineMemoryCore &mem_;
  int units_, lanes_; // lanes per unit (P); a beat has units_ x lanes_ lanes
  int groups_, per_group_;
  Pipeline<Tag> memory_, multipliers_, router_;
  Pipeline<SumBeat> sums_;          // mem + mul + router latency registers
  std::vector<std::int32_t> batch_; // the running sums of the batch whose beats are entering
  std::uint64_t reads_ = 0, macs_ = 0, useful_ = 0;

  // The memory's rows in the form route() reads them, built by load().
  std::vector<std::uint32_t> row_nonzeros_; // per row: non-zero weights
  // N = 1: row f's weights as int16, G of them from f * G (slot g of a unit is group g).
  std::vector<std::int16_t> dense_weight_;
  // N > 1: row f's entries, G of them from f * G: slot g * N + kid and weight (a zero weight adds
  // nothing).
  std::vector<std::uint32_t> entry_slot_;
  std::vector<std::int32_t> entry_weight_;
  // N = 1: per unit, the valid lanes with a non-zero activation of the batch's beats so far, in
  // pairs (an odd one out pairs with itself at activation 0); summed at the batch's last beat
  struct UnitPairs {
    std::vector<fused_detail::RowPair> pair;
    bool open = false; // the last pair has one lane so far
  };
  std::vector<UnitPairs> pairs_;
  fused_detail::SumRows sum_rows_;
};

} // namespace cssim
