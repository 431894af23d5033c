// A run's tallies, failures and game summaries as flat buffers, so that
// processes (MPI ranks) can sum and gather them with plain messages.
//
//   // On each process, for one agreed histogram size:
//   std::vector<std::uint64_t> words = flatten_tallies(counts, histogram_size);
//   // ... element-wise sums of every process's words (MPI_SUM) ...
//   SimulationCounts total = unflatten_tallies(sum, shape);
//   SimulationCounts failures = shape;
//   failures.failures = *decode_failures(encode_failures(counts.failures));
//   total.merge(failures);  // keeps the smallest indices, as one process does
//
// Tallies are unsigned integers, so the element-wise sum of the flattened
// counts of disjoint sets of games is the flattened merge of those counts.
// Words are host integers (send them as MPI_UINT64_T); failure bytes are
// little-endian (binary_io.h), so they read the same on any host.
#ifndef SELFPLAY_SIMULATION_WIRE_FORMAT_H_
#define SELFPLAY_SIMULATION_WIRE_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "selfplay/counts.h"
#include "selfplay/simulation.h"

namespace selfplay {

// Words flatten_tallies writes for counts shaped like `shape` (its seats,
// features and action kinds) with `histogram_size` histogram entries.
std::size_t flat_tallies_size(const SimulationCounts& shape,
                              std::size_t histogram_size);

// Every tally of `counts` but the failure list, in a fixed order, the length
// histogram zero-padded to `histogram_size` (>= its size).
std::vector<std::uint64_t> flatten_tallies(const SimulationCounts& counts,
                                           std::size_t histogram_size);

// The inverse of flatten_tallies: counts shaped like `shape` (and with its
// failure_cap), no failures, the histogram as long as the words allow.
// InvalidArgument when `words` is shorter than the fixed part of the shape.
[[nodiscard]] absl::StatusOr<SimulationCounts> unflatten_tallies(
    absl::Span<const std::uint64_t> words, const SimulationCounts& shape);

// Failures as bytes: index, seed, message length, message, for each
// (BinaryWriter's u64 and string).
std::string encode_failures(const std::vector<GameFailure>& failures);
// DataLoss when `bytes` is not a whole number of encoded failures.
[[nodiscard]] absl::StatusOr<std::vector<GameFailure>> decode_failures(
    std::string_view bytes);

// Game summaries as words: index, seed, status, actions, winner count,
// winners, for each.
std::vector<std::uint64_t> encode_summaries(
    const std::vector<GameSummary>& games);
// DataLoss when `words` is not a whole number of encoded summaries.
[[nodiscard]] absl::StatusOr<std::vector<GameSummary>> decode_summaries(
    absl::Span<const std::uint64_t> words);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_WIRE_FORMAT_H_
