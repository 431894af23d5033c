// American/English draughts (checkers) on an 8x8 board.
//
// Rules as implemented:
// - Only the 32 dark squares are used: square (row, column) is dark when
//   row + column is even. Row 0 is player 0's home row.
// - Player 0 (black) starts with 12 men on rows 0-2 and moves first, towards
//   higher rows; player 1 (white) starts with 12 men on rows 5-7 and moves
//   towards lower rows.
// - A man steps one square diagonally forward; a king one square diagonally
//   in any of the four directions.
// - Capturing is mandatory: when any jump exists, only jumps are legal (the
//   player may pick any of them, not necessarily the longest). A man jumps
//   forward only, a king in all four directions. A multi-jump must be
//   completed and is a single action. Jumped pieces are removed, and no piece
//   is jumped twice.
// - A man that reaches the far row is crowned king, and its move ends there
//   even if the new king could jump on.
// - A player with no legal action on their turn loses.
// - Otherwise the game is drawn as soon as 80 consecutive actions have passed
//   with no capture and no man moved (only non-capturing king moves). The
//   loss rule is checked first.
//
// Action encoding (a non-negative int32):
//   bits 0-4   the from-square, 0..31 (see below)
//   bits 5-8   the number of jumps n: 0 for a simple move, 1..9 for a capture
//   bits 9-26  a simple move: bits 9-10 hold its direction; a capture: the
//              direction of jump i in bits 9+2i..10+2i, for i < n
// Directions: 0 = (+1 row, -1 column), 1 = (+1, +1), 2 = (-1, -1),
// 3 = (-1, +1). Nine jumps is the most any move can make: every piece jumped
// in one move sits on an interior square of one colour class, and there are
// nine of those. Two jump paths that end in the same position are distinct
// actions.
//
// Squares are numbered row * 4 + column / 2, so bit s of a 32-bit mask is
// square s. The structure declares the centre as rows 2..5, columns 2..5.
//
//   std::unique_ptr<Game> game = make_checkers_game();
//   absl::StatusOr<CheckersState> state = CheckersState::from_diagram(
//       {"........", "........", "........", "........",
//        "...w....", "........", ".b......", "........"},
//       /*to_move=*/0);
#ifndef SELFPLAY_GAMES_CHECKERS_H_
#define SELFPLAY_GAMES_CHECKERS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/game.h"

namespace selfplay {

std::unique_ptr<Game> make_checkers_game();

class CheckersState final : public State {
 public:
  // Consecutive actions with no capture and no man moved that draw the game.
  static constexpr int kDrawAfterQuietActions = 80;

  // The standard starting position, player 0 to move.
  CheckersState();

  // A position from a diagram in the layout of `to_string()`: eight rows of
  // eight characters, the first for row 7 and the last for row 0 (player 0's
  // home row), column 0 first. 'b'/'B' is a player 0 man/king, 'w'/'W' a
  // player 1 man/king, '.' or ' ' an empty square. Returns InvalidArgument for
  // a wrong size, an unknown character, a piece on a light square, a
  // `to_move` other than 0 or 1, or a `quiet_actions` outside
  // 0..kDrawAfterQuietActions. The position may already be terminal.
  [[nodiscard]] static absl::StatusOr<CheckersState> from_diagram(
      const std::array<std::string_view, 8>& rows, int to_move,
      int quiet_actions = 0);

  // Consecutive actions so far with no capture and no man moved.
  int quiet_actions() const { return quiet_actions_; }

  int num_players() const override { return 2; }
  int current_player() const override { return to_move_; }
  bool is_terminal() const override { return terminal_; }
  void legal_actions(std::vector<Action>& actions) const override;
  // `action` must be one of `legal_actions()`; it is not checked.
  void apply_action(Action action) override;
  std::vector<int> winners() const override;
  ActionKind action_kind(Action action) const override;
  std::uint64_t hash() const override;
  std::unique_ptr<State> clone() const override;
  std::string to_string() const override;
  void elements(std::vector<Element>& elements) const override;
  int mobility(int player) const override;
  bool summarize(PositionSummary& summary) const override;

 private:
  // The pieces of `player` that can start a jump.
  std::uint32_t jumpers_of(int player) const;
  // Calls `sink(action)` for each legal action of `player`, given
  // `jumpers_of(player)`.
  template <typename Sink>
  void for_each_action(int player, std::uint32_t jumpers, Sink&& sink) const;
  // Sets `jumpers_`, `terminal_` and `winner_` for the side to move.
  void update_terminal();

  std::array<std::uint32_t, 2> pieces_{};  // per player, bit s = square s
  std::uint32_t kings_ = 0;                // kings of both players
  std::uint32_t jumpers_ = 0;              // jumpers_of(to_move_)
  std::int8_t to_move_ = 0;
  std::int8_t quiet_actions_ = 0;
  bool terminal_ = false;
  std::int8_t winner_ = -1;  // when terminal: -1 for a draw
};

}  // namespace selfplay

#endif  // SELFPLAY_GAMES_CHECKERS_H_
