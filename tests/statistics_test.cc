// Statistics against hand-computed tables and published critical values.
#include "selfplay/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace selfplay {
namespace {

// Tables are in half-units: 2 per decision.
OutcomeTable decisions(std::uint64_t true_won, std::uint64_t true_lost,
                       std::uint64_t false_won, std::uint64_t false_lost) {
  return {2 * true_won, 2 * true_lost, 2 * false_won, 2 * false_lost};
}

TEST(Phi, MatchesTheHandComputedCoefficient) {
  // (10*40 - 20*30) / sqrt(30 * 70 * 40 * 60)
  EXPECT_NEAR(phi(decisions(10, 20, 30, 40)), -0.0890870806374748, 1e-15);
  EXPECT_DOUBLE_EQ(phi(decisions(5, 0, 0, 5)), 1.0);
  EXPECT_DOUBLE_EQ(phi(decisions(0, 5, 5, 0)), -1.0);
}

TEST(Phi, IsZeroWhenAMarginIsEmpty) {
  EXPECT_EQ(phi(decisions(0, 0, 3, 4)), 0.0);
  EXPECT_EQ(phi(decisions(3, 0, 4, 0)), 0.0);
  EXPECT_EQ(chi_squared_p_value(chi_squared(decisions(3, 0, 4, 0))), 1.0);
}

TEST(Phi, CountsADrawHalfToEachSide) {
  // Half-units 7, 3, 2, 8: phi is scale-free, chi-squared uses 10 decisions.
  const OutcomeTable table{7, 3, 2, 8};
  EXPECT_NEAR(phi(table), 0.502518907629606, 1e-15);
  EXPECT_NEAR(chi_squared(table), 2.525252525252525, 1e-12);
  EXPECT_NEAR(chi_squared_p_value(chi_squared(table)), 0.11203684368556364,
              1e-12);
}

TEST(ChiSquaredPValue, MatchesPublishedCriticalValuesForOneDegreeOfFreedom) {
  EXPECT_NEAR(chi_squared_p_value(3.841458820694124), 0.05, 1e-12);
  EXPECT_NEAR(chi_squared_p_value(6.634896601021214), 0.01, 1e-12);
  EXPECT_NEAR(chi_squared_p_value(10.827566170662733), 0.001, 1e-12);
  EXPECT_NEAR(chi_squared_p_value(0.7936507936507936), 0.37299848361348714,
              1e-12);
  EXPECT_EQ(chi_squared_p_value(0), 1.0);
}

TEST(FeatureStatistics, ReportsDecisionsWinRatesPhiAndPValue) {
  SimulationResult result;
  result.features = {{"a", "feature a", "custom"},
                     {"b", "feature b", "custom"}};
  result.counts.features = {decisions(10, 20, 30, 40), decisions(0, 0, 5, 5)};
  const std::vector<FeatureStatistics> stats = feature_statistics(result);
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].info.id, "a");
  EXPECT_EQ(stats[0].true_won, 10);
  EXPECT_EQ(stats[0].false_lost, 40);
  EXPECT_DOUBLE_EQ(stats[0].win_rate_true, 10.0 / 30);
  EXPECT_DOUBLE_EQ(stats[0].win_rate_false, 30.0 / 70);
  EXPECT_NEAR(stats[0].p_value, 0.37299848361348714, 1e-12);
  EXPECT_TRUE(std::isnan(stats[1].win_rate_true));
  EXPECT_EQ(stats[1].p_value, 1.0);
}

TEST(ActionStatistics, ComparesTakenWithAvailableButNotTaken) {
  SimulationResult result;
  result.action_kinds = {"move", "jump"};
  result.counts.actions = {decisions(6, 4, 1, 3), decisions(1, 1, 0, 0)};
  const std::vector<ActionStatistics> stats = action_statistics(result);
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].kind, "move");
  EXPECT_DOUBLE_EQ(stats[0].win_rate_taken, 0.6);
  EXPECT_DOUBLE_EQ(stats[0].win_rate_not_taken, 0.25);
  EXPECT_TRUE(std::isnan(stats[1].win_rate_not_taken));
}

TEST(LengthStatistics, UsesNearestRankPercentilesOverTheHistogram) {
  SimulationCounts counts;
  // 100 games: 50 of length 3, 40 of length 5, 9 of length 8, 1 of length 20.
  counts.length_histogram.assign(21, 0);
  counts.length_histogram[3] = 50;
  counts.length_histogram[5] = 40;
  counts.length_histogram[8] = 9;
  counts.length_histogram[20] = 1;
  const LengthStatistics s = length_statistics(counts);
  EXPECT_EQ(s.games, 100u);
  EXPECT_EQ(s.min, 3u);
  EXPECT_EQ(s.max, 20u);
  EXPECT_DOUBLE_EQ(s.mean, (50 * 3 + 40 * 5 + 9 * 8 + 20) / 100.0);
  EXPECT_EQ(s.p50, 3u);
  EXPECT_EQ(s.p90, 5u);
  EXPECT_EQ(s.p99, 8u);
}

TEST(LengthStatistics, IsAllZeroWithoutCompletedGames) {
  const LengthStatistics s = length_statistics(SimulationCounts{});
  EXPECT_EQ(s.games, 0u);
  EXPECT_EQ(s.p99, 0u);
}

TEST(SelectTopFeatures, KeepsTheStrongestAboveTheThresholdWithStableTies) {
  std::vector<FeatureStatistics> stats(5);
  const double phis[] = {0.1, -0.5, 0.005, 0.5, 0.2};
  for (int i = 0; i < 5; ++i) {
    stats[i].index = i;
    stats[i].phi = phis[i];
  }
  const std::vector<FeatureStatistics> top =
      select_top_features(stats, 0.01, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].index, 1);  // |-0.5| ties 0.5: the lower index first
  EXPECT_EQ(top[1].index, 3);
  EXPECT_EQ(top[2].index, 4);
  EXPECT_EQ(select_top_features(stats, 0.01, 10).size(), 4u);
}

TEST(CorrelationToWeight, IsTenTimesPhiClampedToTwenty) {
  EXPECT_DOUBLE_EQ(correlation_to_weight(0.25), 2.5);
  EXPECT_DOUBLE_EQ(correlation_to_weight(-0.7), -7.0);
  EXPECT_DOUBLE_EQ(correlation_to_weight(3.0), 20.0);
  EXPECT_DOUBLE_EQ(correlation_to_weight(-2.5), -20.0);
}

TEST(SimulationCounts, MergingIsOrderFreeAndKeepsTheSmallestFailures) {
  SimulationCounts a = make_counts(2, 1, 1, 2), b = make_counts(2, 1, 1, 2);
  a.games = 3;
  a.features[0] = {1, 2, 3, 4};
  a.add_failure({9, 1, "x"});
  a.add_failure({4, 2, "y"});
  b.games = 5;
  b.length_histogram = {0, 0, 7};
  b.add_failure({6, 3, "z"});
  SimulationCounts ab = a, ba = b;
  ab.merge(b);
  ba.merge(a);
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab.games, 8u);
  ASSERT_EQ(ab.failures.size(), 2u);
  EXPECT_EQ(ab.failures[0].game_index, 4u);
  EXPECT_EQ(ab.failures[1].game_index, 6u);
}

}  // namespace
}  // namespace selfplay
