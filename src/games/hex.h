// Hex on an N x N rhombus of hexagons.
//
// Rules as implemented:
// - Two players take turns placing one stone of their own on any empty cell;
//   player 0 moves first. There is no swap (pie) rule and stones never move.
// - Player 0 wins by joining the top and bottom edges (rows 0 and N-1) with a
//   chain of their stones, player 1 by joining the left and right edges
//   (columns 0 and N-1). The game ends as soon as either happens.
// - There are no draws: a full board always holds exactly one winning chain.
// - Cell (r, c) touches the six cells (r-1, c), (r-1, c+1), (r, c-1),
//   (r, c+1), (r+1, c-1) and (r+1, c) that lie on the board, so the acute
//   corners are (0, 0) and (N-1, N-1).
//
// Action r * N + c places a stone on cell (r, c). The legal actions start in
// increasing order; each stone's cell then takes the slot of the last empty
// cell in the list (constant time, no re-sorting), so their order depends on
// the moves so far and on nothing else.
//
// The structure declares the centre as the cells whose centres lie in the
// middle third of each side: rows and columns (N+1)/3 to N-1-(N+1)/3, that
// is 2..4 on 7x7, 3..5 on 9x9 and 4..6 on 11x11.
//
// A win is found incrementally: a union-find over the cells plus the four
// edges, held in fixed arrays inside the state, so a move allocates nothing
// and a clone is one small copy.
//
//   std::unique_ptr<Game> game = make_hex_game(11);  // named "hex-11"
//   HexState state(7);
//   state.apply_action(HexState::cell_action(7, 3, 3));
#ifndef SELFPLAY_GAMES_HEX_H_
#define SELFPLAY_GAMES_HEX_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "selfplay/game.h"

namespace selfplay {

// The largest board a Hex state holds.
inline constexpr int kMaxHexSize = 19;

// Hex on a `size` x `size` board, named "hex" for 7x7 and "hex-<size>"
// otherwise. Throws std::invalid_argument unless 2 <= size <= kMaxHexSize.
std::unique_ptr<Game> make_hex_game(int size);

class HexState final : public State {
 public:
  // The empty `size` x `size` board, player 0 to move. Throws
  // std::invalid_argument unless 2 <= size <= kMaxHexSize.
  explicit HexState(int size);
  // Copy only the cells in use, so that cloning a small board is cheap.
  HexState(const HexState& other) { copy_from(other); }
  HexState& operator=(const HexState& other) {
    if (this != &other) copy_from(other);
    return *this;
  }

  static constexpr Action cell_action(int size, int row, int column) {
    return row * size + column;
  }

  int size() const { return size_; }
  // The owner of the stone on (row, column), or -1 for an empty cell.
  int stone(int row, int column) const {
    return cells_[padded(row + 1, column + 1)];
  }

  int num_players() const override { return 2; }
  int current_player() const override { return to_move_; }
  bool is_terminal() const override { return winner_ >= 0; }
  void legal_actions(std::vector<Action>& actions) const override;
  // `action` must be one of `legal_actions()`; it is not checked.
  void apply_action(Action action) override;
  std::vector<int> winners() const override;
  ActionKind action_kind(Action) const override { return 0; }
  // Zobrist hash of the stones and the side to move.
  std::uint64_t hash() const override { return hash_; }
  std::unique_ptr<State> clone() const override;
  std::string to_string() const override;
  void elements(std::vector<Element>& elements) const override;
  // The number of empty cells, for either player.
  int mobility(int) const override { return empty_count_; }
  // Natively on boards up to kMaxBitboardHexSize: connection distances by
  // bit-parallel flood fill on the stones' bitboards.
  bool summarize(PositionSummary& summary) const override;

  // The largest board whose cells fit the 128-bit bitboards.
  static constexpr int kMaxBitboardHexSize = 11;

  // Whether a state of this size keeps its groups as bitboards: only where
  // the connection search runs on two-word bitboards, since there a group
  // lookup costs less than flooding through the group a step at a time
  // (measured: on 7x7 the lookups made the search slower, on 9x9 and 11x11
  // faster).
  static constexpr bool keeps_groups(int size) {
    return size * size > 64 && size <= kMaxBitboardHexSize;
  }
  // A group of connected stones on the bitboard: its stones and every cell
  // next to one of them (no own stone outside the group is among those).
  struct Group {
    unsigned __int128 stones;
    unsigned __int128 around;
  };
  // On boards that keeps_groups(): the group of the stone on bit `cell`
  // (row * size + column), and that of the stones connected to `player`'s
  // first edge (top for 0, left for 1).
  const Group& group(int cell) const;
  const Group& first_edge_group(int player) const;

 private:
  static constexpr int kMaxPadded = (kMaxHexSize + 2) * (kMaxHexSize + 2);
  static constexpr int kMaxCells = kMaxHexSize * kMaxHexSize;
  static constexpr int kMaxBitboardPadded =
      (kMaxBitboardHexSize + 2) * (kMaxBitboardHexSize + 2);

  // Cells live on a grid with a one-cell border: the top and bottom border
  // rows belong to player 0 and the left and right border columns to player
  // 1, each side one union-find set, so edges need no special case.
  int padded(int row, int column) const { return row * (size_ + 2) + column; }
  int find(int node);
  // find() for readers: the same root, without shortening the path.
  int root_of(int node) const;
  // Copies everything but the unused tails of the arrays, which stay
  // uninitialised and are never read.
  void copy_from(const HexState& other);

  // Bits of edges_: the first (top or left) and second (bottom or right)
  // edge of the group's owner.
  static constexpr int kFirstEdge = 1, kSecondEdge = 2;
  static constexpr int kBothEdges = kFirstEdge | kSecondEdge;

  std::int8_t size_ = 0;
  std::int8_t to_move_ = 0;
  std::int8_t winner_ = -1;  // -1 while the game goes on
  std::int16_t empty_count_ = 0;
  // ceil(65536 / size_): action / size_ is (action * this) >> 16.
  std::int32_t row_reciprocal_ = 0;
  std::uint64_t hash_ = 0;
  // Per player, bit r * size + c for a stone on (r, c); kept on boards up to
  // kMaxBitboardHexSize.
  std::array<unsigned __int128, 2> stones_{};
  // Owner per padded cell, -1 when empty (the border's four corners too).
  std::array<std::int8_t, kMaxPadded> cells_;
  // Union-find parent per padded cell: itself for an empty cell, the side's
  // root for a border cell.
  std::array<std::int16_t, kMaxPadded> parents_;
  // Per union-find root: which of its owner's two edges the group touches.
  std::array<std::int8_t, kMaxPadded> edges_;
  // Per union-find root on boards keeps_groups(size_): the group's
  // stones on the bitboard (border cells have no bit) and the cells around
  // them, so that a connection search takes in a whole group and its
  // neighbourhood at once instead of flooding through it.
  std::array<Group, kMaxBitboardPadded> groups_;
  // The actions of the empty cells, empty_count_ of them, and per empty cell
  // its index there (stale for filled cells).
  std::array<Action, kMaxCells> empty_;
  std::array<std::int16_t, kMaxCells> slots_;
};

}  // namespace selfplay

#endif  // SELFPLAY_GAMES_HEX_H_
