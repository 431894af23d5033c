// Crash isolation: runs a simulation's games in worker processes, so that a
// game that segfaults, aborts, overflows its stack or hangs loses only itself.
//
//   IsolationOptions isolation;
//   isolation.workers = 2;
//   isolation.arguments = {"worker", "--game=checkers"};  // selfplay's own
//   absl::StatusOr<SimulationResult> result =
//       run_isolated(game, features, options, isolation);
//
// The supervisor (the calling process) starts `workers` copies of `program`
// with fork/exec, each serving the protocol of protocol.h on descriptor
// kWorkerChannelFd (worker.h), and hands them chunks of game indices; each
// worker plays its chunk with run_simulations on threads/workers threads, and
// the supervisor merges the chunks' tallies with SimulationCounts::merge, so
// that a run without crashes gives exactly the counts run_simulations gives.
//
// When a worker dies (any signal, any exit, a malformed message) or sends
// nothing for `hang_limit` while it has games to play (it is then killed),
// the supervisor reaps it, starts another, and narrows the
// chunk it was playing down by bisection: each half is played again in a
// fresh worker, and halves that fail are split again. A single game whose
// worker dies twice is recorded as failed (counted in `failed` and `games`,
// listed in `failures` with its seed) with the reason: the signal's name
// ("SIGSEGV", "SIGABRT", ...), "timeout", "exit code N" or the protocol
// error. Every other game is played and counted as in-process, so the result
// equals run_simulations over the same indices minus the failed games.
//
// Cancellation: when options.stop is set (a SIGINT handler), the supervisor
// sends SIGINT to its workers, hands out no more chunks, merges what the
// workers played and returns, with the unplayed games counted as cancelled.
// Progress goes to options.progress as in run_simulations: serialised,
// non-decreasing, throttled to options.progress_interval, the final count
// last. No worker outlives the call: all are reaped before it returns, and a
// worker whose supervisor dies is killed by the kernel (PR_SET_PDEATHSIG).
//
// Not thread-safe: one call at a time per process (it forks, and reaps its own
// children by process id).
#ifndef SELFPLAY_ISOLATION_SUPERVISOR_H_
#define SELFPLAY_ISOLATION_SUPERVISOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay::isolation {

struct IsolationOptions {
  // Worker processes (>= 1). The run's threads (options.threads, 0 = all
  // cores) are divided between them, at least one each.
  int workers = 2;
  // The worker program and its arguments after argv[0]; its standard output
  // goes to the supervisor's standard error, so that a game's prints cannot
  // mix with the supervisor's output.
  std::string program = "/proc/self/exe";
  std::vector<std::string> arguments;
  // A worker with games to play that sends nothing (no progress, no result)
  // for this long is hung. Must exceed the longest game a run should finish
  // (options.game_timeout stops slow games cooperatively) plus
  // options.progress_interval, with room for a loaded machine.
  absl::Duration hang_limit = absl::Seconds(11);
};

// InvalidArgument for options run_simulations rejects, for fewer than one
// worker, and for policies (they live in this process's memory);
// FailedPrecondition when a worker reports it cannot play this game with
// these features (a worker computes only the game's candidate features), and
// Unavailable when workers die three times in a row before they are ready.
[[nodiscard]] absl::StatusOr<SimulationResult> run_isolated(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options, const IsolationOptions& isolation);

}  // namespace selfplay::isolation

#endif  // SELFPLAY_ISOLATION_SUPERVISOR_H_
