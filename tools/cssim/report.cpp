#include "report.h"

#include "config/config.h"

#include <sstream>

namespace cssim::cli {

namespace {

/// Rebuilds word w's tensor from the items a layer recorded (items of all words, in order).
std::vector<std::vector<std::int32_t>> tensors(const std::vector<Item> &items, const Shape &s) {
  std::vector<std::vector<std::int32_t>> out;
  std::vector<std::int32_t> cur(s.size(), 0);
  for (const Item &it : items) {
    std::copy(it.values.begin(), it.values.end(), cur.begin() + std::size_t(it.pos) * s.c);
    if (it.last) {
      out.push_back(cur);
      std::fill(cur.begin(), cur.end(), 0);
    }
  }
  return out;
}

template <class A, class B>
std::string compare(const std::string &what, std::size_t word, const Shape &s, const A &expected,
                    const B &got) {
  if (got.size() != expected.size())
    return what + ", word " + std::to_string(word) + ": " + std::to_string(got.size()) +
           " values, expected " + std::to_string(expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    if (std::int64_t(expected[i]) != std::int64_t(got[i])) {
      const long c = long(i) % s.c, x = long(i) / s.c % s.w, y = long(i) / s.c / s.w;
      std::ostringstream os;
      os << what << ", word " << word << ", position (y=" << y << ", x=" << x << ", c=" << c
         << "): expected " << std::int64_t(expected[i]) << ", got " << std::int64_t(got[i]);
      return os.str();
    }
  return {};
}

} // namespace

std::string first_mismatch(const NetworkSpec &spec, const SimResult &sim,
                           const std::vector<golden::Result> &gold) {
  if (sim.logits.size() != gold.size())
    return "the run produced " + std::to_string(sim.logits.size()) + " words, expected " +
           std::to_string(gold.size());
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const std::string name = "layer " + spec.layers[l].name;
    const Shape conv = gold[0].layers[l].conv_shape;
    const auto results = tensors(sim.layers[l].results, conv);
    const bool last = l + 1 == spec.layers.size();
    for (std::size_t w = 0; w < gold.size(); ++w) {
      if (w >= results.size())
        return name + ": no output for word " + std::to_string(w);
      std::string m = compare(name + (last ? " (logits)" : " (requantized output)"), w, conv,
                              gold[w].layers[l].out, results[w]);
      if (!m.empty())
        return m;
      if (last)
        continue;
      const Shape next = gold[w].layers[l].out_shape;
      const auto inputs = tensors(sim.layers[l + 1].inputs, next);
      if (w >= inputs.size())
        return name + ": no activations reached the next layer for word " + std::to_string(w);
      m = compare(name + " (activations after max-pool and k-WTA)", w, next,
                  gold[w].layers[l].activations, inputs[w]);
      if (!m.empty())
        return m;
    }
  }
  for (std::size_t w = 0; w < gold.size(); ++w) {
    const Shape s = gold[w].layers.back().conv_shape;
    const std::string m = compare("logits", w, s, gold[w].logits, sim.logits[w]);
    if (!m.empty())
      return m;
  }
  return {};
}

ModeSummary summarize(Mode mode, const std::vector<LayerPlan> &plans, const SimResult &sim) {
  ModeSummary s;
  s.mode = mode;
  for (std::size_t l = 0; l < plans.size(); ++l) {
    const LayerPlan &p = plans[l];
    s.layer_names.push_back(p.name);
    const auto &r = sim.layers[l];
    s.layer_cycles.push_back(r.start.empty() || r.end.empty() ? 0 : r.end[0] - r.start[0] + 1);
    s.groups.push_back(p.combined.groups);
    s.per_group.push_back(p.combined.per_group);
    s.positions.push_back(p.geo.positions());
    s.beats_per_position.push_back(p.beats_per_position());
  }
  s.latency = sim.word_done.at(0) - sim.word_start.at(0);
  const std::size_t n = sim.word_done.size();
  s.interval = n >= 2 ? sim.word_done[n - 1] - sim.word_done[n - 2] : s.latency;
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
          {"predicted", s.predicted}};
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
  return s;
}

} // namespace cssim::cli
