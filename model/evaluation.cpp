#include "evaluation.h"

#include "analytic.h"
#include "check.h"
#include "golden/golden.h"
#include "synthetic.h"

namespace cssim {

Timing timing_of(const SimResult &sim) {
  Timing t;
  for (const LayerRecord &r : sim.layers)
    t.layer_cycles.push_back(r.start.empty() || r.end.empty() ? 0 : r.end[0] - r.start[0] + 1);
  t.latency = sim.word_done.at(0) - sim.word_start.at(0);
  const std::size_t n = sim.word_done.size();
  t.interval = n >= 2 ? sim.word_done[n - 1] - sim.word_done[n - 2] : t.latency;
  return t;
}

namespace {

Timed simulated(const config::Config &cfg, Mode mode, const Workload &w, EngineKind kind) {
  const NetworkParams params = synthesize_params(cfg.net, w.seed);
  const std::vector<LayerPlan> plans = plan_network(cfg.net, params, mode);
  std::vector<std::vector<act_t>> words;
  for (int i = 0; i < w.words; ++i)
    words.push_back(synthesize_input(cfg.net.input, w.seed + std::uint64_t(i)));
  RunOptions opt;
  opt.mode = mode;
  opt.engine = kind;
  opt.keep_items = w.check;
  opt.clock_mhz = cfg.board.clock_mhz;
  const SimResult sim = simulate(cfg.net, cfg.engine, plans, words, opt);
  Timed t{layer_hardware(plans), timing_of(sim)};
  if (w.check) {
    std::vector<golden::Result> gold;
    for (const auto &word : words)
      gold.push_back(golden::run(cfg.net, params, word));
    t.timing.checked = true;
    t.timing.mismatch = first_mismatch(cfg.net, sim, gold);
  }
  return t;
}

Timed fast(const config::Config &cfg, Mode mode, const Workload &w) {
  return simulated(cfg, mode, w, EngineKind::Fast);
}

Timed systemc(const config::Config &cfg, Mode mode, const Workload &w) {
  return simulated(cfg, mode, w, EngineKind::SystemC);
}

// The analytic engine (analytic.h) needs only the layers' geometry and parallelism: no
// parameters, no Combine, no words; G and N come from the configuration (layer_hardware()), as
// Combine packs the synthetic kernels. It does not look at outputs (checked stays false).
Timed analytic(const config::Config &cfg, Mode mode, const Workload &w) {
  Timed t;
  t.hardware = layer_hardware(cfg.net, mode);
  t.timing = timing_of(analytic_edges(t.hardware, cfg.engine, cfg.net.input, w.words));
  return t;
}

} // namespace

const std::vector<TimingEngine> &timing_engines() {
  static const std::vector<TimingEngine> engines = {
      {"fast", false, fast}, {"systemc", true, systemc}, {"analytic", false, analytic}};
  return engines;
}

const TimingEngine &timing_engine(const std::string &name) {
  std::string names;
  const auto &all = timing_engines();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (name == all[i].name)
      return all[i];
    names += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(all[i].name);
  }
  throw Error("--engine: expected " + names + " (got '" + name + "')");
}

Evaluation evaluate(const config::Config &cfg, Mode mode, const Workload &workload,
                    const TimingEngine &engine, double budget_fraction) {
  Evaluation e;
  e.timed = engine.run(cfg, mode, workload);
  e.usage = estimate(e.timed.hardware, cfg.engine);
  e.fit = fit(e.usage.total, cfg.board, budget_fraction);
  e.words_per_s = cfg.board.clock_mhz * 1e6 / double(e.timed.timing.interval);
  if (e.fit.fits) {
    e.chip_words_per_s = double(e.fit.instances) * e.words_per_s;
    if (cfg.board.power_w > 0)
      e.words_per_s_per_w = e.chip_words_per_s / cfg.board.power_w;
  }
  return e;
}

} // namespace cssim
