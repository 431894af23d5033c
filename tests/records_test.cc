// Game records and the in-order runner: records arrive in index order and
// replay to the run's exact tallies; windowed runs count what unwindowed runs
// count; checkpoints come at every multiple with the tallies below it, and a
// run resumed from one equals the uninterrupted run; a stop leaves a clean
// prefix.
#include "selfplay/records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <set>

#include "selfplay/registry.h"
#include "selfplay/simulation.h"
#include "simulation_runner.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::run;

using testing::TakeAwayGame;
using testing::TakeAwayState;

// Keeps a copy of every record, or stops the run after `stop_after` of them.
class CollectingSink final : public GameRecordSink {
 public:
  absl::Status write(const GameRecord& record) override {
    records.push_back(record);
    if (records.size() == stop_after && stop != nullptr) stop->request_stop();
    if (records.size() == fail_after) {
      return absl::ResourceExhaustedError("disk full");
    }
    return absl::OkStatus();
  }

  std::vector<GameRecord> records;
  std::size_t stop_after = 0;
  std::size_t fail_after = 0;
  StopToken* stop = nullptr;
};

struct Snapshot {
  SimulationCounts counts;
  std::uint64_t next_game_index;
};

SimulationCounts replay(const std::vector<GameRecord>& records, int players,
                        const FeatureSet& features, int action_kinds) {
  SimulationCounts counts = make_counts(players, features.size(), action_kinds);
  RecordCounter counter(players, features.size(), action_kinds);
  for (const GameRecord& record : records) {
    EXPECT_TRUE(counter.add(record, counts).ok()) << record.game_index;
  }
  return counts;
}

// More than 64 features, so that records hold several words per decision.
FeatureSet wide_pile_features() {
  FeatureSet features;
  for (int i = 0; i < 70; ++i) {
    EXPECT_TRUE(features
                    .add({"pile-mod-" + std::to_string(i), "", "custom"},
                         [i](const State& state, int player) {
                           const int pile =
                               static_cast<const TakeAwayState&>(state).pile();
                           return (pile + player) % (i % 7 + 2) == 0;
                         })
                    .ok());
  }
  return features;
}

class RecordsTest : public ::testing::Test {
 protected:
  RecordsTest()
      : registry_(GameRegistry::with_bundled_games()),
        checkers_(*registry_.find("checkers")),
        checkers_features_(
            *generate_candidate_features(checkers_->structure())) {}

  GameRegistry registry_;
  const Game* checkers_;
  FeatureSet checkers_features_;
};

TEST_F(RecordsTest, RecordsArriveInIndexOrderAndReplayToTheRunsTallies) {
  for (int threads : {1, 2}) {
    CollectingSink sink;
    SimulationOptions options;
    options.games = 300;
    options.seed = 5;
    options.threads = threads;
    options.records = &sink;
    const SimulationResult result =
        run(*checkers_, checkers_features_, options);
    ASSERT_EQ(sink.records.size(), 300u);
    for (std::uint64_t i = 0; i < sink.records.size(); ++i) {
      ASSERT_EQ(sink.records[i].game_index, i);
      EXPECT_EQ(sink.records[i].seed, seed_for(5, i));
    }
    EXPECT_EQ(replay(sink.records, 2, checkers_features_, 2), result.counts);
  }
}

TEST_F(RecordsTest, TheInOrderRunnerCountsWhatTheUnorderedRunnerCounts) {
  SimulationOptions options;
  options.games = 500;
  options.seed = 11;
  options.keep_game_summaries = true;
  const SimulationResult plain = run(*checkers_, checkers_features_, options);
  CollectingSink sink;
  options.records = &sink;
  options.threads = 2;
  const SimulationResult ordered = run(*checkers_, checkers_features_, options);
  EXPECT_EQ(ordered.counts, plain.counts);
  EXPECT_EQ(ordered.games, plain.games);
  EXPECT_EQ(ordered.cancelled, 0u);
}

// Empty ranges anywhere (a run resumed at its end has only one) play
// nothing: the runner once played game `end` of an empty range.
TEST_F(RecordsTest, TheInOrderRunnerPlaysNoGameOfAnEmptyRange) {
  for (const std::vector<GameIndexRange>& ranges :
       std::vector<std::vector<GameIndexRange>>{
           {{40, 40}}, {{0, 5}, {8, 8}, {8, 20}}, {{3, 3}, {7, 9}, {9, 9}}}) {
    CollectingSink sink;
    SimulationOptions options;
    options.games = 40;
    options.threads = 2;
    options.ranges = ranges;
    options.records = &sink;
    const SimulationResult result =
        run(*checkers_, checkers_features_, options);
    std::vector<std::uint64_t> expected;
    for (const GameIndexRange& range : ranges) {
      for (std::uint64_t i = range.begin; i < range.end; ++i) {
        expected.push_back(i);
      }
    }
    std::vector<std::uint64_t> played;
    for (const GameRecord& record : sink.records) {
      played.push_back(record.game_index);
    }
    EXPECT_EQ(played, expected);
    EXPECT_EQ(result.counts.games, expected.size());
  }
}

TEST_F(RecordsTest, RecordsAreTheSameForAnyThreadCount) {
  std::vector<std::vector<GameRecord>> by_threads;
  for (int threads : {1, 2, 3}) {
    CollectingSink sink;
    SimulationOptions options;
    options.games = 200;
    options.threads = threads;
    options.records = &sink;
    run(*checkers_, checkers_features_, options);
    by_threads.push_back(std::move(sink.records));
  }
  EXPECT_EQ(by_threads[0], by_threads[1]);
  EXPECT_EQ(by_threads[0], by_threads[2]);
}

TEST_F(RecordsTest, ADecisionHoldsThePlayerKindsAndFeatureBitsThatWereTallied) {
  const TakeAwayGame game;
  const FeatureSet features = wide_pile_features();
  CollectingSink sink;
  SimulationOptions options;
  options.games = 50;
  options.records = &sink;
  const SimulationResult result = run(game, features, options);
  ASSERT_EQ(sink.records.size(), 50u);
  // Replay game 0 by hand: the same seed and policy stream as the engine.
  const GameRecord& record = sink.records[0];
  TakeAwayState state(record.seed, false);
  Rng rng(derive_seed(record.seed, 1));
  ASSERT_EQ(record.feature_words, 2);
  FeatureScratch scratch;
  std::vector<std::uint64_t> bits(2);
  for (std::size_t d = 0; d < record.decisions.size(); ++d) {
    const std::vector<Action> legal = testing::legal_actions_of(state);
    const Action action = legal[rng.uniform(legal.size())];
    const RecordedDecision& decision = record.decisions[d];
    EXPECT_EQ(decision.player, state.current_player());
    EXPECT_EQ(decision.taken, action - 1);
    EXPECT_EQ(decision.available_kinds, legal.size() == 2 ? 3u : 1u);
    features.evaluate(state, state.current_player(), scratch, bits.data());
    EXPECT_EQ(record.feature_bits[2 * d], bits[0]);
    EXPECT_EQ(record.feature_bits[2 * d + 1], bits[1]);
    state.apply_action(action);
  }
  EXPECT_TRUE(state.is_terminal());
  EXPECT_EQ(record.winners, state.winners());
  EXPECT_EQ(replay(sink.records, 2, features, 2), result.counts);
}

TEST_F(RecordsTest, FailedAndTruncatedGamesReplayToTheSameTallies) {
  std::set<std::uint64_t> throwing;
  for (std::uint64_t i = 0; i < 400; i += 7) throwing.insert(seed_for(3, i));
  const TakeAwayGame game(throwing);
  const FeatureSet features = wide_pile_features();
  CollectingSink sink;
  SimulationOptions options;
  options.games = 400;
  options.seed = 3;
  options.max_actions = 6;
  options.failure_cap = 10;
  options.threads = 2;
  options.records = &sink;
  const SimulationResult result = run(game, features, options);
  ASSERT_GT(result.counts.failed, 10u);
  ASSERT_GT(result.counts.truncated, 0u);
  const GameRecord& failed = sink.records[7];
  EXPECT_EQ(failed.status, GameStatus::kFailed);
  EXPECT_EQ(failed.error, "planted failure");
  EXPECT_TRUE(failed.decisions.empty());
  SimulationCounts replayed = make_counts(2, features.size(), 2, 10);
  RecordCounter counter(2, features.size(), 2);
  for (const GameRecord& record : sink.records) {
    ASSERT_TRUE(counter.add(record, replayed).ok());
  }
  EXPECT_EQ(replayed, result.counts);
}

TEST_F(RecordsTest, ARecordThatDoesNotFitTheShapeIsRefusedAndNotCounted) {
  RecordCounter counter(2, 3, 2);
  SimulationCounts counts = make_counts(2, 3, 2);
  const SimulationCounts before = counts;
  GameRecord record;
  record.feature_words = 1;
  record.decisions = {{0, 1, 0b11}, {1, 0, 0b01}};
  record.feature_bits = {0b101, 0b010};
  record.winners = {1};
  ASSERT_TRUE(counter.add(record, counts).ok());
  EXPECT_EQ(counts.completed, 1u);
  counts = before;
  for (auto spoil : std::vector<std::function<void(GameRecord&)>>{
           [](GameRecord& r) { r.decisions[0].player = 2; },
           [](GameRecord& r) { r.decisions[0].taken = 2; },
           [](GameRecord& r) { r.decisions[1].available_kinds = 0b10; },
           [](GameRecord& r) { r.decisions[1].available_kinds = 0b101; },
           [](GameRecord& r) { r.feature_bits[0] = 0b1000; },
           [](GameRecord& r) { r.feature_bits.pop_back(); },
           [](GameRecord& r) { r.winners = {2}; },
           [](GameRecord& r) { r.status = GameStatus::kTruncated; },
           [](GameRecord& r) {
             r.status = GameStatus::kFailed;
             r.winners.clear();
           },
       }) {
    GameRecord spoiled = record;
    spoil(spoiled);
    EXPECT_TRUE(absl::IsInvalidArgument(counter.add(spoiled, counts)));
    EXPECT_EQ(counts, before);
  }
}

TEST_F(RecordsTest, CheckpointsComeAtEveryMultipleWithTheTalliesBelowIt) {
  std::vector<Snapshot> snapshots;
  SimulationOptions options;
  options.games = 1050;
  options.threads = 2;
  options.checkpoint_every = 250;
  options.checkpoint = [&](const SimulationCounts& so_far, std::uint64_t next) {
    snapshots.push_back({so_far, next});
    return absl::OkStatus();
  };
  const SimulationResult result = run(*checkers_, checkers_features_, options);
  ASSERT_EQ(snapshots.size(), 5u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(snapshots[i].next_game_index, 250 * (i + 1));
    EXPECT_EQ(snapshots[i].counts.games, 250 * (i + 1));
  }
  EXPECT_EQ(snapshots[4].next_game_index, 1050u);
  EXPECT_EQ(snapshots[4].counts, result.counts);
  // The tallies at 500 are those of a run of 500 games.
  options.checkpoint = nullptr;
  options.games = 500;
  EXPECT_EQ(snapshots[1].counts,
            run(*checkers_, checkers_features_, options).counts);
}

TEST_F(RecordsTest, ARunResumedFromACheckpointEqualsTheUninterruptedRun) {
  SimulationOptions options;
  options.games = 900;
  options.seed = 17;
  const SimulationCounts uninterrupted =
      run(*checkers_, checkers_features_, options).counts;
  std::optional<Snapshot> at_400;
  options.checkpoint_every = 200;
  options.checkpoint = [&](const SimulationCounts& so_far, std::uint64_t next) {
    if (next == 400) at_400 = Snapshot{so_far, next};
    return absl::OkStatus();
  };
  run(*checkers_, checkers_features_, options);
  ASSERT_TRUE(at_400.has_value());
  for (int threads : {1, 2}) {
    SimulationOptions rest = options;
    rest.threads = threads;
    rest.checkpoint = nullptr;
    rest.ranges = {{at_400->next_game_index, options.games}};
    SimulationCounts resumed = at_400->counts;
    resumed.merge(run(*checkers_, checkers_features_, rest).counts);
    EXPECT_EQ(resumed, uninterrupted) << threads << " threads";
  }
}

TEST_F(RecordsTest, AStopLeavesEveryGameBelowTheLastCheckpointAndNoneAbove) {
  StopToken stop;
  CollectingSink sink;
  sink.stop_after = 150;
  sink.stop = &stop;
  std::vector<Snapshot> snapshots;
  SimulationOptions options;
  options.games = 100000;
  options.threads = 2;
  options.stop = &stop;
  options.records = &sink;
  options.checkpoint_every = 1000000;
  options.checkpoint = [&](const SimulationCounts& so_far, std::uint64_t next) {
    snapshots.push_back({so_far, next});
    return absl::OkStatus();
  };
  const SimulationResult result = run(*checkers_, checkers_features_, options);
  ASSERT_EQ(snapshots.size(), 1u);
  const std::uint64_t played = snapshots[0].next_game_index;
  EXPECT_GE(played, 150u);
  EXPECT_LT(played, 100000u);
  EXPECT_EQ(result.counts.games, played);
  EXPECT_EQ(result.cancelled, 100000 - played);
  EXPECT_EQ(snapshots[0].counts, result.counts);
  ASSERT_EQ(sink.records.size(), played);
  EXPECT_EQ(sink.records.back().game_index, played - 1);
  EXPECT_EQ(replay(sink.records, 2, checkers_features_, 2), result.counts);
}

TEST_F(RecordsTest, ASinkErrorStopsTheRunAndIsReturned) {
  CollectingSink sink;
  sink.fail_after = 40;
  bool checkpointed = false;
  SimulationOptions options;
  options.games = 100000;
  options.records = &sink;
  options.checkpoint = [&](const SimulationCounts&, std::uint64_t) {
    checkpointed = true;
    return absl::OkStatus();
  };
  const absl::StatusOr<SimulationResult> result =
      run_simulations(*checkers_, checkers_features_, options);
  EXPECT_TRUE(absl::IsResourceExhausted(result.status())) << result.status();
  EXPECT_FALSE(checkpointed);
  EXPECT_LT(sink.records.size(), 100000u);
}

TEST_F(RecordsTest, ACheckpointErrorStopsTheRunAndIsReturned) {
  int calls = 0;
  SimulationOptions options;
  options.games = 100000;
  options.checkpoint_every = 100;
  options.checkpoint = [&](const SimulationCounts&, std::uint64_t) {
    ++calls;
    return absl::PermissionDeniedError("read-only");
  };
  const absl::StatusOr<SimulationResult> result =
      run_simulations(*checkers_, checkers_features_, options);
  EXPECT_TRUE(absl::IsPermissionDenied(result.status()));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace selfplay
