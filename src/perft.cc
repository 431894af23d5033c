#include "selfplay/perft.h"

#include <vector>

namespace selfplay {
namespace {

std::uint64_t perft_from(State& state, int depth) {
  if (depth == 0) return 1;
  if (state.is_terminal()) return 0;
  std::vector<Action> actions;
  state.legal_actions(actions);
  if (depth == 1) return actions.size();
  std::uint64_t leaves = 0;
  for (Action action : actions) {
    std::unique_ptr<State> child = state.clone();
    child->apply_action(action);
    leaves += perft_from(*child, depth - 1);
  }
  return leaves;
}

}  // namespace

std::uint64_t perft(const State& state, int depth) {
  std::unique_ptr<State> root = state.clone();
  return perft_from(*root, depth);
}

}  // namespace selfplay
