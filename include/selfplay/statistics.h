// Statistics from a simulation's integer tallies: which features and action
// kinds go with winning, seat results and game lengths, and the selection of
// features that become weighted objectives.
//
//   std::vector<FeatureStatistics> stats = feature_statistics(result);
//   std::vector<FeatureStatistics> best = select_top_features(stats, 0.01, 20);
//   double weight = correlation_to_weight(best[0].phi);
//
// Tables count decisions; a draw or shared win counts half to "won" and half
// to "lost". All functions are pure and thread-safe.
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

struct FeatureStatistics {
  int index = 0;  // in the feature set
  FeatureInfo info;
  // Decisions (half-units / 2).
  double true_won = 0, true_lost = 0, false_won = 0, false_lost = 0;
  // NaN when there is nothing to divide.
  double win_rate_true = 0, win_rate_false = 0;
  double phi = 0;
  double p_value = 1;
};

struct ActionStatistics {
  std::string kind;
  double taken_won = 0, taken_lost = 0, not_taken_won = 0, not_taken_lost = 0;
  double win_rate_taken = 0, win_rate_not_taken = 0;  // NaN when empty
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
