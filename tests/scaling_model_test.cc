// The arithmetic of the scaling experiments against hand computations.
#include "selfplay/scaling_model.h"

#include <gtest/gtest.h>

namespace selfplay::scaling {
namespace {

TEST(Spread, MedianOfAnOddCountIsTheMiddleValue) {
  const Spread spread = spread_of({3.0, 1.0, 2.0});
  EXPECT_EQ(spread.median, 2.0);
  EXPECT_EQ(spread.min, 1.0);
  EXPECT_EQ(spread.max, 3.0);
}

TEST(Spread, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  const Spread spread = spread_of({4.0, 1.0, 3.0, 2.0});
  EXPECT_EQ(spread.median, 2.5);
  EXPECT_EQ(spread.min, 1.0);
  EXPECT_EQ(spread.max, 4.0);
}

TEST(Spread, NothingMeasuredIsAllZero) {
  const Spread spread = spread_of({});
  EXPECT_EQ(spread.median, 0);
  EXPECT_EQ(spread.min, 0);
  EXPECT_EQ(spread.max, 0);
}

TEST(Amdahl, RecoversTheSerialFractionOfExactAmdahlTimes) {
  // T(p) = 10 + 90 / p: f = 10 / 100.
  const absl::StatusOr<AmdahlFit> fit =
      fit_amdahl({{1, 100.0}, {2, 55.0}, {4, 32.5}, {8, 21.25}});
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->serial_fraction, 0.1, 1e-12);
  EXPECT_NEAR(fit->one_thread_s, 100.0, 1e-9);
  EXPECT_EQ(fit->points, 4);
}

TEST(Amdahl, NeedsNoOneThreadRun) {
  // T(p) = 2 + 8 / p measured at 2 and 4 threads only: f = 2 / 10.
  const absl::StatusOr<AmdahlFit> fit = fit_amdahl({{2, 6.0}, {4, 4.0}});
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->serial_fraction, 0.2, 1e-12);
  EXPECT_NEAR(fit->one_thread_s, 10.0, 1e-12);
}

TEST(Amdahl, IsTheLeastSquaresLineThroughNoisyTimes) {
  // x = 1/p = 1, .5, .25; y = 1, .6, .3. Sums: x 1.75, y 1.9, xx 1.3125,
  // xy 1.375. b = (3 * 1.375 - 1.75 * 1.9) / (3 * 1.3125 - 1.75^2)
  //   = 0.8 / 0.875; a = (1.9 - 1.75 b) / 3 = 0.3 / 3; f = a / (a + b).
  const absl::StatusOr<AmdahlFit> fit =
      fit_amdahl({{1, 1.0}, {2, 0.6}, {4, 0.3}});
  ASSERT_TRUE(fit.ok()) << fit.status();
  const double b = 0.8 / 0.875;
  const double a = 0.3 / 3;
  EXPECT_NEAR(fit->serial_fraction, a / (a + b), 1e-12);
  EXPECT_NEAR(fit->one_thread_s, a + b, 1e-12);
}

TEST(Amdahl, WithTwoPointsAgreesWithKarpFlatt) {
  // S = 1 / 0.55; both give 2 * 0.55 - 1 = 0.1.
  const absl::StatusOr<AmdahlFit> fit = fit_amdahl({{1, 1.0}, {2, 0.55}});
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->serial_fraction, 0.1, 1e-12);
  EXPECT_NEAR(*karp_flatt(1 / 0.55, 2), 0.1, 1e-12);
}

TEST(Amdahl, BetterThanLinearScalingGivesANegativeFraction) {
  const absl::StatusOr<AmdahlFit> fit = fit_amdahl({{1, 1.0}, {2, 0.45}});
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->serial_fraction, -0.1, 1e-12);
}

TEST(Amdahl, NeedsTwoDistinctThreadCounts) {
  EXPECT_EQ(fit_amdahl({}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(fit_amdahl({{2, 1.0}, {2, 1.1}}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(KarpFlatt, MatchesHandComputations) {
  // e = (1/S - 1/p) / (1 - 1/p).
  EXPECT_NEAR(*karp_flatt(1.8, 2), (1 / 1.8 - 0.5) / 0.5, 1e-12);
  EXPECT_NEAR(*karp_flatt(1.8, 2), 0.111111111111, 1e-9);
  EXPECT_NEAR(*karp_flatt(3.2, 4), (0.3125 - 0.25) / 0.75, 1e-12);
  EXPECT_NEAR(*karp_flatt(8.0, 8), 0.0, 1e-12);   // linear speedup
  EXPECT_NEAR(*karp_flatt(1.0, 16), 1.0, 1e-12);  // no speedup
}

TEST(KarpFlatt, IsUndefinedForOneThreadOrNoSpeedup) {
  EXPECT_FALSE(karp_flatt(1.0, 1).has_value());
  EXPECT_FALSE(karp_flatt(0.0, 2).has_value());
}

}  // namespace
}  // namespace selfplay::scaling
