// The sequential probability ratio test: its log-likelihood ratio against
// Wald's closed form where the blocks take two values, and against the dual
// of the constrained maximum likelihood, maximised by a golden-section
// search here rather than solved as the code does; the running state's
// decision at the first block past a bound; and the options' text.
#include "selfplay/sprt.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace selfplay {
namespace {

// KL(q || the closest distribution with mean s) times the blocks:
// max over x of sum_k c_k log(1 + x (a_k - s)) (the Lagrange dual of the
// constrained maximum likelihood), maximised by golden-section search over
// the x where every 1 + x (a_k - s) > 0.
double scaled_divergence(const std::vector<double>& counts, double s) {
  const double last = static_cast<double>(counts.size() - 1);
  double low = -1e300;
  double high = 1e300;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] <= 0) continue;
    const double d = k / last - s;
    if (d > 0) low = std::max(low, -1 / d);
    if (d < 0) high = std::min(high, -1 / d);
  }
  const auto dual = [&](double x) {
    double sum = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      if (counts[k] > 0) sum += counts[k] * std::log(1 + x * (k / last - s));
    }
    return sum;
  };
  const double golden = (std::sqrt(5.0) - 1) / 2;
  double a = low;
  double b = high;
  for (int i = 0; i < 300; ++i) {
    const double c = b - golden * (b - a);
    const double d = a + golden * (b - a);
    (dual(c) > dual(d) ? b : a) = (dual(c) > dual(d) ? d : c);
  }
  return dual((a + b) / 2);
}

double oracle_llr(const std::vector<double>& counts, double s0, double s1) {
  return scaled_divergence(counts, s0) - scaled_divergence(counts, s1);
}

TEST(Sprt, TwoValuedBlocksGiveWaldsLikelihoodRatio) {
  // Blocks that scored 0 or 1 only: the constrained maximum likelihood puts
  // s on 1, so the ratio is the Bernoulli one.
  const double s0 = logistic_score(0);
  const double s1 = logistic_score(50);
  const std::vector<double> counts = {7, 0, 0, 0, 19};
  const double wald =
      19 * std::log(s1 / s0) + 7 * std::log((1 - s1) / (1 - s0));
  EXPECT_NEAR(gsprt_llr(counts, s0, s1), wald, 1e-9);
}

TEST(Sprt, TheRatioIsTheDifferenceOfTheConstrainedDivergences) {
  const double s0 = logistic_score(-10);
  const double s1 = logistic_score(40);
  for (const std::vector<double>& counts :
       std::vector<std::vector<double>>{{3, 10, 25, 12, 5},
                                        {0, 4, 9, 30, 2},
                                        {1, 2, 3},
                                        {0.001, 8, 1, 0.001, 6}}) {
    EXPECT_NEAR(gsprt_llr(counts, s0, s1), oracle_llr(counts, s0, s1), 1e-7);
  }
  EXPECT_NEAR(logistic_score(400 * std::log10(3.0)), 0.75, 1e-15);
}

TEST(Sprt, OutcomesOnOneSideOfAHypothesisGiveNoRatio) {
  EXPECT_TRUE(std::isnan(gsprt_llr({0, 0, 0, 2, 5}, 0.5, 0.6)));
}

TEST(Sprt, DecidesAtTheFirstBlockPastABound) {
  SprtOptions options{.elo0 = 0, .elo1 = 100, .alpha = 0.05, .beta = 0.1};
  const double s0 = logistic_score(0);
  const double s1 = logistic_score(100);
  const double upper = std::log((1 - 0.1) / 0.05);
  // A hand-made sequence of blocks of two games, in half points.
  const std::vector<int> blocks = {2, 3, 4, 1, 3, 4, 4, 2, 3, 4, 4, 3, 4,
                                   4, 4, 2, 4, 3, 4, 4, 4, 4, 4, 3, 4, 4};
  SprtState state(options, 2);
  EXPECT_EQ(state.upper, upper);
  EXPECT_EQ(state.lower, std::log(0.1 / 0.95));
  std::vector<double> counts(5, 0);
  int decided_at = -1;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    state.add_block(blocks[i]);
    counts[blocks[i]] += 1;
    std::vector<double> regularized = counts;
    for (double& count : regularized) count = count == 0 ? 1e-3 : count;
    const double expected = oracle_llr(regularized, s0, s1);
    if (decided_at < 0) {
      EXPECT_NEAR(state.llr, expected, 1e-7) << "block " << i;
      if (expected >= upper) decided_at = static_cast<int>(i);
    }
    EXPECT_EQ(state.decision, decided_at >= 0 ? SprtDecision::kAcceptH1
                                              : SprtDecision::kContinue)
        << "block " << i;
  }
  ASSERT_GE(decided_at, 0) << "the sequence must cross the bound";
  EXPECT_EQ(state.blocks, blocks.size());
}

TEST(Sprt, LosingBlocksAcceptH0) {
  SprtState state({.elo0 = 0, .elo1 = 50}, 2);
  int blocks = 0;
  while (state.decision == SprtDecision::kContinue && blocks < 1000) {
    state.add_block(blocks % 3 == 0 ? 2 : 0);
    ++blocks;
  }
  EXPECT_EQ(state.decision, SprtDecision::kAcceptH0);
  EXPECT_LE(state.llr, state.lower);
}

TEST(Sprt, OptionsReadFromText) {
  absl::StatusOr<SprtOptions> options =
      parse_sprt_options("elo1=50,elo0=-5,beta=0.1");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(*options,
            (SprtOptions{.elo0 = -5, .elo1 = 50, .alpha = 0.05, .beta = 0.1}));
  EXPECT_EQ(*parse_sprt_options(sprt_options_text(*options)), *options);
  for (const char* bad :
       {"elo0=0", "elo0=50,elo1=0", "elo0=0,elo1=5,alpha=0", "elo0=0,elo1=x",
        "elo0=0,elo1=5,gamma=1", "elo0=0,elo0=1,elo1=5",
        "elo0=0,elo1=5,beta=0.6", ""}) {
    EXPECT_EQ(parse_sprt_options(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

}  // namespace
}  // namespace selfplay
