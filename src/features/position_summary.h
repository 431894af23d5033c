// The generic path of the position summary (see selfplay/position_summary.h):
// one pass over a state's elements, then player properties, mobility,
// connection distance and lines. It is the reference every native path is
// tested against.
#ifndef SELFPLAY_FEATURES_POSITION_SUMMARY_H_
#define SELFPLAY_FEATURES_POSITION_SUMMARY_H_

#include <cstdint>
#include <vector>

#include "selfplay/game.h"
#include "selfplay/position_summary.h"

namespace selfplay {

// Buffers reused across calls by one thread.
struct SummaryBuffers {
  std::vector<Element>& elements;
  std::vector<std::int32_t>& board;
  std::vector<std::int32_t>& distances;
  std::vector<int>& queue;
  std::vector<int>& next_queue;
};

// Fills `summary` (layout.size() zeroed values) for `state` from its
// elements.
void compute_summary_from_elements(const GameStructure& structure,
                                   const SummaryLayout& layout,
                                   const State& state, SummaryBuffers buffers,
                                   std::int64_t* summary);

// Fewest empty cells `player` must still fill to join its goal edges, with its
// own stones free and other players' stones impassable (0-1 BFS over the
// board); cells * 2 when impossible. `board` holds the owner of each cell
// (row-major) or -1 when empty.
int connection_distance(const BoardSpec& board, const std::int32_t* owners,
                        int player, SummaryBuffers buffers);

}  // namespace selfplay

#endif  // SELFPLAY_FEATURES_POSITION_SUMMARY_H_
