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
  // Adds a decision's feature bits to `player`'s vertical counters: bit k
  // of plane k of a word counts, for each of its 64 features, the decisions
  // since the last flush at which the feature held. Adding is then a few
  // word operations whatever the number of features that hold; a loop over
  // the set bits took a step per true feature and mispredicted its exit.
  void add_features(int player, const std::uint64_t* bits) {
    std::uint64_t* planes = planes_.data() + player * words_ * kPlanes;
    for (int w = 0; w < words_; ++w, planes += kPlanes) {
      std::uint64_t carry = bits[w];
      for (int k = 0; k < kPlanes; ++k) {
        const std::uint64_t next = planes[k] & carry;
        planes[k] ^= carry;
        carry = next;
      }
    }
    if (++unflushed_[player] == (1u << kPlanes) - 1) flush_features(player);
  }

  void add_game(GameStatus status, std::uint32_t actions,
                const std::vector<int>& winners, SimulationCounts& counts);

 private:
  void add_completed_game(const std::vector<int>& winners,
                          SimulationCounts& counts);
  // Moves `player`'s vertical counters into feature_true_ before they could
  // overflow, and at the end of the game.
  void flush_features(int player);

  static constexpr int kPlanes = 6;

  int players_;
  int features_;
  int action_kinds_;
  std::vector<std::uint32_t> decisions_;
  int words_;  // 64-bit words of feature bits
  std::vector<std::uint32_t> feature_true_;
  std::vector<std::uint64_t> planes_;     // [player][word][plane]
  std::vector<std::uint32_t> unflushed_;  // decisions per player in planes_
  std::vector<std::uint32_t> kind_taken_;
  std::vector<std::uint32_t> kind_not_taken_;
  // Scratch for add_game: each seat's outcome in half-units.
  std::vector<std::uint64_t> half_units_;
};

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_GAME_TALLY_H_
