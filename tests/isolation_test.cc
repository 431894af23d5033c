// Crash isolation: games run in worker processes under a supervisor. A game
// that segfaults, aborts, overflows its stack or hangs is recorded as failed
// with its seed and the reason, and every other game counts exactly as in one
// process; a killed worker loses nothing; malformed messages fail the worker,
// not the supervisor; no worker outlives the run.
//
// The supervisor runs in this test process; its workers are the test worker
// program (crash_test_worker.cc), which knows the crash games of
// crash_games.h. The `selfplay` CLI itself is run for `simulate --isolate`
// on bundled games.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crash_games.h"
#include "isolation/game_slots.h"
#include "nlohmann/json.hpp"
#include "selfplay/isolated_run.h"
#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "tbb/task_arena.h"
#include "test_games.h"

namespace selfplay::isolation {

void PrintTo(const IsolationStats& stats, std::ostream* out) {
  *out << "{deaths " << stats.worker_deaths << ", culprit replays "
       << stats.culprit_replays << ", innocent replays "
       << stats.innocent_replays << ", hangs pinned " << stats.hangs_pinned
       << ", bisections " << stats.bisections << "}";
}

namespace {

using testing::Crash;
using testing::CrashingGame;
using ::testing::HasSubstr;
using ::testing::Not;

// A run of the supervisor leaves no child behind: all were reaped.
void expect_no_children() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

IsolationOptions test_workers(const std::string& game,
                              const std::set<std::uint64_t>& bad_seeds = {},
                              int workers = 2) {
  IsolationOptions isolation;
  isolation.workers = workers;
  isolation.program = SELFPLAY_CRASH_TEST_WORKER_PATH;
  isolation.arguments = {
      absl::StrCat("--game=", game),
      absl::StrCat("--bad-seeds=", absl::StrJoin(bad_seeds, ","))};
  isolation.hang_limit = absl::Seconds(5);
  return isolation;
}

SimulationResult isolated(const Game& game, const FeatureSet& features,
                          const SimulationOptions& options,
                          const IsolationOptions& isolation,
                          IsolationStats* stats = nullptr) {
  absl::StatusOr<SimulationResult> result =
      run_isolated(game, features, options, isolation, stats);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : SimulationResult{};
}

SimulationResult in_process(const Game& game, const FeatureSet& features,
                            const SimulationOptions& options) {
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : SimulationResult{};
}

// [0, games) without the `excluded` indices.
std::vector<GameIndexRange> ranges_without(
    std::uint64_t games, const std::set<std::uint64_t>& excluded) {
  std::vector<GameIndexRange> ranges;
  std::uint64_t begin = 0;
  for (std::uint64_t index : excluded) {
    ranges.push_back({begin, index});
    begin = index + 1;
  }
  ranges.push_back({begin, games});
  return ranges;
}

// The indices of `games`, as ranges of one game each.
std::vector<GameIndexRange> ranges_of(const std::vector<GameSummary>& games) {
  std::vector<GameIndexRange> ranges;
  for (const GameSummary& game : games) {
    ranges.push_back({game.game_index, game.game_index + 1});
  }
  return ranges;
}

SimulationOptions small_run(std::uint64_t games) {
  SimulationOptions options;
  options.games = games;
  options.seed = 7;
  options.threads = 2;
  options.keep_game_summaries = true;
  // Keeps the workers' progress, which the hang detection listens to, frequent.
  options.progress_interval = absl::Milliseconds(10);
  return options;
}

// What take-away states see of the game slots while they are played: at every
// action, the slot of the arena thread playing names their game, found from
// the seed by the test's own table, and no other slot does.
struct SlotWatch {
  std::span<std::atomic<std::uint64_t>> slots;
  absl::flat_hash_map<std::uint64_t, std::uint64_t> index_of_seed;
  std::atomic<std::uint64_t> checked{0};
  std::atomic<std::uint64_t> wrong{0};

  void check(std::uint64_t seed) {
    const std::uint64_t expected = index_of_seed.at(seed) + 1;
    const int thread = tbb::this_task_arena::current_thread_index();
    bool right = thread >= 0 && thread < static_cast<int>(slots.size());
    for (int slot = 0; slot < static_cast<int>(slots.size()); ++slot) {
      const bool names_it =
          slots[slot].load(std::memory_order_acquire) == expected;
      right &= names_it == (slot == thread);
    }
    ++checked;
    if (!right) ++wrong;
  }
};

class SlotWatchingState final : public testing::HookedTakeAwayState {
 public:
  SlotWatchingState(std::uint64_t seed, SlotWatch& watch)
      : HookedTakeAwayState(seed), seed_(seed), watch_(&watch) {}

  std::unique_ptr<State> clone() const override {
    return std::make_unique<SlotWatchingState>(*this);
  }

 private:
  void before_action() override { watch_->check(seed_); }

  std::uint64_t seed_;
  SlotWatch* watch_;
};

class SlotWatchingGame final : public Game {
 public:
  explicit SlotWatchingGame(SlotWatch& watch) : watch_(watch) {}
  const GameStructure& structure() const override {
    return take_away_.structure();
  }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int) const override {
    return std::make_unique<SlotWatchingState>(seed, watch_);
  }

 private:
  testing::TakeAwayGame take_away_;
  SlotWatch& watch_;
};

// The oracle of a run whose `bad` games fail with `reason`: the same run in
// this process without them, plus them failed.
SimulationResult without_failed_games(const Game& game,
                                      const FeatureSet& features,
                                      const SimulationOptions& options,
                                      const std::set<std::uint64_t>& bad,
                                      const std::string& reason) {
  SimulationOptions others = options;
  others.ranges = ranges_without(options.games, bad);
  SimulationResult expected = in_process(game, features, others);
  for (std::uint64_t index : bad) {
    const std::uint64_t seed = seed_for(options.seed, index);
    ++expected.counts.games;
    ++expected.counts.failed;
    expected.counts.add_failure({index, seed, reason});
    expected.games.push_back({index, seed, GameStatus::kFailed, 0, {}});
  }
  std::sort(expected.games.begin(), expected.games.end(),
            [](const GameSummary& a, const GameSummary& b) {
              return a.game_index < b.game_index;
            });
  return expected;
}

// Runs `options` isolated, expects the counts and summaries of `expected`,
// and returns what finding the culprits cost.
IsolationStats expect_isolated_equals(const Game& game,
                                      const FeatureSet& features,
                                      const SimulationOptions& options,
                                      const IsolationOptions& isolation,
                                      const SimulationResult& expected) {
  IsolationStats stats;
  const SimulationResult result =
      isolated(game, features, options, isolation, &stats);
  EXPECT_EQ(result.counts, expected.counts);
  EXPECT_EQ(result.games, expected.games);
  return stats;
}

std::set<std::uint64_t> seeds_of(const SimulationOptions& options,
                                 const std::set<std::uint64_t>& indices) {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t index : indices) {
    seeds.insert(seed_for(options.seed, index));
  }
  return seeds;
}

TEST(GameSlots, EachThreadsSlotNamesTheGameItPlaysAndEmptiesAfterIt) {
  for (int threads : {1, 3}) {
    // Both runners: checkpoints make it play in index order.
    for (bool ordered : {false, true}) {
      absl::StatusOr<GameSlots> slots = GameSlots::create(threads);
      ASSERT_TRUE(slots.ok()) << slots.status();
      SlotWatch watch;
      watch.slots = slots->slots();
      SimulationOptions options = small_run(2000);
      options.threads = threads;
      options.playing = slots->slots();
      if (ordered) {
        options.checkpoint = [](const SimulationCounts&, std::uint64_t) {
          return absl::OkStatus();
        };
      }
      for (std::uint64_t index = 0; index < options.games; ++index) {
        watch.index_of_seed[seed_for(options.seed, index)] = index;
      }
      const SimulationResult result =
          in_process(SlotWatchingGame(watch), FeatureSet(), options);
      EXPECT_EQ(result.counts.games, 2000u);
      EXPECT_GT(watch.checked.load(), 2000u);
      EXPECT_EQ(watch.wrong.load(), 0u) << threads << " threads";
      for (const std::atomic<std::uint64_t>& slot : slots->slots()) {
        EXPECT_EQ(slot.load(), 0u);
      }
    }
  }
}

TEST(GameSlots, AWorkerMapsTheSupervisorsSlotsAndRefusesOthers) {
  absl::StatusOr<GameSlots> created = GameSlots::create(2);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_GT(created->fd(), kWorkerSlotsFd);
  absl::StatusOr<GameSlots> attached =
      GameSlots::attach(::dup(created->fd()), 2);
  ASSERT_TRUE(attached.ok()) << attached.status();
  // One memory seen through two mappings, as through two processes.
  attached->slots()[1].store(42, std::memory_order_release);
  EXPECT_EQ(created->slots()[1].load(std::memory_order_acquire), 42u);
  EXPECT_EQ(created->slots()[0].load(), 0u);
  // Slots for fewer threads than the worker has, or no slots at all.
  EXPECT_EQ(GameSlots::attach(::dup(created->fd()), 3).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GameSlots::attach(-1, 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(Isolation, WithoutCrashesTheResultEqualsTheInProcessOne) {
  GameRegistry registry = GameRegistry::with_bundled_games();
  for (const char* name : {"checkers", "go-fish"}) {
    const Game& game = **registry.find(name);
    const FeatureSet features = *generate_candidate_features(game.structure());
    SimulationOptions options = small_run(1500);
    options.players = std::string(name) == "go-fish" ? 3 : 0;
    const SimulationResult expected = in_process(game, features, options);
    const SimulationResult result =
        isolated(game, features, options, test_workers(name));
    EXPECT_EQ(result.counts, expected.counts) << name;
    EXPECT_EQ(result.games, expected.games) << name;
    EXPECT_EQ(result.requested, 1500u);
    EXPECT_EQ(result.cancelled, 0u);
    EXPECT_EQ(result.players, expected.players);
    EXPECT_EQ(result.features.size(), expected.features.size());
    EXPECT_EQ(result.timing.threads, 2);
  }
  expect_no_children();
}

struct CrashCase {
  Crash crash;
  const char* reason;
};

void PrintTo(const CrashCase& crash_case, std::ostream* out) {
  *out << crash_case.reason;
}

class IsolationCrash : public ::testing::TestWithParam<CrashCase> {};

TEST_P(IsolationCrash, OnlyTheCrashingGamesFailWithTheirSeedAndReason) {
  const SimulationOptions options = small_run(300);
  const std::set<std::uint64_t> bad_indices = {5, 200};
  std::set<std::uint64_t> bad_seeds;
  for (std::uint64_t index : bad_indices) {
    bad_seeds.insert(seed_for(options.seed, index));
  }
  const CrashingGame game(GetParam().crash, bad_seeds);
  const FeatureSet features = *generate_candidate_features(game.structure());
  IsolationOptions isolation = test_workers(game.name(), bad_seeds);
  if (GetParam().crash == Crash::kEndlessLoop) {
    isolation.hang_limit = absl::Milliseconds(500);
  }

  IsolationStats stats;
  const SimulationResult result =
      isolated(game, features, options, isolation, &stats);

  const SimulationResult expected = without_failed_games(
      game, features, options, bad_indices, GetParam().reason);
  EXPECT_EQ(result.counts, expected.counts);
  EXPECT_EQ(result.games, expected.games);
  EXPECT_EQ(result.counts.failed, 2u);
  EXPECT_EQ(result.counts.games, 300u);
  ASSERT_EQ(result.counts.failures.size(), 2u);
  EXPECT_EQ(result.counts.failures[0].game_index, 5u);
  EXPECT_EQ(result.counts.failures[0].seed, seed_for(options.seed, 5));
  EXPECT_EQ(result.counts.failures[0].error, GetParam().reason);
  EXPECT_EQ(result.cancelled, 0u);
  // Pinned from the slots, never by bisection: with one thread per worker
  // only the culprit is in flight when its worker dies; a crash is confirmed
  // by one replay alone (two deaths), a hang by its slot alone (one).
  const IsolationStats pinned =
      GetParam().crash == Crash::kEndlessLoop
          ? IsolationStats{.worker_deaths = 2, .hangs_pinned = 2}
          : IsolationStats{.worker_deaths = 4, .culprit_replays = 2};
  EXPECT_EQ(stats, pinned);
  expect_no_children();
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfCrash, IsolationCrash,
    ::testing::Values(CrashCase{Crash::kNullDereference, "SIGSEGV"},
                      CrashCase{Crash::kAbort, "SIGABRT"},
                      CrashCase{Crash::kStackOverflow, "SIGSEGV"},
                      CrashCase{Crash::kEndlessLoop, "timeout"}),
    [](const ::testing::TestParamInfo<CrashCase>& info) {
      switch (info.param.crash) {
        case Crash::kNullDereference:
          return "NullDereference";
        case Crash::kAbort:
          return "Abort";
        case Crash::kStackOverflow:
          return "StackOverflow";
        case Crash::kEndlessLoop:
          return "EndlessLoop";
      }
      return "Unknown";
    });

TEST(Isolation, CulpritsArePinnedWithOneReplayEachForAnyWorkersAndThreads) {
  SimulationOptions options = small_run(300);
  // Neighbours, the first and the last game: culprits in one chunk and at
  // its edges.
  const std::set<std::uint64_t> bad = {0, 40, 41, 150, 299};
  const CrashingGame game(Crash::kAbort, seeds_of(options, bad));
  const FeatureSet features = *generate_candidate_features(game.structure());
  const SimulationResult expected =
      without_failed_games(game, features, options, bad, "SIGABRT");
  for (const auto& [workers, threads] :
       std::vector<std::pair<int, int>>{{1, 1}, {1, 4}, {2, 4}, {3, 3}}) {
    const std::string where = absl::StrCat(workers, "x", threads);
    SCOPED_TRACE(where);
    options.threads = threads;
    const IsolationStats stats = expect_isolated_equals(
        game, features, options,
        test_workers(game.name(), seeds_of(options, bad), workers), expected);
    // Each culprit was replayed alone once; a game in flight beside it on
    // another thread was replayed alone too, and finished. A death is either
    // a lone replay's or a chunk's, and each chunk death sets at least one
    // culprit aside.
    EXPECT_EQ(stats.culprit_replays, bad.size());
    EXPECT_EQ(stats.bisections, 0u);
    EXPECT_EQ(stats.hangs_pinned, 0u);
    EXPECT_GT(stats.worker_deaths, bad.size());
    EXPECT_LE(stats.worker_deaths, 2 * bad.size());
    if (threads / workers == 1) {
      EXPECT_EQ(stats.innocent_replays, 0u);
    }
  }
  expect_no_children();
}

TEST(Isolation, HangsArePinnedFromTheirSlotWithoutAReplayOnManyThreads) {
  SimulationOptions options = small_run(300);
  const std::set<std::uint64_t> bad = {5, 200};
  const CrashingGame game(Crash::kEndlessLoop, seeds_of(options, bad));
  const FeatureSet features = *generate_candidate_features(game.structure());
  const SimulationResult expected =
      without_failed_games(game, features, options, bad, "timeout");
  for (const auto& [workers, threads] :
       std::vector<std::pair<int, int>>{{1, 4}, {2, 4}}) {
    const std::string where = absl::StrCat(workers, "x", threads);
    SCOPED_TRACE(where);
    options.threads = threads;
    IsolationOptions isolation =
        test_workers(game.name(), seeds_of(options, bad), workers);
    isolation.hang_limit = absl::Milliseconds(300);
    const IsolationStats stats =
        expect_isolated_equals(game, features, options, isolation, expected);
    // One kill per hang, at the limit; no replay, no bisection: each hang
    // costs the limit once (the other threads' games were not stuck).
    EXPECT_EQ(stats, (IsolationStats{.worker_deaths = 2, .hangs_pinned = 2}));
  }
  expect_no_children();
}

TEST(Isolation, AWorkerThatPublishesNothingFallsBackToBisection) {
  SimulationOptions options = small_run(1000);
  const std::set<std::uint64_t> bad = {5, 700};
  const CrashingGame game(Crash::kNullDereference, seeds_of(options, bad));
  const FeatureSet features = *generate_candidate_features(game.structure());
  IsolationOptions isolation =
      test_workers(game.name(), seeds_of(options, bad));
  isolation.arguments.push_back("--no-slots");
  const IsolationStats stats = expect_isolated_equals(
      game, features, options, isolation,
      without_failed_games(game, features, options, bad, "SIGSEGV"));
  EXPECT_GT(stats.bisections, 0u);
  // The lone games bisection narrowed the chunks down to, dying again.
  EXPECT_EQ(stats.culprit_replays, 2u);
  EXPECT_EQ(stats.hangs_pinned, 0u);
  expect_no_children();
}

// Children of this process whose command line names `program`.
std::vector<pid_t> children_running(const std::string& program) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const std::size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    char state = 0;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent != ::getpid() || state == 'Z') continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string command;
    std::getline(cmdline, command, '\0');
    if (command == program) children.push_back(std::stoi(name));
  }
  return children;
}

TEST(Isolation, AWorkerKilledMidRunLosesNothing) {
  GameRegistry registry = GameRegistry::with_bundled_games();
  const Game& game = **registry.find("checkers");
  const FeatureSet features = *generate_candidate_features(game.structure());
  SimulationOptions options = small_run(3000);
  int killed = 0;
  options.progress = [&](std::uint64_t finished, std::uint64_t) {
    if (killed > 0 || finished == 0) return;
    for (pid_t worker : children_running(SELFPLAY_CRASH_TEST_WORKER_PATH)) {
      ASSERT_EQ(::kill(worker, SIGKILL), 0);
      ++killed;
      return;
    }
  };
  const SimulationResult result =
      isolated(game, features, options, test_workers("checkers"));
  EXPECT_EQ(killed, 1);
  options.progress = nullptr;
  const SimulationResult expected = in_process(game, features, options);
  EXPECT_EQ(result.counts, expected.counts);
  EXPECT_EQ(result.games, expected.games);
  EXPECT_EQ(result.counts.failed, 0u);
  expect_no_children();
}

TEST(Isolation, MalformedOrTruncatedMessagesFailTheWorkerNotTheSupervisor) {
  const testing::TakeAwayGame game;
  const FeatureSet features = *generate_candidate_features(game.structure());
  for (const char* misbehaviour : {"garbage", "truncate"}) {
    IsolationOptions isolation = test_workers("take-away");
    isolation.arguments = {absl::StrCat("--misbehave=", misbehaviour)};
    const SimulationResult result =
        isolated(game, features, small_run(3), isolation);
    // Every game's worker broke the protocol twice alone: all failed.
    EXPECT_EQ(result.counts.games, 3u);
    EXPECT_EQ(result.counts.failed, 3u);
    ASSERT_EQ(result.counts.failures.size(), 3u);
    EXPECT_THAT(result.counts.failures[2].error,
                std::string(misbehaviour) == "garbage"
                    ? HasSubstr("malformed message")
                    : HasSubstr("exit code 0"));
    expect_no_children();
  }
}

TEST(Isolation, WorkersThatCannotStartEndTheRunWithAnError) {
  const testing::TakeAwayGame game;
  IsolationOptions isolation = test_workers("take-away");
  isolation.program = "/nonexistent/selfplay-worker";
  absl::StatusOr<SimulationResult> result =
      run_isolated(game, FeatureSet(), small_run(10), isolation);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(result.status().message(), HasSubstr("exit code 127"));
  expect_no_children();
}

TEST(Isolation, AWorkerThatCannotPlayTheGameOrItsFeaturesIsRefused) {
  const testing::TakeAwayGame game;
  // The worker knows no such game.
  absl::StatusOr<SimulationResult> result = run_isolated(
      game, FeatureSet(), small_run(10), test_workers("no-such-game"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(result.status().message(), HasSubstr("no-such-game"));
  // A hand-written feature exists only in this process.
  FeatureSet custom;
  ASSERT_TRUE(custom
                  .add({"always", "always true", "custom"},
                       [](const State&, int) { return true; })
                  .ok());
  result = run_isolated(game, custom, small_run(10), test_workers("take-away"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(result.status().message(), HasSubstr("candidate features"));
  expect_no_children();
}

TEST(Isolation, OptionsThatCannotRunAreRejectedBeforeAnyWorkerStarts) {
  const testing::TakeAwayGame game;
  SimulationOptions options = small_run(10);
  options.players = 5;
  EXPECT_EQ(run_isolated(game, FeatureSet(), options, test_workers("take-away"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  options = small_run(10);
  options.ranges = {{5, 10}, {7, 12}};
  EXPECT_FALSE(
      run_isolated(game, FeatureSet(), options, test_workers("take-away"))
          .ok());
  EXPECT_FALSE(run_isolated(game, FeatureSet(), small_run(10),
                            test_workers("take-away", {}, 0))
                   .ok());
  // The workers' run configuration holds the timeout in whole milliseconds.
  options = small_run(10);
  options.game_timeout = absl::Microseconds(1500);
  EXPECT_EQ(run_isolated(game, FeatureSet(), options, test_workers("take-away"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  expect_no_children();
}

TEST(Isolation, AStopRequestReturnsExactlyThePlayedGamesAndCancelsTheRest) {
  GameRegistry registry = GameRegistry::with_bundled_games();
  const Game& game = **registry.find("checkers");
  const FeatureSet features = *generate_candidate_features(game.structure());
  SimulationOptions options = small_run(200000);
  StopToken stop;
  options.stop = &stop;
  options.progress = [&](std::uint64_t finished, std::uint64_t) {
    if (finished >= 500) stop.request_stop();
  };
  const SimulationResult result =
      isolated(game, features, options, test_workers("checkers"));
  EXPECT_GT(result.cancelled, 0u);
  EXPECT_EQ(result.counts.games + result.cancelled, 200000u);
  ASSERT_EQ(result.games.size(), result.counts.games);
  // The games the workers played, replayed here, give the same counts.
  SimulationOptions replay = small_run(200000);
  replay.ranges = ranges_of(result.games);
  const SimulationResult expected = in_process(game, features, replay);
  EXPECT_EQ(result.counts, expected.counts);
  EXPECT_EQ(result.games, expected.games);
  expect_no_children();
}

TEST(Isolation, ProgressIsMonotonicAndEndsAtTheTotal) {
  GameRegistry registry = GameRegistry::with_bundled_games();
  const Game& game = **registry.find("connect-four");
  SimulationOptions options = small_run(5000);
  std::vector<std::uint64_t> reports;
  options.progress = [&](std::uint64_t finished, std::uint64_t total) {
    EXPECT_EQ(total, 5000u);
    reports.push_back(finished);
  };
  isolated(game, FeatureSet(), options, test_workers("connect-four"));
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
  EXPECT_EQ(reports.back(), 5000u);
}

TEST(Isolation, ThreadsAreSplitBetweenWorkersAtLeastOneEach) {
  const testing::TakeAwayGame game;
  SimulationOptions options = small_run(50);
  options.threads = 4;
  EXPECT_EQ(isolated(game, FeatureSet(), options, test_workers("take-away"))
                .timing.threads,
            4);
  options.threads = 1;
  EXPECT_EQ(
      isolated(game, FeatureSet(), options, test_workers("take-away", {}, 3))
          .timing.threads,
      3);
}

// The `selfplay` binary with --isolate, as a user runs it.
class IsolationCli : public ::testing::Test {
 protected:
  void SetUp() override {
    marker_ = absl::StrCat(
        ::getpid(), "-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    directory_ = std::filesystem::temp_directory_path() /
                 ("selfplay_isolation_test_" + marker_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Starts the CLI with `arguments`, its output in files, and a marker in its
  // environment that its workers inherit; in a process group of its own when
  // `own_group` (as a shell starts a job), so that a test can signal the
  // group as a terminal's Ctrl-C does.
  pid_t start(const std::vector<std::string>& arguments,
              bool own_group = false) {
    std::vector<std::string> strings = {SELFPLAY_CLI_PATH};
    strings.insert(strings.end(), arguments.begin(), arguments.end());
    std::vector<char*> argv;
    for (std::string& s : strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> environment = {
        absl::StrCat(kMarkerVariable, "=", marker_)};
    for (char** variable = environ; *variable != nullptr; ++variable) {
      environment.push_back(*variable);
    }
    std::vector<char*> envp;
    for (std::string& s : environment) envp.push_back(s.data());
    envp.push_back(nullptr);
    const std::string out = (directory_ / "stdout").string();
    const std::string err = (directory_ / "stderr").string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (own_group) ::setpgid(0, 0);
      const int out_fd =
          ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err_fd =
          ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out_fd, STDOUT_FILENO);
      ::dup2(err_fd, STDERR_FILENO);
      // Nothing of this process on descriptor 3, where a worker looks for
      // its channel.
      for (int fd = 3; fd < 1024; ++fd) ::close(fd);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    return pid;
  }

  int wait_for(pid_t pid) {
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  int run(const std::vector<std::string>& arguments) {
    return wait_for(start(arguments));
  }

  std::string read(const std::string& file) {
    std::ifstream in(directory_ / file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  nlohmann::json json_without_timing(const std::string& file) {
    nlohmann::json json = nlohmann::json::parse(read(file));
    json.erase("timing");
    return json;
  }

  std::string path(const std::string& file) {
    return (directory_ / file).string();
  }

  // Live processes that inherited this test's marker: the CLI's workers.
  std::vector<pid_t> marked_processes() {
    const std::string needle = absl::StrCat(kMarkerVariable, "=", marker_);
    std::vector<pid_t> marked;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      const std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream environ_file(entry.path() / "environ");
      std::string variable;
      while (std::getline(environ_file, variable, '\0')) {
        if (variable == needle) marked.push_back(std::stoi(name));
      }
    }
    return marked;
  }

  // A worker of `cli` that has used at least `ticks` of CPU time: mid-run.
  pid_t busy_worker_of(pid_t cli, long ticks) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      const std::string name = entry.path().filename();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::ifstream stat(entry.path() / "stat");
      std::string line;
      std::getline(stat, line);
      const std::size_t close = line.rfind(')');
      if (close == std::string::npos) continue;
      std::istringstream fields(line.substr(close + 2));
      std::string field;
      std::vector<std::string> values;
      while (fields >> field) values.push_back(field);
      // After the command: state, ppid, ..., utime (12th), stime (13th).
      if (values.size() < 13 || std::stoi(values[1]) != cli) continue;
      if (std::stol(values[11]) + std::stol(values[12]) >= ticks) {
        return std::stoi(name);
      }
    }
    return 0;
  }

  static constexpr const char* kMarkerVariable =
      "SELFPLAY_ISOLATION_TEST_MARKER";
  std::string marker_;
  std::filesystem::path directory_;
};

TEST_F(IsolationCli, JsonEqualsTheInProcessJsonOnTwoBundledGames) {
  for (const char* game : {"checkers", "connect-four"}) {
    const std::vector<std::string> common = {
        "simulate", "--game", game,           "--games",     "2000",
        "--seed",   "3",      "--keep-games", "--noprogress"};
    std::vector<std::string> plain = common;
    plain.insert(plain.end(), {"--json", path("plain.json")});
    std::vector<std::string> isolated = common;
    isolated.insert(isolated.end(),
                    {"--isolate", "2", "--json", path("isolated.json")});
    ASSERT_EQ(run(plain), 0) << read("stderr");
    ASSERT_EQ(run(isolated), 0) << read("stderr");
    EXPECT_EQ(json_without_timing("isolated.json"),
              json_without_timing("plain.json"))
        << game;
  }
  EXPECT_TRUE(marked_processes().empty());
}

TEST_F(IsolationCli, AWorkerKilledMidRunLosesNothingAndNoWorkerOutlivesIt) {
  const std::vector<std::string> common = {
      "simulate", "--game",    "checkers", "--games",
      "20000",    "--threads", "2",        "--noprogress"};
  std::vector<std::string> isolated = common;
  isolated.insert(isolated.end(),
                  {"--isolate", "2", "--json", path("isolated.json")});
  const pid_t cli = start(isolated);
  pid_t victim = 0;
  for (int attempt = 0; attempt < 6000 && victim == 0; ++attempt) {
    victim = busy_worker_of(cli, 5);
    if (victim == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(victim, 0) << "no worker played for 50 ms";
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  ASSERT_EQ(wait_for(cli), 0) << read("stderr");
  EXPECT_TRUE(marked_processes().empty());

  std::vector<std::string> plain = common;
  plain.insert(plain.end(), {"--json", path("plain.json")});
  ASSERT_EQ(run(plain), 0) << read("stderr");
  const nlohmann::json expected = json_without_timing("plain.json");
  EXPECT_EQ(json_without_timing("isolated.json"), expected);
  EXPECT_EQ(expected["failed"], 0);
}

TEST_F(IsolationCli, CtrlCStopsTheWorkersAndReportsWhatWasPlayed) {
  const pid_t cli = start(
      {"simulate", "--game", "checkers", "--games", "10000000", "--threads",
       "2", "--isolate", "2", "--noprogress", "--json", path("stopped.json")},
      /*own_group=*/true);
  pid_t busy = 0;
  for (int attempt = 0; attempt < 6000 && busy == 0; ++attempt) {
    busy = busy_worker_of(cli, 5);
    if (busy == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(busy, 0) << "no worker played for 50 ms";
  // What a terminal does: the signal reaches the whole job.
  ASSERT_EQ(::kill(-cli, SIGINT), 0);
  EXPECT_EQ(wait_for(cli), 130) << read("stderr");
  EXPECT_THAT(read("stderr"), HasSubstr("interrupted"));
  EXPECT_TRUE(marked_processes().empty());
  const nlohmann::json json = nlohmann::json::parse(read("stopped.json"));
  EXPECT_GT(json["cancelled"].get<std::uint64_t>(), 0u);
  EXPECT_EQ(json["completed"].get<std::uint64_t>() +
                json["truncated"].get<std::uint64_t>() +
                json["failed"].get<std::uint64_t>() +
                json["cancelled"].get<std::uint64_t>(),
            10000000u);
  EXPECT_EQ(json["failed"], 0);
}

TEST_F(IsolationCli, TheWorkerModeIsHiddenAndNotForPeople) {
  ASSERT_EQ(run({"--help"}), 0);
  EXPECT_THAT(read("stdout"), HasSubstr("simulate"));
  EXPECT_THAT(read("stdout"), Not(HasSubstr("worker")));
  // Without the supervisor's channel the worker mode refuses to start.
  EXPECT_EQ(run({"--selfplay-isolated-worker", "--game=checkers"}), 2);
  EXPECT_THAT(read("stderr"), HasSubstr("worker processes of an isolated run"));
  ASSERT_EQ(run({"simulate", "--help"}), 0);
  EXPECT_THAT(read("stdout"), HasSubstr("--isolate"));
}

TEST_F(IsolationCli, AnIsolateCountOutOfRangeIsAUsageError) {
  for (const char* count : {"-1", "100000"}) {
    EXPECT_EQ(run({"simulate", "--games", "10", "--isolate", count}), 2);
    EXPECT_THAT(read("stderr"), HasSubstr("--isolate: must be"));
  }
}

}  // namespace
}  // namespace selfplay::isolation
