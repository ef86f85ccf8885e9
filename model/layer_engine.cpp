#include "layer_engine.h"

#include "error.h"
#include "fifo.h"
#include "kwta.h"
#include "max_pool.h"
#include "vectorize.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>

namespace cssim {

namespace {

/// Sum of |w| over n weights, added in 32-bit chunks that cannot overflow (so that the loop
/// vectorizes).
CSSIM_AVX2_CLONE
std::int64_t abs_sum(const weight_t *w, std::size_t n) {
  constexpr std::size_t kChunk = std::size_t(1) << 24; // 2^24 x 128 < 2^32
  std::int64_t total = 0;
  for (std::size_t i = 0; i < n; i += kChunk) {
    const std::size_t end = std::min(n, i + kChunk);
    std::uint32_t part = 0;
    for (std::size_t j = i; j < end; ++j)
      part += std::uint32_t(std::abs(int(w[j])));
    total += part;
  }
  return total;
}

} // namespace

std::vector<LayerPlan> plan_network(const NetworkSpec &spec, const NetworkParams &params,
                                    Mode mode) {
  if (params.layers.size() != spec.layers.size())
    throw Error("parameters hold " + std::to_string(params.layers.size()) +
                " layers, the network has " + std::to_string(spec.layers.size()));
  std::vector<LayerPlan> plans;
  Shape in = spec.input;
  KwtaKind in_kwta = KwtaKind::None;
  int in_k = 0;
  for (std::size_t l = 0; l < spec.layers.size(); ++l) {
    const LayerSpec &ls = spec.layers[l];
    const LayerParams &lp = params.layers[l];
    LayerPlan p;
    p.name = ls.name;
    p.geo.kind = ls.kind;
    p.geo.in = in;
    if (ls.kind == LayerKind::Conv) {
      p.geo.kh = ls.kh;
      p.geo.kw = ls.kw;
      p.geo.stride = ls.stride;
    }
    p.geo.stream_winners = mode == Mode::SparseSparse && in_kwta != KwtaKind::None;
    p.geo.lanes = ls.lanes;
    p.geo.units = ls.units;
    p.kernels = ls.kernels;
    p.out_lanes = ls.output_lanes();
    p.geo.drain = (ls.kernels + p.out_lanes - 1) / p.out_lanes;
    p.last = l + 1 == spec.layers.size();
    p.conv_out = {p.geo.out_h(), p.geo.out_w(), ls.kernels};
    p.pool = ls.pool;
    p.pooled = {p.conv_out.h / ls.pool, p.conv_out.w / ls.pool, ls.kernels};
    p.kwta = ls.kwta;
    p.k = ls.k;
    const int F = p.geo.fan_in();
    if (lp.weights.size() != std::size_t(ls.kernels) * F ||
        lp.bias.size() != std::size_t(ls.kernels))
      throw Error("layer " + ls.name + ": parameters do not match its shape");
    if (!p.geo.stream_winners)
      p.pairs_per_position = F;
    else if (in_kwta == KwtaKind::Global)
      p.pairs_per_position = in_k; // only linear layers may follow a global k-WTA
    else if (ls.kind == LayerKind::Conv)
      p.pairs_per_position = ls.kh * ls.kw * in_k;
    else
      p.pairs_per_position = in.h * in.w * in_k;
    for (int k = 0; k < ls.kernels; ++k) {
      const std::int64_t worst = std::abs(std::int64_t(lp.bias[k])) +
                                 255 * abs_sum(&lp.weights[std::size_t(k) * F], std::size_t(F));
      if (worst > std::numeric_limits<std::int32_t>::max())
        throw Error("layer " + ls.name + ", kernel " + std::to_string(k) +
                    ": the worst-case accumulator " + std::to_string(worst) +
                    " does not fit int32");
    }
    p.combined = mode == Mode::Dense ? combine_dense(lp.weights, lp.bias, ls.kernels, F)
                                     : combine(lp.weights, lp.bias, ls.kernels, F);
    p.mult = lp.mult;
    p.shift = lp.shift;
    plans.push_back(std::move(p));
    in = plans.back().pooled;
    in_kwta = ls.kwta;
    in_k = ls.k;
  }
  return plans;
}

LayerEngine::LayerEngine(const LayerPlan &plan, const EngineSpec &engine)
    : plan_(plan), wg_(plan.geo, engine.result_slots * plan.geo.units),
      mem_(plan.geo.fan_in(), plan.combined.groups, plan.combined.per_group, plan.kernels,
           plan.geo.lanes * plan.geo.units, engine.mem_latency),
      mul_(plan.geo.lanes * plan.geo.units, plan.combined.groups, engine.mul_latency),
      router_(plan.geo.units, plan.geo.lanes, plan.combined.groups, plan.combined.per_group,
              engine.router_latency),
      acc_(mem_, plan.geo.units, plan.kernels, plan.last, engine.result_slots * plan.geo.units,
           plan.out_lanes),
      engine_(engine) {
  if (plan.pool > 1) {
    tail_.push_back(std::make_unique<MaxPoolCore>(plan.conv_out, plan.pool));
    tail_names_.push_back("max_pool");
  }
  if (!plan.last) {
    tail_.push_back(std::make_unique<FifoCore>(engine.fifo_depth));
    tail_names_.push_back("fifo");
  }
  if (plan.kwta != KwtaKind::None) {
    tail_.push_back(make_kwta(plan.pooled, plan.kwta, plan.k, engine));
    tail_names_.push_back("kwta");
  }
  out_ = tail_.empty() ? &acc_.results() : &tail_.back()->queue();
}

void LayerEngine::reset() {
  asleep_ = counting_down_ = false;
  sleep_from_ = wake_at_ = 0;
  wg_.reset();
  mem_.reset();
  mul_.reset();
  router_.reset();
  acc_.reset();
  if (fused_)
    fused_->reset();
  for (auto &t : tail_)
    t->reset();
}

void LayerEngine::fuse_datapath(bool on) {
  if (!on)
    fused_.reset();
  else if (!fused_)
    fused_ = std::make_unique<FusedDatapath>(mem_, plan_.geo.units, engine_);
  wg_.carry_lanes(!on); // the fused datapath reads each batch's fields instead
}

DatapathCounters LayerEngine::datapath_counters() const {
  if (fused_)
    return fused_->counters();
  DatapathCounters c;
  c.memory = mem_.activity();
  c.multipliers = mul_.activity();
  c.router = router_.activity();
  c.reads = mem_.reads();
  c.macs = mul_.macs();
  c.useful_macs = mul_.useful_macs();
  return c;
}

void LayerEngine::load_parameters() {
  if (!mem_.load(plan_.combined, plan_.mult, plan_.shift))
    throw Error("layer " + plan_.name + ": parameter write outside the memory map");
  if (fused_)
    fused_->load();
}

bool LayerEngine::datapath_and_tail_quiescent() const {
  if (fused_ ? !fused_->quiescent()
             : !(mem_.quiescent() && mul_.quiescent() && router_.quiescent()))
    return false;
  for (const auto &t : tail_)
    if (!t->quiescent())
      return false;
  return true;
}

bool LayerEngine::quiescent() const {
  // the window generator first: a busy layer is told by it at once
  return wg_.quiescent() && acc_.quiescent() && datapath_and_tail_quiescent();
}

long LayerEngine::countdown_edges() const {
  const long n = acc_.countdown_edges();
  return n > 0 && wg_.idle() && datapath_and_tail_quiescent() ? n : 0;
}

void LayerEngine::settle(long t) {
  if (!asleep_)
    return;
  const long slept = t - sleep_from_;
  for (auto &s : tail_)
    s->skip(slept);
  if (counting_down_)
    acc_.count_down(slept);
  else
    acc_.skip(slept);
  if (fused_) {
    fused_->skip(slept);
  } else {
    router_.skip(slept);
    mul_.skip(slept);
    mem_.skip(slept);
  }
  wg_.skip(slept);
  asleep_ = false;
  wake_at_ = 0;
}

void LayerEngine::step_awake(long t, bool in_valid, const Item *in, bool out_ready) {
  settle(t);
  // Sleeping: a quiescent layer without an input item changes nothing but idle counters at this
  // edge, and so stays quiescent until an item comes. One whose output stage only counts down
  // changes nothing else until it finishes (countdown_edges). Either sleeps, and its blocks
  // count the edges slept through when it wakes (settle()): at an input item, or when the output
  // stage's last edge comes.
  const auto sleep = [this, t](long edges, bool counting_down) { // this edge and edges - 1 more
    asleep_ = true;
    sleep_from_ = t;
    wake_at_ = edges == std::numeric_limits<long>::max() ? edges : t + edges;
    counting_down_ = counting_down;
  };
  if (!in_valid) {
    if (quiescent())
      return sleep(std::numeric_limits<long>::max(), false);
    if (const long n = countdown_edges(); n > 0)
      return sleep(n, true);
  }
  // A quiescent block whose inputs are idle would only count an idle edge: skip(1) does that.
  for (std::size_t i = tail_.size(); i-- > 0;) {
    StreamStage &t = *tail_[i];
    const bool v = i == 0 ? acc_.out_valid() : tail_[i - 1]->out_valid();
    if (!v && t.quiescent()) {
      t.skip(1);
      continue;
    }
    const Item *d = v ? (i == 0 ? &acc_.out() : &tail_[i - 1]->out()) : nullptr;
    t.step(v, d, i + 1 == tail_.size() ? out_ready : tail_[i + 1]->in_ready());
  }
  const bool acc_ready = tail_.empty() ? out_ready : tail_.front()->in_ready();
  if (fused_) {
    if (!fused_->out_valid() && acc_.quiescent())
      acc_.skip(1);
    else
      acc_.step_batch(fused_->out_valid(), fused_->out_last(), acc_ready);
  } else if (!router_.out().tag.valid && acc_.quiescent()) {
    acc_.skip(1);
  } else {
    acc_.step(router_.out(), acc_ready);
  }
  if (!fused_) {
    router_.step(mul_.out());
    mul_.step(mem_.out());
    mem_.step(wg_.out());
  } else if (const ActBeat &b = wg_.out(); !b.valid && fused_->quiescent()) {
    fused_->skip(1);
  } else {
    fused_->step(BeatTag::of(b), b.valid && b.first ? wg_.fields(b.seq) : nullptr);
  }
  wg_.step(in_valid, in, acc_.credit());
}

void LayerEngine::commit_awake() {
  for (auto &t : tail_)
    t->commit();
  acc_.commit();
  wg_.commit();
}

} // namespace cssim
