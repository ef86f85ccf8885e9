// cssim evaluation of one configuration in one mode: its timing from a timing engine, its FPGA
// resources, the board fit and the full-chip throughput. What `cssim resources` reports per mode
// and what `cssim sweep` writes per point.
#pragma once

#include "config/config.h"
#include "network.h"
#include "resources.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cssim {

/// The figures of the cycle-accounting contract (README, "Cycle accounting") for one mode.
struct Timing {
  std::vector<long> layer_cycles; // word 0, per layer: first beat to last result, inclusive
  long latency = 0;               // word 0: word start to word done
  long interval = 0;              // word done(n) - word done(n-1) of the last two words
  bool checked = false;           // the outputs were compared with the golden model
  std::string mismatch;           // the first difference; empty when every layer matches
};

/// A run's timing (one word: the interval is the latency).
Timing timing_of(const SimResult &sim);

/// The synthetic workload a point is timed on, as `cssim run` without --weights and --input.
struct Workload {
  std::uint64_t seed = 1; // synthetic parameters; word w is synthesize_input(seed + w)
  int words = 4;          // streamed back to back; >= 2 measures the interval
  bool check = false;     // compare every layer of every word with the golden model
};

/// The hardware a timing engine saw (Combine's G and N per layer) and the timing.
struct Timed {
  std::vector<LayerHardware> hardware;
  Timing timing;
};

/// A way to time a configuration: a function from the configuration, the mode and the workload
/// to the per-layer cycles, latency and interval. `fast` and `systemc` simulate (synthetic
/// parameters, cycle-accurate); `analytic` computes the same edges from the configuration alone
/// (analytic.h), without parameters, words or outputs (so it never checks them).
struct TimingEngine {
  const char *name;
  /// SystemC elaborates once per process: such an engine can time one point per process.
  bool one_per_process;
  Timed (*run)(const config::Config &cfg, Mode mode, const Workload &workload);
};

/// Every engine, the default (fast) first.
const std::vector<TimingEngine> &timing_engines();
/// By name; throws cssim::Error "--engine: expected fast, systemc or analytic (got 'x')".
const TimingEngine &timing_engine(const std::string &name);

struct Evaluation {
  Timed timed;
  InstanceUsage usage;
  BoardFit fit;
  double words_per_s = 0;       // one instance at the board's clock
  double chip_words_per_s = 0;  // instances x words_per_s; 0 when an instance does not fit
  double words_per_s_per_w = 0; // chip_words_per_s / the board's power; 0 without either
};

/// Times the configuration with `engine` and estimates its resources (estimate() of the engine's
/// hardware), fit (fit() within budget_fraction) and full-chip throughput on cfg.board.
Evaluation evaluate(const config::Config &cfg, Mode mode, const Workload &workload,
                    const TimingEngine &engine, double budget_fraction = 1.0);

} // namespace cssim
