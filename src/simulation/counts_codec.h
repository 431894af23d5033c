// The one binary form of SimulationCounts, for anything that moves tallies
// between processes or keeps them on disk (isolated workers' chunk results,
// MPI ranks' shares, checkpoints), and of the game summaries that go with
// them.
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
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/counts.h"
#include "selfplay/simulation.h"
#include "simulation/binary_io.h"

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

// Game summaries: their count, then index, seed, status, actions and winners
// of each, written into `writer` (as part of a larger message) or alone.
void write_summaries(const std::vector<GameSummary>& games,
                     BinaryWriter& writer);
std::string serialize_summaries(const std::vector<GameSummary>& games);
// What write_summaries wrote. An impossible status or seat clears
// `values_valid`; truncation is the reader's error.
std::vector<GameSummary> read_summaries(BinaryReader& reader,
                                        bool& values_valid);
// DataLoss unless `bytes` are exactly what serialize_summaries writes.
[[nodiscard]] absl::StatusOr<std::vector<GameSummary>> parse_summaries(
    std::string_view bytes);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_COUNTS_CODEC_H_
