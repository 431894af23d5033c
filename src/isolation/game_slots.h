// Which game each thread of a worker process is playing right now, in memory
// that the supervisor and the worker share: one 64-bit slot per worker
// thread, holding the game index + 1 while a game is in flight and 0 between
// games (run_simulations writes them: SimulationOptions::playing). When the
// worker dies or hangs, the supervisor reads the slots and knows the games in
// flight at that moment, so it can pin the culprit without bisecting the
// chunk (supervisor.h).
//
//   // supervisor, before starting the worker:
//   absl::StatusOr<GameSlots> slots = GameSlots::create(threads);
//   // ... the worker finds slots->fd() on kWorkerSlotsFd, and maps it:
//   absl::StatusOr<GameSlots> mine = GameSlots::attach(kWorkerSlotsFd,
//   threads); options.playing = mine->slots();
//   // supervisor, after the worker died:
//   std::uint64_t playing = slots->slots()[0].load(std::memory_order_acquire);
//
// The memory is a memfd: it outlives the worker, so its last stores stay
// readable, and it survives the worker's exec, which a MAP_SHARED anonymous
// mapping would not. Lock-free 64-bit atomics are address-free, so both
// processes may use them on their own mappings.
#ifndef SELFPLAY_ISOLATION_GAME_SLOTS_H_
#define SELFPLAY_ISOLATION_GAME_SLOTS_H_

#include <atomic>
#include <cstdint>
#include <span>

#include "absl/status/statusor.h"

namespace selfplay::isolation {

// The descriptor a worker process finds its slots on (its channel is on
// kWorkerChannelFd, channel.h).
inline constexpr int kWorkerSlotsFd = 4;

class GameSlots {
 public:
  // New zeroed slots for `threads` (>= 1) threads, on a close-on-exec
  // descriptor numbered above kWorkerSlotsFd, so that moving the channel and
  // the slots to their places in a new worker cannot overwrite one another.
  [[nodiscard]] static absl::StatusOr<GameSlots> create(int threads);
  // Maps the `threads` slots on `fd`, which it then owns. FailedPrecondition
  // when `fd` holds fewer (not a supervisor's slots: a worker then runs
  // without, and the supervisor falls back to bisection).
  [[nodiscard]] static absl::StatusOr<GameSlots> attach(int fd, int threads);

  GameSlots(GameSlots&& other) noexcept;
  GameSlots& operator=(GameSlots&& other) noexcept;
  GameSlots(const GameSlots&) = delete;
  GameSlots& operator=(const GameSlots&) = delete;
  ~GameSlots();

  int fd() const { return fd_; }
  std::span<std::atomic<std::uint64_t>> slots() const {
    return {slots_, count_};
  }

 private:
  GameSlots(int fd, std::atomic<std::uint64_t>* slots, std::size_t count)
      : fd_(fd), slots_(slots), count_(count) {}
  void release();

  int fd_ = -1;
  std::atomic<std::uint64_t>* slots_ = nullptr;
  std::size_t count_ = 0;
};

}  // namespace selfplay::isolation

#endif  // SELFPLAY_ISOLATION_GAME_SLOTS_H_
