// The three schedulers of the scaling comparison play the same games: their
// counts are identical to each other and to the engine's for any thread
// count, failures included, and they report every thread's busy time.
#include "scaling/schedulers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "test_games.h"

namespace selfplay::scaling {
namespace {

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

// Take-away whose games with chosen seeds take a millisecond to set up
// (inside the busy time a scheduler's threads report).
class SlowSeedsGame final : public Game {
 public:
  explicit SlowSeedsGame(std::set<std::uint64_t> slow)
      : slow_(std::move(slow)) {}
  const GameStructure& structure() const override { return inner_.structure(); }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int players) const override {
    if (slow_.count(seed) > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return inner_.new_initial_state(seed, players);
  }

 private:
  testing::TakeAwayGame inner_;
  std::set<std::uint64_t> slow_;
};

TEST(Schedulers, AStaticPartitionOfSkewedGamesIsImbalancedAndAQueueIsNot) {
  // Games 100..199 of 200 are slow. A static partition on two threads gives
  // them all to one thread: the busiest thread's time over the mean of a
  // busy and an idle one is 2. A queue deals them out one by one: about 1.
  std::set<std::uint64_t> slow;
  for (std::uint64_t i = 100; i < 200; ++i) slow.insert(seed_for(7, i));
  const SlowSeedsGame game(std::move(slow));
  const absl::StatusOr<ScheduledRun> partitioned = run_scheduled(
      Scheduler::kStaticPartition, game, FeatureSet(), options_for(200, 2));
  ASSERT_TRUE(partitioned.ok()) << partitioned.status();
  EXPECT_GT(partitioned->imbalance(), 1.8);
  EXPECT_LE(partitioned->imbalance(), 2.0);
  const absl::StatusOr<ScheduledRun> queued = run_scheduled(
      Scheduler::kCentralQueue, game, FeatureSet(), options_for(200, 2));
  ASSERT_TRUE(queued.ok()) << queued.status();
  EXPECT_LT(queued->imbalance(), 1.3);
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
