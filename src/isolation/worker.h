// The worker side of crash isolation: a process the supervisor started
// (supervisor.h) that plays the chunks of game indices it is sent and returns
// their tallies. If a game crashes it, only this process dies.
//
//   // in the worker process, with the channel on kWorkerChannelFd and the
//   // game slots (game_slots.h) on kWorkerSlotsFd:
//   StopToken stop;  // set from SIGINT/SIGTERM
//   return serve_supervisor(kWorkerChannelFd, kWorkerSlotsFd,
//                           registry.find(name), stop);
#ifndef SELFPLAY_ISOLATION_WORKER_H_
#define SELFPLAY_ISOLATION_WORKER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay::isolation {

// Reads the setup from `fd`, checks that `game` is the game it names and that
// the candidate features of the game have the ids it lists (or that it lists
// none: features off), answers Ready, then plays every chunk it receives with
// run_simulations, sending throttled progress and one result per chunk, until
// the supervisor closes the channel. A stop request ends the current chunk
// early (its result says how many games it played); later chunks play none.
// When it cannot go on (no game, another game or other features than the
// supervisor's, a bad setup) it sends an Error message. Each thread publishes
// the game it plays in its slot on `slots_fd`; when that descriptor holds no
// slots for the setup's threads, the worker plays without publishing (the
// supervisor then narrows crashes down by bisection). Returns the process's
// exit code: 0 after the channel closed cleanly, 1 otherwise.
int serve_supervisor(int fd, int slots_fd, absl::StatusOr<const Game*> game,
                     const StopToken& stop);

// The arguments run_isolated starts its workers with by default, which
// serve_isolated_worker (selfplay/isolated_run.h) recognises: the game's name
// and the plugins that define it.
std::vector<std::string> worker_arguments(
    std::string_view game, const std::vector<std::string>& game_libraries);

}  // namespace selfplay::isolation

#endif  // SELFPLAY_ISOLATION_WORKER_H_
