// Ctrl-C and SIGTERM for a run that stops cleanly: while an InterruptHandler
// lives, the first SIGINT or SIGTERM requests a stop on its token (the run
// then ends early with what it played; a command exits 128 + signal); a
// second one takes the default action, at once. The handlers that were
// installed before come back when it ends.
//
//   StopToken stop;
//   {
//     InterruptHandler interrupt(stop);
//     ... work that polls stop.stop_requested() ...
//   }
//   if (stop.stop_requested()) return interrupt_exit_code();
#ifndef SELFPLAY_INTERRUPT_H_
#define SELFPLAY_INTERRUPT_H_

#include "selfplay/simulation.h"

namespace selfplay {

// One at a time per process; not thread-safe (it installs signal handlers).
class InterruptHandler {
 public:
  explicit InterruptHandler(StopToken& stop);
  ~InterruptHandler();  // restores the handlers installed before
  InterruptHandler(const InterruptHandler&) = delete;
  InterruptHandler& operator=(const InterruptHandler&) = delete;

 private:
  void (*previous_interrupt_)(int);
  void (*previous_terminate_)(int);
};

// 128 + the signal that stopped the last interrupted command (SIGINT when
// none did): the shell's convention for a command a signal ended.
int interrupt_exit_code();

}  // namespace selfplay

#endif  // SELFPLAY_INTERRUPT_H_
