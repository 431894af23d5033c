// Isolated runs (crash isolation): a simulation's games played in worker
// processes, so that a game that segfaults, aborts, overflows its stack or
// hangs loses only itself. Any program linking the library can be its own
// worker: it hands its arguments to serve_isolated_worker first thing in
// main, with the registry that knows its games.
//
//   int main(int argc, char** argv) {
//     GameRegistry registry = GameRegistry::with_bundled_games();
//     if (std::optional<int> exit_code =
//             isolation::serve_isolated_worker(argc, argv, registry)) {
//       return *exit_code;  // this process was started as a worker
//     }
//     ...
//     isolation::IsolationOptions isolation = {.workers = 4};
//     absl::StatusOr<SimulationResult> result =
//         isolation::run_isolated(game, features, options, isolation);
//   }
//
// The supervisor (the calling process) starts `workers` copies of `program`
// (by default this very program) with fork/exec, each serving the protocol of
// protocol.h on descriptor kWorkerChannelFd (channel.h), and hands them chunks
// of game indices; each worker plays its chunk with run_simulations on
// threads/workers threads, and the supervisor merges the chunks' tallies with
// SimulationCounts::merge, so that a run without crashes gives exactly the
// counts run_simulations gives.
//
// Each worker thread publishes the game it is playing in a slot of memory the
// supervisor shares with the worker (game_slots.h). When a worker dies (any
// signal, any exit, a malformed message), the supervisor reaps it, starts
// another, and reads the slots: the games in flight at the moment of death
// are the suspects. Each suspect is replayed once, alone; the rest of the
// chunk goes on to the workers at once. A suspect whose lone replay dies is
// the culprit; one that finishes is innocent (it was playing on another
// thread) and counts as usual. A game that a slot shows running for longer
// than `hang_limit` is hung: its worker is killed and the game is the
// culprit without a replay (so that a hang costs the limit once), unless
// several games passed the limit together, which are then replayed alone.
// A worker with games to play, none in flight, that sends nothing for
// `hang_limit` is killed too. Only when the slots name no game of the chunk
// (the worker died between games: killed from outside, in the runner's own
// code, by a game's damage that surfaced after the game ended, or it
// publishes nothing) is the chunk narrowed down by bisection: halves are
// played again, and a game alone that dies again is the culprit.
//
// A culprit is recorded as failed (counted in `failed` and `games`, listed in
// `failures` with its seed) with the reason: the signal's name ("SIGSEGV",
// "SIGABRT", ...), "timeout", "exit code N" or the protocol error. Every
// other game is played and counted as in-process, so the result equals
// run_simulations over the same indices minus the failed games, for any
// number of workers and threads. After deaths, chunks shrink so that a death
// replays few games (IsolationStats counts what the pinning cost).
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
#ifndef SELFPLAY_ISOLATED_RUN_H_
#define SELFPLAY_ISOLATED_RUN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"

namespace selfplay::isolation {

// A game the workers play longer than this without finishing is presumed
// hung when neither the game timeout nor IsolationOptions::hang_limit sets
// the limit.
inline constexpr int kDefaultIsolatedGameLimitSeconds = 10;

struct IsolationOptions {
  // Worker processes (>= 1). The run's threads (options.threads, 0 = all
  // cores) are divided between them, at least one each.
  int workers = 2;
  // Game plugins (selfplay/plugin_loader.h) the workers load to know the
  // game by its name: those this process loaded the game from.
  std::vector<std::string> game_libraries;
  // The worker program; its standard output goes to the supervisor's
  // standard error, so that a game's prints cannot mix with the supervisor's
  // output. By default this very program, which must then call
  // serve_isolated_worker first thing in main.
  std::string program = "/proc/self/exe";
  // The worker's arguments after argv[0]. Empty: those serve_isolated_worker
  // recognises, naming the game and `game_libraries`. A program of its own
  // (a test's worker) may take others.
  std::vector<std::string> arguments;
  // A worker with games to play that sends nothing (no progress, no result)
  // for this long is hung. Must exceed the longest game a run should finish
  // (options.game_timeout stops slow games cooperatively) plus
  // options.progress_interval, with room for a loaded machine. Zero: the
  // game timeout (else
  // kDefaultIsolatedGameLimitSeconds) plus the progress interval
  // and a second.
  absl::Duration hang_limit = absl::ZeroDuration();
};

// What finding the culprits cost a run. Which innocent games were in flight
// when a worker died depends on timing; the rest is the same every run.
struct IsolationStats {
  // Workers that died or were killed while they had games to play.
  std::uint64_t worker_deaths = 0;
  // Lone replays of suspects that died again: one per culprit found by its
  // slot (bisection's lone games count here too).
  std::uint64_t culprit_replays = 0;
  // Lone replays of suspects that finished: games in flight on another
  // thread when a worker died.
  std::uint64_t innocent_replays = 0;
  // Hung games failed on their slot's word, without a replay.
  std::uint64_t hangs_pinned = 0;
  // Chunks split in two because their worker died with none of their games
  // in flight (the fallback).
  std::uint64_t bisections = 0;

  bool operator==(const IsolationStats&) const = default;
};

// InvalidArgument for options run_simulations rejects, for fewer than one
// worker, and for policies (they live in this process's memory);
// FailedPrecondition when a worker reports it cannot play this game with
// these features (a worker computes only the game's candidate features), and
// Unavailable when workers die three times in a row before they are ready.
// Fills `stats`, when given, after a run that returns a result.
[[nodiscard]] absl::StatusOr<SimulationResult> run_isolated(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options, const IsolationOptions& isolation,
    IsolationStats* stats = nullptr);

// The worker side, for the program that IsolationOptions::program names.
// When `argv` are the arguments run_isolated starts its workers with,
// serves the supervisor that started this process: loads the plugins they
// name into `registry`, finds the game there, plays the chunks it is sent
// (SIGINT and SIGTERM stop the current chunk) and returns the exit code for
// main to return. Otherwise (a normal start of the program) returns nullopt
// and does nothing.
std::optional<int> serve_isolated_worker(int argc, char** argv,
                                         GameRegistry& registry);
}  // namespace selfplay::isolation

#endif  // SELFPLAY_ISOLATED_RUN_H_
