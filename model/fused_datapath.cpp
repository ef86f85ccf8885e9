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
// sum[0..16) += 16 groups' sums from the unpacked halves: unpacking works within 128-bit halves,
// so lo holds groups 0-3 and 8-11, hi 4-7 and 12-15.
__attribute__((target("avx2"))) inline void add_sums(std::int32_t *sum, __m256i lo, __m256i hi) {
  __m256i *s = reinterpret_cast<__m256i *>(sum);
  _mm256_storeu_si256(
      s, _mm256_add_epi32(_mm256_loadu_si256(s), _mm256_permute2x128_si256(lo, hi, 0x20)));
  _mm256_storeu_si256(
      s + 1, _mm256_add_epi32(_mm256_loadu_si256(s + 1), _mm256_permute2x128_si256(lo, hi, 0x31)));
}

// The same with AVX2, the hottest loop of a dense layer: 32 or 16 groups at a time, the sums of all
// pairs kept in registers; pmaddwd multiplies a pair's weights for a group, interleaved
// (w0[g], w1[g]), by its activations (a0, a1) and adds the two products.
__attribute__((target("avx2"))) void sum_rows_avx2(std::int32_t *sum, const RowPair *pairs, int n,
                                                   std::size_t groups) {
  std::size_t g = 0;
  // 32 groups at a time: the two halves share each pair's activations and row pointers
  for (; g + 32 <= groups; g += 32) {
    __m256i lo0 = _mm256_setzero_si256(), hi0 = _mm256_setzero_si256();
    __m256i lo1 = _mm256_setzero_si256(), hi1 = _mm256_setzero_si256();
    for (int k = 0; k < n; ++k) {
      const __m256i a = _mm256_set1_epi32(int(pairs[k].a));
      const std::int16_t *w0 = pairs[k].w0 + g, *w1 = pairs[k].w1 + g;
      const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w0));
      const __m256i y0 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w1));
      const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w0 + 16));
      const __m256i y1 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(w1 + 16));
      lo0 = _mm256_add_epi32(lo0, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, y0), a));
      hi0 = _mm256_add_epi32(hi0, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, y0), a));
      lo1 = _mm256_add_epi32(lo1, _mm256_madd_epi16(_mm256_unpacklo_epi16(x1, y1), a));
      hi1 = _mm256_add_epi32(hi1, _mm256_madd_epi16(_mm256_unpackhi_epi16(x1, y1), a));
    }
    add_sums(sum + g, lo0, hi0);
    add_sums(sum + g + 16, lo1, hi1);
  }
  for (; g + 16 <= groups; g += 16) {
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    for (int k = 0; k < n; ++k) {
      const __m256i a = _mm256_set1_epi32(int(pairs[k].a));
      const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(pairs[k].w0 + g));
      const __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(pairs[k].w1 + g));
      lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(x, y), a));
      hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(x, y), a));
    }
    add_sums(sum + g, lo, hi);
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

// Groups [from, to) of sum_in_order; a pair's words are `groups` apart.
static void sum_in_order_groups(std::int32_t *__restrict sum, const std::uint32_t *paired,
                                const act_t *value, int n, std::size_t groups, std::size_t from,
                                std::size_t to) {
  for (int k = 0; 2 * k < n; ++k) {
    const std::int32_t a0 = value[2 * k], a1 = 2 * k + 1 < n ? value[2 * k + 1] : 0;
    const std::uint32_t *__restrict w = paired + std::size_t(k) * groups;
    for (std::size_t g = from; g < to; ++g)
      sum[g] += a0 * std::int16_t(w[g] & 0xffff) + a1 * std::int16_t(w[g] >> 16);
  }
}

void sum_in_order_portable(std::int32_t *sum, const std::uint32_t *paired, const act_t *value,
                           int n, std::size_t groups) {
  sum_in_order_groups(sum, paired, value, n, groups, 0, groups);
}

#if CSSIM_X86_INTRINSICS
// V x 8 groups from sum, kept in registers over all pairs: pmaddwd multiplies a pair's
// interleaved weights by its activations (a0, a1) and adds the two products, group by group in
// order.
template <int V>
__attribute__((target("avx2"))) inline void add_pair(__m256i *s, const std::uint32_t *paired,
                                                     std::uint32_t a) {
  const __m256i a2 = _mm256_set1_epi32(int(a));
  const __m256i *w = reinterpret_cast<const __m256i *>(paired);
  for (int v = 0; v < V; ++v)
    s[v] = _mm256_add_epi32(s[v], _mm256_madd_epi16(_mm256_loadu_si256(w + v), a2));
}

template <int V>
__attribute__((target("avx2"))) inline void
sum_in_order_block(std::int32_t *sum, const std::uint32_t *paired, const act_t *value, int n,
                   std::size_t groups) {
  __m256i s[V];
  for (int v = 0; v < V; ++v)
    s[v] = _mm256_setzero_si256();
  int k = 0;
  for (; 2 * k + 1 < n; ++k)
    add_pair<V>(s, paired + std::size_t(k) * groups,
                value[2 * k] | std::uint32_t(value[2 * k + 1]) << 16);
  if (2 * k < n) // an odd row out: its pair's second activation is 0
    add_pair<V>(s, paired + std::size_t(k) * groups, value[2 * k]);
  __m256i *out = reinterpret_cast<__m256i *>(sum);
  for (int v = 0; v < V; ++v)
    _mm256_storeu_si256(out + v, _mm256_add_epi32(_mm256_loadu_si256(out + v), s[v]));
}

__attribute__((target("avx2"))) void sum_in_order_avx2(std::int32_t *sum,
                                                       const std::uint32_t *paired,
                                                       const act_t *value, int n,
                                                       std::size_t groups) {
  std::size_t g = 0;
  for (; g + 64 <= groups; g += 64)
    sum_in_order_block<8>(sum + g, paired + g, value, n, groups);
  for (; g + 32 <= groups; g += 32)
    sum_in_order_block<4>(sum + g, paired + g, value, n, groups);
  for (; g + 8 <= groups; g += 8)
    sum_in_order_block<1>(sum + g, paired + g, value, n, groups);
  if (g < groups) // the last groups, fewer than 8
    sum_in_order_groups(sum, paired, value, n, groups, g, groups);
}
#endif

SumInOrder sum_in_order() {
#if CSSIM_X86_INTRINSICS
  if (cpu_has_avx2())
    return sum_in_order_avx2;
#endif
  return sum_in_order_portable;
}

SumRows sum_rows() {
#if CSSIM_X86_INTRINSICS
  if (cpu_has_avx2())
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

/// A field's pairs with a non-zero activation (the return value) and, added up, their rows'
/// non-zero weights (useful). Per field at most F x G, the memory's entries: uint32 holds it.
CSSIM_AVX2_CLONE
std::uint32_t count_useful(const act_t *value, const std::uint32_t *row_nonzeros, int n,
                           std::uint64_t &useful) {
  std::uint32_t kept = 0, sum = 0;
  for (int p = 0; p < n; ++p) {
    const std::uint32_t on = value[p] != 0;
    kept += on;
    sum += on * row_nonzeros[p];
  }
  useful += sum;
  return kept;
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
      batch_(std::size_t(units) * mem.groups() * mem.per_group(), 0),
      sum_rows_(fused_detail::sum_rows()), sum_in_order_(fused_detail::sum_in_order()) {
  // at most 3 x 16 edges (config: each latency 1..16)
  const int latency = to_router_ + std::max(1, engine.router_latency);
  flight_mask_ = latency >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << latency) - 1;
  out_bit_ = latency - 1;
  last_.assign(std::size_t(latency), blank_sums(batch_.size()));
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
  entry_begin_.clear();
  entry_slot_.clear();
  entry_weight_.clear();
  paired_weight_.clear();
  if (N == 1) {
    dense_weight_.assign(weight, weight + F * G);
    pairs_.resize((F + 1) / 2);
    paired_weight_.assign((F + 1) / 2 * G, 0);
    for (std::size_t f = 0; f < F; ++f)
      for (std::size_t g = 0; g < G; ++g)
        paired_weight_[f / 2 * G + g] |=
            std::uint32_t(std::uint16_t(std::int16_t(weight[f * G + g]))) << (f % 2 * 16);
    return;
  }
  entry_begin_.assign(F + 1, 0);
  const std::size_t row_max = (G + 3) / 4 * 4;
  entry_slot_.resize(F * row_max);
  entry_weight_.resize(F * row_max);
  std::uint32_t *slot = entry_slot_.data();
  std::int32_t *w = entry_weight_.data();
  std::uint32_t e = 0;
  for (std::size_t f = 0; f < F; ++f) {
    for (std::size_t g = 0; g < G; ++g) { // branch-free: every entry written, the non-zero kept
      slot[e] = std::uint32_t(g * N + kid[f * G + g]);
      w[e] = weight[f * G + g];
      e += weight[f * G + g] != 0;
    }
    for (; e % 4 != 0; ++e) // up to a multiple of 4 entries, with weight 0 (adding nothing)
      slot[e] = 0, w[e] = 0;
    entry_begin_[f + 1] = e;
  }
  entry_slot_.resize(e);
  entry_weight_.resize(e);
}

void FusedDatapath::reset() {
  in_flight_ = last_in_flight_ = 0;
  last_head_ = lasts_ = 0;
  edges_ = 0;
  entered_ = 0;
  std::fill(batch_.begin(), batch_.end(), 0);
  reads_ = useful_ = 0;
}

void FusedDatapath::step(const BeatTag &in, const FieldView *fields) {
  ++edges_;
  if (out_last()) { // the accumulators took it at this edge
    last_head_ = last_head_ + 1 == int(last_.size()) ? 0 : last_head_ + 1;
    --lasts_;
  }
  in_flight_ = (in_flight_ << 1 | std::uint64_t(in.valid)) & flight_mask_;
  last_in_flight_ = (last_in_flight_ << 1 | std::uint64_t(in.valid && in.last)) & flight_mask_;
  if (!in.valid)
    return;
  ++entered_;
  // The batch's sums, added up as its first beat enters; its last beat carries them.
  if (in.first) {
    if (!fields)
      throw std::logic_error("fused datapath: a batch's first beat came without its fields");
    route(fields, in.units_active);
  }
  if (in.last) {
    SumBeat &s = last_[(last_head_ + lasts_++) % last_.size()];
    s.tag = in;
    std::copy(batch_.begin(), batch_.end(), s.sum.begin());
  }
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
      if (pairs_.size() < std::size_t(n + 1) / 2) // a field holds each row once: F rows (load())
        pairs_.resize(std::size_t(n + 1) / 2);
      fused_detail::RowPair *pairs = pairs_.data();
      if (fields[u].in_order && n <= mem_.fan_in()) {
        // Every row in order: when most activations are non-zero, the rows are taken two by two
        // from the interleaved table, zeros included (they add nothing).
        std::uint64_t useful = 0;
        if (4 * count_useful(value, row_nonzeros, n, useful) >= 3 * std::uint32_t(n)) {
          nonzero += useful;
          sum_in_order_(sum, paired_weight_.data(), value, n, G);
          continue;
        }
      }
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
    const std::uint32_t *__restrict begin = entry_begin_.data();
    const std::uint32_t *__restrict slot = entry_slot_.data();
    const std::int32_t *__restrict weight = entry_weight_.data();
    std::int32_t *__restrict out = sum;
    for (int p = 0; p < n; ++p) {
      if (value[p] == 0)
        continue;
      nonzero += row_nonzeros[row[p]];
      const std::int32_t a = value[p];
      for (std::uint32_t e = begin[row[p]], end = begin[row[p] + 1]; e < end; e += 4) {
        out[slot[e]] += a * weight[e];
        out[slot[e + 1]] += a * weight[e + 1];
        out[slot[e + 2]] += a * weight[e + 2];
        out[slot[e + 3]] += a * weight[e + 3];
      }
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
  // A beat enters the multipliers (the router) to_multipliers_ (to_router_) edges after the
  // memory: the beats in flight for fewer edges have not.
  const auto entered = [this](int after) {
    return entered_ -
           std::uint64_t(__builtin_popcountll(in_flight_ & ((std::uint64_t(1) << after) - 1)));
  };
  DatapathCounters c;
  c.memory = activity(entered_);
  c.multipliers = activity(entered(to_multipliers_));
  c.router = activity(entered(to_router_));
  c.reads = reads_;
  c.macs = entered(to_multipliers_) * std::uint64_t(mem_.lanes()) * groups_;
  c.useful_macs = useful_;
  return c;
}

} // namespace cssim
