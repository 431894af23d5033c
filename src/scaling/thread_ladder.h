// Thread counts for scaling experiments, written the way oneTBB's examples
// take them: lists and ladders.
//
//   absl::StatusOr<std::vector<int>> counts = parse_thread_counts("1:16:*2",
//   2);
//   // {1, 2, 4, 8, 16}
//
// Grammar: comma-separated items; the result is sorted, without repeats.
//   N            one count
//   LOW:HIGH     every count from LOW to HIGH
//   LOW:HIGH:+S  LOW, LOW+S, LOW+2S, ... while <= HIGH (a bare S means +S)
//   LOW:HIGH:*F  LOW, LOW*F, LOW*F^2, ... while <= HIGH (F >= 2)
//   auto         1, 2, 4, ... below the available threads, and that count
// Counts are 1..kMaxThreadCount. HIGH itself is in the ladder only when a
// step lands on it, as in oneTBB's examples.
#ifndef SELFPLAY_SCALING_THREAD_LADDER_H_
#define SELFPLAY_SCALING_THREAD_LADDER_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace selfplay::scaling {

// The runner's limit (SimulationOptions::threads).
inline constexpr int kMaxThreadCount = 4096;

// InvalidArgument naming the offending item for anything outside the grammar:
// empty items, non-numbers, zero or too-large counts, LOW > HIGH, steps < 1,
// factors < 2. `available_threads` (>= 1) is what `auto` expands to.
[[nodiscard]] absl::StatusOr<std::vector<int>> parse_thread_counts(
    std::string_view spec, int available_threads);

}  // namespace selfplay::scaling

#endif  // SELFPLAY_SCALING_THREAD_LADDER_H_
