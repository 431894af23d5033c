// A (mu + lambda) evolution strategy over a model's objective weights.
//
//   EvolutionOptions options;
//   options.opponent = *parse_player_spec("mcts:50");
//   absl::StatusOr<EvolutionResult> evolved =
//       evolve_weights(game, model, options);
//   Model better = *model.with_weights(evolved->weights);
//
// The first population is the model's weights and mu - 1 mutants of them.
// Each generation makes lambda offspring from uniformly chosen parents: with
// probability `crossover_probability` a uniform crossover with a second
// parent, then Gaussian noise of standard deviation sigma on every weight, a
// sign flip of each weight with probability `sign_flip_probability`, and a
// clamp to +-weight_limit. The best mu of parents and offspring survive (a
// tie keeps the older); sigma shrinks by `sigma_decay` per generation.
//
// Fitness is the score (wins + draws / 2 per game) of the candidate's player
// against the opponent over the same `games_per_candidate` games for every
// candidate (the same seeds and seats: common random numbers, so candidates
// differ by their play, not their luck). All candidates' games of a
// generation are one parallel loop in one task arena. Every random draw comes
// from `seed` in a fixed order, so the result is the same for any thread
// count.
#ifndef SELFPLAY_EVOLUTION_H_
#define SELFPLAY_EVOLUTION_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/game.h"
#include "selfplay/model.h"
#include "selfplay/players.h"
#include "selfplay/simulation.h"

namespace selfplay {

struct EvolutionOptions {
  int mu = 5;
  int lambda = 20;
  int generations = 5;
  double sigma = 1.0;
  double sigma_decay = 0.9;
  double sign_flip_probability = 0.1;
  double crossover_probability = 0.2;
  double weight_limit = 20;
  std::uint64_t games_per_candidate = 200;
  std::uint64_t seed = 1;
  // The player each candidate's weights drive (it needs a model) and the
  // opponent it is measured against.
  PlayerSpec player = {.kind = PlayerSpec::Kind::kGreedy};
  PlayerSpec opponent = {.kind = PlayerSpec::Kind::kRandom};
  int players = 0;  // 0: the game's default
  int max_actions = 2000;
  int threads = 0;  // 0: all cores
  // Called after each generation (0: the first population is measured) with
  // its best and mean fitness, from the calling thread.
  std::function<void(int generation, double best, double mean)> progress;
  // When requested, the evolution returns Cancelled before its next
  // generation (or within a generation's games); not owned.
  const StopToken* stop = nullptr;
};

struct EvolutionResult {
  std::vector<double> weights;  // the fittest, one per objective
  double fitness = 0;           // its fitness
  EvolutionRecord record;
};

// InvalidArgument for mu < 1, lambda < 1, generations < 0, a negative or
// non-finite sigma, probabilities outside [0, 1], weight_limit <= 0,
// games_per_candidate < 1, a player kind that needs no model, or a model
// without objectives; play_match's errors for players, threads or
// max_actions; Cancelled when `stop` was requested. A game that fails counts
// as a loss for the candidate.
[[nodiscard]] absl::StatusOr<EvolutionResult> evolve_weights(
    const Game& game, const Model& model, const EvolutionOptions& options);

}  // namespace selfplay

#endif  // SELFPLAY_EVOLUTION_H_
