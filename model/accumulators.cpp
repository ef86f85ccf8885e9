#include "accumulators.h"

#include "error.h"
#include "vectorize.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#if CSSIM_X86_INTRINSICS
#include <immintrin.h>
#endif

namespace cssim {

namespace {

// The accumulate loops, vectorized: acc = bias + sum on a position's first beat, acc += sum after.
CSSIM_AVX2_CLONE
void load(std::int64_t *__restrict acc, const acc_t *__restrict bias,
          const std::int32_t *__restrict sum, std::size_t n) {
  for (std::size_t s = 0; s < n; ++s)
    acc[s] = std::int64_t(bias[s]) + sum[s];
}

CSSIM_AVX2_CLONE
void add(std::int64_t *__restrict acc, const std::int32_t *__restrict sum, std::size_t n) {
  for (std::size_t s = 0; s < n; ++s)
    acc[s] += sum[s];
}

} // namespace

namespace acc_detail {

// Requantize + ReLU (design.md section 2) of n accumulators:
//   out = clamp((a * mult + 2^(shift - 1)) >> shift, 0, 255).
// For a <= 0 that is 0 (mult >= 0), so the arithmetic only meets 0 < a <= INT32_MAX and is done
// unsigned, which vectorizes. Returns whether every accumulator fits int32; if one does not, the
// results are meaningless (the caller throws).
CSSIM_AVX2_CLONE
bool requantize_portable(const std::int64_t *__restrict acc, std::int32_t *__restrict out,
                         std::size_t n, std::uint32_t mult, int shift) {
  const std::uint64_t half = std::uint64_t(1) << (shift - 1);
  std::int64_t lo = 0, hi = 0;
  for (std::size_t s = 0; s < n; ++s) {
    const std::uint64_t r = (std::uint64_t(std::uint32_t(acc[s])) * mult + half) >> shift;
    out[s] = acc[s] > 0 ? std::int32_t(std::min<std::uint64_t>(r, 255)) : 0;
    lo = std::min(lo, acc[s]);
    hi = std::max(hi, acc[s]);
  }
  return lo >= std::numeric_limits<std::int32_t>::min() &&
         hi <= std::numeric_limits<std::int32_t>::max();
}

#if CSSIM_X86_INTRINSICS
// The same with AVX2, four accumulators at a time: pmuludq multiplies each one's low 32 bits by
// mult into 64 bits; an accumulator fits int32 when a + 2^31 has no bit above the low 32.
__attribute__((target("avx2"))) bool requantize_avx2(const std::int64_t *acc, std::int32_t *out,
                                                     std::size_t n, std::uint32_t mult, int shift) {
  const __m256i m = _mm256_set1_epi64x(std::int64_t(mult));
  const __m256i half = _mm256_set1_epi64x(std::int64_t(1) << (shift - 1));
  const __m128i count = _mm_cvtsi32_si128(shift);
  const __m256i offset = _mm256_set1_epi64x(std::int64_t(1) << 31);
  const __m256i top = _mm256_set1_epi64x(255), zero = _mm256_setzero_si256();
  const __m256i low_halves = _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0);
  __m256i wide = zero; // the OR of every a + 2^31
  std::size_t s = 0;
  for (; s + 4 <= n; s += 4) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(acc + s));
    wide = _mm256_or_si256(wide, _mm256_add_epi64(a, offset));
    __m256i r = _mm256_srl_epi64(_mm256_add_epi64(_mm256_mul_epu32(a, m), half), count);
    r = _mm256_blendv_epi8(r, top, _mm256_cmpgt_epi64(r, top));
    r = _mm256_and_si256(r, _mm256_cmpgt_epi64(a, zero));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + s),
                     _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(r, low_halves)));
  }
  const __m256i above = _mm256_srli_epi64(wide, 32);
  const bool fits = _mm256_testz_si256(above, above);
  return requantize_portable(acc + s, out + s, n - s, mult, shift) && fits;
}
#endif

Requantize requantize() {
#if CSSIM_X86_INTRINSICS
  if (cpu_has_avx2())
    return requantize_avx2;
#endif
  return requantize_portable;
}

} // namespace acc_detail

namespace {

// The raw sums (the last layer's results) as int32; returns whether every one fits.
CSSIM_AVX2_CLONE
bool narrow(const std::int64_t *__restrict acc, std::int32_t *__restrict out, std::size_t n) {
  std::int64_t lo = 0, hi = 0;
  for (std::size_t s = 0; s < n; ++s) {
    out[s] = std::int32_t(acc[s]);
    lo = std::min(lo, acc[s]);
    hi = std::max(hi, acc[s]);
  }
  return lo >= std::numeric_limits<std::int32_t>::min() &&
         hi <= std::numeric_limits<std::int32_t>::max();
}

// The vector in original channel order: out[c] = unit[slot_of[c]], unit[slots] (0) for a channel
// no slot holds.
CSSIM_AVX2_CLONE
void place(const std::int32_t *__restrict unit, std::uint32_t slots,
           const std::uint32_t *__restrict slot_of, std::int32_t *__restrict out, std::size_t n) {
  for (std::size_t c = 0; c < n; ++c)
    out[c] = unit[std::min(slot_of[c], slots)];
}

} // namespace

AccumulatorsCore::AccumulatorsCore(const CombineMemoryCore &params, int units, int kernels,
                                   bool last_layer, int result_capacity, int out_lanes)
    : params_(params), units_(units), kernels_(kernels), last_layer_(last_layer),
      drain_edges_((kernels + out_lanes - 1) / out_lanes), results_(result_capacity),
      acc_(std::size_t(units) * params.groups() * params.per_group(), 0), totals_(acc_.size(), 0),
      requantized_(std::size_t(params.groups()) * params.per_group() + 1, 0),
      requantize_(acc_detail::requantize()), snap_(std::size_t(units) * kernels, 0) {}

void AccumulatorsCore::reset() {
  std::fill(acc_.begin(), acc_.end(), 0);
  std::fill(snap_.begin(), snap_.end(), 0);
  snap_tag_ = {};
  drain_left_ = 0;
  results_.clear();
  credit_q_ = credit_d_ = 0;
  edge_ = 0;
  frame_end_.clear();
  activity_ = {};
}

void AccumulatorsCore::begin_edge(bool beat_valid, bool out_ready) {
  activity_.count(beat_valid || drain_left_ > 0 || (results_.valid() && out_ready),
                  results_.valid() && !out_ready);
  credit_d_ = results_.drain(out_ready) ? 1 : 0;
  const long edge = edge_++;
  // The output stage, on the snapshot before this edge: its last edge pushes the batch's vectors.
  if (drain_left_ > 0 && --drain_left_ == 0)
    push_results(edge);
}

void AccumulatorsCore::step(const SumBeat &in, bool out_ready) {
  begin_edge(in.tag.valid, out_ready);
  if (!in.tag.valid)
    return;
  const std::size_t slots = std::size_t(params_.groups()) * params_.per_group();
  for (int u = 0; u < units_; ++u) {
    std::int64_t *acc = &acc_[u * slots];
    const std::int32_t *sum = &in.sum[u * slots];
    if (in.tag.first)
      load(acc, params_.slot_bias().data(), sum, slots);
    else
      add(acc, sum, slots);
  }
  if (in.tag.last) {
    output_stage_free();
    snapshot(in.tag, acc_.data());
  }
}

void AccumulatorsCore::step_batch(bool beat_valid, const SumBeat *last, bool out_ready) {
  begin_edge(beat_valid, out_ready);
  if (!last)
    return;
  // bias + the batch's sums: its totals, straight into the output stage
  output_stage_free();
  const std::size_t slots = std::size_t(params_.groups()) * params_.per_group();
  for (int u = 0; u < last->tag.units_active; ++u)
    load(&totals_[u * slots], params_.slot_bias().data(), &last->sum[u * slots], slots);
  snapshot(last->tag, totals_.data());
}

void AccumulatorsCore::output_stage_free() const {
  if (drain_left_ > 0)
    throw std::logic_error("accumulators: a batch ended while the output stage was busy");
}

// The output stage builds the vectors R channels per edge; every channel's value depends only on
// the batch's totals, so they are computed here, into the snapshot, and pushed when the output
// stage's edges are done.
void AccumulatorsCore::snapshot(const BeatTag &tag, const std::int64_t *totals) {
  const std::size_t slots = std::size_t(params_.groups()) * params_.per_group();
  const std::uint32_t *slot_of = params_.channel_slot().data();
  std::int32_t *unit = requantized_.data(); // requantized_[slots] stays 0
  for (int u = 0; u < tag.units_active; ++u) {
    const std::int64_t *acc = &totals[u * slots];
    const bool fits =
        last_layer_ ? narrow(acc, unit, slots)
                    : requantize_(acc, unit, slots, std::uint32_t(params_.mult()), params_.shift());
    if (!fits) // find the channel that overflowed
      for (int c = 0; c < kernels_; ++c)
        if (slot_of[c] < slots && (acc[slot_of[c]] < std::numeric_limits<std::int32_t>::min() ||
                                   acc[slot_of[c]] > std::numeric_limits<std::int32_t>::max()))
          throw Error("accumulator overflow at position " + std::to_string(tag.pos + u) +
                      ", channel " + std::to_string(c) + ": the sum leaves int32");
    std::int32_t *out = &snap_[std::size_t(u) * kernels_];
    if (params_.channels_in_place())
      std::copy_n(unit, kernels_, out);
    else
      place(unit, std::uint32_t(slots), slot_of, out, std::size_t(kernels_));
  }
  snap_tag_ = tag;
  drain_left_ = drain_edges_;
}

void AccumulatorsCore::push_results(long edge) {
  const BeatTag &tag = snap_tag_;
  for (int u = 0; u < tag.units_active; ++u) {
    Item &item = results_.emplace();
    item.pos = tag.pos + u;
    item.last = tag.frame_last && u == tag.units_active - 1;
    const std::int32_t *v = &snap_[std::size_t(u) * kernels_];
    item.values.assign(v, v + kernels_);
    if (item.last)
      frame_end_.push_back(edge);
    if (on_result)
      on_result(item);
  }
}

} // namespace cssim

namespace cssim {

Accumulators::Accumulators(const sc_core::sc_module_name &name, AccumulatorsCore &c)
    : ClockedShell(name), core(c) {
  clocked(&Accumulators::tick);
}

void Accumulators::tick() {
  run_edge(
      core,
      [this] {
        core.step(beat_i.read(), ready_i.read());
        core.commit();
      },
      [this] {
        drive(valid_o, data_o, ready_i.read(), core.out_valid(),
              core.out_valid() ? &core.out() : nullptr);
        credit_o.write(core.credit());
      },
      [this] { return !beat_i.read().tag.valid; });
}

} // namespace cssim
