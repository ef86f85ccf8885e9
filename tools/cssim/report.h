// cssim command line: comparing a run against the golden model, and the per-mode summary.
#pragma once

#include "network.h"
#include "spec.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cssim::cli {

/// The figures one mode's run produces (also what a SystemC child process sends back).
struct ModeSummary {
  Mode mode = Mode::SparseSparse;
  std::vector<std::string> layer_names;
  std::vector<long> layer_cycles; // word 0: first beat to last result, inclusive
  std::vector<int> groups, per_group, beats_per_position, positions;
  long latency = 0;  // edges from the first input taken to the last output taken (word 0)
  long interval = 0; // steady-state initiation interval
  long edges = 0;
  std::string mismatch; // empty: matches the golden model
  bool checked = false;
  std::vector<int> predicted;
  nlohmann::json layer_stats; // per layer: cycles, per-block activity, MACs, memory reads
};

/// counters: the run stepped the blocks (systemc, fast), so the per-block activity and work
/// counters mean something; the analytic engine only gives the edges.
ModeSummary summarize(Mode mode, const std::vector<LayerPlan> &plans, const SimResult &sim,
                      bool counters = true);
nlohmann::json to_json(const ModeSummary &s);
ModeSummary from_json(const nlohmann::json &j);

} // namespace cssim::cli
