// Matches beyond a fixed number of games: a sequential test stops at the
// same block for any thread count and counts exactly the games before it
// (the same as a fixed match of that many games); a ladder's matches are the
// matches played alone, and its ratings satisfy the likelihood's score
// equations; and the JSON of a result reads back to its numbers.
#include "selfplay/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "games/tic_tac_toe.h"
#include "nlohmann/json.hpp"
#include "selfplay/match_output.h"
#include "selfplay/players.h"

namespace selfplay {
namespace {

std::unique_ptr<Policy> mcts(int iterations) {
  absl::StatusOr<std::unique_ptr<Policy>> policy =
      make_player({.kind = PlayerSpec::Kind::kMcts, .iterations = iterations});
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *std::move(policy);
}

MatchOptions sprt_match(int threads) {
  MatchOptions options;
  options.games = 2000;
  options.seed = 3;
  options.threads = threads;
  options.sprt = SprtOptions{.elo0 = 0, .elo1 = 150};
  return options;
}

TEST(SequentialMatch, StopsAtTheSameBlockForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  const std::unique_ptr<Policy> searcher = mcts(30);
  const RandomPolicy random;
  std::vector<MatchResult> results;
  for (int threads : {1, 2}) {
    absl::StatusOr<MatchResult> match =
        play_match(*game, *searcher, random, sprt_match(threads));
    ASSERT_TRUE(match.ok()) << match.status();
    results.push_back(*match);
  }
  EXPECT_EQ(results[0], results[1]);
  const MatchResult& match = results[0];
  ASSERT_TRUE(match.sprt.has_value());
  EXPECT_EQ(match.sprt->decision, SprtDecision::kAcceptH1);
  EXPECT_GE(match.sprt->llr, match.sprt->upper);
  EXPECT_LT(match.games, 2000u);
  EXPECT_EQ(match.games, 2 * match.sprt->blocks);
  // The games counted are the first ones: a fixed match of as many games
  // has the same outcomes.
  MatchOptions fixed = sprt_match(2);
  fixed.sprt.reset();
  fixed.games = match.games;
  absl::StatusOr<MatchResult> prefix =
      play_match(*game, *searcher, random, fixed);
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix->wins, match.wins);
  EXPECT_EQ(prefix->draws, match.draws);
  EXPECT_EQ(prefix->losses, match.losses);
  // The blocks' counts add up to the games' points.
  std::uint64_t half_points = 0;
  for (std::size_t k = 0; k < match.sprt->counts.size(); ++k) {
    half_points += k * match.sprt->counts[k];
  }
  EXPECT_EQ(half_points, 2 * match.wins + match.draws);
}

TEST(SequentialMatch, TheWeakerPlayerIsFoundWeaker) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  const std::unique_ptr<Policy> searcher = mcts(30);
  absl::StatusOr<MatchResult> match =
      play_match(*game, RandomPolicy(), *searcher, sprt_match(2));
  ASSERT_TRUE(match.ok()) << match.status();
  EXPECT_EQ(match->sprt->decision, SprtDecision::kAcceptH0);
  EXPECT_LT(match->games, 2000u);
}

TEST(SequentialMatch, InvalidOptionsAreRejected) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  MatchOptions options = sprt_match(1);
  options.sprt->elo1 = -10;
  EXPECT_EQ(play_match(*game, RandomPolicy(), RandomPolicy(), options)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Ladder, PlaysEachRungAndEachNeighbourAndFitsRatings) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  const std::unique_ptr<Policy> player = mcts(8);
  const RandomPolicy random;
  const std::unique_ptr<Policy> weak = mcts(2);
  const std::unique_ptr<Policy> strong = mcts(40);
  MatchOptions options;
  options.games = 200;
  options.seed = 9;
  options.threads = 2;
  absl::StatusOr<LadderResult> ladder = play_ladder(
      *game, *player, {{&random, ""}, {weak.get(), "weak"}, {strong.get(), ""}},
      options);
  ASSERT_TRUE(ladder.ok()) << ladder.status();
  ASSERT_EQ(ladder->rungs.size(), 3u);
  ASSERT_EQ(ladder->links.size(), 2u);
  EXPECT_EQ(ladder->rungs[1].opponent, "weak");
  EXPECT_EQ(ladder->links[0].player, "random");
  EXPECT_EQ(ladder->links[1].opponent, "mcts:40");
  // Each match as played alone.
  absl::StatusOr<MatchResult> alone =
      play_match(*game, *player, *strong, options);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(ladder->rungs[2], *alone);
  alone = play_match(*game, random, *weak, options);
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(ladder->links[0].wins, alone->wins);
  EXPECT_EQ(ladder->links[0].losses, alone->losses);
  // Ratings: the player, then the rungs, random = 0; at the maximum every
  // player's expected points equal its points.
  ASSERT_EQ(ladder->ratings.size(), 4u) << ladder->ratings_error;
  EXPECT_EQ(ladder->ratings[1].value, 0);
  std::vector<double> points(4, 0), expected(4, 0);
  const auto add = [&](int first, int second, const MatchResult& match) {
    const double p = 1 / (1 + std::pow(10.0, (ladder->ratings[second].value -
                                              ladder->ratings[first].value) /
                                                 400));
    const double score = match.wins + 0.5 * match.draws;
    points[first] += score;
    points[second] += match.decided() - score;
    expected[first] += match.decided() * p;
    expected[second] += match.decided() * (1 - p);
  };
  for (int k = 0; k < 3; ++k) add(0, 1 + k, ladder->rungs[k]);
  for (int k = 0; k < 2; ++k) add(1 + k, 2 + k, ladder->links[k]);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(expected[i], points[i], 1e-6) << i;
  EXPECT_GT(ladder->ratings[0].value, ladder->ratings[2].value)
      << "mcts:8 above mcts:2";
}

TEST(PlayJson, ReadsBackToTheResult) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  const std::unique_ptr<Policy> searcher = mcts(30);
  absl::StatusOr<MatchResult> match =
      play_match(*game, *searcher, RandomPolicy(), sprt_match(2));
  ASSERT_TRUE(match.ok());
  PlayReport report{.game = "tic-tac-toe",
                    .players = 2,
                    .seed = 3,
                    .max_games = 2000,
                    .max_actions = 2000};
  report.match = *match;
  const nlohmann::json json = nlohmann::json::parse(play_json(report));
  EXPECT_EQ(json["format"], "selfplay-play");
  EXPECT_EQ(json["reproducible"], true);
  EXPECT_TRUE(json["ladder"].is_null());
  const nlohmann::json& read = json["match"];
  EXPECT_EQ(read["player"], "mcts:30");
  EXPECT_EQ(read["games"].get<std::uint64_t>(), match->games);
  EXPECT_EQ(read["wins"].get<std::uint64_t>(), match->wins);
  EXPECT_EQ(read["draws"].get<std::uint64_t>(), match->draws);
  EXPECT_EQ(read["losses"].get<std::uint64_t>(), match->losses);
  EXPECT_DOUBLE_EQ(read["win_rate"]["low"].get<double>(),
                   match->win_rate().low);
  EXPECT_DOUBLE_EQ(read["elo"]["value"].get<double>(), match->elo().value);
  EXPECT_EQ(read["sprt"]["decision"], "H1");
  EXPECT_EQ(read["sprt"]["blocks"].get<std::uint64_t>(), match->sprt->blocks);
  EXPECT_DOUBLE_EQ(read["sprt"]["llr"].get<double>(), match->sprt->llr);
  EXPECT_EQ(read["sprt"]["counts"].get<std::vector<std::uint64_t>>(),
            match->sprt->counts);
}

}  // namespace
}  // namespace selfplay
