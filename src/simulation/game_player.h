// Plays one game from its seed and tallies it: the unit of work of the
// parallel runner. One GamePlayer per thread holds every buffer a game needs,
// so nothing allocates per move.
#ifndef SELFPLAY_SIMULATION_GAME_PLAYER_H_
#define SELFPLAY_SIMULATION_GAME_PLAYER_H_

#include <cstdint>
#include <vector>

#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/records.h"
#include "selfplay/simulation.h"
#include "simulation/game_tally.h"

namespace selfplay {

// A direct-mapped (state hash, player) -> feature bits cache. Bounded: a new
// entry evicts whatever shared its slot. It switches itself off when it does
// not pay: with native summaries an evaluation costs about what a lookup and
// a store do, so a cache answering under kMinHitRate of its first
// kProbeLookups lookups only slows the game down (measured per game by
// bench/features_overhead.cc: tic-tac-toe keeps it, the other bundled games
// drop it).
class FeatureCache {
 public:
  static constexpr std::uint64_t kProbeLookups = 4096;
  static constexpr double kMinHitRate = 0.25;

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
  // whose code throws is recorded as failed. With a `record`, also fills it
  // (its buffers are reused); without, nothing is recorded and nothing costs.
  // Publishes the game in options.playing while it plays.
  GameSummary play(std::uint64_t index, SimulationCounts& counts,
                   GameRecord* record = nullptr);

  const FeatureCache& cache() const { return cache_; }

 private:
  // The game loop, compiled once without recording so that the plain path
  // stays as it was.
  template <bool kRecord>
  GameSummary play_game(std::uint64_t index, SimulationCounts& counts,
                        GameRecord* record);
  template <bool kRecord>
  void tally_decision(const State& state, int player, Action chosen,
                      GameRecord* record);

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
  GameTally tally_;  // this game's tallies per player
};

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_GAME_PLAYER_H_
