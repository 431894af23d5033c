// The three schedulers of the scaling comparison play the same games: their
// counts are identical to each other and to the engine's for any thread
// count, failures included, and they report every thread's busy time.
#include "scaling/schedulers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "test_games.h"

namespace selfplay::scaling {
namespace {

using ::testing::Each;
using ::testing::Ge;

SimulationOptions options_for(std::uint64_t games, int threads) {
  SimulationOptions options;
  options.games = games;
  options.threads = threads;
  options.seed = 7;
  return options;
}

TEST(Schedulers, AllThreeGiveTheEnginesCountsForAnyThreadCount) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  const Game* game = *registry.find("checkers");
  const FeatureSet features = *generate_candidate_features(game->structure());
  const absl::StatusOr<SimulationResult> reference =
      run_simulations(*game, features, options_for(300, 1));
  ASSERT_TRUE(reference.ok()) << reference.status();
  ASSERT_EQ(reference->counts.games, 300u);
  for (Scheduler scheduler : kAllSchedulers) {
    for (int threads : {1, 2, 3}) {
      const absl::StatusOr<ScheduledRun> run =
          run_scheduled(scheduler, *game, features, options_for(300, threads));
      ASSERT_TRUE(run.ok()) << run.status();
      EXPECT_EQ(run->counts, reference->counts)
          << scheduler_name(scheduler) << ", " << threads << " threads";
    }
  }
}

TEST(Schedulers, FailedGamesAreCountedAlikeByAllThree) {
  const testing::TakeAwayGame game({seed_for(7, 5), seed_for(7, 17)});
  const FeatureSet no_features;
  const absl::StatusOr<SimulationResult> reference =
      run_simulations(game, no_features, options_for(40, 1));
  ASSERT_TRUE(reference.ok()) << reference.status();
  ASSERT_EQ(reference->counts.failed, 2u);
  for (Scheduler scheduler : kAllSchedulers) {
    const absl::StatusOr<ScheduledRun> run =
        run_scheduled(scheduler, game, no_features, options_for(40, 2));
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_EQ(run->counts, reference->counts) << scheduler_name(scheduler);
  }
}

TEST(Schedulers, ThreadsThatPlayedNothingCountAsIdle) {
  // One game on three threads: one thread is busy, two are idle, so the
  // busiest is three times the mean whatever the game cost.
  const testing::TakeAwayGame game;
  for (Scheduler scheduler : kAllSchedulers) {
    const absl::StatusOr<ScheduledRun> run =
        run_scheduled(scheduler, game, FeatureSet(), options_for(1, 3));
    ASSERT_TRUE(run.ok()) << run.status();
    ASSERT_EQ(run->busy_s.size(), 3u) << scheduler_name(scheduler);
    EXPECT_EQ(std::count(run->busy_s.begin(), run->busy_s.end(), 0.0), 2)
        << scheduler_name(scheduler);
    EXPECT_DOUBLE_EQ(run->imbalance(), 3.0) << scheduler_name(scheduler);
  }
}

TEST(Schedulers, ImbalanceLiesBetweenOneAndTheThreadCount) {
  const testing::TakeAwayGame game;
  for (Scheduler scheduler : kAllSchedulers) {
    const absl::StatusOr<ScheduledRun> run =
        run_scheduled(scheduler, game, FeatureSet(), options_for(2000, 2));
    ASSERT_TRUE(run.ok()) << run.status();
    EXPECT_GE(run->busy_s.size(), 2u);
    EXPECT_THAT(run->busy_s, Each(Ge(0.0)));
    EXPECT_GE(run->imbalance(), 1.0) << scheduler_name(scheduler);
    EXPECT_LE(run->imbalance(), static_cast<double>(run->busy_s.size()))
        << scheduler_name(scheduler);
  }
}

TEST(Schedulers, RejectWhatTheEngineRejectsAndAnImplicitThreadCount) {
  const testing::TakeAwayGame game;
  for (Scheduler scheduler : kAllSchedulers) {
    SimulationOptions three_players = options_for(10, 2);
    three_players.players = 3;
    EXPECT_EQ(run_scheduled(scheduler, game, FeatureSet(), three_players)
                  .status()
                  .code(),
              absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(run_scheduled(scheduler, game, FeatureSet(), options_for(10, 0))
                  .status()
                  .code(),
              absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace selfplay::scaling
