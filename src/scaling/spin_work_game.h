// The granularity knob of the scaling experiments: a game made costlier by a
// fixed amount of arithmetic per action, so that one bundled game spans game
// costs from microseconds to tens of milliseconds while its moves, outcomes
// and tallies stay exactly those of the game it wraps.
//
//   SpinWorkGame slow(connect_four, /*iterations_per_action=*/10000);
//   run_simulations(slow, features, options);  // same counts, slower games
//
// One iteration is one round of the SplitMix64 finaliser on a dependent chain
// (a few nanoseconds; `selfplay scale --experiment granularity` measures it),
// so a game costs about actions x iterations x that more. It is arithmetic,
// not a clock, so it slows down with the machine like real game code does.
#ifndef SELFPLAY_SCALING_SPIN_WORK_GAME_H_
#define SELFPLAY_SCALING_SPIN_WORK_GAME_H_

#include <cstdint>
#include <memory>

#include "selfplay/game.h"

namespace selfplay::scaling {

// Runs `iterations` dependent rounds of work that the compiler cannot drop.
void spin(std::int64_t iterations);

// Thread-safe like the game it wraps, which must outlive it.
class SpinWorkGame final : public Game {
 public:
  // `iterations_per_action` >= 0 (0: the wrapped game plus one forwarding
  // call per State method).
  SpinWorkGame(const Game& inner, std::int64_t iterations_per_action);

  const GameStructure& structure() const override { return inner_.structure(); }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int players) const override;

 private:
  const Game& inner_;
  const std::int64_t iterations_per_action_;
};

}  // namespace selfplay::scaling

#endif  // SELFPLAY_SCALING_SPIN_WORK_GAME_H_
