// cssim layer engine: one layer's datapath. The window generator streams receptive fields into the
// combine memory; the multiplier array, router crossbar and accumulators follow as a fixed-latency
// pipeline without back-pressure (the window generator only starts a batch for which result space
// is reserved, by credits); the layer's tail (max-pool, a FIFO, k-WTA; the next layer's window
// generator takes the result) is a chain of valid/ready stages. The FIFO sits in front of the
// k-WTA, which takes one position at a time, so that the burst of pooled positions a row pair
// produces need not stall the engine. The last layer has no tail: its results go to the host.
//
//   in -> WindowGenerator -> CombineMemory -> MultiplierArray -> RouterCrossbar -> Accumulators
//         ^ credits <-------------------------------------------------------------'   |
//                                                     [MaxPool] -> [FIFO] -> [k-WTA] -> out
#pragma once

#include "accumulators.h"
#include "combine.h"
#include "combine_memory.h"
#include "fused_datapath.h"
#include "multiplier_array.h"
#include "router_crossbar.h"
#include "spec.h"
#include "stream_stage.h"
#include "window_generator.h"

#include <memory>
#include <string>
#include <vector>

namespace cssim {

/// Everything needed to build one layer engine, derived from the spec, parameters and mode.
struct LayerPlan {
  std::string name;
  WindowGeometry geo;
  int kernels = 1;
  int out_lanes = 1; // R: channels the accumulators' output stage produces per edge per unit
  bool last = false;
  Shape conv_out; // accumulator output map
  int pool = 1;
  Shape pooled; // after max-pool
  KwtaKind kwta = KwtaKind::None;
  int k = 0;
  int pairs_per_position = 0; // (index, value) pairs in each receptive field as streamed
  int beats_per_position() const { return (pairs_per_position + geo.lanes - 1) / geo.lanes; }
  CombinedLayer combined;
  std::int64_t mult = 1;
  int shift = 1;
};

/// Builds the plans of a whole network for a mode. Throws cssim::Error on inconsistent input,
/// including parameters whose worst-case accumulator could leave int32.
std::vector<LayerPlan> plan_network(const NetworkSpec &spec, const NetworkParams &params,
                                    Mode mode);

class LayerEngine {
public:
  LayerEngine(const LayerPlan &plan, const EngineSpec &engine);
  // Its blocks refer to one another (the accumulators to the memory's registers, out_ to a queue).
  LayerEngine(const LayerEngine &) = delete;
  LayerEngine &operator=(const LayerEngine &) = delete;
  void reset();
  /// Writes the layer's parameters into the combine memory (what the host does over TLM).
  void load_parameters();

  /// Kernel-free stepping (fast engine): edge number t (from reset, counting from 0) for the whole
  /// engine, downstream blocks first so that every block sees its senders' outputs as they were
  /// before the edge. in_valid/in: the layer's input stream; out_ready: the receiver of the
  /// layer's output. asleep(t, in_valid) tells, cheaply, that this call would do nothing.
  void step(long t, bool in_valid, const Item *in, bool out_ready) {
    if (!asleep(t, in_valid))
      step_awake(t, in_valid, in, out_ready);
  }
  /// Asleep at edge t (see step_awake): the edge changes nothing but idle counters, which the
  /// blocks count when the layer wakes (settle).
  bool asleep(long t, bool in_valid) const { return !in_valid && t < wake_at_; }
  void commit() {
    if (!asleep_) // asleep: the blocks' ready and credit registers already hold their values
      commit_awake();
  }
  /// After a layer slept through edges (step), brings its blocks up to date to edge t (the next
  /// edge to step: the number of edges stepped); call before reading their state or counters.
  void settle(long t);
  /// Every block quiescent: with no input item, an edge changes nothing but idle counters.
  bool quiescent() const;
  /// The edges during which, with no input item, only the accumulators' output stage counts down
  /// (every other block idle, AccumulatorsCore::countdown_edges); 0 if there are none.
  long countdown_edges() const;

  /// Fast engine: runs the combine memory, multiplier array and router crossbar as one fused
  /// datapath (fused_datapath.h; same outputs, timing and counters, no MemBeat or ProductBeat, and
  /// the window generator's beats carry only their tags) or block by block (the default; needed
  /// when their beats are traced). Call before reset(); the fused datapath takes the parameters
  /// loaded by then (and any load_parameters() after).
  void fuse_datapath(bool on);
  bool datapath_fused() const { return fused_ != nullptr; }
  /// The counters of the combine memory, multiplier array and router crossbar, from whichever
  /// form ran.
  DatapathCounters datapath_counters() const;

  bool in_ready() const { return wg_.in_ready(); }
  bool out_valid() const { return out_->valid(); }
  const Item &out() const { return out_->front(); }

  const LayerPlan &plan() const { return plan_; }
  WindowGeneratorCore &window_generator() { return wg_; }
  CombineMemoryCore &memory() { return mem_; }
  MultiplierArrayCore &multipliers() { return mul_; }
  RouterCrossbarCore &router() { return router_; }
  AccumulatorsCore &accumulators() { return acc_; }
  std::vector<std::unique_ptr<StreamStage>> &tail() { return tail_; }
  const std::vector<std::string> &tail_names() const { return tail_names_; }

  /// Edges (counted from reset) at which each frame's first beat issued and last result was
  /// pushed; a layer's cycles for a word are end - start + 1.
  const std::vector<long> &frame_start() const { return wg_.frame_start(); }
  const std::vector<long> &frame_end() const { return acc_.frame_end(); }

private:
  void step_awake(long t, bool in_valid, const Item *in, bool out_ready);
  /// The combine memory, multiplier array and router crossbar (or the fused datapath) and every
  /// tail stage quiescent.
  bool datapath_and_tail_quiescent() const;
  void commit_awake();

  LayerPlan plan_;
  WindowGeneratorCore wg_;
  CombineMemoryCore mem_;
  MultiplierArrayCore mul_;
  RouterCrossbarCore router_;
  AccumulatorsCore acc_;
  std::unique_ptr<FusedDatapath> fused_; // set: the fused datapath replaces mem_, mul_, router_
  EngineSpec engine_;
  // Sleeping (step_awake): since which edge, until which edge unless an input item comes (0:
  // awake), and whether the output stage counts down meanwhile.
  bool asleep_ = false;
  long sleep_from_ = 0, wake_at_ = 0;
  bool counting_down_ = false;
  std::vector<std::unique_ptr<StreamStage>> tail_;
  std::vector<std::string> tail_names_;
  const ItemQueue *out_; // the layer's output: the tail's last queue, or the result buffer
};

} // namespace cssim
