// Three ways to schedule the same games on T threads, for the scheduler
// comparison of `selfplay scale`:
//   - work stealing: the engine itself (run_simulations: oneTBB tasks over
//     recursively split index ranges, batches sized by a timed calibration);
//   - static partition: thread t plays one contiguous block of game indices;
//   - central queue: a mutex-protected queue of game indices, one game per
//     pop (the worker pool of the original trainer).
// All three play every game with the engine's GamePlayer, so only the
// scheduling differs, and all three give identical counts.
//
//   absl::StatusOr<ScheduledRun> run = run_scheduled(
//       Scheduler::kCentralQueue, game, features, options);
//   // run->wall_s, run->imbalance(), run->counts
#ifndef SELFPLAY_SCALING_SCHEDULERS_H_
#define SELFPLAY_SCALING_SCHEDULERS_H_

#include <array>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay::scaling {

enum class Scheduler { kWorkStealing, kStaticPartition, kCentralQueue };

inline constexpr std::array<Scheduler, 3> kAllSchedulers = {
    Scheduler::kWorkStealing, Scheduler::kStaticPartition,
    Scheduler::kCentralQueue};

// "work-stealing", "static-partition", "central-queue".
const char* scheduler_name(Scheduler scheduler);

struct ScheduledRun {
  SimulationCounts counts;
  // Scheduling and playing, from the first game handed out to the last
  // thread done (thread start-up and the merge included).
  double wall_s = 0;
  // Seconds each thread spent inside games (BusyTimeGame): at least
  // `threads` entries, 0 for a thread that played nothing.
  std::vector<double> busy_s;

  // Load imbalance: the busiest thread's busy time over the mean over the
  // threads; 1 is perfect balance. 0 when nothing was played.
  double imbalance() const;
};

// Plays games [0, options.games) on options.threads (>= 1) threads with
// `scheduler`. keep_game_summaries, progress and stop are ignored.
// InvalidArgument for options run_simulations rejects, for threads == 0 (a
// comparison needs an explicit count) and for index ranges.
[[nodiscard]] absl::StatusOr<ScheduledRun> run_scheduled(
    Scheduler scheduler, const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

}  // namespace selfplay::scaling

#endif  // SELFPLAY_SCALING_SCHEDULERS_H_
