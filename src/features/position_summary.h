// The position summary: in one pass over a state's elements, every number the
// generic feature templates compare (counts, property sums, centre, advanced
// and back-row counts per element type and player; player properties;
// mobility; connection distance), so that each template feature is O(players).
#ifndef SELFPLAY_FEATURES_POSITION_SUMMARY_H_
#define SELFPLAY_FEATURES_POSITION_SUMMARY_H_

#include <array>
#include <cstdint>
#include <vector>

#include "selfplay/game.h"

namespace selfplay {

// Where each quantity lives in a player's block of the summary; -1 = absent.
struct SummaryLayout {
  struct TypeSlots {
    int count = -1;
    int center = -1;
    int advanced = -1;
    int back_row = -1;
    // Boolean: count of true; numeric: sum; string: first of one slot per
    // declared value (count of elements holding it).
    std::array<int, kMaxElementProperties> property{-1, -1, -1, -1};
    // Copied from the structure so the summary pass reads one small struct.
    int property_count = 0;
    std::array<PropertyKind, kMaxElementProperties> property_kind{};
    std::array<int, kMaxElementProperties> string_values{};
  };
  int slots_per_player = 0;
  int players = 0;  // blocks in the summary: the game's max players
  std::vector<TypeSlots> types;
  std::vector<int> player_properties;
  int mobility = -1;
  // Minus the number of empty cells still needed to connect (larger is
  // better, like every other slot); -(cells + 1) when cut off.
  int connection = -1;
  // Alignment games: lines of line_length cells holding only this player's
  // pieces, with at least one of them (open) / all but one of them (threats).
  int open_lines = -1;
  int line_threats = -1;
  // Every line of line_length cells (row-major cell indices, line_length per
  // line), precomputed; and, for boards of at most 64 cells, each line as a
  // bit mask so that a line is tested with a few bit operations.
  std::vector<int> line_cells;
  std::vector<std::uint64_t> line_masks;

  int size() const { return slots_per_player * players; }
};

SummaryLayout make_summary_layout(const GameStructure& structure);

// Buffers reused across calls by one thread.
struct SummaryBuffers {
  std::vector<Element>& elements;
  std::vector<std::int32_t>& board;
  std::vector<std::int32_t>& distances;
  std::vector<int>& queue;
  std::vector<int>& next_queue;
};

// Fills `summary` (layout.size() values) for `state`.
void compute_summary(const GameStructure& structure,
                     const SummaryLayout& layout, const State& state,
                     SummaryBuffers buffers, std::int64_t* summary);

// Fewest empty cells `player` must still fill to join its goal edges, with its
// own stones free and other players' stones impassable (0-1 BFS over the
// board); cells * 2 when impossible. `board` holds the owner of each cell
// (row-major) or -1 when empty.
int connection_distance(const BoardSpec& board, const std::int32_t* owners,
                        int player, SummaryBuffers buffers);

}  // namespace selfplay

#endif  // SELFPLAY_FEATURES_POSITION_SUMMARY_H_
