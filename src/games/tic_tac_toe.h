// Tic-tac-toe on a 3x3 board.
//
// Rules: two players alternately mark an empty cell, player 0 first; three
// marks of one player in a row, column or diagonal win at once; a full board
// without a line is a draw. There are 255168 complete games (131184 won by
// player 0, 77904 by player 1, 46080 drawn).
//
// Action r * 3 + c marks cell (r, c); row 0 is the first row. Each player's
// marks are a 9-bit mask, so a move and the win test are a few instructions.
//
//   std::unique_ptr<Game> game = make_tic_tac_toe_game();
#ifndef SELFPLAY_GAMES_TIC_TAC_TOE_H_
#define SELFPLAY_GAMES_TIC_TAC_TOE_H_

#include <array>
#include <cstdint>
#include <memory>

#include "selfplay/game.h"

namespace selfplay {

std::unique_ptr<Game> make_tic_tac_toe_game();

class TicTacToeState final : public State {
 public:
  TicTacToeState() = default;

  int num_players() const override { return 2; }
  int current_player() const override { return to_move_; }
  bool is_terminal() const override { return winner_ >= 0 || full(); }
  void legal_actions(std::vector<Action>& actions) const override;
  void apply_action(Action action) override;
  std::vector<int> winners() const override;
  ActionKind action_kind(Action) const override { return 0; }
  // Exact: both masks and the side to move, mixed.
  std::uint64_t hash() const override;
  std::unique_ptr<State> clone() const override {
    return std::make_unique<TicTacToeState>(*this);
  }
  std::string to_string() const override;
  void elements(std::vector<Element>& elements) const override;
  int mobility(int) const override;
  bool summarize(PositionSummary& summary) const override;

  // The owner of cell (row, column), or -1 when empty.
  int mark(int row, int column) const;

 private:
  static constexpr std::uint32_t kFull = 0x1ff;
  bool full() const { return (marks_[0] | marks_[1]) == kFull; }

  std::array<std::uint32_t, 2> marks_{};
  int to_move_ = 0;
  int winner_ = -1;
};

}  // namespace selfplay

#endif  // SELFPLAY_GAMES_TIC_TAC_TOE_H_
