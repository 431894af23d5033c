// Statistics from a simulation's integer tallies: which features and action
// kinds go with winning, seat results and game lengths, and the selection of
// features that become weighted objectives.
//
//   std::vector<FeatureStatistics> stats = feature_statistics(result);
//   for (const FeatureStatistics& f : stats) {
//     // f.win_rate_difference in [f.ci_low, f.ci_high] (95%), f.p_value,
//     // f.q_value: games as the independent units.
//   }
//   std::vector<FeatureStatistics> best = select_top_features(stats, 0.01, 20);
//   double weight = correlation_to_weight(best[0].phi);
//
// Tables count decisions; a draw or shared win counts half to "won" and half
// to "lost". But every decision of a game shares that game's outcome, so the
// decisions are not independent: the tests and intervals treat games as the
// independent units (clusters) and count each game's decisions, all seats
// together, as one observation. All functions are pure and thread-safe.
#ifndef SELFPLAY_STATISTICS_H_
#define SELFPLAY_STATISTICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"

namespace selfplay {

// The phi coefficient of a 2x2 table (true/false x won/lost), in [-1, 1];
// 0 when a margin is empty.
double phi(const OutcomeTable& table);

// Pearson's chi-squared statistic of the table, in decisions.
double chi_squared(const OutcomeTable& table);

// Upper tail of the chi-squared distribution with 1 degree of freedom,
// erfc(sqrt(x / 2)); 1 for x <= 0 (and so for a table with an empty margin).
double chi_squared_p_value(double chi_squared);

// The difference between the win rate where a table's row held and where it
// did not, p1 - p0 with p1 = true_won / (true_won + true_lost) and p0 alike,
// with games as the independent units: the cluster-robust (sandwich,
// delta-method) variance of the two ratio estimators and their covariance,
// from the per-game sums, times the small-sample factor G / (G - 1) over the
// table's G games; a normal approximation for the interval and the test.
struct ClusteredDifference {
  double difference = 0;      // p1 - p0; NaN when either side has no decision
  double standard_error = 0;  // NaN when not estimable
  double ci_low = 0, ci_high = 0;  // 95% interval; NaN when not estimable
  // Two-sided test of p1 = p0. 1 when not estimable: a side without decisions
  // (a constant row) or fewer than two games.
  double p_value = 1;
};
ClusteredDifference clustered_difference(const OutcomeTable& table);

// Benjamini-Hochberg adjusted p-values (q-values), in the order given:
// q_i = min over p_j >= p_i of m * p_j / rank_j, at most 1, over the m
// entries that are not NaN (a NaN entry is not a hypothesis: its q is NaN).
std::vector<double> benjamini_hochberg(const std::vector<double>& p_values);

struct FeatureStatistics {
  int index = 0;  // in the feature set
  FeatureInfo info;
  // Decisions (half-units / 2).
  double true_won = 0, true_lost = 0, false_won = 0, false_lost = 0;
  // NaN when there is nothing to divide.
  double win_rate_true = 0, win_rate_false = 0;
  double phi = 0;
  // Never true or never false over the run's decisions: nothing to compare,
  // so p_value, p_value_decisions and q_value are 1 and it is left out of
  // the Benjamini-Hochberg family.
  bool constant = false;
  // Game-clustered (clustered_difference): the test, win_rate_true -
  // win_rate_false and its 95% interval.
  double p_value = 1;
  double win_rate_difference = 0, ci_low = 0, ci_high = 0;  // NaN: see above
  // Benjamini-Hochberg over the p_values of every non-constant feature.
  double q_value = 1;
  // The chi-squared test on decisions, as if they were independent: it
  // overstates the evidence, kept for comparison.
  double p_value_decisions = 1;
  std::uint64_t games_true = 0;  // completed games where it held at least once
};

// "True" is a decision where the kind was taken, "false" one where it was
// available but another kind was taken, so the comparison is between taking
// the kind and passing it over, with games as clusters as for features.
struct ActionStatistics {
  std::string kind;
  double taken_won = 0, taken_lost = 0, not_taken_won = 0, not_taken_lost = 0;
  double win_rate_taken = 0, win_rate_not_taken = 0;  // NaN when empty
  bool constant = false;  // never taken, or never passed over
  double p_value = 1;     // as FeatureStatistics
  double win_rate_difference = 0, ci_low = 0, ci_high = 0;
  // Benjamini-Hochberg over the non-constant action kinds (a family of its
  // own: the kinds are not candidate features).
  double q_value = 1;
  double p_value_decisions = 1;
  std::uint64_t games_taken = 0;  // completed games where it was taken
};

struct LengthStatistics {
  std::uint64_t games = 0;  // completed games measured
  std::uint64_t min = 0, max = 0;
  double mean = 0;
  // Nearest-rank percentiles: the smallest length L such that at least
  // q * games completed games took L actions or fewer.
  std::uint64_t p50 = 0, p90 = 0, p99 = 0;
};

// One entry per feature, in feature-set order.
std::vector<FeatureStatistics> feature_statistics(
    const SimulationResult& result);
// One entry per action kind, in structure order.
std::vector<ActionStatistics> action_statistics(const SimulationResult& result);
LengthStatistics length_statistics(const SimulationCounts& counts);

// The features with |phi| >= min_abs_phi, strongest first (ties: lower index
// first), at most `max_features` of them.
std::vector<FeatureStatistics> select_top_features(
    std::vector<FeatureStatistics> features, double min_abs_phi,
    int max_features);

// The objective weight of a feature: 10 * phi, clamped to [-20, 20].
double correlation_to_weight(double phi);

}  // namespace selfplay

#endif  // SELFPLAY_STATISTICS_H_
