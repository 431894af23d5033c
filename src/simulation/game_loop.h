// The one loop that plays a game, for simulations and matches alike, so that
// a match game is the game `simulate` plays with the same policies in the
// same seats, and a game that breaks the contract fails the same way in both.
//
//   Rng rng(derive_seed(game_seed, kPolicyStream));
//   const LoopEnd end = play_game_loop(*state, players, limits, policies,
//                                      rng, actions, played,
//                                      [](const State&, int, Action) {});
//   if (end == LoopEnd::kTerminal) winners = checked_winners(*state, players);
#ifndef SELFPLAY_SIMULATION_GAME_LOOP_H_
#define SELFPLAY_SIMULATION_GAME_LOOP_H_

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "selfplay/game.h"
#include "selfplay/policy.h"
#include "selfplay/random.h"

namespace selfplay {

// The stream of a game seed that the policies draw from
// (derive_seed(game_seed, kPolicyStream)), apart from any chance inside the
// game.
inline constexpr std::uint64_t kPolicyStream = 1;

struct LoopLimits {
  std::uint32_t max_actions = 0;
  // Checked every 64 actions; time_point::max(): none.
  std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::time_point::max();
};

enum class LoopEnd { kTerminal, kTruncated, kTimedOut };

// Plays `state` until it is terminal or a limit is reached. At each
// decision: the mover, which must be a seat below `players`; its legal
// actions (into `actions`), which must not be empty; the action of
// `policies[mover]` (null or missing: uniformly at random from `rng`);
// `on_decision(state, mover, action)`; then the action is applied.
// `actions_played` counts as the game goes, so that a caller that catches
// what the game (or this contract's std::out_of_range / std::logic_error)
// throws knows how far it got.
template <typename OnDecision>
LoopEnd play_game_loop(State& state, int players, const LoopLimits& limits,
                       absl::Span<const Policy* const> policies, Rng& rng,
                       std::vector<Action>& actions,
                       std::uint32_t& actions_played,
                       OnDecision&& on_decision) {
  const bool timed =
      limits.deadline != std::chrono::steady_clock::time_point::max();
  while (!state.is_terminal()) {
    if (actions_played >= limits.max_actions) return LoopEnd::kTruncated;
    if (timed && actions_played % 64 == 0 &&
        std::chrono::steady_clock::now() > limits.deadline) {
      return LoopEnd::kTimedOut;
    }
    const int mover = state.current_player();
    if (mover < 0 || mover >= players) {
      throw std::out_of_range("current player " + std::to_string(mover) +
                              " is not a seat");
    }
    state.legal_actions(actions);
    if (actions.empty()) {
      throw std::logic_error("no legal actions in a non-terminal state");
    }
    const Policy* policy = static_cast<std::size_t>(mover) < policies.size()
                               ? policies[mover]
                               : nullptr;
    const Action action =
        policy != nullptr
            ? policy->choose_action(state, actions, rng)
            : actions[rng.uniform(static_cast<std::uint32_t>(actions.size()))];
    on_decision(static_cast<const State&>(state), mover, action);
    state.apply_action(action);
    ++actions_played;
  }
  return LoopEnd::kTerminal;
}

// The winners of a terminal `state`; throws std::out_of_range for one that is
// not a seat below `players`.
inline std::vector<int> checked_winners(const State& state, int players) {
  std::vector<int> winners = state.winners();
  for (int winner : winners) {
    if (winner < 0 || winner >= players) {
      throw std::out_of_range("winner " + std::to_string(winner) +
                              " is not a seat");
    }
  }
  return winners;
}

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_GAME_LOOP_H_
