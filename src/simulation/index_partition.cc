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

}  // namespace selfplay
