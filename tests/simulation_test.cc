// The parallel runner: exact tallies, determinism across thread counts, fault
// containment, truncation, cancellation and progress.
#include "selfplay/simulation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>

#include "selfplay/registry.h"
#include "simulation_runner.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::run;

using ::testing::ElementsAre;
using testing::EndlessGame;
using testing::TakeAwayGame;
using testing::TakeAwayState;

FeatureSet pile_features() {
  FeatureSet features;
  EXPECT_TRUE(
      features
          .add({"pile-even", "an even pile", "custom"},
               [](const State& state, int) {
                 return static_cast<const TakeAwayState&>(state).pile() % 2 ==
                        0;
               })
          .ok());
  EXPECT_TRUE(features
                  .add({"second-player", "the deciding player is seat 1", ""},
                       [](const State&, int player) { return player == 1; })
                  .ok());
  return features;
}

// Replays take-away games serially, the way the engine documents it plays
// them, and tallies the outcome tables independently.
SimulationCounts replay_take_away(std::uint64_t base_seed,
                                  std::uint64_t games) {
  SimulationCounts counts = make_counts(2, 2, 2);
  std::vector<Action> legal;
  for (std::uint64_t i = 0; i < games; ++i) {
    const std::uint64_t seed = seed_for(base_seed, i);
    TakeAwayState state(seed, false);
    Rng rng(derive_seed(seed, 1));
    struct Decision {
      int player;
      bool even, second, two_available;
      Action taken;
    };
    std::vector<Decision> decisions;
    while (!state.is_terminal()) {
      state.legal_actions(legal);
      const Action action = legal[rng.uniform(legal.size())];
      decisions.push_back({state.current_player(), state.pile() % 2 == 0,
                           state.current_player() == 1, legal.size() == 2,
                           action});
      state.apply_action(action);
    }
    const int winner = state.winners()[0];
    ++counts.games;
    ++counts.completed;
    counts.states += decisions.size();
    if (counts.length_histogram.size() <= decisions.size()) {
      counts.length_histogram.resize(decisions.size() + 1);
    }
    ++counts.length_histogram[decisions.size()];
    ++counts.seats[winner].wins;
    ++counts.seats[1 - winner].losses;
    // This game's decisions held / not held (n1, n0) and wins among them in
    // half-units (w1, w0), per table: features 0 and 1, action kinds 2 and 3.
    struct GameCounts {
      std::uint64_t n1 = 0, n0 = 0, w1 = 0, w0 = 0;
    };
    GameCounts game[4];
    for (const Decision& d : decisions) {
      const std::uint64_t won = d.player == winner ? 2 : 0;
      auto add = [won](GameCounts& g, bool held) {
        ++(held ? g.n1 : g.n0);
        (held ? g.w1 : g.w0) += won;
      };
      add(game[0], d.even);
      add(game[1], d.second);
      add(game[2], d.taken == 1);
      if (d.taken == 2 || d.two_available) add(game[3], d.taken == 2);
    }
    OutcomeTable* tables[4] = {&counts.features[0], &counts.features[1],
                               &counts.actions[0], &counts.actions[1]};
    for (int i = 0; i < 4; ++i) {
      const GameCounts& g = game[i];
      OutcomeTable& t = *tables[i];
      t.true_won += g.w1;
      t.true_lost += 2 * g.n1 - g.w1;
      t.false_won += g.w0;
      t.false_lost += 2 * g.n0 - g.w0;
      if (g.n1 + g.n0 == 0) continue;
      ++t.games;
      if (g.n1 > 0) ++t.games_true;
      t.w1w1 += g.w1 * g.w1;
      t.w1n1 += g.w1 * g.n1;
      t.n1n1 += g.n1 * g.n1;
      t.w0w0 += g.w0 * g.w0;
      t.w0n0 += g.w0 * g.n0;
      t.n0n0 += g.n0 * g.n0;
      t.w1w0 += g.w1 * g.w0;
      t.w1n0 += g.w1 * g.n0;
      t.n1w0 += g.n1 * g.w0;
      t.n1n0 += g.n1 * g.n0;
    }
  }
  return counts;
}

TEST(RunSimulations, TalliesEqualAnIndependentSerialReplay) {
  TakeAwayGame game;
  SimulationOptions options;
  options.games = 3000;
  options.seed = 42;
  options.threads = 2;
  const SimulationResult result = run(game, pile_features(), options);
  EXPECT_EQ(result.counts, replay_take_away(42, 3000));
  EXPECT_EQ(result.cancelled, 0u);
}

TEST(RunSimulations, CountsAreIdenticalForOneTwoAndFourThreadsOnEveryGame) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  for (const Game* game : registry.games()) {
    absl::StatusOr<FeatureSet> features =
        generate_candidate_features(game->structure());
    ASSERT_TRUE(features.ok());
    SimulationOptions options;
    options.games = 300;
    options.seed = 7;
    options.threads = 1;
    const SimulationResult one = run(*game, *features, options);
    EXPECT_EQ(one.counts.completed + one.counts.truncated, 300u)
        << game->name();
    for (int threads : {2, 4}) {
      options.threads = threads;
      options.batch_size = threads;  // and a different task shape
      EXPECT_EQ(run(*game, *features, options).counts, one.counts)
          << game->name() << " at " << threads << " threads";
    }
  }
}

TEST(RunSimulations, AGameThatThrowsIsCountedWithItsSeedAndTheRunGoesOn) {
  const std::uint64_t base = 5;
  TakeAwayGame faulty({seed_for(base, 3), seed_for(base, 17)});
  SimulationOptions options;
  options.games = 100;
  options.seed = base;
  options.threads = 2;
  const SimulationResult result = run(faulty, pile_features(), options);
  EXPECT_EQ(result.counts.failed, 2u);
  EXPECT_EQ(result.counts.completed, 98u);
  ASSERT_EQ(result.counts.failures.size(), 2u);
  EXPECT_EQ(result.counts.failures[0],
            (GameFailure{3, seed_for(base, 3), "planted failure"}));
  EXPECT_EQ(result.counts.failures[1].game_index, 17u);

  // Every other game's statistics are those of a run without the bad games.
  TakeAwayGame healthy;
  options.ranges = {{0, 3}, {4, 17}, {18, 100}};
  SimulationCounts expected = run(healthy, pile_features(), options).counts;
  expected.games += 2;
  expected.failed = 2;
  expected.failures = result.counts.failures;
  EXPECT_EQ(result.counts, expected);
}

TEST(RunSimulations, KeepsOnlyTheFailuresWithTheSmallestIndices) {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t i = 0; i < 50; ++i) seeds.insert(seed_for(0, i));
  TakeAwayGame faulty(seeds);
  SimulationOptions options;
  options.games = 50;
  options.failure_cap = 5;
  options.threads = 2;
  options.batch_size = 1;
  const SimulationResult result = run(faulty, FeatureSet(), options);
  EXPECT_EQ(result.counts.failed, 50u);
  ASSERT_EQ(result.counts.failures.size(), 5u);
  for (std::uint64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(result.counts.failures[i].game_index, i);
  }
}

TEST(RunSimulations, AGameThatNeverEndsIsTruncatedAtMaxActions) {
  EndlessGame game;
  SimulationOptions options;
  options.games = 20;
  options.max_actions = 50;
  const SimulationResult result = run(game, FeatureSet(), options);
  EXPECT_EQ(result.counts.truncated, 20u);
  EXPECT_EQ(result.counts.completed, 0u);
  EXPECT_EQ(result.counts.timed_out, 0u);
  EXPECT_EQ(result.counts.states, 20u * 50u);
  EXPECT_EQ(result.counts.seats[0], SeatCounts{});
}

TEST(RunSimulations, TheWallClockTimeoutTruncatesAndFlagsTheGame) {
  EndlessGame game(std::chrono::microseconds(200));
  SimulationOptions options;
  options.games = 4;
  options.max_actions = 1'000'000;
  options.game_timeout = absl::Milliseconds(20);
  const SimulationResult result = run(game, FeatureSet(), options);
  EXPECT_EQ(result.counts.timed_out, 4u);
  EXPECT_EQ(result.counts.truncated, 4u);
}

TEST(RunSimulations, AStopRequestReturnsThePartialResultMarkedCancelled) {
  EndlessGame game;
  StopToken stop;
  SimulationOptions options;
  options.games = 100000;
  options.max_actions = 100;
  options.threads = 2;
  options.batch_size = 10;
  options.stop = &stop;
  options.progress_interval = absl::ZeroDuration();
  options.progress = [&stop](std::uint64_t done, std::uint64_t) {
    if (done >= 1000) stop.request_stop();
  };
  const SimulationResult result = run(game, FeatureSet(), options);
  EXPECT_GT(result.cancelled, 0u);
  EXPECT_GE(result.counts.games, 1000u);
  EXPECT_EQ(result.counts.games + result.cancelled, 100000u);
}

TEST(RunSimulations, ProgressIsSerialisedMonotonicAndEndsAtTheTotal) {
  TakeAwayGame game;
  std::mutex mutex;
  std::vector<std::uint64_t> reports;
  bool overlapped = false;
  bool inside = false;
  SimulationOptions options;
  options.games = 20000;
  options.threads = 2;
  options.batch_size = 7;
  options.progress_interval = absl::ZeroDuration();
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, 20000u);
    // The runner serialises calls; the mutex here only detects overlap.
    if (!mutex.try_lock()) {
      overlapped = true;
      return;
    }
    overlapped |= inside;
    inside = true;
    reports.push_back(done);
    inside = false;
    mutex.unlock();
  };
  run(game, FeatureSet(), options);
  EXPECT_FALSE(overlapped);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.back(), 20000u);
  EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
}

TEST(RunSimulations, KeptGameSummariesAreOrderedByIndexAndMatchTheCounts) {
  TakeAwayGame game;
  SimulationOptions options;
  options.games = 500;
  options.threads = 2;
  options.batch_size = 3;
  options.keep_game_summaries = true;
  const SimulationResult result = run(game, FeatureSet(), options);
  ASSERT_EQ(result.games.size(), 500u);
  std::uint64_t seat0_wins = 0;
  for (std::uint64_t i = 0; i < 500; ++i) {
    EXPECT_EQ(result.games[i].game_index, i);
    EXPECT_EQ(result.games[i].seed, seed_for(0, i));
    ASSERT_EQ(result.games[i].winners.size(), 1u);
    seat0_wins += result.games[i].winners[0] == 0;
  }
  EXPECT_EQ(result.counts.seats[0].wins, seat0_wins);
}

TEST(RunSimulations, RangesPlayExactlyTheGivenIndices) {
  TakeAwayGame game;
  SimulationOptions options;
  options.keep_game_summaries = true;
  options.ranges = {{10, 12}, {20, 21}};
  const SimulationResult result = run(game, FeatureSet(), options);
  std::vector<std::uint64_t> indices;
  for (const GameSummary& summary : result.games) {
    indices.push_back(summary.game_index);
  }
  EXPECT_THAT(indices, ElementsAre(10, 11, 20));
  EXPECT_EQ(result.requested, 3u);
}

TEST(RunSimulations, RejectsOptionsThatCannotRun) {
  TakeAwayGame game;
  FeatureSet none;
  auto status_of = [&](SimulationOptions options) {
    return run_simulations(game, none, options).status().code();
  };
  SimulationOptions options;
  options.players = 3;
  EXPECT_EQ(status_of(options), absl::StatusCode::kInvalidArgument);
  options = {};
  options.threads = -1;
  EXPECT_EQ(status_of(options), absl::StatusCode::kInvalidArgument);
  options = {};
  options.max_actions = 0;
  EXPECT_EQ(status_of(options), absl::StatusCode::kInvalidArgument);
  options = {};
  options.ranges = {{5, 10}, {7, 12}};
  EXPECT_EQ(status_of(options), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace selfplay
