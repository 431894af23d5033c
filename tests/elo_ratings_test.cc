// Elo ratings fitted to hand-made results: one pairing gives the Elo of its
// score with the binomial standard error; results that fit the logistic
// model exactly give back the ratings they were made from; otherwise every
// player's expected points equal its points (the likelihood's score
// equations); and a player that won every game has no finite rating.
#include "selfplay/elo_ratings.h"

#include <gtest/gtest.h>

#include <cmath>

namespace selfplay {
namespace {

double expected_score(double rating, double opponent) {
  return 1 / (1 + std::pow(10.0, (opponent - rating) / 400));
}

TEST(EloRatings, OnePairingGivesTheEloOfItsScore) {
  absl::StatusOr<std::vector<Interval>> ratings =
      fit_elo_ratings(2, {{.first = 1, .second = 0, .score = 30, .games = 40}});
  ASSERT_TRUE(ratings.ok()) << ratings.status();
  EXPECT_EQ((*ratings)[0].value, 0);
  EXPECT_EQ((*ratings)[0].low, 0);
  const double elo = 400 * std::log10(30.0 / 10.0);
  EXPECT_NEAR((*ratings)[1].value, elo, 1e-8);
  // The binomial information of 40 games at p = 0.75, in Elo.
  const double standard_error =
      400 / std::log(10.0) / std::sqrt(40 * 0.75 * 0.25);
  EXPECT_NEAR((*ratings)[1].high - elo, 1.959963984540054 * standard_error,
              1e-6);
  EXPECT_NEAR(elo - (*ratings)[1].low, 1.959963984540054 * standard_error,
              1e-6);
}

TEST(EloRatings, ResultsThatFitTheModelExactlyGiveItsRatings) {
  // d = 400 log10 3 makes a 3:1 score; 2d a 9:1 score.
  const double d = 400 * std::log10(3.0);
  absl::StatusOr<std::vector<Interval>> ratings =
      fit_elo_ratings(3, {{.first = 2, .second = 1, .score = 3, .games = 4},
                          {.first = 1, .second = 0, .score = 30, .games = 40},
                          {.first = 2, .second = 0, .score = 18, .games = 20}});
  ASSERT_TRUE(ratings.ok()) << ratings.status();
  EXPECT_NEAR((*ratings)[0].value, 0, 1e-12);
  EXPECT_NEAR((*ratings)[1].value, d, 1e-7);
  EXPECT_NEAR((*ratings)[2].value, 2 * d, 1e-7);
  // Another anchor shifts every rating.
  absl::StatusOr<std::vector<Interval>> shifted =
      fit_elo_ratings(3,
                      {{.first = 2, .second = 1, .score = 3, .games = 4},
                       {.first = 1, .second = 0, .score = 30, .games = 40},
                       {.first = 2, .second = 0, .score = 18, .games = 20}},
                      /*anchor=*/1);
  ASSERT_TRUE(shifted.ok());
  EXPECT_NEAR((*shifted)[0].value, -d, 1e-7);
  EXPECT_NEAR((*shifted)[2].value, d, 1e-7);
}

TEST(EloRatings, ExpectedPointsEqualPointsAtTheMaximum) {
  const std::vector<PairScore> results = {
      {.first = 0, .second = 1, .score = 12.5, .games = 40},
      {.first = 1, .second = 2, .score = 20, .games = 30},
      {.first = 2, .second = 3, .score = 9, .games = 10},
      {.first = 0, .second = 2, .score = 4, .games = 20},
      {.first = 3, .second = 0, .score = 1.5, .games = 12}};
  absl::StatusOr<std::vector<Interval>> ratings = fit_elo_ratings(4, results);
  ASSERT_TRUE(ratings.ok()) << ratings.status();
  std::vector<double> points(4, 0), expected(4, 0);
  for (const PairScore& pair : results) {
    const double p = expected_score((*ratings)[pair.first].value,
                                    (*ratings)[pair.second].value);
    points[pair.first] += pair.score;
    points[pair.second] += pair.games - pair.score;
    expected[pair.first] += pair.games * p;
    expected[pair.second] += pair.games * (1 - p);
  }
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(expected[i], points[i], 1e-7) << i;
  for (const Interval& rating : *ratings) {
    EXPECT_LE(rating.low, rating.value);
    EXPECT_GE(rating.high, rating.value);
  }
}

TEST(EloRatings, APlayerThatWonEveryGameHasNoFiniteRating) {
  EXPECT_EQ(
      fit_elo_ratings(3, {{.first = 1, .second = 0, .score = 5, .games = 10},
                          {.first = 2, .second = 1, .score = 10, .games = 10}})
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  // Nobody played player 2.
  EXPECT_EQ(
      fit_elo_ratings(3, {{.first = 1, .second = 0, .score = 5, .games = 10}})
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      fit_elo_ratings(2, {{.first = 1, .second = 1, .score = 5, .games = 10}})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      fit_elo_ratings(2, {{.first = 1, .second = 0, .score = 11, .games = 10}})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace selfplay
