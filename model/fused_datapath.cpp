#include "fused_datapath.h"

#include "vectorize.h"

#include <algorithm>

#if CSSIM_X86_INTRINSICS
#include <immintrin.h>
#endif

namespace cssim {

namespace {} // namespace

namespace fused_detail {

// N = 1: every product of a lane goes to the slot of its group, so a lane adds its row, times its
// activation, to the sums element by element: sum[g] += act[l] * rows[l][g] over the n lanes
// given, two per pass over the sums, in loops the compiler vectorizes. Weights are stored as
// int16 (int8 fits; so do the products with uint8 activations).
void add_rows_portable(std::int32_t *__restrict sum, const std::int16_t *const *rows,
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

#if CSSIM_X86_INTRINSICS
// The same with AVX2, the hottest loop of a dense layer: 16 groups at a time, the sums of all
// lanes kept in registers; pmaddwd multiplies a pair of lanes' weights for a group, interleaved
// (w0[g], w1[g]), by the pair's activations (a0, a1) and adds the two products.
__attribute__((target("avx2"))) void add_rows_avx2(std::int32_t *sum,
                                                   const std::int16_t *const *rows,
                                                   const std::int16_t *act, int n,
                                                   std::size_t groups) {
  std::size_t g = 0;
  for (; g + 16 <= groups; g += 16) {
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    for (int l = 0; l < n; l += 2) {
      const bool pair = l + 1 < n; // an odd lane out pairs with itself at activation 0
      const std::int16_t *w0 = rows[l], *w1 = rows[pair ? l + 1 : l];
      const std::uint32_t a0 = std::uint16_t(act[l]), a1 = pair ? std::uint16_t(act[l + 1]) : 0;
      const __m256i a = _mm256_set1_epi32(int(a0 | a1 << 16));
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w0 + g));
      const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w1 + g));
      lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(x, y), a));
      hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(x, y), a));
    }
    // unpacking works within 128-bit halves: lo holds groups 0-3 and 8-11 of the 16, hi 4-7 and
    // 12-15
    __m256i *s = reinterpret_cast<__m256i *>(sum + g);
    _mm256_storeu_si256(
        s, _mm256_add_epi32(_mm256_loadu_si256(s), _mm256_permute2x128_si256(lo, hi, 0x20)));
    _mm256_storeu_si256(s + 1, _mm256_add_epi32(_mm256_loadu_si256(s + 1),
                                                _mm256_permute2x128_si256(lo, hi, 0x31)));
  }
  for (; g < groups; ++g) // the last groups, fewer than 16
    for (int l = 0; l < n; ++l)
      sum[g] += act[l] * rows[l][g];
}
#endif

AddRows add_rows() {
#if CSSIM_X86_INTRINSICS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2"))
    return add_rows_avx2;
#endif
  return add_rows_portable;
}

} // namespace fused_detail

namespace {

/// Non-zero weights among n.
CSSIM_AVX2_CLONE
std::uint32_t count_nonzero(const weight_t *w, std::size_t n) {
  std::uint32_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
    count += w[i] != 0;
  return count;
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
      lane_row_(lanes_), lane_act_(lanes_), dense_rows_(lanes_),
      add_rows_(fused_detail::add_rows()) {
  load();
}

void FusedDatapath::load() {
  const std::size_t F = mem_.fan_in(), G = groups_, N = per_group_;
  const weight_t *weight = mem_.weights().data();
  const std::uint16_t *kid = mem_.kids().data();
  row_nonzeros_.assign(F, 0);
  std::size_t nonzeros = 0;
  for (std::size_t f = 0; f < F; ++f) {
    row_nonzeros_[f] = count_nonzero(&weight[f * G], G);
    nonzeros += row_nonzeros_[f];
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
  entry_slot_.resize(nonzeros + 1); // + 1: every entry is written, the next one overwrites a zero
  entry_weight_.resize(nonzeros + 1);
  std::uint32_t e = 0;
  for (std::size_t f = 0; f < F; ++f) {
    entry_begin_[f] = e;
    for (std::size_t g = 0; g < G; ++g) {
      entry_slot_[e] = std::uint32_t(g * N + kid[f * G + g]);
      entry_weight_[e] = weight[f * G + g];
      e += weight[f * G + g] != 0;
    }
  }
  entry_begin_[F] = e;
  entry_slot_.resize(nonzeros);
  entry_weight_.resize(nonzeros);
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
      add_rows_(sum, rows, lane_act, n, G);
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
