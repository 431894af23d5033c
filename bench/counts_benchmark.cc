// The reduction: SimulationCounts::merge of N tallies into a total, per
// bundled game, each tally shaped like a real one (the game's candidate
// features and action kinds, the length histogram of 500 random games). N = 2
// is the per-thread merge at the end of a 2-thread run; larger N is what a
// reduction over many batches or MPI ranks would cost. items/s are tallies
// merged per second; bytes/s counts the integers they hold.
#include <benchmark/benchmark.h>

#include <vector>

#include "selfplay/features.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"

namespace selfplay {
namespace {

std::size_t tally_bytes(const SimulationCounts& counts) {
  return sizeof(std::uint64_t) * counts.length_histogram.size() +
         sizeof(OutcomeTable) *
             (counts.features.size() + counts.actions.size()) +
         sizeof(SeatCounts) * counts.seats.size();
}

void merge_counts(benchmark::State& bench, const Game* game) {
  const FeatureSet features = *generate_candidate_features(game->structure());
  SimulationOptions options;
  options.games = 500;
  options.threads = 1;
  const SimulationResult result = *run_simulations(*game, features, options);
  const std::vector<SimulationCounts> tallies(
      static_cast<std::size_t>(bench.range(0)), result.counts);
  for (auto _ : bench) {
    SimulationCounts total =
        make_counts(result.players, features.size(),
                    static_cast<int>(game->structure().action_kinds.size()));
    for (const SimulationCounts& tally : tallies) total.merge(tally);
    benchmark::DoNotOptimize(total);
  }
  bench.SetItemsProcessed(bench.iterations() * bench.range(0));
  bench.SetBytesProcessed(
      bench.iterations() * bench.range(0) *
      static_cast<std::int64_t>(tally_bytes(result.counts)));
  bench.counters["features"] = features.size();
}

const bool registered = [] {
  static const GameRegistry registry = GameRegistry::with_bundled_games();
  for (const Game* game : registry.games()) {
    benchmark::RegisterBenchmark(("merge_counts/" + game->name()).c_str(),
                                 merge_counts, game)
        ->ArgName("tallies")
        ->Arg(2)
        ->Arg(64)
        ->Arg(1024);
  }
  return true;
}();

}  // namespace
}  // namespace selfplay
