// Players guided by a model's learned objectives: a greedy one-ply player,
// and MCTS whose rollouts stop after a few actions and are scored by the
// objectives.
//
//   GreedyObjectivePolicy greedy(model);
//   // greedy:q
//   GreedyObjectivePolicy quiet(model, 1, kDefaultQuiescenceDepth);
//   // objective-mcts:200:6:q
//   absl::StatusOr<std::unique_ptr<Policy>> searcher = make_objective_mcts(
//       model, {.iterations = 200, .rollout_depth = 6},
//       kDefaultQuiescenceDepth);
//   SimulationOptions options;
//   options.policies = {&greedy, searcher->get()};
//
// Both keep per-thread buffers inside and are thread-safe. The model must
// outlive them.
#ifndef SELFPLAY_OBJECTIVE_PLAYERS_H_
#define SELFPLAY_OBJECTIVE_PLAYERS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "selfplay/mcts.h"
#include "selfplay/model.h"
#include "selfplay/policy.h"

namespace selfplay {

// The action kind names whose actions the quiescence search plays out.
inline constexpr std::array<std::string_view, 2> kForcingActionKinds = {
    "capture", "jump"};
// The quiescence depth of the player specs "greedy:q" and
// "objective-mcts:N:D:q", and the largest.
inline constexpr int kDefaultQuiescenceDepth = 8;
inline constexpr int kMaxQuiescenceDepth = 64;

// How player names spell a quiescence depth: "" for 0 (none), ":q" for
// kDefaultQuiescenceDepth, ":qD" for another depth D.
std::string quiescence_suffix(int quiescence_depth);

class QuiescenceSearch;  // objective_players.cc

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
//
// With a quiescence depth d > 0 a position is valued only once it is quiet:
// while the side to move has forcing actions, they are searched up to d plies
// deep (the mover takes the best, any other player the worst for the mover),
// and a position without forcing actions, or d plies down, gets the
// objective value. A side that also has other actions may instead "stand
// pat" on the position's own objective value; one whose every action is
// forcing (a compulsory checkers capture) must play one. So a move that puts
// a piece where a capture takes it is valued after the capture, and after
// the recaptures. A game's forcing actions are those whose kind is named
// "capture" or "jump" (kForcingActionKinds) in its structure's action_kinds:
// a game that declares no such kind is played exactly as without quiescence.
class GreedyObjectivePolicy final : public Policy {
 public:
  // `lookahead` is 1 or 2 and `quiescence_depth` 0 (none) to
  // kMaxQuiescenceDepth, each clamped into its range.
  explicit GreedyObjectivePolicy(const Model& model, int lookahead = 1,
                                 int quiescence_depth = 0);
  ~GreedyObjectivePolicy() override;

  // spec_name(lookahead, quiescence depth).
  std::string name() const override;
  // "greedy" or "greedy:2" by the lookahead, then ":q" with a quiescence
  // search of the default depth, ":qD" with one of depth D: "greedy:q",
  // "greedy:2:q", "greedy:q4" (as players.h spells them).
  static std::string spec_name(int lookahead, int quiescence_depth);
  Action choose_action(const State& state, absl::Span<const Action> legal,
                       Rng& rng) const override;

 private:
  struct Buffers;
  // The mover's value of `position` (after the mover's action) looked at
  // `plies` deep.
  double value(const State& position, int mover, int plies) const;

  const Model& model_;
  int lookahead_;
  std::unique_ptr<QuiescenceSearch> quiescence_;
  std::unique_ptr<Buffers> buffers_;  // per thread
};

// The temperature that ObjectiveEvaluator uses unless told otherwise.
inline constexpr double kDefaultObjectiveTemperature = 2.0;

// Scores a position for MCTS from the objectives: player p gets
// exp(v_p / T) / sum_q exp(v_q / T), where v_q is the objective value for
// player q and T the temperature, so rewards sum to 1, two equal positions
// score 1/2 each, and a lead of T in value is worth odds of e to 1.
//
// With a quiescence depth d > 0, v_q is player q's value of the position once
// its forcing actions are played out, by GreedyObjectivePolicy's quiescence
// search of depth d for q: a rollout that stops in the middle of an exchange
// of captures is scored after it. Where that search finds a forced win
// (v_q = +infinity) the players that have one share the reward.
class ObjectiveEvaluator final : public RolloutEvaluator {
 public:
  // `temperature` > 0; `quiescence_depth` 0 (none) to kMaxQuiescenceDepth,
  // clamped into its range.
  explicit ObjectiveEvaluator(const Model& model,
                              double temperature = kDefaultObjectiveTemperature,
                              int quiescence_depth = 0);
  ~ObjectiveEvaluator() override;

  std::string name() const override { return "objectives"; }
  void evaluate(const State& state, absl::Span<double> rewards) const override;
  int quiescence_depth() const;

 private:
  struct Buffers;
  double temperature_;
  std::unique_ptr<Buffers> buffers_;  // per thread
};

// MCTS whose rollouts stop after options.rollout_depth actions and are scored
// by an ObjectiveEvaluator of `model` with `quiescence_depth`;
// options.evaluator is replaced. A depth of 0 plays no rollout: the evaluator
// scores each new leaf (MctsOptions::evaluate_leaves). Named
// "objective-mcts:<budget>:<k>", then quiescence_suffix(quiescence_depth),
// then ":decisive" with options.decisive_moves, then
// exploration_suffix(options.exploration) (players.h). MctsPolicy::create's
// errors.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Policy>> make_objective_mcts(
    const Model& model, MctsOptions options, int quiescence_depth = 0,
    double temperature = kDefaultObjectiveTemperature);

}  // namespace selfplay

#endif  // SELFPLAY_OBJECTIVE_PLAYERS_H_
