// Feature cost per bundled game, on positions from random self-play:
//   feature_evaluation/<game>  the full candidate set evaluated for the
//                              deciding player, per state (items/s = states/s)
//   feature_cache/<game>/on|off  the same states in game order through the
//                              engine's per-thread cache (default size) or
//                              evaluated every time; cache_hit_rate says how
//                              often the cache answered
// The ratio on/off of one run is the figure to quote: it is what the cache
// saves the engine on that game.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "selfplay/features.h"
#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "simulation/game_player.h"

namespace selfplay {
namespace {

constexpr int kCacheEntries = kDefaultFeatureCacheEntries;

// Every decision state of the first `games` random games, in play order.
std::vector<std::unique_ptr<State>> decision_states(const Game& game,
                                                    int games) {
  std::vector<std::unique_ptr<State>> states;
  std::vector<Action> legal;
  const int players = game.structure().default_players;
  for (int i = 0; i < games; ++i) {
    const std::uint64_t seed = seed_for(0, i);
    std::unique_ptr<State> state = game.new_initial_state(seed, players);
    Rng rng(derive_seed(seed, 1));
    for (int actions = 0; !state->is_terminal() && actions < 2000; ++actions) {
      states.push_back(state->clone());
      state->legal_actions(legal);
      state->apply_action(
          legal[rng.uniform(static_cast<std::uint32_t>(legal.size()))]);
    }
  }
  return states;
}

void feature_evaluation(benchmark::State& bench, const Game* game) {
  const FeatureSet features = *generate_candidate_features(game->structure());
  const std::vector<std::unique_ptr<State>> states = decision_states(*game, 50);
  FeatureScratch scratch;
  std::vector<std::uint64_t> bits(features.words());
  std::int64_t evaluated = 0;
  for (auto _ : bench) {
    for (const std::unique_ptr<State>& state : states) {
      features.evaluate(*state, state->current_player(), scratch, bits.data());
      benchmark::DoNotOptimize(bits.data());
    }
    evaluated += static_cast<std::int64_t>(states.size());
  }
  bench.SetItemsProcessed(evaluated);
  bench.counters["features"] = features.size();
  bench.counters["states"] = static_cast<double>(states.size());
}

// What GamePlayer does per decision: look up, else evaluate and store.
void feature_cache(benchmark::State& bench, const Game* game, bool cached) {
  const FeatureSet features = *generate_candidate_features(game->structure());
  const std::vector<std::unique_ptr<State>> states =
      decision_states(*game, 200);
  FeatureScratch scratch;
  std::vector<std::uint64_t> bits(features.words());
  std::int64_t evaluated = 0;
  std::uint64_t lookups = 0, hits = 0;
  for (auto _ : bench) {
    // A fresh cache each pass, as a run starts with one: a warm cache would
    // remember the previous pass over the same states.
    bench.PauseTiming();
    FeatureCache cache(cached ? kCacheEntries : 0, features.words());
    bench.ResumeTiming();
    for (const std::unique_ptr<State>& state : states) {
      const int player = state->current_player();
      if (!cache.enabled() ||
          !cache.lookup(state->hash(), player, bits.data())) {
        features.evaluate(*state, player, scratch, bits.data());
        if (cache.enabled()) cache.store(state->hash(), player, bits.data());
      }
      benchmark::DoNotOptimize(bits.data());
    }
    evaluated += static_cast<std::int64_t>(states.size());
    lookups += cache.lookups();
    hits += cache.hits();
  }
  bench.SetItemsProcessed(evaluated);
  bench.counters["cache_hit_rate"] =
      lookups == 0 ? 0.0 : static_cast<double>(hits) / lookups;
}

const bool registered = [] {
  static const GameRegistry registry = GameRegistry::with_bundled_games();
  for (const Game* game : registry.games()) {
    const std::string name = game->name();
    benchmark::RegisterBenchmark(("feature_evaluation/" + name).c_str(),
                                 feature_evaluation, game);
    for (bool cached : {false, true}) {
      benchmark::RegisterBenchmark(
          ("feature_cache/" + name + (cached ? "/on" : "/off")).c_str(),
          feature_cache, game, cached);
    }
  }
  return true;
}();

}  // namespace
}  // namespace selfplay
