#include "training/match_games.h"

#include <exception>
#include <memory>
#include <stdexcept>

#include "selfplay/random.h"
#include "simulation/game_loop.h"

namespace selfplay {
namespace {

MatchOutcome outcome_for(const std::vector<int>& winners, int seat) {
  if (winners.empty()) return MatchOutcome::kDraw;
  bool won = false;
  for (int winner : winners) won = won || winner == seat;
  if (!won) return MatchOutcome::kLoss;
  return winners.size() == 1 ? MatchOutcome::kWin : MatchOutcome::kDraw;
}

}  // namespace

MatchGameResult play_match_game(const Game& game, int players, int max_actions,
                                const Policy& player, const Policy& opponent,
                                std::uint64_t seed, std::uint64_t index,
                                std::vector<Action>& actions) {
  const int seat = static_cast<int>(index % players);
  const std::uint64_t game_seed = seed_for(seed, index / players);
  try {
    std::unique_ptr<State> state = game.new_initial_state(game_seed, players);
    Rng rng(derive_seed(game_seed, kPolicyStream));
    std::vector<const Policy*> policies(players, &opponent);
    policies[seat] = &player;
    std::uint32_t played = 0;
    const LoopEnd end = play_game_loop(
        *state, players, {static_cast<std::uint32_t>(max_actions)}, policies,
        rng, actions, played, [](const State&, int, Action) {});
    if (end != LoopEnd::kTerminal) return {MatchOutcome::kTruncated, ""};
    return {outcome_for(checked_winners(*state, players), seat), ""};
  } catch (const std::exception& error) {
    return {MatchOutcome::kFailed, error.what()};
  } catch (...) {
    return {MatchOutcome::kFailed, "unknown exception"};
  }
}

void add_match_game(const MatchGameResult& game, MatchResult& result) {
  ++result.games;
  switch (game.outcome) {
    case MatchOutcome::kWin:
      ++result.wins;
      break;
    case MatchOutcome::kTruncated:
      ++result.truncated;
      [[fallthrough]];
    case MatchOutcome::kDraw:
      ++result.draws;
      break;
    case MatchOutcome::kLoss:
      ++result.losses;
      break;
    case MatchOutcome::kFailed:
      if (result.failed++ == 0) result.first_error = game.error;
      break;
  }
}

}  // namespace selfplay
