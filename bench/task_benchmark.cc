// What one oneTBB task costs the engine, without any game in it: leaves
// spawned by the runner's recursive range splitting (task_group, halves
// stolen first), one index per leaf as with --batch 1, at 1 and 2 threads.
// items/s are leaf tasks per second, s_per_task its inverse. Compare with
// task_overhead/* in simulation_benchmark.cc, which plays real games with one
// game per task: a game far longer than s_per_task hides the task.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "tbb/global_control.h"
#include "tbb/task_arena.h"
#include "tbb/task_group.h"

namespace selfplay {
namespace {

constexpr std::uint64_t kLeaves = 1 << 18;

// The runner's split (src/simulation/runner.cc) with an empty leaf.
void split(tbb::task_group& group, std::uint64_t begin, std::uint64_t end) {
  while (end - begin > 1) {
    const std::uint64_t middle = begin + (end - begin) / 2;
    group.run([&group, middle, end] { split(group, middle, end); });
    end = middle;
  }
  benchmark::DoNotOptimize(begin);
}

void task_spawn(benchmark::State& bench) {
  const int threads = static_cast<int>(bench.range(0));
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism,
                            threads);
  tbb::task_arena arena(threads);
  for (auto _ : bench) {
    arena.execute([] {
      tbb::task_group group;
      group.run([&group] { split(group, 0, kLeaves); });
      group.wait();
    });
  }
  const double tasks = static_cast<double>(bench.iterations() * kLeaves);
  bench.SetItemsProcessed(static_cast<std::int64_t>(tasks));
  bench.counters["s_per_task"] = benchmark::Counter(
      tasks, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(task_spawn)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace selfplay
