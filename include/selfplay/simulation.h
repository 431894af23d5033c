// Runs many self-play games in parallel and tallies them.
//
//   SimulationOptions options;
//   options.games = 20000;
//   options.threads = 0;  // all cores
//   absl::StatusOr<SimulationResult> result =
//       run_simulations(game, features, options);
//
// Every game is a oneTBB task (small games are batched per task); game i is
// seeded with seed_for(options.seed, i) and never sees thread identity, and
// all tallies are integers, so `counts` is bit-identical for any thread count.
// A game whose code throws is counted as failed, with its seed and message;
// the run goes on.
#ifndef SELFPLAY_SIMULATION_H_
#define SELFPLAY_SIMULATION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/policy.h"

namespace selfplay {

// Called with (games finished, games to play). Calls are serialised, their
// first argument never decreases, at most one per `progress_interval` while
// running, and the last call reports the final count (the total unless the
// run was cancelled). Called from worker threads: keep it short.
using ProgressCallback =
    std::function<void(std::uint64_t finished, std::uint64_t total)>;

// Cooperative cancellation, shareable between threads (a signal handler may
// call request_stop: it is a lock-free atomic store).
class StopToken {
 public:
  void request_stop() { stop_.store(true, std::memory_order_relaxed); }
  bool stop_requested() const { return stop_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> stop_{false};
};

class GameRecordSink;  // selfplay/records.h

// Called with the tallies of every game below `next_game_index` (within the
// options' ranges) once all of them are done: at each multiple of
// SimulationOptions::checkpoint_every, and once at the end of the run (when
// stopped, `next_game_index` is the first game not played). Calls are
// serialised and in index order. An error stops the run, which returns it.
using CheckpointCallback = std::function<absl::Status(
    const SimulationCounts& so_far, std::uint64_t next_game_index)>;

// Game indices [begin, end).
struct GameIndexRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

// The feature cache is direct-mapped, so it needs room well beyond a game's
// distinct positions: tic-tac-toe's 5,478 answer 65% of lookups with 4,096
// entries and 97% with 65,536 (1 MB per thread with one word of bits), 35%
// more games per second. Games whose positions rarely repeat switch it off
// after a probe (see FeatureCache).
inline constexpr int kDefaultFeatureCacheEntries = 1 << 16;

struct SimulationOptions {
  std::uint64_t games = 1000;
  // When non-empty, play exactly these sorted, disjoint ranges of game
  // indices instead of [0, games) (used to split a run across processes).
  std::vector<GameIndexRange> ranges;
  int threads = 0;  // 0: all cores
  std::uint64_t seed = 0;
  int players = 0;  // 0: the game's default
  // A game still running after this many actions is truncated.
  int max_actions = 2000;
  // Per-game wall-clock safety limit; zero or infinite: none. A game stopped
  // by it is truncated and flagged timed out: it breaks determinism.
  absl::Duration game_timeout = absl::ZeroDuration();
  // Keep a GameSummary per game (memory grows with the game count).
  bool keep_game_summaries = false;
  // Entries of the per-thread (state hash, player) -> feature bits cache;
  // 0 turns it off.
  int feature_cache_entries = kDefaultFeatureCacheEntries;
  std::size_t failure_cap = 100;
  // One policy per seat; missing or null seats play uniformly at random.
  // Not owned; must outlive the run.
  std::vector<const Policy*> policies;
  ProgressCallback progress;
  absl::Duration progress_interval = absl::Milliseconds(100);
  const StopToken* stop = nullptr;  // not owned
  // Games per leaf task; 0 picks it from a timed calibration so that a task
  // runs for tens of microseconds.
  int batch_size = 0;
  // Long runs. Setting `records` or `checkpoint` plays the games in a sliding
  // window of consecutive indices (a bounded number of small batches in
  // flight, finished in index order), so that memory stays bounded, records
  // arrive in index order and a stop request ends the run with every game
  // below some index played and every game above it not: in-flight batches
  // finish. The counts are those of the unwindowed run.
  GameRecordSink* records = nullptr;  // not owned; see selfplay/records.h
  CheckpointCallback checkpoint;
  std::uint64_t checkpoint_every = 0;  // games; 0: only at the end
  // Which game each thread is playing, for a watcher outside the run (crash
  // isolation's supervisor reads them from another process when this one
  // dies or hangs). When non-empty, the thread in task-arena slot t stores
  // game index + 1 into playing[t] (release order) as it starts a game and 0
  // as the game ends; threads beyond playing.size() publish nothing. Two
  // plain stores per game: nothing measurable. Not owned; must outlive the
  // run.
  std::span<std::atomic<std::uint64_t>> playing;
};

enum class GameStatus : std::uint8_t {
  kCompleted,
  kTruncated,
  kTimedOut,
  kFailed
};

const char* game_status_name(GameStatus status);

struct GameSummary {
  std::uint64_t game_index = 0;
  std::uint64_t seed = 0;
  GameStatus status = GameStatus::kCompleted;
  std::uint32_t actions = 0;
  std::vector<int> winners;  // completed games; empty: a draw

  bool operator==(const GameSummary&) const = default;
};

struct SimulationTiming {
  double wall_s = 0;
  double games_per_s = 0;
  int threads = 0;
  std::uint64_t batch_size = 0;
  std::uint64_t cache_lookups = 0;
  std::uint64_t cache_hits = 0;
  double cache_hit_rate() const {
    return cache_lookups == 0 ? 0.0
                              : static_cast<double>(cache_hits) / cache_lookups;
  }
};

struct SimulationResult {
  std::string game;
  int players = 0;
  std::uint64_t seed = 0;
  std::uint64_t requested = 0;  // games asked for
  std::uint64_t cancelled = 0;  // games not played because of a stop request
  std::vector<FeatureInfo> features;
  std::vector<std::string> action_kinds;
  SimulationCounts counts;
  std::vector<GameSummary> games;  // ordered by index, if kept
  SimulationTiming timing;         // the only part that varies between runs
};

// InvalidArgument for options that cannot run (players outside the game's
// range, negative threads, max_actions < 1, unsorted or overlapping ranges,
// more policies than players).
[[nodiscard]] absl::StatusOr<SimulationResult> run_simulations(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_H_
