// Measures how long each thread spends playing games, whatever schedules
// them: the load-imbalance probe of the scheduler comparison.
//
//   BusyTimeGame timed(checkers);
//   run_simulations(timed, features, options);   // or any other scheduler
//   std::vector<double> busy = timed.busy_seconds();  // one per thread
//
// A state adds its lifetime to the busy time of the thread that created it;
// the engine creates and destroys a game's state inside one GamePlayer::play,
// so that is the time the thread spent on the game. It costs two clock reads
// per game. Clones are the wrapped game's own states, and are not timed.
#ifndef SELFPLAY_SCALING_BUSY_TIME_GAME_H_
#define SELFPLAY_SCALING_BUSY_TIME_GAME_H_

#include <chrono>
#include <memory>
#include <vector>

#include "selfplay/game.h"
#include "tbb/enumerable_thread_specific.h"

namespace selfplay::scaling {

// Thread-safe like the game it wraps, which must outlive it.
class BusyTimeGame final : public Game {
 public:
  explicit BusyTimeGame(const Game& inner) : inner_(inner) {}

  const GameStructure& structure() const override { return inner_.structure(); }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int players) const override;

  // Busy seconds of each thread that played, in no particular order. Call
  // when no game is in play.
  std::vector<double> busy_seconds() const;

 private:
  const Game& inner_;
  mutable tbb::enumerable_thread_specific<std::chrono::nanoseconds> busy_{
      std::chrono::nanoseconds(0)};
};

}  // namespace selfplay::scaling

#endif  // SELFPLAY_SCALING_BUSY_TIME_GAME_H_
