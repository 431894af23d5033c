// Perft: the number of action sequences of exactly `depth` actions from a
// state, the standard check that a move generator is right. A terminal state
// reached before `depth` contributes 0; depth 0 counts the state itself (1).
//
//   std::uint64_t leaves = perft(*game.new_initial_state(0, 2), 6);
#ifndef SELFPLAY_PERFT_H_
#define SELFPLAY_PERFT_H_

#include <cstdint>

#include "selfplay/game.h"

namespace selfplay {

// Exceptions from game code propagate to the caller.
std::uint64_t perft(const State& state, int depth);

}  // namespace selfplay

#endif  // SELFPLAY_PERFT_H_
