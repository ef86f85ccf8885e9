// cssim network instance: the host source, one layer engine per layer joined by FIFOs, and the
// host sink; run either by the SystemC kernel (each block a clocked module) or by the kernel-free
// fast engine that steps the same cores. Both give the same outputs and cycle counts.
#pragma once

#include "host.h"
#include "layer_engine.h"
#include "spec.h"

#include <memory>
#include <string>
#include <vector>

namespace cssim {

enum class EngineKind { Fast, SystemC };

struct RunOptions {
  Mode mode = Mode::SparseSparse;
  EngineKind engine = EngineKind::Fast;
  std::string trace_path;             // VCD output; empty = none
  long trace_from = 0, trace_to = -1; // edge window of the trace; -1 = to the end
  bool keep_items = true;             // record every layer's inputs and results
  double clock_mhz = 100.0;           // for VCD timestamps and the SystemC clock period
  /// Fast engine: fused datapaths (LayerEngine::fuse_datapath) unless a trace is written; false
  /// runs every block on its own, as the SystemC engine does.
  bool fuse_datapath = true;
};

/// Per-block counters of one layer over the whole run.
struct LayerStats {
  Activity window_generator, combine_memory, multiplier_array, router_crossbar, accumulators;
  std::vector<std::pair<std::string, Activity>> tail; // max_pool, kwta, fifo as present
  std::uint64_t memory_reads = 0;                     // combine-memory rows read
  std::uint64_t macs = 0;        // multiplications performed (lanes x G per valid beat)
  std::uint64_t useful_macs = 0; // of those, weight and activation both non-zero
  std::uint64_t dense_macs = 0;  // what a dense engine needs: positions x F x kernels per word
};

struct LayerRecord {
  std::string name;
  LayerStats stats;
  std::vector<long> start, end; // per word: edges of the first beat and of the last result
  std::vector<Item> inputs;     // items taken by the window generator, all words in order
  std::vector<Item> results;    // result vectors pushed by the accumulators, all words in order
};

struct SimResult {
  std::vector<std::vector<acc_t>> logits; // per word, HWC flat
  std::vector<long> word_start;           // edge at which each word's first input was taken
  std::vector<long> word_done;            // edge at which each word's last output was taken
  std::vector<LayerRecord> layers;
  long edges = 0; // edges simulated after reset
};

/// The blocks of one network instance.
class NetworkInstance {
public:
  NetworkInstance(const std::vector<LayerPlan> &plans, const EngineSpec &engine, const Shape &input,
                  std::vector<std::vector<act_t>> words);
  void reset();
  void load_parameters();
  /// Fast engine: every layer's datapath fused or block by block (LayerEngine::fuse_datapath).
  void fuse_datapaths(bool on);
  /// Fast engine: one edge for every block (downstream first), then the ready/credit commit.
  void step();
  /// Fast engine: brings every layer's counters up to date after the last step (settle()).
  void settle();
  /// Every word reached the sink and every layer pushed all of its results (a pooling layer may
  /// still be finishing positions the pool drops when the next layer is done).
  bool done() const {
    if (sink_.word_done().size() != words_)
      return false;
    for (const auto &l : layers_)
      if (l->frame_end().size() != words_)
        return false;
    return true;
  }
  /// An upper bound on the edges a run may take; more means the design is stuck.
  long edge_limit() const { return limit_; }
  void record(bool keep_items);
  SimResult result() const;

  HostSourceCore &source() { return source_; }
  HostSinkCore &sink() { return sink_; }
  std::vector<std::unique_ptr<LayerEngine>> &layers() { return layers_; }

private:
  HostSourceCore source_;
  std::vector<std::unique_ptr<LayerEngine>> layers_;
  HostSinkCore sink_;
  std::size_t words_;
  long limit_ = 0;
  std::vector<LayerRecord> records_;
};

/// Plans, builds and runs the network on the given words. Throws cssim::Error on bad input or a
/// run that does not finish.
SimResult simulate(const NetworkSpec &spec, const EngineSpec &engine, const NetworkParams &params,
                   const std::vector<std::vector<act_t>> &words, const RunOptions &opt);
/// The same with the plans already made (plan_network for opt.mode).
SimResult simulate(const NetworkSpec &spec, const EngineSpec &engine,
                   const std::vector<LayerPlan> &plans,
                   const std::vector<std::vector<act_t>> &words, const RunOptions &opt);

/// The SystemC engine (network_sc.cpp). SystemC elaborates once per process: a second call
/// throws cssim::Error.
void run_systemc(NetworkInstance &net, const RunOptions &opt);
/// True while this process can still elaborate (and so run) a SystemC design.
bool systemc_can_elaborate();

} // namespace cssim
