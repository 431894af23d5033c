// The one binary form of SimulationCounts, for anything that moves tallies
// between processes or keeps them on disk (isolated workers' chunk results).
//
//   std::string bytes = serialize_counts(counts);
//   absl::StatusOr<SimulationCounts> back = parse_counts(bytes);  // == counts
//
// The bytes start with a format version and hold every field, sizes included,
// as little-endian integers, so they read the same on any host. parse_counts
// takes untrusted input: any truncation, trailing bytes, impossible size or
// inconsistent total is a DataLoss error, never a crash or a huge allocation.
#ifndef SELFPLAY_SIMULATION_COUNTS_CODEC_H_
#define SELFPLAY_SIMULATION_COUNTS_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "selfplay/counts.h"

namespace selfplay {

// 2: outcome tables carry the per-game sums of game-clustered statistics.
inline constexpr std::uint32_t kCountsFormatVersion = 2;

std::string serialize_counts(const SimulationCounts& counts);

// DataLoss when `bytes` are not exactly one serialized SimulationCounts of
// kCountsFormatVersion whose totals agree (completed + truncated + failed ==
// games, timed_out <= truncated, failures sorted, at most failure_cap of them
// and no more than failed, no table counting more games than completed or
// more games where it held than games).
[[nodiscard]] absl::StatusOr<SimulationCounts> parse_counts(
    std::string_view bytes);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_COUNTS_CODEC_H_
