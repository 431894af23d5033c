#include "simulation/index_partition.h"

#include <algorithm>

namespace selfplay {

std::uint64_t default_chunk_size(std::uint64_t games, int parts) {
  const std::uint64_t chunks =
      static_cast<std::uint64_t>(parts) * kChunksPerPart;
  return std::max<std::uint64_t>(1, games / chunks + (games % chunks != 0));
}

std::vector<GameIndexRange> block_cyclic_ranges(std::uint64_t games, int parts,
                                                int part, std::uint64_t chunk) {
  std::vector<GameIndexRange> ranges;
  const std::uint64_t chunks = games / chunk + (games % chunk != 0);
  const std::uint64_t stride = static_cast<std::uint64_t>(parts);
  // Written so that no product or sum can pass 2^64 whatever the arguments.
  for (std::uint64_t c = static_cast<std::uint64_t>(part); c < chunks;
       c += stride) {
    const std::uint64_t begin = c * chunk;
    ranges.push_back({begin, games - begin <= chunk ? games : begin + chunk});
    if (chunks - c <= stride) break;
  }
  return ranges;
}

std::vector<GameIndexRange> block_cyclic_ranges(
    const std::vector<GameIndexRange>& within, int parts, int part,
    std::uint64_t chunk) {
  std::uint64_t games = 0;
  for (const GameIndexRange& range : within) games += range.end - range.begin;
  std::vector<GameIndexRange> ranges;
  // Positions among the games of `within`, mapped range by range: both
  // lists are sorted, so one walk through `within` serves every chunk.
  std::size_t next = 0;
  std::uint64_t skipped = 0;  // games of within[0, next)
  for (const GameIndexRange& positions :
       block_cyclic_ranges(games, parts, part, chunk)) {
    std::uint64_t at = positions.begin;
    while (at < positions.end) {
      while (at >= skipped + (within[next].end - within[next].begin)) {
        skipped += within[next].end - within[next].begin;
        ++next;
      }
      const std::uint64_t end = std::min(
          positions.end, skipped + (within[next].end - within[next].begin));
      ranges.push_back({within[next].begin + (at - skipped),
                        within[next].begin + (end - skipped)});
      at = end;
    }
  }
  return ranges;
}

}  // namespace selfplay
