// Ctrl-C and SIGTERM for a command that stops cleanly: while an
// InterruptHandler lives, the first SIGINT or SIGTERM requests a stop on its
// token (the command then reports what it did and exits 128 + signal); a
// second one takes the default action, at once.
//
//   StopToken stop;
//   {
//     InterruptHandler interrupt(stop);
//     ... work that polls stop.stop_requested() ...
//   }
//   if (stop.stop_requested()) return interrupt_exit_code();
#ifndef SELFPLAY_CLI_INTERRUPT_H_
#define SELFPLAY_CLI_INTERRUPT_H_

#include "selfplay/simulation.h"

namespace selfplay::cli {

// One at a time per process; not thread-safe (it installs signal handlers).
class InterruptHandler {
 public:
  explicit InterruptHandler(StopToken& stop);
  ~InterruptHandler();  // restores the default actions
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;
};

// 128 + the signal that stopped the last interrupted command (SIGINT when
// none did): the shell's convention for a command a signal ended.
int interrupt_exit_code();

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_INTERRUPT_H_
