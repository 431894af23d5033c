// Monte Carlo tree search as a policy: UCT (UCB1 applied to trees) with
// random rollouts, optionally cut after a few actions and scored by a
// `RolloutEvaluator` (the learned objectives, see objective_players.h).
//
//   absl::StatusOr<std::unique_ptr<MctsPolicy>> mcts =
//       MctsPolicy::create({.iterations = 200});
//   SimulationOptions options;
//   options.policies = {mcts->get(), nullptr};  // seat 0 searches, 1 random
//
// Every search draws from an RNG seeded with one draw of the game's policy
// stream, so a game with MCTS players is a pure function of its seed: the
// same on any thread, at any thread count. Each node's statistics hold the
// rewards of the player who chose the action leading to it, so the search is
// correct for any number of players. A terminal position rewards a sole
// winner 1, a loss 0 and a draw or shared win 1/2.
//
// With a time budget (MctsOptions::time_per_move, spelt mcts:5ms by
// players.h) a search runs until the budget is spent or its iterations (then
// a cap) are done. How many iterations fit depends on the machine and its
// load, so time-budgeted play is NOT reproducible: the same seed can give
// other games. Iteration budgets alone stay pure functions of the seed.
//
// Hidden information: when the state to move from determinises
// (State::determinize, for games that declare hidden information), the
// search is single-observer information-set MCTS (Cowling, Powley and
// Whitehouse 2012): every iteration starts from a new determinisation for the
// searching player, children are keyed by the player to move and the action,
// and UCB1 counts how often a child was available rather than its parent's
// visits. The search then never reads the cards the player cannot see: two
// states that player cannot tell apart get the same choice for the same
// `rng`. `see_hidden_information` searches the real state instead, as MCTS
// did before (a cheating baseline, "mcts-cheat:N").
//
// The search tree lives in a node arena kept per thread by the policy and
// reused by every search on that thread: after the first searches, a search
// allocates nothing but the state clone (or determinisation) that each
// iteration plays on.
#ifndef SELFPLAY_MCTS_H_
#define SELFPLAY_MCTS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "selfplay/game.h"
#include "selfplay/policy.h"
#include "selfplay/random.h"

namespace selfplay {

// Scores a non-terminal position where a rollout stopped early.
class RolloutEvaluator {
 public:
  virtual ~RolloutEvaluator() = default;
  virtual std::string name() const = 0;
  // Writes each player's expected reward in [0, 1] into `rewards`
  // (state.num_players() entries). Called concurrently from worker threads:
  // must be thread-safe. Exceptions propagate (and fail the game).
  virtual void evaluate(const State& state,
                        absl::Span<double> rewards) const = 0;
};

struct MctsOptions {
  // Search iterations per decision (>= 1); with a time budget, the most a
  // search may do.
  int iterations = 100;
  // Wall-clock time per decision (> 0), measured from the start of
  // choose_action; zero: none, the iterations alone decide. Every search
  // does at least one iteration per tree. Not reproducible (see above).
  absl::Duration time_per_move = absl::ZeroDuration();
  // The UCB1 exploration constant c in Q + c * sqrt(ln N / n) (>= 0).
  double exploration = 1.4142135623730951;
  // Rollouts stop after this many random actions and are scored by
  // `evaluator`; 0 plays every rollout to the end.
  int rollout_depth = 0;
  // Not owned; must outlive the policy. Required when rollout_depth > 0 or
  // evaluate_leaves.
  const RolloutEvaluator* evaluator = nullptr;
  // No rollout at all: `evaluator` scores each new leaf itself (with
  // rollout_depth 0). More iterations fit a time budget than with even a
  // short rollout, and the scores are not blurred by random moves.
  bool evaluate_leaves = false;
  // A node being expanded whose mover has an action that wins the game at
  // once (a terminal child with the mover its sole winner) gets that action
  // as its only child: the search never wastes visits beside a win, and the
  // parent, whose opponent could have allowed it, sees a sure loss at once
  // (so it learns to block). Costs one clone per legal action per expansion.
  bool decisive_moves = false;
  // A rollout still running after this many actions ends as a draw (or is
  // scored by `evaluator` when there is one): a guard for endless games.
  int max_rollout_actions = 2000;
  // Root parallelisation (>= 1): the iterations are shared between this many
  // independent trees, searched as nested tasks in the caller's oneTBB arena
  // (so they compose with the game-level tasks without oversubscription),
  // and their root statistics summed. Tree k is seeded from the search's
  // seed and k, so the choice does not depend on which threads run the
  // trees, or how many there are.
  int search_threads = 1;
  // The clock time_per_move is read from, as the time since any fixed
  // origin; null: std::chrono::steady_clock. It is read once when a search
  // starts and once after each iteration but the first, and the search stops
  // at the first reading at or past start + time_per_move. A test seam: a
  // clock that advances a fixed step per reading makes the iterations a
  // budget allows exact. Called concurrently by root-parallel trees.
  std::function<absl::Duration()> clock = nullptr;
  // Searches clones of the real state even when it hides information, and so
  // plays with cards and a deck order the player cannot see: a cheating
  // baseline for measuring information-set MCTS, not a fair player. No
  // effect on a game without hidden information.
  bool see_hidden_information = false;
};

// The budget as players.h spells it: the iterations ("200"), or the time
// per move when there is one ("5ms", absl::FormatDuration).
std::string mcts_budget_name(int iterations, absl::Duration time_per_move);

class MctsPolicy final : public Policy {
 public:
  // InvalidArgument for iterations < 1, a negative or infinite time_per_move,
  // a negative or non-finite exploration,
  // a negative rollout depth, max_rollout_actions < 1, a rollout depth or
  // evaluate_leaves without an evaluator, evaluate_leaves with a rollout
  // depth, or search_threads outside 1..iterations.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<MctsPolicy>> create(
      const MctsOptions& options);
  ~MctsPolicy() override;

  // "mcts:<budget>" (mcts_budget_name; "mcts-cheat:<budget>" when it sees
  // hidden information), plus ",depth:<k>" with a rollout cut-off,
  // ",leaves" with evaluate_leaves, ",decisive" with decisive_moves and
  // "/<trees>" with root parallelisation (as players.h spells trees).
  std::string name() const override;
  // Searches from `state` and returns the most visited root action (ties: the
  // higher total reward, then the earlier in the search's shuffled order).
  // Draws exactly one number from `rng`. Thread-safe.
  Action choose_action(const State& state, absl::Span<const Action> legal,
                       Rng& rng) const override;

  const MctsOptions& options() const { return options_; }

 private:
  struct SearchArena;
  explicit MctsPolicy(const MctsOptions& options);
  // Root parallelisation: search_threads trees, their root statistics summed,
  // each searching until `end` on the options' clock (InfiniteDuration:
  // no time budget).
  Action search_trees(const State& state, absl::Span<const Action> legal,
                      std::uint64_t seed, absl::Duration end) const;

  MctsOptions options_;
  std::unique_ptr<SearchArena> arenas_;  // one per thread
};

}  // namespace selfplay

#endif  // SELFPLAY_MCTS_H_
