// The parallel runner: one oneTBB task per batch of games, spawned by
// recursive range splitting so that no thread queues millions of tasks and
// idle threads steal large halves first.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/strings/str_cat.h"
#include "selfplay/limits.h"
#include "selfplay/simulation.h"
#include "simulation/game_player.h"
#include "simulation/ordered_runner.h"
#include "tbb/concurrent_vector.h"
#include "tbb/enumerable_thread_specific.h"
#include "tbb/global_control.h"
#include "tbb/info.h"
#include "tbb/task_arena.h"
#include "tbb/task_group.h"

namespace selfplay {

const char* game_status_name(GameStatus status) {
  switch (status) {
    case GameStatus::kCompleted:
      return "completed";
    case GameStatus::kTruncated:
      return "truncated";
    case GameStatus::kTimedOut:
      return "timed-out";
    case GameStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

namespace {

using Clock = std::chrono::steady_clock;

// A leaf task should run about this long, so that the ~0.1-0.3 us a task costs
// is noise, yet stays short enough to balance the last games across threads.
constexpr auto kTargetTaskTime = std::chrono::microseconds(50);
// Enough tasks per thread that work stealing can even out game lengths.
constexpr std::uint64_t kMinTasksPerThread = 32;

// Serialises the user's progress callback and throttles it.
class ProgressReporter {
 public:
  ProgressReporter(const SimulationOptions& options, std::uint64_t total)
      : callback_(options.progress),
        interval_(absl::ToChronoNanoseconds(options.progress_interval)),
        total_(total) {}

  void add(std::uint64_t finished_games) {
    finished_.fetch_add(finished_games, std::memory_order_relaxed);
    if (!callback_) return;
    const auto now = Clock::now().time_since_epoch().count();
    if (now < next_report_.load(std::memory_order_relaxed)) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;
    next_report_.store(now + interval_.count(), std::memory_order_relaxed);
    report_locked();
  }

  // The last call: reports the final count.
  void finish() {
    if (!callback_) return;
    std::lock_guard lock(mutex_);
    callback_(finished_.load(), total_);
  }

 private:
  void report_locked() {
    const std::uint64_t finished = finished_.load();
    if (finished <= last_reported_) return;
    last_reported_ = finished;
    callback_(finished, total_);
  }

  const ProgressCallback& callback_;
  const std::chrono::nanoseconds interval_;
  const std::uint64_t total_;
  std::atomic<std::uint64_t> finished_{0};
  std::atomic<Clock::rep> next_report_{0};
  std::mutex mutex_;
  std::uint64_t last_reported_ = 0;
};

struct ThreadContext {
  GamePlayer player;
  SimulationCounts counts;
};

absl::Status validate(const SimulationOptions& options, int players) {
  for (absl::Status status :
       {check_limit("threads", options.threads, limits::kThreads),
        check_limit("max_actions", options.max_actions, limits::kMaxActions),
        check_limit("feature_cache_entries", options.feature_cache_entries,
                    limits::kFeatureCacheEntries)}) {
    if (!status.ok()) return status;
  }
  if (options.batch_size < 0) {
    return absl::InvalidArgumentError("batch_size must not be negative");
  }
  if (static_cast<int>(options.policies.size()) > players) {
    return absl::InvalidArgumentError(absl::StrCat(
        options.policies.size(), " policies given for ", players, " seats"));
  }
  for (std::size_t i = 0; i < options.ranges.size(); ++i) {
    const GameIndexRange& range = options.ranges[i];
    if (range.begin > range.end ||
        (i > 0 && range.begin < options.ranges[i - 1].end)) {
      return absl::InvalidArgumentError(
          "game index ranges must be sorted, disjoint and non-decreasing");
    }
  }
  return absl::OkStatus();
}

class Runner {
 public:
  Runner(const Game& game, const FeatureSet& features,
         const SimulationOptions& options, int players, std::uint64_t total,
         int threads)
      : options_(options),
        threads_(threads),
        total_(total),
        progress_(options, total),
        contexts_([&game, &features, &options, players] {
          return ThreadContext{
              GamePlayer(game, features, options, players),
              make_counts(
                  players, features.size(),
                  static_cast<int>(game.structure().action_kinds.size()),
                  options.failure_cap)};
        }) {}

  // Plays every range; returns the batch size used.
  std::uint64_t run(std::vector<GameIndexRange> ranges) {
    batch_ =
        options_.batch_size > 0 ? options_.batch_size : calibrate_batch(ranges);
    for (const GameIndexRange& range : ranges) {
      if (range.begin < range.end) {
        group_.run([this, range] { split(range.begin, range.end); });
      }
    }
    group_.wait();
    progress_.finish();
    return batch_;
  }

  SimulationCounts merged_counts(SimulationCounts total) const {
    for (const ThreadContext& context : contexts_) {
      total.merge(context.counts);
    }
    return total;
  }

  void add_cache_statistics(SimulationTiming& timing) const {
    for (const ThreadContext& context : contexts_) {
      timing.cache_lookups += context.player.cache().lookups();
      timing.cache_hits += context.player.cache().hits();
    }
  }

  std::vector<GameSummary> sorted_summaries() {
    std::vector<GameSummary> games(summaries_.begin(), summaries_.end());
    std::sort(games.begin(), games.end(),
              [](const GameSummary& a, const GameSummary& b) {
                return a.game_index < b.game_index;
              });
    return games;
  }

 private:
  // Plays the first games of the run on this thread, timing them, and sizes
  // batches so that a task runs for about kTargetTaskTime. The calibration
  // games are real games: their ranges are trimmed accordingly.
  std::uint64_t calibrate_batch(std::vector<GameIndexRange>& ranges) {
    constexpr std::uint64_t kMaxCalibrationGames = 64;
    constexpr auto kCalibrationTime = std::chrono::microseconds(200);
    // This thread's context is built first, outside the timing: its feature
    // cache (1 MiB by default) alone took longer than the calibration, which
    // then made every game a task of its own.
    contexts_.local();
    const auto start = Clock::now();
    std::uint64_t played = 0;
    for (GameIndexRange& range : ranges) {
      while (range.begin < range.end && played < kMaxCalibrationGames &&
             Clock::now() - start < kCalibrationTime) {
        play_batch(range.begin, range.begin + 1);
        ++range.begin;
        ++played;
      }
    }
    if (played == 0) return 1;
    const double per_game =
        std::chrono::duration<double>(Clock::now() - start).count() / played;
    const double target =
        std::chrono::duration<double>(kTargetTaskTime).count();
    const std::uint64_t by_time =
        static_cast<std::uint64_t>(std::max(1.0, target / per_game));
    const std::uint64_t by_balance = std::max<std::uint64_t>(
        1,
        total_ / (static_cast<std::uint64_t>(threads_) * kMinTasksPerThread));
    return std::min(by_time, by_balance);
  }

  void split(std::uint64_t begin, std::uint64_t end) {
    while (end - begin > batch_) {
      const std::uint64_t middle = begin + (end - begin) / 2;
      group_.run([this, middle, end] { split(middle, end); });
      end = middle;
    }
    play_batch(begin, end);
  }

  void play_batch(std::uint64_t begin, std::uint64_t end) {
    if (options_.stop != nullptr && options_.stop->stop_requested()) {
      group_.cancel();
      return;
    }
    ThreadContext& context = contexts_.local();
    for (std::uint64_t index = begin; index < end; ++index) {
      GameSummary summary = context.player.play(index, context.counts);
      if (options_.keep_game_summaries) {
        summaries_.push_back(std::move(summary));
      }
    }
    progress_.add(end - begin);
  }

  const SimulationOptions& options_;
  const int threads_;
  const std::uint64_t total_;
  std::uint64_t batch_ = 1;
  ProgressReporter progress_;
  tbb::enumerable_thread_specific<ThreadContext> contexts_;
  tbb::concurrent_vector<GameSummary> summaries_;
  tbb::task_group group_;
};

}  // namespace

absl::StatusOr<SimulationResult> run_simulations(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options) {
  const GameStructure& structure = game.structure();
  const absl::StatusOr<int> seats = check_players(structure, options.players);
  if (!seats.ok()) return seats.status();
  const int players = *seats;
  if (absl::Status status = validate(options, players); !status.ok()) {
    return status;
  }
  std::vector<GameIndexRange> ranges = options.ranges;
  if (ranges.empty()) ranges.push_back({0, options.games});
  std::uint64_t total = 0;
  for (const GameIndexRange& range : ranges) total += range.end - range.begin;

  const int threads =
      options.threads == 0 ? tbb::info::default_concurrency() : options.threads;
  // task_arena caps its concurrency at the process's allowed parallelism;
  // raise it for deliberate oversubscription experiments.
  std::optional<tbb::global_control> allow_more_threads;
  if (threads > tbb::info::default_concurrency()) {
    allow_more_threads.emplace(tbb::global_control::max_allowed_parallelism,
                               threads);
  }
  tbb::task_arena arena(threads);

  SimulationResult result;
  result.game = game.name();
  result.players = players;
  result.seed = options.seed;
  result.requested = total;
  result.features = features.infos();
  result.action_kinds = structure.action_kinds;

  const auto start = Clock::now();
  if (plays_in_index_order(options)) {
    absl::Status status;
    arena.execute([&] {
      status =
          run_in_index_order(game, features, options, players, ranges, result);
    });
    if (!status.ok()) return status;
  } else {
    Runner runner(game, features, options, players, total, threads);
    arena.execute([&] { result.timing.batch_size = runner.run(ranges); });
    result.counts = runner.merged_counts(make_counts(
        players, features.size(),
        static_cast<int>(structure.action_kinds.size()), options.failure_cap));
    if (options.keep_game_summaries) result.games = runner.sorted_summaries();
    runner.add_cache_statistics(result.timing);
  }
  result.timing.wall_s =
      std::chrono::duration<double>(Clock::now() - start).count();
  result.cancelled = total - result.counts.games;
  result.timing.threads = threads;
  result.timing.games_per_s =
      result.timing.wall_s > 0 ? result.counts.games / result.timing.wall_s : 0;
  return result;
}

}  // namespace selfplay
