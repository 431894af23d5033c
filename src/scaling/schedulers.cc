#include "scaling/schedulers.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <numeric>
#include <queue>
#include <thread>

#include "scaling/busy_time_game.h"
#include "simulation/game_player.h"

namespace selfplay::scaling {
namespace {

using Clock = std::chrono::steady_clock;

struct Worker {
  GamePlayer player;
  SimulationCounts counts;
};

class ThreadPoolRun {
 public:
  ThreadPoolRun(const Game& game, const FeatureSet& features,
                const SimulationOptions& options, int players)
      : options_(options) {
    for (int t = 0; t < options.threads; ++t) {
      workers_.push_back(Worker{
          GamePlayer(game, features, options, players),
          make_counts(players, features.size(),
                      static_cast<int>(game.structure().action_kinds.size()),
                      options.failure_cap)});
    }
  }

  // Thread t plays [games * t / T, games * (t + 1) / T).
  void static_partition() {
    const std::uint64_t games = options_.games;
    const std::uint64_t threads = workers_.size();
    run_threads([&](std::size_t t) {
      for (std::uint64_t index = games * t / threads;
           index < games * (t + 1) / threads; ++index) {
        workers_[t].player.play(index, workers_[t].counts);
      }
    });
  }

  // Every thread pops one index at a time from one locked queue.
  void central_queue() {
    std::mutex mutex;
    std::queue<std::uint64_t> queue;
    for (std::uint64_t index = 0; index < options_.games; ++index) {
      queue.push(index);
    }
    run_threads([&](std::size_t t) {
      while (true) {
        std::uint64_t index;
        {
          std::lock_guard lock(mutex);
          if (queue.empty()) return;
          index = queue.front();
          queue.pop();
        }
        workers_[t].player.play(index, workers_[t].counts);
      }
    });
  }

  SimulationCounts merged(SimulationCounts total) const {
    for (const Worker& worker : workers_) total.merge(worker.counts);
    return total;
  }

 private:
  template <typename Body>
  void run_threads(Body body) {
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < workers_.size(); ++t) {
      threads.emplace_back(body, t);
    }
    body(0);  // the calling thread works too, as in the engine's arena
    for (std::thread& thread : threads) thread.join();
  }

  const SimulationOptions& options_;
  std::vector<Worker> workers_;
};

}  // namespace

const char* scheduler_name(Scheduler scheduler) {
  switch (scheduler) {
    case Scheduler::kWorkStealing:
      return "work-stealing";
    case Scheduler::kStaticPartition:
      return "static-partition";
    case Scheduler::kCentralQueue:
      return "central-queue";
  }
  return "unknown";
}

double ScheduledRun::imbalance() const {
  const double total = std::accumulate(busy_s.begin(), busy_s.end(), 0.0);
  if (total <= 0) return 0;
  return *std::max_element(busy_s.begin(), busy_s.end()) /
         (total / static_cast<double>(busy_s.size()));
}

absl::StatusOr<ScheduledRun> run_scheduled(Scheduler scheduler,
                                           const Game& game,
                                           const FeatureSet& features,
                                           const SimulationOptions& options) {
  if (options.threads < 1 || !options.ranges.empty()) {
    return absl::InvalidArgumentError(
        "a scheduler comparison needs threads >= 1 and no index ranges");
  }
  // The engine's own checks, by a run of no games, so that all three
  // schedulers accept exactly the same options.
  SimulationOptions no_games = options;
  no_games.games = 0;
  absl::StatusOr<SimulationResult> checked =
      run_simulations(game, features, no_games);
  if (!checked.ok()) return checked.status();
  const int players = checked->players;

  BusyTimeGame timed(game);
  ScheduledRun run;
  const Clock::time_point start = Clock::now();
  if (scheduler == Scheduler::kWorkStealing) {
    absl::StatusOr<SimulationResult> result =
        run_simulations(timed, features, options);
    if (!result.ok()) return result.status();
    run.counts = std::move(result->counts);
  } else {
    ThreadPoolRun pool(timed, features, options, players);
    if (scheduler == Scheduler::kStaticPartition) {
      pool.static_partition();
    } else {
      pool.central_queue();
    }
    run.counts = pool.merged(std::move(checked->counts));
  }
  run.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  run.busy_s = timed.busy_seconds();
  if (run.busy_s.size() < static_cast<std::size_t>(options.threads)) {
    run.busy_s.resize(options.threads, 0.0);
  }
  return run;
}

}  // namespace selfplay::scaling
