// One game of a match, played from its index alone, so that a match or an
// evolution can spread games over threads in any order and get the same
// outcomes.
#ifndef SELFPLAY_TRAINING_MATCH_GAMES_H_
#define SELFPLAY_TRAINING_MATCH_GAMES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "selfplay/evaluation.h"
#include "selfplay/game.h"
#include "selfplay/policy.h"

namespace selfplay {

enum class MatchOutcome : std::uint8_t {
  kWin,
  kDraw,
  kLoss,
  kTruncated,
  kFailed
};

struct MatchGameResult {
  MatchOutcome outcome = MatchOutcome::kDraw;
  std::string error;  // when failed
};

// Game `index` of a match between `player` and `opponent` with `players`
// seats (see evaluation.h for the seating and seeds). `actions` is the
// caller's buffer. Never throws for game errors: they make the game failed.
MatchGameResult play_match_game(const Game& game, int players, int max_actions,
                                const Policy& player, const Policy& opponent,
                                std::uint64_t seed, std::uint64_t index,
                                std::vector<Action>& actions);

// Adds one game's result; call in game index order so that `first_error` is
// the lowest failed index's.
void add_match_game(const MatchGameResult& game, MatchResult& result);

}  // namespace selfplay

#endif  // SELFPLAY_TRAINING_MATCH_GAMES_H_
