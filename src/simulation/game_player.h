// Plays one game from its seed and tallies it: the unit of work of the
// parallel runner. One GamePlayer per thread holds every buffer a game needs,
// so nothing allocates per move.
#ifndef SELFPLAY_SIMULATION_GAME_PLAYER_H_
#define SELFPLAY_SIMULATION_GAME_PLAYER_H_

#include <cstdint>
#include <vector>

#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"

namespace selfplay {

// A direct-mapped (state hash, player) -> feature bits cache. Bounded: a new
// entry evicts whatever shared its slot.
class FeatureCache {
 public:
  FeatureCache(int entries, int words);

  bool enabled() const { return !keys_.empty(); }
  // Copies the cached bits into `bits` and returns true on a hit.
  bool lookup(std::uint64_t hash, int player, std::uint64_t* bits);
  void store(std::uint64_t hash, int player, const std::uint64_t* bits);

  std::uint64_t lookups() const { return lookups_; }
  std::uint64_t hits() const { return hits_; }

 private:
  std::size_t slot(std::uint64_t key) const { return key & (keys_.size() - 1); }
  static std::uint64_t key_of(std::uint64_t hash, int player);

  int words_;
  std::vector<std::uint64_t> keys_;  // 0: empty
  std::vector<std::uint64_t> bits_;
  std::uint64_t lookups_ = 0;
  std::uint64_t hits_ = 0;
};

class GamePlayer {
 public:
  // All references must outlive the player. `players` is validated.
  GamePlayer(const Game& game, const FeatureSet& features,
             const SimulationOptions& options, int players);

  // Plays game `index` (seeded with seed_for(options.seed, index)), adds it to
  // `counts`, and returns its summary. Never throws for game errors: a game
  // whose code throws is recorded as failed.
  GameSummary play(std::uint64_t index, SimulationCounts& counts);

  const FeatureCache& cache() const { return cache_; }

 private:
  void reset_game_tallies();
  void record_decision(const State& state, int player, Action chosen);
  void add_completed_game(const std::vector<int>& winners,
                          SimulationCounts& counts) const;

  const Game& game_;
  const FeatureSet& features_;
  const SimulationOptions& options_;
  const int players_;
  const int feature_count_;
  const int kind_count_;
  const bool has_timeout_;
  std::vector<const Policy*> policies_;  // per seat; null: random

  std::vector<Action> actions_;
  std::vector<std::uint64_t> bits_;
  FeatureScratch scratch_;
  FeatureCache cache_;
  // This game's tallies per player: decisions, feature-true decisions, action
  // kinds taken and available-but-not-taken.
  std::vector<std::uint32_t> decisions_;
  std::vector<std::uint32_t> feature_true_;
  std::vector<std::uint32_t> kind_taken_;
  std::vector<std::uint32_t> kind_not_taken_;
};

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_GAME_PLAYER_H_
