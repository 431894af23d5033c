// Connect four on the standard 7-column, 6-row vertical board.
//
// Rules: two players alternately drop a disc into a column that is not full,
// player 0 first; the disc falls to the lowest empty row. Four discs of one
// player in a row, column or diagonal win at once; a full board without such
// a line is a draw.
//
// Action c drops into column c (0..6); row 0 is the bottom. The board is two
// 64-bit bitboards in the classic 7-bits-per-column layout (six rows and a
// sentinel bit), so a drop, the win test (four shifts) and the legal columns
// (the top-row bits) are a handful of instructions.
//
//   std::unique_ptr<Game> game = make_connect_four_game();
#ifndef SELFPLAY_GAMES_CONNECT_FOUR_H_
#define SELFPLAY_GAMES_CONNECT_FOUR_H_

#include <array>
#include <cstdint>
#include <memory>

#include "selfplay/game.h"

namespace selfplay {

std::unique_ptr<Game> make_connect_four_game();

class ConnectFourState final : public State {
 public:
  static constexpr int kColumns = 7;
  static constexpr int kRows = 6;

  ConnectFourState() = default;

  int num_players() const override { return 2; }
  int current_player() const override { return moves_ & 1; }
  bool is_terminal() const override {
    return winner_ >= 0 || moves_ == kColumns * kRows;
  }
  void legal_actions(std::vector<Action>& actions) const override;
  void apply_action(Action column) override;
  std::vector<int> winners() const override;
  ActionKind action_kind(Action) const override { return 0; }
  // Both bitboards (which together fix the side to move), mixed.
  std::uint64_t hash() const override;
  std::unique_ptr<State> clone() const override {
    return std::make_unique<ConnectFourState>(*this);
  }
  std::string to_string() const override;
  void elements(std::vector<Element>& elements) const override;
  int mobility(int) const override;
  bool summarize(PositionSummary& summary) const override;

  // The owner of the disc at (row, column), or -1 when empty.
  int disc(int row, int column) const;

 private:
  std::array<std::uint64_t, 2> discs_{};
  int moves_ = 0;
  int winner_ = -1;
};

}  // namespace selfplay

#endif  // SELFPLAY_GAMES_CONNECT_FOUR_H_
