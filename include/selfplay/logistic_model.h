// A joint model of the features: L2-regularised logistic regression of the
// deciding player's outcome (win 1, loss 0, draw or shared win 1/2) on all
// feature bits at once, with standard errors clustered by game. Unlike phi,
// which scores each feature alone, a feature that only copies another's
// information gets a coefficient near 0.
//
//   LogisticData data(features.size());   // a GameRecordSink
//   options.records = &data;
//   absl::StatusOr<SimulationResult> result =
//       run_simulations(game, features, options);
//   absl::StatusOr<LogisticFit> fit = fit_logistic(
//       features.size(),
//       [&](GameVisitor visit) { return data.replay(visit); });
//   // fit->features[i].coefficient, .standard_error, .z, .p_value
//
// The fit reads its games twice through a GameReplay: once to count the
// distinct (feature bits, outcome) rows, on which Newton's method runs, and
// once for the per-game scores of the clustered variance. Memory is that of
// the distinct rows (at most one per decision, far fewer in practice) plus
// a (features + 1)^2 matrix; a records file can be replayed from disk, so it
// is never held in memory (selfplay records fit does this).
//
// Everything is summed serially in game order: the fit is a pure function of
// the games in order, so it is bit-identical for any thread count of the run
// that played them.
#ifndef SELFPLAY_LOGISTIC_MODEL_H_
#define SELFPLAY_LOGISTIC_MODEL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/records.h"

namespace selfplay {

struct LogisticOptions {
  // The penalty (l2 / 2) * sum of squared feature coefficients subtracted
  // from the log-likelihood summed over decisions; the intercept is not
  // penalised. Finite and >= 0; 0 is plain maximum likelihood, which fails
  // for constant or collinear features.
  double l2 = 1.0;
  // Newton steps at most; the fit stops earlier once no coefficient moves
  // by more than 1e-9 (relative, at least absolute 1e-9).
  int max_iterations = 100;
};

struct LogisticCoefficient {
  double coefficient = 0;  // log-odds per unit
  // Game-clustered (sandwich) standard error, with the G / (G - 1)
  // small-sample factor for G games; 0 for a feature that never held.
  double standard_error = 0;
  double z = 0;        // coefficient / standard_error; 0 when that is 0
  double p_value = 1;  // two-sided normal, erfc(|z| / sqrt 2)
  // Decisions where the feature held (for the intercept: all decisions).
  std::uint64_t decisions_true = 0;
};

struct LogisticFit {
  LogisticCoefficient intercept;
  std::vector<LogisticCoefficient> features;  // in feature-set order
  std::uint64_t games = 0;  // completed games with decisions: the clusters
  std::uint64_t decisions = 0;
  // Failed and truncated games: they have no outcome, so their decisions
  // are left out.
  std::uint64_t excluded_games = 0;
  std::uint64_t distinct_rows = 0;  // distinct (feature bits, outcome)
  int iterations = 0;               // Newton steps taken
  double log_likelihood = 0;        // at the fit, unpenalised
  double l2 = 0;
};

// Calls its argument for every game of the data, the same games in the same
// order on every call; returns the first error of the argument or of the
// data.
using GameVisitor = absl::FunctionRef<absl::Status(const GameRecord&)>;
using GameReplay = std::function<absl::Status(GameVisitor)>;

// Fits the model to the games `replay` visits (each with `features`
// features). InvalidArgument for a negative feature count, an l2 that is
// negative or not finite, max_iterations < 1, a record whose feature bits
// are of another width or set beyond the last feature, or no decision of a
// completed game to fit; FailedPrecondition when l2 is 0 and the features
// are constant or collinear (the likelihood has no single maximum), or the
// steps did not converge within max_iterations; the replay's own errors.
[[nodiscard]] absl::StatusOr<LogisticFit> fit_logistic(
    int features, const GameReplay& replay,
    const LogisticOptions& options = {});

// Games held in memory for a fit, written by a run (SimulationOptions::
// records): per decision the player and the feature bits (8 bytes per 64
// features, plus 1), per game its status and winners. Not thread-safe; a run
// calls write() from one thread at a time.
class LogisticData final : public GameRecordSink {
 public:
  explicit LogisticData(int features);

  // InvalidArgument when the record's feature width differs from the
  // features' or a player does not fit in a byte.
  [[nodiscard]] absl::Status write(const GameRecord& record) override;

  // Visits the games written so far, in order (the records are rebuilt:
  // game_index, status, winners, decisions' players and feature bits).
  [[nodiscard]] absl::Status replay(GameVisitor visit) const;

  std::uint64_t games() const { return status_.size(); }

  // The games written so far as bytes, and back: what a training checkpoint
  // keeps so that a resumed training fits the same data. parse() takes
  // untrusted bytes: DataLoss unless they are one serialisation of data for
  // `features` features (lengths that agree, statuses that exist, decisions
  // and winners only in completed games, no feature bit beyond the last).
  std::string serialize() const;
  [[nodiscard]] static absl::StatusOr<LogisticData> parse(
      std::string_view bytes, int features);

 private:
  int words_;
  std::vector<std::uint8_t> status_;           // per game
  std::vector<std::uint64_t> index_;           // per game
  std::vector<std::uint64_t> decision_begin_;  // per game, and one past
  std::vector<std::uint64_t> winners_begin_;   // per game, and one past
  std::vector<std::int32_t> winners_;
  std::vector<std::uint8_t> players_;  // per decision
  std::vector<std::uint64_t> bits_;    // per decision, words_ each
};

}  // namespace selfplay

#endif  // SELFPLAY_LOGISTIC_MODEL_H_
