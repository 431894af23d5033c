// Nim, the worked example of a user's own game (see README.md here).
//
// Three heaps of 3, 4 and 5 tokens. Players alternate; a move takes one or
// more tokens from one heap; whoever takes the last token wins. Theory: the
// player to move can force a win exactly when the XOR of the heap sizes (the
// "nim-sum") is not zero.
//
// This file is all the game: it is compiled into the example program
// (main.cc) and into the plugin that the `selfplay` CLI loads (plugin.cc).
#ifndef NIM_NIM_H_
#define NIM_NIM_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "selfplay/game.h"

namespace nim {

inline constexpr int kHeaps = 3;

// One position. The engine reads it through selfplay::State; hand-written
// features may downcast to it for the heaps.
class NimState final : public selfplay::State {
 public:
  NimState();

  int num_players() const override { return 2; }
  int current_player() const override { return mover_; }
  bool is_terminal() const override;
  void legal_actions(std::vector<selfplay::Action>& actions) const override;
  void apply_action(selfplay::Action action) override;
  std::vector<int> winners() const override;
  selfplay::ActionKind action_kind(selfplay::Action action) const override;
  std::uint64_t hash() const override;
  std::unique_ptr<selfplay::State> clone() const override;
  std::string to_string() const override;
  void elements(std::vector<selfplay::Element>& elements) const override;
  std::int64_t player_property(int player, int property) const override;

  const std::array<int, kHeaps>& heaps() const { return heaps_; }

 private:
  std::array<int, kHeaps> heaps_;
  std::array<int, 2> taken_ = {0, 0};  // tokens each player has taken
  int mover_ = 0;
  int last_mover_ = -1;
};

// The game as the engine sees it: its declared structure and initial states.
std::unique_ptr<selfplay::Game> make_nim_game();

}  // namespace nim

#endif  // NIM_NIM_H_
