// Elo ratings of several players from the matches they played against each
// other: the maximum-likelihood fit of the logistic Elo model, as Ordo and
// similar rating tools fit it, with one player anchored at 0.
//
//   // Player 1 scored 30 of 40 against player 0, player 2 9 of 10 against 1.
//   absl::StatusOr<std::vector<Interval>> ratings = fit_elo_ratings(
//       3, {{.first = 1, .second = 0, .score = 30, .games = 40},
//           {.first = 2, .second = 1, .score = 9, .games = 10}});
//
// The model: player i scores against player j with the probability
// p = 1 / (1 + 10^(-(r_i - r_j) / 400)) per game, a draw counting half a
// point; the log-likelihood sums score * log p + (games - score) * log(1 - p)
// over the pairings (the binomial likelihood of the points, which treats a
// draw as half a win and half a loss). Intervals are the estimate +- 1.96
// standard errors from the inverse of the observed information (the
// negative Hessian) with the anchor fixed, so each player's interval is
// relative to the anchor and ignores the correlation between games that
// share a seed.
#ifndef SELFPLAY_ELO_RATINGS_H_
#define SELFPLAY_ELO_RATINGS_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "selfplay/match_result.h"

namespace selfplay {

// `first` scored `score` points (wins plus half the draws) in `games` games
// against `second`.
struct PairScore {
  int first = 0;
  int second = 0;
  double score = 0;
  std::uint64_t games = 0;
};

// The ratings of players 0..players-1, `anchor`'s fixed at {0, 0, 0}.
// InvalidArgument for a pairing naming a player outside the range, itself,
// or a score outside [0, games]; FailedPrecondition when the maximum does not
// exist: unless every player can be reached from every other through
// pairings in which the first scored some points (Zermelo's and Ford's
// condition), some ratings run to infinity, e.g. a player that won every
// game.
[[nodiscard]] absl::StatusOr<std::vector<Interval>> fit_elo_ratings(
    int players, absl::Span<const PairScore> results, int anchor = 0);

}  // namespace selfplay

#endif  // SELFPLAY_ELO_RATINGS_H_
