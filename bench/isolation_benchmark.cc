// What crash isolation costs: the same checkers run in this process and in
// `selfplay worker` processes under the supervisor, alternated within each
// iteration so that both see the same machine load. The figures to quote are
// medians over iterations of isolated / in-process - 1: overhead_pct in wall
// time, cpu_overhead_pct in CPU time (this process and its reaped workers),
// which a busy machine disturbs less.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "absl/strings/str_cat.h"
#include "selfplay/features.h"
#include "selfplay/isolated_run.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"

namespace selfplay {
namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Cost {
  double wall_s;
  double cpu_s;
};

// User and system time of this process and of its children it reaped.
double cpu_seconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage;
    getrusage(who, &usage);
    for (const timeval& time : {usage.ru_utime, usage.ru_stime}) {
      total += time.tv_sec + time.tv_usec * 1e-6;
    }
  }
  return total;
}

template <typename Run>
Cost cost_of(Run run) {
  const double cpu = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  run();
  return {
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count(),
      cpu_seconds() - cpu};
}

// `games` games on `threads` threads in total, in one process or split over
// `workers` processes.
void isolation_overhead(benchmark::State& bench, int workers, int threads,
                        std::uint64_t games) {
  GameRegistry registry = GameRegistry::with_bundled_games();
  const Game& game = **registry.find("checkers");
  const FeatureSet features = *generate_candidate_features(game.structure());
  SimulationOptions options;
  options.games = games;
  options.threads = threads;
  isolation::IsolationOptions isolation;
  isolation.workers = workers;
  isolation.program = SELFPLAY_CLI_PATH;
  std::vector<double> plain, isolated, wall_ratios, cpu_ratios;
  for (auto _ : bench) {
    const Cost in_process = cost_of([&] {
      benchmark::DoNotOptimize(run_simulations(game, features, options));
    });
    const Cost in_workers = cost_of([&] {
      absl::StatusOr<SimulationResult> result =
          isolation::run_isolated(game, features, options, isolation);
      if (!result.ok()) bench.SkipWithError("the isolated run failed");
      benchmark::DoNotOptimize(result);
    });
    plain.push_back(in_process.wall_s);
    isolated.push_back(in_workers.wall_s);
    wall_ratios.push_back(in_workers.wall_s / in_process.wall_s);
    cpu_ratios.push_back(in_workers.cpu_s / in_process.cpu_s);
  }
  bench.counters["in_process_s"] = median(plain);
  bench.counters["isolated_s"] = median(isolated);
  bench.counters["overhead_pct"] = 100 * (median(wall_ratios) - 1);
  bench.counters["cpu_overhead_pct"] = 100 * (median(cpu_ratios) - 1);
}

BENCHMARK_CAPTURE(isolation_overhead, checkers_100k_1_worker_1_thread, 1, 1,
                  100000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(isolation_overhead, checkers_20k_2_workers_2_threads, 2, 2,
                  20000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(isolation_overhead, checkers_100k_2_workers_2_threads, 2, 2,
                  100000)
    ->Iterations(5)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace selfplay
