#include "report.h"

#include "config/config.h"
#include "evaluation.h"

#include <sstream>

namespace cssim::cli {

namespace {
std::vector<long> cycles_per_word(const LayerRecord &r) {
  std::vector<long> c;
  for (std::size_t w = 0; w < r.start.size() && w < r.end.size(); ++w)
    c.push_back(r.end[w] - r.start[w] + 1);
  return c;
}
} // namespace

ModeSummary summarize(Mode mode, const std::vector<LayerPlan> &plans, const SimResult &sim,
                      bool counters) {
  ModeSummary s;
  s.mode = mode;
  for (std::size_t l = 0; l < plans.size(); ++l) {
    const LayerPlan &p = plans[l];
    s.layer_names.push_back(p.name);
    s.groups.push_back(p.combined.groups);
    s.per_group.push_back(p.combined.per_group);
    s.positions.push_back(p.geo.positions());
    s.beats_per_position.push_back(p.beats_per_position());
  }
  s.layer_stats = nlohmann::json::array();
  const auto activity = [](const Activity &a) {
    return nlohmann::json{{"busy", a.busy}, {"stalled", a.stalled}, {"idle", a.idle}};
  };
  for (std::size_t l = 0; l < plans.size(); ++l) {
    nlohmann::json layer = {{"layer", plans[l].name},
                            {"cycles_per_word", cycles_per_word(sim.layers[l])},
                            {"frame_start", sim.layers[l].start},
                            {"frame_end", sim.layers[l].end}};
    if (!counters) {
      s.layer_stats.push_back(layer);
      continue;
    }
    const LayerStats &st = sim.layers[l].stats;
    nlohmann::json blocks = {{"window_generator", activity(st.window_generator)},
                             {"combine_memory", activity(st.combine_memory)},
                             {"multiplier_array", activity(st.multiplier_array)},
                             {"router_crossbar", activity(st.router_crossbar)},
                             {"accumulators", activity(st.accumulators)}};
    for (const auto &[name, a] : st.tail)
      blocks[name] = activity(a);
    layer["blocks"] = blocks;
    layer["memory_reads"] = st.memory_reads;
    layer["macs"] = st.macs;
    layer["useful_macs"] = st.useful_macs;
    layer["dense_macs"] = st.dense_macs;
    s.layer_stats.push_back(layer);
  }
  const Timing t = timing_of(sim);
  s.layer_cycles = t.layer_cycles;
  s.latency = t.latency;
  s.interval = t.interval;
  s.edges = sim.edges;
  return s;
}

nlohmann::json to_json(const ModeSummary &s) {
  return {{"mode", config::mode_name(s.mode)},
          {"layers", s.layer_names},
          {"layer_cycles", s.layer_cycles},
          {"groups", s.groups},
          {"per_group", s.per_group},
          {"beats_per_position", s.beats_per_position},
          {"positions", s.positions},
          {"latency_cycles", s.latency},
          {"interval_cycles", s.interval},
          {"cycles_simulated", s.edges},
          {"checked", s.checked},
          {"mismatch", s.mismatch},
          {"predicted", s.predicted},
          {"layer_stats", s.layer_stats}};
}

ModeSummary from_json(const nlohmann::json &j) {
  ModeSummary s;
  s.mode = config::parse_mode(j.at("mode").get<std::string>());
  j.at("layers").get_to(s.layer_names);
  j.at("layer_cycles").get_to(s.layer_cycles);
  j.at("groups").get_to(s.groups);
  j.at("per_group").get_to(s.per_group);
  j.at("beats_per_position").get_to(s.beats_per_position);
  j.at("positions").get_to(s.positions);
  j.at("latency_cycles").get_to(s.latency);
  j.at("interval_cycles").get_to(s.interval);
  j.at("cycles_simulated").get_to(s.edges);
  j.at("checked").get_to(s.checked);
  j.at("mismatch").get_to(s.mismatch);
  j.at("predicted").get_to(s.predicted);
  s.layer_stats = j.at("layer_stats");
  return s;
}

} // namespace cssim::cli
