// The outcome of a match between two players, as play_match
// (selfplay/evaluation.h) returns it and a model's evaluation records keep
// it: wins, draws and losses with Wilson 95% intervals, and the Elo
// difference the score implies; and of a ladder of such matches.
//
//   MatchResult match = ...;
//   Interval wins = match.win_rate();  // wins.low > 0.9?
//   double elo = match.elo().value;
#ifndef SELFPLAY_MATCH_RESULT_H_
#define SELFPLAY_MATCH_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "selfplay/sprt.h"

namespace selfplay {

// A point estimate with a confidence interval.
struct Interval {
  double value = 0;
  double low = 0;
  double high = 0;

  bool operator==(const Interval&) const = default;
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
  // With a sequential test (MatchOptions::sprt): its state where the match
  // stopped, after the block that decided it or after the last block.
  std::optional<SprtState> sprt = std::nullopt;

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

// A ladder's outcome, as play_ladder (selfplay/evaluation.h) returns it and a
// model's run record keeps it: the player against each rung and each rung
// against the next, all with the same options, and the ratings fitted to
// them.
struct LadderResult {
  std::vector<MatchResult> rungs;  // the player against rung k
  std::vector<MatchResult> links;  // rung k (as player) against rung k + 1
  // Elo ratings anchored at rung 0: [0] the player's, [1 + k] rung k's.
  // Empty when they cannot be fitted; `ratings_error` says why.
  std::vector<Interval> ratings;
  std::string ratings_error;

  bool operator==(const LadderResult&) const = default;
};

}  // namespace selfplay

#endif  // SELFPLAY_MATCH_RESULT_H_
