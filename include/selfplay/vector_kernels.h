// Whether the engine's AVX2 kernels run. The line counts of alignment games
// (bitboard_lines.h) have a portable path and, on x86-64 CPUs with AVX2
// (asked at run time, so that one build runs everywhere), a vector one. Both
// give the same counts; the switch is for the tests that hold one to the
// other, and for measuring. (Gathering the template features' values for
// AVX2 comparisons was tried and was slower than the scalar loop.)
//
//   set_vector_kernels(false);  // portable paths only, from now on
//   ... evaluate ...
//   set_vector_kernels(true);   // the default: AVX2 where the CPU has it
#ifndef SELFPLAY_VECTOR_KERNELS_H_
#define SELFPLAY_VECTOR_KERNELS_H_

#include <atomic>

// GCC's or Clang's vector extensions and target attributes on x86-64.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SELFPLAY_AVX2_KERNELS 1
#else
#define SELFPLAY_AVX2_KERNELS 0
#endif

namespace selfplay {

namespace internal {
inline std::atomic<bool> vector_kernels_allowed{true};
}  // namespace internal

// True when the AVX2 kernels run: allowed and the CPU has AVX2.
inline bool vector_kernels_enabled() {
#if SELFPLAY_AVX2_KERNELS
  return internal::vector_kernels_allowed.load(std::memory_order_relaxed) &&
         __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

// Allows (the default) or forbids the AVX2 kernels for the whole process.
// Not for use while other threads evaluate: they may see either setting.
inline void set_vector_kernels(bool allowed) {
  internal::vector_kernels_allowed.store(allowed, std::memory_order_relaxed);
}

}  // namespace selfplay

#endif  // SELFPLAY_VECTOR_KERNELS_H_
