#include "fused_datapath.h"

#include "vectorize.h"

#include <algorithm>

namespace cssim {

namespace {

// N = 1: every product of a lane goes to the slot of its group, so a lane adds its row, times its
// activation, to the sums element by element: sum[g] += a_l * w_l[g] over the n lanes given, two
// per pass over the sums. Weights are stored as int16 (int8 fits; so do the products with uint8
// activations), which the vector units multiply without 32-bit multiplies.
CSSIM_AVX2_CLONE
void add_rows(std::int32_t *__restrict sum, const std::int16_t *const *rows,
              const std::int16_t *act, int n, std::size_t groups) {
  int l = 0;
  for (; l + 1 < n; l += 2) {
    const std::int16_t a0 = act[l], a1 = act[l + 1];
    const std::int16_t *__restrict w0 = rows[l], *__restrict w1 = rows[l + 1];
    for (std::size_t g = 0; g < groups; ++g)
      sum[g] += a0 * w0[g] + a1 * w1[g];
  }
  if (l < n) {
    const std::int16_t a0 = act[l];
    const std::int16_t *__restrict w0 = rows[l];
    for (std::size_t g = 0; g < groups; ++g)
      sum[g] += a0 * w0[g];
  }
}

SumBeat blank_sums(std::size_t slots) {
  SumBeat b;
  b.sum.assign(slots, 0);
  return b;
}

} // namespace

FusedDatapath::FusedDatapath(const CombineMemoryCore &mem, int units, const EngineSpec &engine)
    : mem_(mem), units_(units), lanes_(mem.lanes() / units), groups_(mem.groups()),
      per_group_(mem.per_group()), memory_(engine.mem_latency, Tag{}),
      multipliers_(engine.mul_latency, Tag{}), router_(engine.router_latency, Tag{}),
      sums_(std::max(1, engine.mem_latency) + std::max(1, engine.mul_latency) +
                std::max(1, engine.router_latency),
            blank_sums(std::size_t(units) * mem.groups() * mem.per_group())),
      lane_row_(lanes_), lane_act_(lanes_), dense_rows_(lanes_) {
  load();
}

void FusedDatapath::load() {
  const std::size_t F = mem_.fan_in(), G = groups_, N = per_group_;
  const weight_t *weight = mem_.weights().data();
  const std::uint16_t *kid = mem_.kids().data();
  row_nonzeros_.assign(F, 0);
  std::size_t nonzeros = 0;
  for (std::size_t f = 0; f < F; ++f) {
    std::uint32_t n = 0;
    for (std::size_t g = 0; g < G; ++g)
      n += weight[f * G + g] != 0;
    row_nonzeros_[f] = n;
    nonzeros += n;
  }
  dense_weight_.clear();
  entry_begin_.clear();
  entry_slot_.clear();
  entry_weight_.clear();
  if (N == 1) {
    dense_weight_.assign(weight, weight + F * G);
    return;
  }
  entry_begin_.resize(F + 1);
  entry_slot_.resize(nonzeros);
  entry_weight_.resize(nonzeros);
  std::uint32_t e = 0;
  for (std::size_t f = 0; f < F; ++f) {
    entry_begin_[f] = e;
    for (std::size_t g = 0; g < G; ++g)
      if (weight[f * G + g] != 0) {
        entry_slot_[e] = std::uint32_t(g * N + kid[f * G + g]);
        entry_weight_[e++] = weight[f * G + g];
      }
  }
  entry_begin_[F] = e;
}

void FusedDatapath::reset() {
  memory_.reset();
  multipliers_.reset();
  router_.reset();
  sums_.reset();
  reads_ = macs_ = useful_ = 0;
}

void FusedDatapath::step(const ActBeat &in) {
  // The tags, downstream first as LayerEngine steps the blocks: each block takes what the one
  // before it held before this edge.
  router_.advance(multipliers_.out().tag);
  const Tag &m = memory_.out();
  multipliers_.advance(m.tag);
  if (m.tag.valid) {
    macs_ += std::uint64_t(mem_.lanes()) * groups_;
    useful_ += m.useful;
  }
  const BeatTag tag = BeatTag::of(in);
  Tag *t = memory_.advance(tag);
  // The sums, computed as the beat enters.
  SumBeat *s = sums_.advance(tag);
  if (s)
    std::fill(s->sum.begin(), s->sum.end(), 0);
  if (t)
    t->useful = 0;
  if (in.valid)
    route(in, *s, t->useful);
}

void FusedDatapath::route(const ActBeat &in, SumBeat &out, std::uint64_t &useful) {
  const std::size_t G = groups_, slots = G * per_group_;
  std::int32_t *lane_row = lane_row_.data();
  std::int16_t *lane_act = lane_act_.data();
  std::uint64_t reads = 0, nonzero = 0;
  for (int u = 0; u < units_; ++u) {
    std::int32_t *sum = &out.sum[u * slots];
    const std::uint8_t *lane_valid = &in.lane_valid[std::size_t(u) * lanes_];
    const std::int32_t *row = &in.index[std::size_t(u) * lanes_];
    const act_t *value = &in.value[std::size_t(u) * lanes_];
    int n = 0; // the valid lanes with a non-zero activation
    for (int p = 0; p < lanes_; ++p) {
      reads += lane_valid[p];
      if (lane_valid[p] && value[p] != 0) {
        nonzero += row_nonzeros_[row[p]];
        lane_row[n] = row[p];
        lane_act[n++] = value[p];
      }
    }
    if (per_group_ == 1) {
      const std::int16_t **rows = dense_rows_.data();
      for (int l = 0; l < n; ++l)
        rows[l] = &dense_weight_[std::size_t(lane_row[l]) * G];
      add_rows(sum, rows, lane_act, n, G);
      continue;
    }
    const std::uint32_t *begin = entry_begin_.data(), *slot = entry_slot_.data();
    const std::int32_t *weight = entry_weight_.data();
    for (int l = 0; l < n; ++l) {
      const std::int32_t a = lane_act[l];
      for (std::uint32_t e = begin[lane_row[l]], end = begin[lane_row[l] + 1]; e < end; ++e)
        sum[slot[e]] += a * weight[e];
    }
  }
  reads_ += reads;
  useful = nonzero;
}

DatapathCounters FusedDatapath::counters() const {
  DatapathCounters c;
  c.memory = memory_.activity();
  c.multipliers = multipliers_.activity();
  c.router = router_.activity();
  c.reads = reads_;
  c.macs = macs_;
  c.useful_macs = useful_;
  return c;
}

} // namespace cssim
