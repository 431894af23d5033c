// Engine throughput per bundled game: random self-play through the runner at
// 1 and 2 threads, features off and on, against a plain serial loop over the
// same games (the overhead reference). Ratios between rows of one run are the
// figures to quote; see README.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "selfplay/features.h"
#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"
#include "simulation/game_player.h"

namespace selfplay {
namespace {

// Enough games per iteration that a 2-thread run amortises its start-up.
std::uint64_t games_per_iteration(const Game& game) {
  const std::string& name = game.name();
  if (name == "tic-tac-toe" || name == "connect-four") return 200000;
  if (name == "hex" || name == "go-fish") return 20000;
  return 10000;
}

void simulate(benchmark::State& bench, const Game* game, bool with_features,
              int threads, int batch_size) {
  FeatureSet features;
  if (with_features) features = *generate_candidate_features(game->structure());
  SimulationOptions options;
  options.games = games_per_iteration(*game);
  options.threads = threads;
  options.batch_size = batch_size;
  std::uint64_t games = 0, decisions = 0;
  std::uint64_t batch = 0;
  double hit_rate = 0;
  for (auto _ : bench) {
    absl::StatusOr<SimulationResult> result =
        run_simulations(*game, features, options);
    benchmark::DoNotOptimize(result);
    games += result->counts.games;
    decisions += result->counts.states;
    hit_rate = result->timing.cache_hit_rate();
    batch = result->timing.batch_size;
  }
  bench.counters["batch"] = static_cast<double>(batch);
  bench.SetItemsProcessed(static_cast<std::int64_t>(games));
  bench.counters["decisions/s"] = benchmark::Counter(
      static_cast<double>(decisions), benchmark::Counter::kIsRate);
  bench.counters["features"] = features.size();
  bench.counters["cache_hit_rate"] = hit_rate;
}

// The reference: the same games (same seeds, same policy stream) in a plain
// loop, with no tallies, tasks or features.
void serial_loop(benchmark::State& bench, const Game* game) {
  const std::uint64_t games = games_per_iteration(*game);
  const int players = game->structure().default_players;
  std::vector<Action> legal;
  std::uint64_t played = 0, decisions = 0;
  for (auto _ : bench) {
    for (std::uint64_t i = 0; i < games; ++i) {
      const std::uint64_t seed = seed_for(0, i);
      std::unique_ptr<State> state = game->new_initial_state(seed, players);
      Rng rng(derive_seed(seed, 1));
      int actions = 0;
      while (!state->is_terminal() && actions < 2000) {
        state->legal_actions(legal);
        state->apply_action(
            legal[rng.uniform(static_cast<std::uint32_t>(legal.size()))]);
        ++actions;
      }
      decisions += actions;
      benchmark::DoNotOptimize(state->winners());
    }
    played += games;
  }
  bench.SetItemsProcessed(static_cast<std::int64_t>(played));
  bench.counters["decisions/s"] = benchmark::Counter(
      static_cast<double>(decisions), benchmark::Counter::kIsRate);
}

// The engine's per-game work (the same GamePlayer, tallies included) in a
// plain loop on one thread: the reference for the runner's own overhead
// (tasks, arena, thread-local lookup, reduction).
void serial_player(benchmark::State& bench, const Game* game,
                   bool with_features) {
  FeatureSet features;
  if (with_features) features = *generate_candidate_features(game->structure());
  SimulationOptions options;
  options.games = games_per_iteration(*game);
  const int players = game->structure().default_players;
  std::uint64_t played = 0;
  for (auto _ : bench) {
    GamePlayer player(*game, features, options, players);
    SimulationCounts counts =
        make_counts(players, features.size(),
                    static_cast<int>(game->structure().action_kinds.size()));
    for (std::uint64_t i = 0; i < options.games; ++i) {
      benchmark::DoNotOptimize(player.play(i, counts));
    }
    played += counts.games;
  }
  bench.SetItemsProcessed(static_cast<std::int64_t>(played));
}

// One task per game against the adaptive batches, on the shortest games:
// the cost of a task_group task shows where a game lasts well under a
// microsecond.
void register_task_overhead_benchmarks(const GameRegistry& registry) {
  for (const char* name : {"tic-tac-toe", "connect-four"}) {
    const Game* game = *registry.find(name);
    for (int threads : {1, 2}) {
      for (int batch : {1, 0}) {
        const std::string label =
            std::string("task_overhead/") + name +
            "/threads:" + std::to_string(threads) +
            (batch == 1 ? "/one_game_per_task" : "/adaptive_batches");
        benchmark::RegisterBenchmark(label.c_str(), simulate, game, false,
                                     threads, batch)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
}

void register_benchmarks(const GameRegistry& registry) {
  for (const Game* game : registry.games()) {
    const std::string name = game->name();
    benchmark::RegisterBenchmark(("serial_loop/" + name).c_str(), serial_loop,
                                 game)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    for (bool with_features : {false, true}) {
      benchmark::RegisterBenchmark(
          ("serial_player/" + name + (with_features ? "/features" : "/plain"))
              .c_str(),
          serial_player, game, with_features)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
      for (int threads : {1, 2}) {
        const std::string label = "simulate/" + name +
                                  (with_features ? "/features" : "/plain") +
                                  "/threads:" + std::to_string(threads);
        benchmark::RegisterBenchmark(label.c_str(), simulate, game,
                                     with_features, threads, 0)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace
}  // namespace selfplay

int main(int argc, char** argv) {
  static const selfplay::GameRegistry registry =
      selfplay::GameRegistry::with_bundled_games();
  selfplay::register_benchmarks(registry);
  selfplay::register_task_overhead_benchmarks(registry);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
