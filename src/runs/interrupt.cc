#include "selfplay/interrupt.h"

#include <csignal>

namespace selfplay {
namespace {

StopToken* interrupt_token = nullptr;
volatile std::sig_atomic_t interrupt_signal = 0;

void on_interrupt(int signal) {
  interrupt_signal = signal;
  if (interrupt_token != nullptr) interrupt_token->request_stop();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace

InterruptHandler::InterruptHandler(StopToken& stop) {
  interrupt_token = &stop;
  previous_interrupt_ = std::signal(SIGINT, on_interrupt);
  previous_terminate_ = std::signal(SIGTERM, on_interrupt);
}

InterruptHandler::~InterruptHandler() {
  std::signal(SIGINT, previous_interrupt_);
  std::signal(SIGTERM, previous_terminate_);
  interrupt_token = nullptr;
}

int interrupt_exit_code() {
  return 128 + (interrupt_signal != 0 ? interrupt_signal : SIGINT);
}

}  // namespace selfplay
