#include "network.h"

#include "error.h"
#include "vcd_writer.h"

#include <algorithm>

namespace cssim {

NetworkInstance::NetworkInstance(const std::vector<LayerPlan> &plans, const EngineSpec &engine,
                                 const Shape &input, std::vector<std::vector<act_t>> words)
    : source_(input, words), sink_(plans.back().conv_out.h * plans.back().conv_out.w),
      words_(words.size()) {
  long per_word = input.size() + 100;
  for (const auto &p : plans) {
    layers_.push_back(std::make_unique<LayerEngine>(p, engine));
    const long beats =
        std::max<long>((p.geo.fan_in() + p.geo.lanes - 1) / p.geo.lanes, p.geo.drain) + 1;
    per_word += p.geo.positions() * beats + p.conv_out.size() * 4 + p.pooled.size() * 4 + 600 +
                16L * p.geo.positions() * (p.k + 8);
  }
  limit_ = 8 * per_word * long(words.size() + 1);
  records_.resize(plans.size());
  for (std::size_t l = 0; l < plans.size(); ++l)
    records_[l].name = plans[l].name;
}

void NetworkInstance::reset() {
  source_.reset();
  for (auto &l : layers_)
    l->reset();
  sink_.reset();
  for (auto &r : records_)
    r.inputs.clear(), r.results.clear();
}

void NetworkInstance::load_parameters() {
  for (auto &l : layers_)
    l->load_parameters();
}

void NetworkInstance::fuse_datapaths(bool on) {
  for (auto &l : layers_)
    l->fuse_datapath(on);
}

void NetworkInstance::settle() {
  for (auto &l : layers_)
    l->settle(sink_.edges());
}

void NetworkInstance::record(bool keep_items) {
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    LayerRecord &r = records_[l];
    if (keep_items) {
      layers_[l]->window_generator().on_input = [&r](const Item &it) { r.inputs.push_back(it); };
      layers_[l]->accumulators().on_result = [&r](const Item &it) { r.results.push_back(it); };
    } else {
      layers_[l]->window_generator().on_input = nullptr;
      layers_[l]->accumulators().on_result = nullptr;
    }
  }
}

void NetworkInstance::step() {
  const long t = sink_.edges();
  const LayerEngine &last = *layers_.back();
  sink_.step(last.out_valid(), last.out_valid() ? &last.out() : nullptr);
  for (std::size_t l = layers_.size(); l-- > 0;) {
    LayerEngine &layer = *layers_[l];
    const bool in_valid = l == 0 ? source_.out_valid() : layers_[l - 1]->out_valid();
    if (layer.asleep(t, in_valid))
      continue;
    const Item *in = !in_valid ? nullptr : l == 0 ? &source_.out() : &layers_[l - 1]->out();
    const bool out_ready = l + 1 == layers_.size() ? sink_.in_ready() : layers_[l + 1]->in_ready();
    layer.step(t, in_valid, in, out_ready);
  }
  source_.step(layers_.front()->in_ready());
  for (auto &l : layers_)
    l->commit();
}

SimResult NetworkInstance::result() const {
  SimResult r;
  r.logits = sink_.outputs();
  r.word_start = source_.word_start();
  r.word_done = sink_.word_done();
  r.edges = sink_.edges();
  r.layers = records_;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    r.layers[l].start = layers_[l]->frame_start();
    r.layers[l].end = layers_[l]->frame_end();
    LayerEngine &e = *layers_[l];
    LayerStats &st = r.layers[l].stats;
    st.window_generator = e.window_generator().activity();
    const DatapathCounters dp = e.datapath_counters();
    st.combine_memory = dp.memory;
    st.multiplier_array = dp.multipliers;
    st.router_crossbar = dp.router;
    st.accumulators = e.accumulators().activity();
    for (std::size_t t = 0; t < e.tail().size(); ++t)
      st.tail.emplace_back(e.tail_names()[t], e.tail()[t]->activity());
    st.memory_reads = dp.reads;
    st.macs = dp.macs;
    st.useful_macs = dp.useful_macs;
    const auto &p = e.plan();
    st.dense_macs = std::uint64_t(p.geo.positions()) * p.geo.fan_in() * p.kernels * words_;
  }
  return r;
}

SimResult simulate(const NetworkSpec &spec, const EngineSpec &engine, const NetworkParams &params,
                   const std::vector<std::vector<act_t>> &words, const RunOptions &opt) {
  return simulate(spec, engine, plan_network(spec, params, opt.mode), words, opt);
}

SimResult simulate(const NetworkSpec &spec, const EngineSpec &engine,
                   const std::vector<LayerPlan> &plans,
                   const std::vector<std::vector<act_t>> &words, const RunOptions &opt) {
  if (words.empty())
    throw Error("no input words to simulate");
  for (const auto &w : words)
    if (long(w.size()) != spec.input.size())
      throw Error("input word holds " + std::to_string(w.size()) + " values, the network takes " +
                  std::to_string(spec.input.size()));
  NetworkInstance net(plans, engine, spec.input, words);
  net.record(opt.keep_items);
  if (opt.engine == EngineKind::SystemC) {
    run_systemc(net, opt);
  } else {
    net.load_parameters();
    // A trace shows the beats between the datapath blocks: only the per-block form has them.
    net.fuse_datapaths(opt.fuse_datapath && opt.trace_path.empty());
    net.reset();
    std::unique_ptr<VcdWriter> vcd;
    if (!opt.trace_path.empty())
      vcd = std::make_unique<VcdWriter>(opt.trace_path, net, opt.trace_from, opt.trace_to,
                                        1000.0 / opt.clock_mhz);
    while (!net.done()) {
      if (net.sink().edges() >= net.edge_limit())
        throw Error("simulation did not finish within " + std::to_string(net.edge_limit()) +
                    " cycles");
      net.step();
      if (vcd)
        vcd->sample(net.sink().edges() - 1);
    }
    net.settle();
  }
  return net.result();
}

} // namespace cssim
