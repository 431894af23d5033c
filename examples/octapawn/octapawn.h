// Octapawn, the board game of docs/api.md's walkthrough: hexapawn's rules on
// a 4x4 board.
//
// Each player has four pawns on its home row (player 0 on row 0, moving up;
// player 1 on row 3, moving down). A pawn steps straight forward onto an
// empty square or captures an opposing pawn diagonally forward. A player
// wins by reaching the far row, by taking every opposing pawn, or when the
// opponent, to move, has no move. There are no draws.
//
// This file is all the game: it is compiled into the example program
// (main.cc) and into the plugin that the `selfplay` CLI loads (plugin.cc).
#ifndef OCTAPAWN_OCTAPAWN_H_
#define OCTAPAWN_OCTAPAWN_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "selfplay/game.h"

namespace octapawn {

inline constexpr int kSize = 4;

// One position. It implements the methods every game needs, and those its
// structure declares: elements (a board with pawns), action_kind (two
// kinds) and mobility. No hash: the engine then skips its feature cache.
class OctapawnState final : public selfplay::State {
 public:
  // `pawn` and `passed`: the indices of the element type "pawn" and of its
  // property "passed", looked up by name in the game's structure.
  OctapawnState(int pawn, int passed);

  int num_players() const override { return 2; }
  int current_player() const override { return mover_; }
  bool is_terminal() const override { return winner_ >= 0; }
  void legal_actions(std::vector<selfplay::Action>& actions) const override;
  void apply_action(selfplay::Action action) override;
  std::vector<int> winners() const override { return {winner_}; }
  std::unique_ptr<selfplay::State> clone() const override;
  std::string to_string() const override;

  selfplay::ActionKind action_kind(selfplay::Action action) const override;
  void elements(std::vector<selfplay::Element>& elements) const override;
  int mobility(int player) const override;

 private:
  // Calls visit(action) for each legal action of `player`, as if it were
  // to move.
  template <typename Visit>
  void for_each_move(int player, Visit visit) const;
  // No opposing pawn ahead of the pawn on `square` in its own column or
  // the two beside it: nothing can stop or take it.
  bool passed(int square) const;

  std::array<int, kSize * kSize> board_;  // owner per square, -1: empty
  int pawn_;
  int passed_;
  int mover_ = 0;
  int winner_ = -1;
};

std::unique_ptr<selfplay::Game> make_octapawn_game();

}  // namespace octapawn

#endif  // OCTAPAWN_OCTAPAWN_H_
