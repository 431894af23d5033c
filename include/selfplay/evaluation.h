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
#include "selfplay/policy.h"
#include "selfplay/simulation.h"

namespace selfplay {

// A point estimate with a confidence interval.
struct Interval {
  double value = 0;
  double low = 0;
  double high = 0;
};

// The 97.5% quantile of the standard normal: two-sided 95% intervals.
inline constexpr double kZ95 = 1.959963984540054;

// The Wilson score interval of a proportion `successes` / `trials` (successes
// may be fractional: a draw counts half to a score). {0, 0, 1} when `trials`
// is 0.
Interval wilson_interval(double successes, std::uint64_t trials,
                         double z = kZ95);

// The Elo rating difference that gives an expected score `score` in [0, 1]:
// 400 * log10(score / (1 - score)); +-infinity at 1 and 0.
double elo_difference(double score);

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

// Outcomes from the evaluated policy's side.
struct MatchResult {
  std::string player;       // the evaluated policy's name
  std::string opponent;     // the opponent's name
  std::uint64_t games = 0;  // played, failed included
  std::uint64_t wins = 0;   // sole wins
  std::uint64_t draws = 0;  // draws, shared wins and truncated games
  std::uint64_t losses = 0;
  std::uint64_t truncated = 0;  // the part of `draws` stopped by max_actions
  std::uint64_t failed = 0;     // game code threw; in no other count
  std::string first_error;      // of the failed game with the lowest index

  std::uint64_t decided() const { return wins + draws + losses; }
  Interval win_rate() const { return wilson_interval(wins, decided()); }
  Interval draw_rate() const { return wilson_interval(draws, decided()); }
  Interval loss_rate() const { return wilson_interval(losses, decided()); }
  // Wins plus half the draws, per game.
  Interval score() const {
    return wilson_interval(wins + 0.5 * draws, decided());
  }
  // The Elo difference implied by score(), its interval from the score's.
  Interval elo() const;

  bool operator==(const MatchResult&) const = default;
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
