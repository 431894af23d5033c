// What the fuzzers of tests/fuzz found, kept as regression tests: each input
// that crashed or ran into undefined behaviour, made into the smallest case
// that shows it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "scaling/forwarding_state.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"
#include "test_games.h"

namespace selfplay {
namespace {

using ::testing::HasSubstr;

// Take-away whose players report a score the features add up across
// players.
class ScoredState final : public scaling::ForwardingState {
 public:
  ScoredState(std::unique_ptr<State> inner, std::int64_t score)
      : ForwardingState(std::move(inner)), score_(score) {}
  std::unique_ptr<State> clone() const override {
    return std::make_unique<ScoredState>(inner().clone(), score_);
  }
  std::int64_t player_property(int, int) const override { return score_; }

 private:
  std::int64_t score_;
};

class ScoredGame final : public Game {
 public:
  explicit ScoredGame(std::int64_t score) : score_(score) {
    structure_ = inner_.structure();
    structure_.player_properties = {"score"};
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int players) const override {
    return std::make_unique<ScoredState>(
        inner_.new_initial_state(seed, players), score_);
  }

 private:
  testing::TakeAwayGame inner_;
  GameStructure structure_;
  std::int64_t score_;
};

SimulationResult run_scored(std::int64_t score) {
  const ScoredGame game(score);
  SimulationOptions options;
  options.games = 10;
  options.threads = 1;
  absl::StatusOr<SimulationResult> result = run_simulations(
      game, *generate_candidate_features(game.structure()), options);
  EXPECT_TRUE(result.ok()) << result.status();
  return *std::move(result);
}

// plugin_game_fuzzer: two players' INT64_MIN scores overflowed the sum the
// score features compare against (UBSan: signed integer overflow in
// view_slots). A score beyond +-2^40 now fails the game with a message.
TEST(FuzzRegression, AnEnormousPlayerScoreFailsTheGameInsteadOfOverflowing) {
  for (std::int64_t score : {std::numeric_limits<std::int64_t>::min(),
                             std::numeric_limits<std::int64_t>::max(),
                             (std::int64_t{1} << 40) + 1}) {
    const SimulationResult result = run_scored(score);
    EXPECT_EQ(result.counts.failed, 10u) << score;
    ASSERT_FALSE(result.counts.failures.empty());
    EXPECT_THAT(result.counts.failures[0].error,
                HasSubstr("player property 'score'"));
  }
  EXPECT_EQ(run_scored(std::int64_t{1} << 40).counts.failed, 0u);
  EXPECT_EQ(run_scored(-(std::int64_t{1} << 40)).counts.failed, 0u);
}

}  // namespace
}  // namespace selfplay
