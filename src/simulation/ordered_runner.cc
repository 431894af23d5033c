// A oneTBB parallel_pipeline with three stages: a serial stage cuts the next
// batch of consecutive game indices, a parallel stage plays it on any thread
// into the batch's own tallies and records, and a serial_in_order stage
// finishes the batches in index order. The token limit bounds the batches in
// flight, so memory does not grow with the game count, and a batch that
// finishes early waits only for its predecessors, never for a whole window:
// threads keep playing while a long game holds up delivery. (A flow graph
// with a sequencer_node would need a limiter_node and its feedback edge for
// the same bound.)
#include "simulation/ordered_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "selfplay/records.h"
#include "simulation/game_player.h"
#include "tbb/enumerable_thread_specific.h"
#include "tbb/parallel_pipeline.h"
#include "tbb/task_arena.h"

namespace selfplay {
namespace {

using Clock = std::chrono::steady_clock;

// A batch should play for about this long: long enough that the pipeline's
// per-batch cost (a few microseconds, plus merging the batch's tallies) is
// noise, short enough that the batches in flight stay small and a stop
// request is honoured quickly.
constexpr auto kTargetBatchTime = std::chrono::milliseconds(1);
constexpr std::uint64_t kMaxBatchGames = 4096;
// Batches in flight per thread: enough that a thread finding the next batch
// held up by a long game always has other work.
constexpr int kBatchesInFlightPerThread = 4;
// Enough batches per thread that the last ones even out across threads.
constexpr std::uint64_t kMinBatchesPerThread = 16;
// The first games, played on the calling thread to size the batches.
constexpr std::uint64_t kMaxCalibrationGames = 64;
constexpr auto kCalibrationTime = std::chrono::microseconds(200);

struct Batch {
  GameIndexRange range;
  SimulationCounts counts;
  std::vector<GameRecord> records;  // the first range-size ones, if recording
  std::vector<GameSummary> summaries;
};

class OrderedRunner {
 public:
  OrderedRunner(const Game& game, const FeatureSet& features,
                const SimulationOptions& options, int players,
                const std::vector<GameIndexRange>& ranges)
      : options_(options),
        ranges_(ranges),
        empty_counts_(
            make_counts(players, features.size(),
                        static_cast<int>(game.structure().action_kinds.size()),
                        options.failure_cap)),
        game_players_([&game, &features, &options, players] {
          return GamePlayer(game, features, options, players);
        }),
        total_counts_(empty_counts_) {
    for (const GameIndexRange& range : ranges_) {
      total_games_ += range.end - range.begin;
    }
    next_index_ = ranges_.empty() ? 0 : ranges_.front().begin;
  }

  absl::Status run(SimulationResult& result) {
    const int threads = tbb::this_task_arena::max_concurrency();
    batch_games_ = calibrate(threads);
    tbb::parallel_pipeline(
        static_cast<std::size_t>(threads) * kBatchesInFlightPerThread,
        tbb::make_filter<void, Batch*>(
            tbb::filter_mode::serial_in_order,
            [this](tbb::flow_control& control) -> Batch* {
              GameIndexRange range;
              if (stopping() || !cut(batch_games_, range)) {
                control.stop();
                return nullptr;
              }
              Batch* batch = take_batch();
              batch->range = range;
              return batch;
            }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [this](Batch* batch) {
                                               play(*batch);
                                               return batch;
                                             }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order,
                                           [this](Batch* batch) {
                                             finish(*batch);
                                             give_back(batch);
                                           }));
    if (error_.ok() && options_.checkpoint &&
        checkpointed_index_ != next_index_) {
      error_ = options_.checkpoint(total_counts_, next_index_);
    }
    if (options_.progress) options_.progress(delivered_, total_games_);
    result.counts = std::move(total_counts_);
    result.games = std::move(summaries_);
    result.timing.batch_size = batch_games_;
    for (const GamePlayer& player : game_players_) {
      result.timing.cache_lookups += player.cache().lookups();
      result.timing.cache_hits += player.cache().hits();
    }
    return error_;
  }

 private:
  bool stopping() const {
    return failed_.load(std::memory_order_relaxed) ||
           (options_.stop != nullptr && options_.stop->stop_requested());
  }

  // The next batch of at most `games` consecutive indices, never empty and
  // never straddling a checkpoint multiple; false when every range is cut.
  bool cut(std::uint64_t games, GameIndexRange& range) {
    // Empty ranges are valid input (a run resumed at its end has one).
    while (range_ < ranges_.size() &&
           std::max(cursor_, ranges_[range_].begin) >= ranges_[range_].end) {
      ++range_;
    }
    if (range_ == ranges_.size()) return false;
    cursor_ = std::max(cursor_, ranges_[range_].begin);
    std::uint64_t end = std::min(ranges_[range_].end, cursor_ + games);
    if (options_.checkpoint_every > 0) {
      end = std::min(end, (cursor_ / options_.checkpoint_every + 1) *
                              options_.checkpoint_every);
    }
    range = {cursor_, end};
    cursor_ = end;
    return true;
  }

  // Plays the first games one by one on this thread until kCalibrationTime
  // has passed, finishes them as the first batch, and returns the batch size
  // that plays for about kTargetBatchTime.
  std::uint64_t calibrate(int threads) {
    Batch* batch = take_batch();
    if (stopping() || !cut(kMaxCalibrationGames, batch->range)) {
      give_back(batch);
      return 1;
    }
    start_batch(*batch);
    GamePlayer& player = game_players_.local();
    const auto start = Clock::now();
    std::uint64_t end = batch->range.begin;
    do {
      play_game(player, *batch, end++);
    } while (end < batch->range.end && Clock::now() - start < kCalibrationTime);
    batch->range.end = cursor_ = end;
    const double per_game =
        std::chrono::duration<double>(Clock::now() - start).count() /
        (end - batch->range.begin);
    finish(*batch);
    give_back(batch);
    const double target =
        std::chrono::duration<double>(kTargetBatchTime).count();
    const std::uint64_t by_time = static_cast<std::uint64_t>(
        std::clamp(target / std::max(per_game, 1e-9), 1.0,
                   static_cast<double>(kMaxBatchGames)));
    const std::uint64_t by_balance = std::max<std::uint64_t>(
        1, total_games_ /
               (static_cast<std::uint64_t>(threads) * kMinBatchesPerThread));
    return std::min(by_time, by_balance);
  }

  void play(Batch& batch) {
    start_batch(batch);
    GamePlayer& player = game_players_.local();
    for (std::uint64_t index = batch.range.begin; index < batch.range.end;
         ++index) {
      play_game(player, batch, index);
    }
  }

  void start_batch(Batch& batch) {
    const std::uint64_t games = batch.range.end - batch.range.begin;
    if (options_.records != nullptr && batch.records.size() < games) {
      batch.records.resize(games);
    }
    batch.counts = empty_counts_;
    batch.summaries.clear();
  }

  void play_game(GamePlayer& player, Batch& batch, std::uint64_t index) {
    GameSummary summary = player.play(
        index, batch.counts,
        options_.records != nullptr ? &batch.records[index - batch.range.begin]
                                    : nullptr);
    if (options_.keep_game_summaries) {
      batch.summaries.push_back(std::move(summary));
    }
  }

  // Called in index order, one batch at a time.
  void finish(Batch& batch) {
    if (!error_.ok()) return;
    if (options_.records != nullptr) {
      const std::uint64_t games = batch.range.end - batch.range.begin;
      for (std::uint64_t i = 0; i < games && error_.ok(); ++i) {
        error_ = options_.records->write(batch.records[i]);
      }
      if (!error_.ok()) {
        failed_.store(true, std::memory_order_relaxed);
        return;
      }
    }
    total_counts_.merge(batch.counts);
    summaries_.insert(summaries_.end(),
                      std::make_move_iterator(batch.summaries.begin()),
                      std::make_move_iterator(batch.summaries.end()));
    delivered_ += batch.range.end - batch.range.begin;
    next_index_ = batch.range.end;
    report_progress();
    if (options_.checkpoint && options_.checkpoint_every > 0 &&
        next_index_ % options_.checkpoint_every == 0) {
      error_ = options_.checkpoint(total_counts_, next_index_);
      checkpointed_index_ = next_index_;
      if (!error_.ok()) failed_.store(true, std::memory_order_relaxed);
    }
  }

  void report_progress() {
    if (!options_.progress) return;
    const Clock::time_point now = Clock::now();
    if (now < next_progress_) return;
    next_progress_ =
        now + absl::ToChronoNanoseconds(options_.progress_interval);
    options_.progress(delivered_, total_games_);
  }

  Batch* take_batch() {
    std::lock_guard lock(pool_mutex_);
    if (free_batches_.empty()) {
      batches_.push_back(std::make_unique<Batch>());
      return batches_.back().get();
    }
    Batch* batch = free_batches_.back();
    free_batches_.pop_back();
    return batch;
  }

  void give_back(Batch* batch) {
    std::lock_guard lock(pool_mutex_);
    free_batches_.push_back(batch);
  }

  const SimulationOptions& options_;
  const std::vector<GameIndexRange>& ranges_;
  const SimulationCounts empty_counts_;
  std::uint64_t total_games_ = 0;
  std::uint64_t batch_games_ = 1;

  // The cutting stage's position.
  std::size_t range_ = 0;
  std::uint64_t cursor_ = 0;

  tbb::enumerable_thread_specific<GamePlayer> game_players_;

  // Batches are reused, so their buffers (records above all) are allocated
  // once per batch in flight, not once per batch played.
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Batch>> batches_;
  std::vector<Batch*> free_batches_;

  // The finishing stage's state.
  SimulationCounts total_counts_;
  std::vector<GameSummary> summaries_;
  std::uint64_t delivered_ = 0;
  std::uint64_t next_index_ = 0;  // every game of the ranges below it is done
  std::uint64_t checkpointed_index_ = ~std::uint64_t{0};
  Clock::time_point next_progress_;
  absl::Status error_;
  std::atomic<bool> failed_{false};  // error_ is set; read by the cutting stage
};

}  // namespace

bool plays_in_index_order(const SimulationOptions& options) {
  return options.records != nullptr || static_cast<bool>(options.checkpoint);
}

absl::Status run_in_index_order(const Game& game, const FeatureSet& features,
                                const SimulationOptions& options, int players,
                                const std::vector<GameIndexRange>& ranges,
                                SimulationResult& result) {
  OrderedRunner runner(game, features, options, players, ranges);
  return runner.run(result);
}

}  // namespace selfplay
