// The position summary: every number the generic feature templates compare,
// per player (counts, centre, advanced and back-row pieces per element type,
// property sums, player properties, mobility, connection distance, open lines
// and line threats), laid out in one flat array so that each template feature
// is a comparison of two slots.
//
// The engine fills it in one of two ways:
// - the generic path, the reference: one pass over `State::elements()` plus
//   `State::player_property` and `State::mobility`;
// - a game's native path: `State::summarize` writes the numbers straight from
//   the game's own representation (popcounts of bitboards, counters kept by
//   `apply_action`), with no `Element` vector built per decision.
//
//   bool MyState::summarize(PositionSummary& summary) const {
//     for (int p = 0; p < 2; ++p) {
//       summary.set_count(/*type=*/0, p, std::popcount(pieces_[p]));
//       summary.set_center(0, p, std::popcount(pieces_[p] & kCentre));
//       if (summary.wants_mobility()) summary.set_mobility(p, mobility(p));
//     }
//     return true;
//   }
//
// The contract of a native path: every quantity that has a slot is written
// (slots start at 0, and a setter for a slot the layout lacks does nothing),
// and the feature bits that follow equal the generic path's on every state.
// tests/native_summary_test.cc checks this for each bundled game on millions
// of positions; a plugin game with a native path should do the same. Values
// must lie within +-2^40, as the generic path requires of player properties:
// features add and compare them across players in 64 bits.
#ifndef SELFPLAY_POSITION_SUMMARY_H_
#define SELFPLAY_POSITION_SUMMARY_H_

#include <array>
#include <cstdint>
#include <vector>

#include "selfplay/game_structure.h"

namespace selfplay {

// Connection distances are compared with each other and with 1..this by the
// near-win templates ("connects with 1, 2 or 3 more cells"), and nothing else.
inline constexpr int kNearWinCells = 3;

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
  // better, like every other slot); -(2 * cells) when cut off.
  int connection = -1;
  // Alignment games: lines of line_length cells holding only this player's
  // pieces, with at least one of them (open) / all but one of them (threats).
  int open_lines = -1;
  int line_threats = -1;
  // Whether some template reads the mobility slot, so that a native path
  // may skip computing it.
  bool mobility_read = false;
  // Every line of line_length cells (row-major cell indices, line_length per
  // line), precomputed; and, for boards of at most 64 cells, each line as a
  // bit mask so that a line is tested with a few bit operations.
  std::vector<int> line_cells;
  std::vector<std::uint64_t> line_masks;

  int size() const { return slots_per_player * players; }
};

// The slots of `structure`'s summary.
SummaryLayout make_summary_layout(const GameStructure& structure);

// What a native path writes into: the summary of one position, all players.
class PositionSummary {
 public:
  // `values`: layout.size() zeroed values.
  PositionSummary(const SummaryLayout& layout, std::int64_t* values)
      : layout_(layout), values_(values) {}

  const SummaryLayout& layout() const { return layout_; }

  // Element type `type` (an index into GameStructure::element_types) owned by
  // `player`: how many; how many in the centre, in the far half, on the home
  // row (see BoardSpec).
  void set_count(int type, int player, std::int64_t value) {
    set(player, layout_.types[type].count, value);
  }
  void set_center(int type, int player, std::int64_t value) {
    set(player, layout_.types[type].center, value);
  }
  void set_advanced(int type, int player, std::int64_t value) {
    set(player, layout_.types[type].advanced, value);
  }
  void set_back_row(int type, int player, std::int64_t value) {
    set(player, layout_.types[type].back_row, value);
  }
  // A boolean property: how many of `player`'s elements of `type` hold it; a
  // numeric one: their sum.
  void set_property(int type, int property, int player, std::int64_t value) {
    set(player, layout_.types[type].property[property], value);
  }
  // A string property: how many of `player`'s elements of `type` hold value
  // index `value`.
  void set_string_value(int type, int property, int value, int player,
                        std::int64_t count) {
    const int first = layout_.types[type].property[property];
    if (first >= 0)
      values_[player * layout_.slots_per_player + first + value] = count;
  }
  void set_player_property(int property, int player, std::int64_t value) {
    set(player, layout_.player_properties[property], value);
  }

  // Mobility is costly in some games and read only by some game types.
  bool wants_mobility() const { return layout_.mobility_read; }
  void set_mobility(int player, std::int64_t value) {
    set(player, layout_.mobility, value);
  }

  bool wants_connection() const { return layout_.connection >= 0; }
  // Empty cells `player` must still fill to connect (2 * cells when cut
  // off). Only comparisons are ever made, so a native path may stop early:
  // with d the smallest distance over the players and bound = max(d,
  // kNearWinCells), any distance above bound may be given as bound + 1.
  void set_connection_distance(int player, int cells) {
    set(player, layout_.connection, -static_cast<std::int64_t>(cells));
  }

  bool wants_lines() const { return layout_.open_lines >= 0; }
  // Alignment games: lines of BoardSpec::line_length cells that hold only
  // `player`'s pieces and at least one (open), all but one cell (threats).
  void set_lines(int player, std::int64_t open, std::int64_t threats) {
    set(player, layout_.open_lines, open);
    set(player, layout_.line_threats, threats);
  }

 private:
  void set(int player, int slot, std::int64_t value) {
    if (slot >= 0) values_[player * layout_.slots_per_player + slot] = value;
  }

  const SummaryLayout& layout_;
  std::int64_t* values_;
};

}  // namespace selfplay

#endif  // SELFPLAY_POSITION_SUMMARY_H_
