#include "training/match_games.h"

#include <exception>
#include <memory>
#include <stdexcept>

#include "selfplay/random.h"

namespace selfplay {
namespace {

// The policy stream of a game seed, as in simulations, so that a match game
// is the game `simulate` would play with the same policies in the same seats.
constexpr std::uint64_t kPolicyStream = 1;

MatchOutcome outcome_for(const std::vector<int>& winners, int seat,
                         int players) {
  if (winners.empty()) return MatchOutcome::kDraw;
  bool won = false;
  for (int winner : winners) {
    if (winner < 0 || winner >= players) {
      throw std::out_of_range("winner " + std::to_string(winner) +
                              " is not a seat");
    }
    won = won || winner == seat;
  }
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
    for (int played = 0; !state->is_terminal(); ++played) {
      if (played >= max_actions) return {MatchOutcome::kTruncated, ""};
      const int mover = state->current_player();
      if (mover < 0 || mover >= players) {
        throw std::out_of_range("current player " + std::to_string(mover) +
                                " is not a seat");
      }
      state->legal_actions(actions);
      if (actions.empty()) {
        throw std::logic_error("no legal actions in a non-terminal state");
      }
      const Policy& policy = mover == seat ? player : opponent;
      state->apply_action(policy.choose_action(*state, actions, rng));
    }
    return {outcome_for(state->winners(), seat, players), ""};
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
