// Players guided by a model's learned objectives: a greedy one-ply player,
// and MCTS whose rollouts stop after a few actions and are scored by the
// objectives.
//
//   GreedyObjectivePolicy greedy(model);
//   absl::StatusOr<std::unique_ptr<Policy>> searcher = make_objective_mcts(
//       model, {.iterations = 200, .rollout_depth = 6});
//   SimulationOptions options;
//   options.policies = {&greedy, searcher->get()};
//
// Both keep per-thread buffers inside and are thread-safe. The model must
// outlive them.
#ifndef SELFPLAY_OBJECTIVE_PLAYERS_H_
#define SELFPLAY_OBJECTIVE_PLAYERS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "selfplay/mcts.h"
#include "selfplay/model.h"
#include "selfplay/policy.h"

namespace selfplay {

// Plays the action whose resulting position has the highest objective value
// for the player who moved, plus the model's preference for the action's
// kind. A position that ends the game counts as +infinity when the mover is
// the sole winner and -infinity when the mover loses; a draw or shared win is
// valued like any other position. Ties are broken uniformly by one draw from
// the game's policy stream.
//
// With a lookahead of 2 the value of an action is that of the position after
// the reply that is worst for the mover (best, when the mover moves again),
// by the same valuation: a one-ply player cannot see, say, a checkers piece
// it puts en prise, which a forced capture then takes.
class GreedyObjectivePolicy final : public Policy {
 public:
  // `lookahead` is 1 or 2 (clamped into that range).
  explicit GreedyObjectivePolicy(const Model& model, int lookahead = 1);
  ~GreedyObjectivePolicy() override;

  // "greedy", or "greedy:2" with a lookahead of 2.
  std::string name() const override;
  Action choose_action(const State& state, absl::Span<const Action> legal,
                       Rng& rng) const override;

 private:
  struct Buffers;
  // The mover's value of `position` (after the mover's action) looked at
  // `plies` deep.
  double value(const State& position, int mover, int plies) const;

  const Model& model_;
  int lookahead_;
  std::unique_ptr<Buffers> buffers_;  // per thread
};

// The temperature that ObjectiveEvaluator uses unless told otherwise.
inline constexpr double kDefaultObjectiveTemperature = 2.0;

// Scores a position for MCTS from the objectives: player p gets
// exp(v_p / T) / sum_q exp(v_q / T), where v_q is the objective value for
// player q and T the temperature, so rewards sum to 1, two equal positions
// score 1/2 each, and a lead of T in value is worth odds of e to 1.
class ObjectiveEvaluator final : public RolloutEvaluator {
 public:
  // `temperature` > 0.
  explicit ObjectiveEvaluator(
      const Model& model, double temperature = kDefaultObjectiveTemperature);
  ~ObjectiveEvaluator() override;

  std::string name() const override { return "objectives"; }
  void evaluate(const State& state, absl::Span<double> rewards) const override;

 private:
  struct Buffers;
  const Model& model_;
  double temperature_;
  std::unique_ptr<Buffers> buffers_;  // per thread
};

// MCTS whose rollouts stop after options.rollout_depth actions (>= 1) and are
// scored by an ObjectiveEvaluator of `model`; options.evaluator is replaced.
// Named "objective-mcts:<iterations>:<k>". MctsPolicy::create's errors.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Policy>> make_objective_mcts(
    const Model& model, MctsOptions options,
    double temperature = kDefaultObjectiveTemperature);

}  // namespace selfplay

#endif  // SELFPLAY_OBJECTIVE_PLAYERS_H_
