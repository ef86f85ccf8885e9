// cssim: CSSIM_AVX2_CLONE marks a hot loop function that the compiler vectorizes. On x86-64 with
// GCC or Clang it is compiled twice, for the baseline (SSE2) and for AVX2, and the loader picks
// the AVX2 version on processors that have it (function multiversioning); results are the same,
// only the vector width differs. Elsewhere it is a plain function.
#pragma once

#if defined(__x86_64__) && defined(__ELF__) && (defined(__GNUC__) || defined(__clang__)) &&        \
    !defined(CSSIM_NO_CLONES)
#define CSSIM_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define CSSIM_AVX2_CLONE
#endif

// CSSIM_X86_INTRINSICS: x86-64 intrinsics and __builtin_cpu_supports can be used (a kernel written
// for AVX2 is chosen at run time on processors that have it).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CSSIM_X86_INTRINSICS 1
#else
#define CSSIM_X86_INTRINSICS 0
#endif

#if CSSIM_X86_INTRINSICS
namespace cssim {
/// Whether this processor runs AVX2 (for choosing a kernel written for it).
inline bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
} // namespace cssim
#endif
