#include "fused_datapath.h"

#include <algorithm>

namespace cssim {

namespace {

// The N = 1 inner loops: a lane's products go to the slot of their group, so a row adds to the
// sums element by element, a loop the compiler vectorizes. Weights and activations enter as
// int16 (int8 and uint8 fit), whose products the vector units form without 32-bit multiplies.
void add_row(std::int32_t *__restrict sum, const std::int16_t *__restrict w, std::int16_t a,
             std::size_t groups) {
  for (std::size_t g = 0; g < groups; ++g)
    sum[g] += std::int32_t(a * w[g]);
}

// Two lanes in one pass over the sums (half the loads and stores of the sums).
void add_rows(std::int32_t *__restrict sum, const std::int16_t *__restrict w0, std::int16_t a0,
              const std::int16_t *__restrict w1, std::int16_t a1, std::size_t groups) {
  for (std::size_t g = 0; g < groups; ++g)
    sum[g] += std::int32_t(a0 * w0[g]) + std::int32_t(a1 * w1[g]);
}

template <class T> T blank_lanes(int lanes) {
  T b;
  b.row.assign(lanes, 0);
  b.value.assign(lanes, 0);
  return b;
}

SumBeat blank_sums(std::size_t slots) {
  SumBeat b;
  b.sum.assign(slots, 0);
  return b;
}

} // namespace

FusedDatapath::FusedDatapath(const CombineMemoryCore &mem, int units, const EngineSpec &engine)
    : mem_(mem), units_(units), lanes_(mem.lanes() / units), groups_(mem.groups()),
      per_group_(mem.per_group()),
      memory_(engine.mem_latency, blank_lanes<LaneBeat>(mem.lanes())),
      multipliers_(engine.mul_latency, blank_lanes<LaneBeat>(mem.lanes())),
      router_(engine.router_latency,
              blank_sums(std::size_t(units) * mem.groups() * mem.per_group())) {
  load();
}

void FusedDatapath::load() {
  const std::size_t F = mem_.fan_in(), G = groups_, N = per_group_;
  const auto &weight = mem_.weights();
  const auto &kid = mem_.kids();
  row_nonzeros_.assign(F, 0);
  for (std::size_t f = 0; f < F; ++f)
    row_nonzeros_[f] = std::uint32_t(
        std::count_if(&weight[f * G], &weight[f * G] + G, [](weight_t w) { return w != 0; }));
  dense_weight_.clear();
  entry_begin_.clear();
  entry_slot_.clear();
  entry_weight_.clear();
  if (N == 1) {
    dense_weight_.assign(weight.begin(), weight.end());
    return;
  }
  entry_begin_.reserve(F + 1);
  for (std::size_t f = 0; f < F; ++f) {
    entry_begin_.push_back(std::uint32_t(entry_slot_.size()));
    for (std::size_t g = 0; g < G; ++g)
      if (weight[f * G + g] != 0) {
        entry_slot_.push_back(std::uint32_t(g * N + kid[f * G + g]));
        entry_weight_.push_back(weight[f * G + g]);
      }
  }
  entry_begin_.push_back(std::uint32_t(entry_slot_.size()));
}

void FusedDatapath::reset() {
  memory_.reset();
  multipliers_.reset();
  router_.reset();
  reads_ = macs_ = useful_ = 0;
}

void FusedDatapath::copy_lanes(const LaneBeat &from, LaneBeat &to) {
  std::copy(from.row.begin(), from.row.end(), to.row.begin());
  std::copy(from.value.begin(), from.value.end(), to.value.begin());
}

void FusedDatapath::step(const ActBeat &in) {
  // Downstream first, as LayerEngine steps the blocks: each stage takes what the one before it
  // held before this edge.
  if (SumBeat *s = router_.advance(multipliers_.out().tag))
    route(multipliers_.out(), *s);

  const LaneBeat &m = memory_.out();
  if (LaneBeat *s = multipliers_.advance(m.tag))
    copy_lanes(m, *s);
  if (m.tag.valid) {
    macs_ += std::uint64_t(m.row.size()) * groups_;
    for (std::size_t l = 0; l < m.row.size(); ++l)
      if (m.value[l] != 0)
        useful_ += row_nonzeros_[m.row[l]];
  }

  if (LaneBeat *s = memory_.advance(BeatTag::of(in))) {
    for (std::size_t l = 0; l < s->row.size(); ++l) {
      const bool read = in.valid && in.lane_valid[l];
      s->row[l] = read ? in.index[l] : 0;
      s->value[l] = read ? in.value[l] : 0;
      reads_ += read;
    }
  }
}

void FusedDatapath::route(const LaneBeat &in, SumBeat &out) const {
  std::fill(out.sum.begin(), out.sum.end(), 0);
  if (!in.tag.valid)
    return;
  const std::size_t G = groups_, slots = G * per_group_;
  for (int u = 0; u < units_; ++u) {
    std::int32_t *sum = &out.sum[u * slots];
    const std::int32_t *row = &in.row[std::size_t(u) * lanes_];
    const act_t *value = &in.value[std::size_t(u) * lanes_];
    if (per_group_ == 1) {
      // Lanes with a non-zero activation, two at a time.
      int pending = -1;
      for (int p = 0; p < lanes_; ++p) {
        if (value[p] == 0)
          continue;
        if (pending < 0) {
          pending = p;
          continue;
        }
        add_rows(sum, &dense_weight_[std::size_t(row[pending]) * G], value[pending],
                 &dense_weight_[std::size_t(row[p]) * G], value[p], G);
        pending = -1;
      }
      if (pending >= 0)
        add_row(sum, &dense_weight_[std::size_t(row[pending]) * G], value[pending], G);
      continue;
    }
    for (int p = 0; p < lanes_; ++p) {
      const std::int32_t a = value[p];
      if (a == 0)
        continue;
      for (std::uint32_t e = entry_begin_[row[p]]; e < entry_begin_[row[p] + 1]; ++e)
        sum[entry_slot_[e]] += a * entry_weight_[e];
    }
  }
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
