// One game's tallies per player (decisions, feature-true decisions, action
// kinds taken and passed over) and how the finished game enters
// SimulationCounts. GamePlayer tallies the games it plays with it and
// RecordCounter the games it reads back, so that statistics recomputed from
// records are those of the run by construction.
#ifndef SELFPLAY_SIMULATION_GAME_TALLY_H_
#define SELFPLAY_SIMULATION_GAME_TALLY_H_

#include <bit>
#include <cstdint>
#include <vector>

#include "selfplay/counts.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay {

// A player's outcome in half-units: 2 sole winner, 1 draw or shared win
// (`winners` empty: a draw), 0 loss.
std::uint64_t outcome_half_units(const std::vector<int>& winners, int player);

class GameTally {
 public:
  GameTally(int players, int features, int action_kinds);

  // Zeroes the tallies for a new game.
  void reset();

  // The hot per-decision calls; arguments are trusted (in range).
  void add_decision(int player) { ++decisions_[player]; }
  void add_kind_taken(int player, ActionKind kind) {
    ++kind_taken_[player * action_kinds_ + kind];
  }
  // `kinds`: a mask of kinds that were available but not taken.
  void add_kinds_not_taken(int player, std::uint64_t kinds) {
    std::uint32_t* not_taken = kind_not_taken_.data() + player * action_kinds_;
    for (; kinds != 0; kinds &= kinds - 1) ++not_taken[std::countr_zero(kinds)];
  }
  // `bits`: `words` 64-bit words, bit i set when feature i held.
  void add_features(int player, const std::uint64_t* bits, int words) {
    std::uint32_t* feature_true = feature_true_.data() + player * features_;
    for (int w = 0; w < words; ++w) {
      for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
        ++feature_true[w * 64 + std::countr_zero(word)];
      }
    }
  }

  // Adds the finished game to `counts`: its status, and for a completed game
  // its length, seat results and the feature and action tables by outcome,
  // with the game's per-table products for game-clustered variances.
  // `actions`: the decisions played (not counted for a failed game, whose
  // failure the caller records with add_failure).
  void add_game(GameStatus status, std::uint32_t actions,
                const std::vector<int>& winners, SimulationCounts& counts);

 private:
  void add_completed_game(const std::vector<int>& winners,
                          SimulationCounts& counts);

  int players_;
  int features_;
  int action_kinds_;
  std::vector<std::uint32_t> decisions_;
  std::vector<std::uint32_t> feature_true_;
  std::vector<std::uint32_t> kind_taken_;
  std::vector<std::uint32_t> kind_not_taken_;
  // Scratch for add_game: each seat's outcome in half-units.
  std::vector<std::uint64_t> half_units_;
};

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_GAME_TALLY_H_
