// Evaluation of one policy against another: parallel games with seats
// rotated, win/draw/loss rates with Wilson 95% intervals and the Elo
// difference that the score implies.
//
//   MatchOptions options;
//   options.games = 2000;
//   absl::StatusOr<MatchResult> match =
//       play_match(game, greedy, random, options);
//   Interval wins = match->win_rate();  // wins.low > 0.9?
//
// Games come in blocks of one game per seat on the same seed: in game i the
// evaluated policy sits at seat i % players and the opponent policy takes the
// other seats, and the block's games share seed_for(seed, i / players). Both
// policies thus meet the same positions from both sides (common random
// numbers), and every game is a pure function of its index, so the result is
// the same for any thread count.
#ifndef SELFPLAY_EVALUATION_H_
#define SELFPLAY_EVALUATION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "selfplay/game.h"
#include "selfplay/match_result.h"
#include "selfplay/policy.h"
#include "selfplay/simulation.h"

namespace selfplay {

struct MatchOptions {
  std::uint64_t games = 1000;
  std::uint64_t seed = 1;
  int players = 0;  // 0: the game's default
  // A game still running after this many actions is a draw (and counted as
  // truncated).
  int max_actions = 2000;
  int threads = 0;  // 0: all cores
  // When requested, the games not yet started are left out and the match
  // returns Cancelled; not owned.
  const StopToken* stop = nullptr;
};

// Plays `options.games` games of `player` against `opponent` on
// `options.threads` threads. Both policies must be thread-safe (the Policy
// contract). A game whose code throws is counted in `failed`; the match goes
// on. InvalidArgument for games < 1, players outside the game's range,
// threads < 0 or max_actions < 1; Cancelled, with the games played, when
// `stop` was requested.
[[nodiscard]] absl::StatusOr<MatchResult> play_match(
    const Game& game, const Policy& player, const Policy& opponent,
    const MatchOptions& options);

// What `selfplay play` prints: the players, the games, won/drew/lost with
// Wilson 95% intervals, score and Elo with intervals, and the truncated and
// failed games.
std::string match_summary(const std::string& game, const MatchResult& match);

}  // namespace selfplay

#endif  // SELFPLAY_EVALUATION_H_
