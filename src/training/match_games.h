// One game of a match, played from its index alone, so that a match or an
// evolution can spread games over threads in any order and get the same
// outcomes.
#ifndef SELFPLAY_TRAINING_MATCH_GAMES_H_
#define SELFPLAY_TRAINING_MATCH_GAMES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/evaluation.h"
#include "selfplay/game.h"
#include "selfplay/policy.h"
#include "selfplay/simulation.h"

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

// The seats of a match of `options` (the game's default for 0).
// InvalidArgument for what play_match rejects.
[[nodiscard]] absl::StatusOr<int> check_match_options(
    const Game& game, const MatchOptions& options);

// Games `ranges` (sorted, disjoint) of a match of `options`, played on
// `options.threads` threads with `players` seats (check_match_options).
// play_match plays [0, games); a distributed match gives each process its
// share.
struct MatchGames {
  std::vector<MatchGameResult> results;  // in index order
  // Fewer than results.size() when `options.stop` ended the match first:
  // then some results are not games played.
  std::uint64_t played = 0;
};
MatchGames play_match_games(const Game& game, const Policy& player,
                            const Policy& opponent, const MatchOptions& options,
                            int players,
                            const std::vector<GameIndexRange>& ranges);

}  // namespace selfplay

#endif  // SELFPLAY_TRAINING_MATCH_GAMES_H_
