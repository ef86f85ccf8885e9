#include "fused_datapath.h"

#include "vectorize.h"

#include <algorithm>

#if CSSIM_X86_INTRINSICS
#include <immintrin.h>
#endif

namespace cssim {

namespace fused_detail {

// N = 1: every product of a lane goes to the slot of its group, so the sums are the lanes' rows,
// times their activations, added element by element: sum[g] = sum over the pairs of lanes of
// a0 * w0[g] + a1 * w1[g], in loops the compiler vectorizes. Weights are stored as int16 (int8
// fits; so do the products with uint8 activations).
void sum_rows_portable(std::int32_t *__restrict sum, const RowPair *pairs, int n,
                       std::size_t groups) {
  for (int k = 0; k < n; ++k) {
    const std::int16_t a0 = std::int16_t(pairs[k].a & 0xffff), a1 = std::int16_t(pairs[k].a >> 16);
    const std::int16_t *__restrict w0 = pairs[k].w0, *__restrict w1 = pairs[k].w1;
    for (std::size_t g = 0; g < groups; ++g)
      sum[g] += a0 * w0[g] + a1 * w1[g];
  }
}

#if CSSIM_X86_INTRINSICS
// The same with AVX2, the hottest loop of a dense layer: 16 groups at a time, the sums of all
// pairs kept in registers; pmaddwd multiplies a pair's weights for a group, interleaved
// (w0[g], w1[g]), by its activations (a0, a1) and adds the two products.
__attribute__((target("avx2"))) void sum_rows_avx2(std::int32_t *sum, const RowPair *pairs, int n,
                                                   std::size_t groups) {
  std::size_t g = 0;
  for (; g + 16 <= groups; g += 16) {
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    for (int k = 0; k < n; ++k) {
      const __m256i a = _mm256_set1_epi32(int(pairs[k].a));
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(pairs[k].w0 + g));
      const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(pairs[k].w1 + g));
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
  for (; g < groups; ++g) { // the last groups, fewer than 16
    std::int32_t t = 0;
    for (int k = 0; k < n; ++k)
      t += std::int32_t(pairs[k].a & 0xffff) * pairs[k].w0[g] +
           std::int32_t(pairs[k].a >> 16) * pairs[k].w1[g];
    sum[g] += t;
  }
}
#endif

SumRows sum_rows() {
#if CSSIM_X86_INTRINSICS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2"))
    return sum_rows_avx2;
#endif
  return sum_rows_portable;
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
    : mem_(mem), groups_(mem.groups()), per_group_(mem.per_group()),
      to_multipliers_(std::max(1, engine.mem_latency)),
      to_router_(to_multipliers_ + std::max(1, engine.mul_latency)),
      sums_(to_router_ + std::max(1, engine.router_latency),
            blank_sums(std::size_t(units) * mem.groups() * mem.per_group())),
      batch_(std::size_t(units) * mem.groups() * mem.per_group(), 0),
      sum_rows_(fused_detail::sum_rows()) {
  // at most 3 x 16 edges (config: each latency 1..16)
  const int latency = to_router_ + std::max(1, engine.router_latency);
  flight_mask_ = latency >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << latency) - 1;
  load();
}

void FusedDatapath::load() {
  const std::size_t F = mem_.fan_in(), G = groups_, N = per_group_;
  const weight_t *weight = mem_.weights().data();
  const std::uint16_t *kid = mem_.kids().data();
  row_nonzeros_.assign(F, 0);
  for (std::size_t f = 0; f < F; ++f)
    row_nonzeros_[f] = count_nonzero(&weight[f * G], G);
  dense_weight_.clear();
  entry_slot_.clear();
  entry_weight_.clear();
  if (N == 1) {
    dense_weight_.assign(weight, weight + F * G);
    pairs_.resize((F + 1) / 2);
    return;
  }
  entry_slot_.resize(F * G);
  entry_weight_.assign(weight, weight + F * G);
  for (std::size_t f = 0; f < F; ++f)
    for (std::size_t g = 0; g < G; ++g)
      entry_slot_[f * G + g] = std::uint32_t(g * N + kid[f * G + g]);
}

void FusedDatapath::reset() {
  sums_.reset();
  in_flight_ = 0;
  edges_ = 0;
  entered_[0] = entered_[1] = entered_[2] = 0;
  std::fill(batch_.begin(), batch_.end(), 0);
  reads_ = useful_ = 0;
}

void FusedDatapath::step(const BeatTag &in, const FieldView *fields) {
  ++edges_;
  in_flight_ = (in_flight_ << 1 | std::uint64_t(in.valid)) & flight_mask_;
  entered_[0] += in.valid;
  entered_[1] += (in_flight_ >> to_multipliers_) & 1;
  entered_[2] += (in_flight_ >> to_router_) & 1;
  SumBeat *s = sums_.advance(in);
  if (!in.valid)
    return;
  // The batch's sums, added up as its first beat enters; its last beat carries them.
  if (in.first)
    route(fields, in.units_active);
  if (in.last)
    std::copy(batch_.begin(), batch_.end(), s->sum.begin());
}

void FusedDatapath::route(const FieldView *fields, int units_active) {
  std::fill(batch_.begin(), batch_.end(), 0);
  const std::size_t G = groups_, slots = G * per_group_;
  const std::uint32_t *row_nonzeros = row_nonzeros_.data();
  std::uint64_t reads = 0, nonzero = 0;
  for (int u = 0; u < units_active; ++u) {
    std::int32_t *sum = &batch_[u * slots];
    const std::int32_t *row = fields[u].index;
    const act_t *value = fields[u].value;
    const int n = fields[u].size;
    reads += std::uint64_t(n);
    if (per_group_ == 1) {
      // the field's non-zero pairs, summed in one pass over the groups
      const std::int16_t *weight = dense_weight_.data();
      fused_detail::RowPair *pairs = pairs_.data(); // room for every row (load())
      int kept = 0;
      for (int p = 0; p < n; ++p) {
        if (value[p] == 0)
          continue;
        nonzero += row_nonzeros[row[p]];
        const std::int16_t *w = weight + std::size_t(row[p]) * G;
        fused_detail::RowPair &pair = pairs[kept >> 1];
        if (kept++ & 1) {
          pair.w1 = w;
          pair.a |= std::uint32_t(value[p]) << 16;
        } else {
          pair = {w, w, value[p]};
        }
      }
      sum_rows_(sum, pairs, (kept + 1) >> 1, G);
      continue;
    }
    for (int p = 0; p < n; ++p) {
      if (value[p] == 0)
        continue;
      nonzero += row_nonzeros[row[p]];
      const std::int32_t a = value[p];
      const std::uint32_t *slot = &entry_slot_[std::size_t(row[p]) * G];
      const std::int32_t *weight = &entry_weight_[std::size_t(row[p]) * G];
      for (std::size_t g = 0; g < G; ++g)
        sum[slot[g]] += a * weight[g];
    }
  }
  reads_ += reads;
  useful_ += nonzero;
}

DatapathCounters FusedDatapath::counters() const {
  // Every block takes a beat per edge, busy when it is valid; never stalled.
  const auto activity = [this](std::uint64_t busy) {
    Activity a;
    a.busy = long(busy);
    a.idle = edges_ - a.busy;
    return a;
  };
  DatapathCounters c;
  c.memory = activity(entered_[0]);
  c.multipliers = activity(entered_[1]);
  c.router = activity(entered_[2]);
  c.reads = reads_;
  c.macs = entered_[1] * std::uint64_t(mem_.lanes()) * groups_;
  c.useful_macs = useful_;
  return c;
}

} // namespace cssim
