// Perft: the number of action sequences of exactly `depth` actions from a
// state, the standard check that a move generator is right. A terminal state
// reached before `depth` contributes 0; depth 0 counts the state itself (1).
//
//   std::uint64_t leaves = perft(*game.new_initial_state(0, 2), 6);
//   absl::StatusOr<std::uint64_t> checked = perft(*state, 12, &stop);
#ifndef SELFPLAY_PERFT_H_
#define SELFPLAY_PERFT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay {

// The count, checked: OutOfRange when it exceeds 2^64 - 1 (the count so far
// is lost, not wrapped), Cancelled soon after `stop` (may be null) is
// requested, InvalidArgument for a negative depth. Exceptions from game code
// propagate to the caller. May be called from several threads at once on
// different states.
[[nodiscard]] absl::StatusOr<std::uint64_t> perft(const State& state, int depth,
                                                  const StopToken* stop);

// The same for depths whose count is known to fit in 64 bits (tests of a
// move generator): 2^64 - 1 when it does not.
std::uint64_t perft(const State& state, int depth);

}  // namespace selfplay

#endif  // SELFPLAY_PERFT_H_
