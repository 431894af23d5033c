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
  EXPECT_NEAR(stats[0].p_value_decisions, 0.37299848361348714, 1e-12);
  EXPECT_FALSE(stats[0].constant);
  EXPECT_TRUE(std::isnan(stats[1].win_rate_true));
  EXPECT_TRUE(stats[1].constant);
  EXPECT_EQ(stats[1].p_value, 1.0);
  EXPECT_EQ(stats[1].p_value_decisions, 1.0);
  EXPECT_EQ(stats[1].q_value, 1.0);
}

// Three games, each as (decisions where it held, half-units won over them,
// decisions where it did not, half-units won over those).
OutcomeTable three_games() {
  OutcomeTable table;
  table.add_game(2, 2, 4, 0);
  table.add_game(1, 3, 0, 6);
  table.add_game(3, 1, 3, 2);
  return table;
}

TEST(ClusteredDifference, MatchesTheSandwichVarianceComputedByHand) {
  // p1 = 7 / 12, p0 = 8 / 12 over 6 decisions each. Residuals per game, in
  // games won: (2 - 7/6, 0 - 8/6), (0 - 7/12, 3 - 24/12), (3/2 - 21/12,
  // 1 - 8/12); Var = 3/2 * (sum u1^2 / 36 + sum u0^2 / 36 - 2 sum u1 u0 / 36)
  // = 181 / 576 exactly.
  const OutcomeTable table = three_games();
  EXPECT_EQ(table.true_won, 7u);
  EXPECT_EQ(table.true_lost, 5u);
  EXPECT_EQ(table.games, 3u);
  EXPECT_EQ(table.games_true, 3u);
  const ClusteredDifference d = clustered_difference(table);
  EXPECT_NEAR(d.difference, -1.0 / 12, 1e-15);
  EXPECT_NEAR(d.standard_error, std::sqrt(181.0) / 24, 1e-15);
  EXPECT_NEAR(d.ci_low, -1.0 / 12 - 1.959963984540054 * std::sqrt(181.0) / 24,
              1e-14);
  EXPECT_NEAR(d.ci_high, -1.0 / 12 + 1.959963984540054 * std::sqrt(181.0) / 24,
              1e-14);
  EXPECT_NEAR(d.p_value, 0.8818228496648249, 1e-14);
}

TEST(ClusteredDifference, IsUndefinedForAConstantRowOrASingleGame) {
  OutcomeTable never;
  never.add_game(0, 4, 0, 8);
  never.add_game(0, 2, 0, 0);
  const ClusteredDifference constant = clustered_difference(never);
  EXPECT_TRUE(std::isnan(constant.difference));
  EXPECT_TRUE(std::isnan(constant.ci_low));
  EXPECT_EQ(constant.p_value, 1.0);

  OutcomeTable one_game;
  one_game.add_game(2, 2, 4, 0);
  const ClusteredDifference single = clustered_difference(one_game);
  EXPECT_DOUBLE_EQ(single.difference, 1.0);
  EXPECT_TRUE(std::isnan(single.standard_error));
  EXPECT_EQ(single.p_value, 1.0);
}

TEST(ClusteredDifference, IsExactWhenEveryGameHasTheSameRates) {
  OutcomeTable table;
  table.add_game(1, 1, 2, 0);
  table.add_game(3, 3, 6, 0);
  const ClusteredDifference d = clustered_difference(table);
  EXPECT_DOUBLE_EQ(d.difference, 1.0);
  EXPECT_NEAR(d.standard_error, 0.0, 1e-12);
  EXPECT_NEAR(d.ci_low, 1.0, 1e-11);
  EXPECT_LT(d.p_value, 1e-12);
}

TEST(BenjaminiHochberg, MatchesTheHandComputedAdjustment) {
  const double nan = std::nan("");
  // m = 6 (NaN is no hypothesis). Sorted: .005 .01 .03 .04 .041 .5 at ranks
  // 1..6; m p / rank = .03 .03 .06 .06 .0492 .5; running minimum from the
  // top: .03 .03 .0492 .0492 .0492 .5.
  const std::vector<double> q =
      benjamini_hochberg({0.01, 0.04, 0.03, 0.005, nan, 0.5, 0.041});
  ASSERT_EQ(q.size(), 7u);
  EXPECT_NEAR(q[0], 0.03, 1e-15);
  EXPECT_NEAR(q[1], 0.0492, 1e-15);
  EXPECT_NEAR(q[2], 0.0492, 1e-15);
  EXPECT_NEAR(q[3], 0.03, 1e-15);
  EXPECT_TRUE(std::isnan(q[4]));
  EXPECT_NEAR(q[5], 0.5, 1e-15);
  EXPECT_NEAR(q[6], 0.0492, 1e-15);
  // Ties share their q; a lone p is its own q.
  EXPECT_EQ(benjamini_hochberg({0.02, 0.02}),
            (std::vector<double>{0.02, 0.02}));
  EXPECT_EQ(benjamini_hochberg({0.7}), std::vector<double>{0.7});
  EXPECT_TRUE(benjamini_hochberg({}).empty());
}

TEST(FeatureStatistics, AdjustsOverTheNonConstantFeaturesOnly) {
  SimulationResult result;
  result.features = {
      {"a", "", "custom"}, {"never", "", "custom"}, {"b", "", "custom"}};
  result.counts.features.resize(3);
  for (int g = 0; g < 4; ++g) {
    // "a": true decisions win, false ones lose, in every game but the last.
    result.counts.features[0].add_game(2, 2, g < 3 ? 4 : 0, g < 3 ? 0 : 4);
    result.counts.features[1].add_game(0, 4, 0, 4);
    result.counts.features[2] = three_games();
  }
  const std::vector<FeatureStatistics> stats = feature_statistics(result);
  ASSERT_EQ(stats.size(), 3u);
  EXPECT_TRUE(stats[1].constant);
  EXPECT_EQ(stats[1].q_value, 1.0);
  const std::vector<double> q =
      benjamini_hochberg({stats[0].p_value, stats[2].p_value});
  EXPECT_EQ(stats[0].q_value, q[0]);
  EXPECT_EQ(stats[2].q_value, q[1]);
  EXPECT_LT(stats[0].p_value, stats[0].q_value);
  EXPECT_EQ(stats[0].games_true, 4u);
  EXPECT_EQ(stats[1].games_true, 0u);
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
