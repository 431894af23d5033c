// `selfplay worker`: the worker process of `simulate --isolate`, started by
// the supervisor with its channel on descriptor 3 and its game slots on 4.
// Not for people: it is left out of the command overview.
#include <fcntl.h>

#include <csignal>
#include <cstdio>

#include "cli/command.h"
#include "cli/common_flags.h"
#include "isolation/channel.h"
#include "isolation/game_slots.h"
#include "isolation/worker.h"

namespace selfplay::cli {
namespace {

StopToken* worker_stop = nullptr;

// SIGINT reaches the worker with its supervisor (one process group) and again
// from the supervisor; either stops the chunk it plays. The handler stays, so
// that the second does not kill it.
void on_stop_signal(int) {
  if (worker_stop != nullptr) worker_stop->request_stop();
}

int run_worker(const std::vector<std::string>&) {
  if (::fcntl(isolation::kWorkerChannelFd, F_GETFD) < 0) {
    std::fputs(
        "selfplay worker: internal command of `selfplay simulate --isolate`\n",
        stderr);
    return kExitUsage;
  }
  StopToken stop;
  worker_stop = &stop;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  return isolation::serve_supervisor(isolation::kWorkerChannelFd,
                                     isolation::kWorkerSlotsFd, selected_game(),
                                     stop);
}

}  // namespace

const Command kWorkerCommand = {
    "worker",
    "internal: plays the games of `simulate --isolate` in a child process",
    {"game", "game_lib"},
    run_worker,
    /*takes_arguments=*/false,
    /*hidden=*/true};

}  // namespace selfplay::cli
