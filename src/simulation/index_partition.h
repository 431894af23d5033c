// Splits a run's game indices between processes (MPI ranks): block-cyclic
// chunks, so that every part samples the whole index range and a part's games
// are a few long ranges that the runner splits further between its threads.
//
//   const std::uint64_t chunk = default_chunk_size(games, parts);
//   options.ranges = block_cyclic_ranges(games, parts, part, chunk);
//
// A game's result depends only on its index, so any partition gives the same
// merged tallies; the chunk size only moves load between parts.
#ifndef SELFPLAY_SIMULATION_INDEX_PARTITION_H_
#define SELFPLAY_SIMULATION_INDEX_PARTITION_H_

#include <cstdint>
#include <vector>

#include "selfplay/simulation.h"

namespace selfplay {

// About this many chunks per part: enough to average out slow stretches of
// games, few enough that the range list stays short for 10^12 games.
inline constexpr std::uint64_t kChunksPerPart = 64;

// ceil(games / (parts * kChunksPerPart)), at least 1. `parts` >= 1.
std::uint64_t default_chunk_size(std::uint64_t games, int parts);

// The ranges of part `part` (0 <= part < parts) when [0, games) is cut into
// chunks of `chunk` (>= 1) indices dealt round-robin: chunks part,
// part + parts, part + 2 * parts, ... Sorted and disjoint; the parts together
// cover [0, games) exactly once. Empty when the part gets no chunk.
std::vector<GameIndexRange> block_cyclic_ranges(std::uint64_t games, int parts,
                                                int part, std::uint64_t chunk);

// The same over the games of `within` (sorted, disjoint ranges) taken in
// order: chunk c is the c-th run of `chunk` of those games, cut where it
// crosses from one range of `within` to the next. What a run that plays only
// some ranges (a training's iteration) hands each part.
std::vector<GameIndexRange> block_cyclic_ranges(
    const std::vector<GameIndexRange>& within, int parts, int part,
    std::uint64_t chunk);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_INDEX_PARTITION_H_
