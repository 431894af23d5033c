#include "scaling/busy_time_game.h"

#include <utility>

#include "scaling/forwarding_state.h"

namespace selfplay::scaling {
namespace {

using Clock = std::chrono::steady_clock;

class BusyTimeState final : public ForwardingState {
 public:
  BusyTimeState(std::unique_ptr<State> inner, std::chrono::nanoseconds& busy,
                Clock::time_point born)
      : ForwardingState(std::move(inner)), busy_(busy), born_(born) {}
  ~BusyTimeState() override { busy_ += Clock::now() - born_; }

  std::unique_ptr<State> clone() const override { return inner().clone(); }

 private:
  std::chrono::nanoseconds& busy_;  // this thread's slot
  const Clock::time_point born_;
};

}  // namespace

std::unique_ptr<State> BusyTimeGame::new_initial_state(std::uint64_t seed,
                                                       int players) const {
  // The creating thread's slot: the state lives and dies on that thread.
  std::chrono::nanoseconds& busy = busy_.local();
  const Clock::time_point born = Clock::now();
  return std::make_unique<BusyTimeState>(
      inner_.new_initial_state(seed, players), busy, born);
}

std::vector<double> BusyTimeGame::busy_seconds() const {
  std::vector<double> seconds;
  for (const std::chrono::nanoseconds& busy : busy_) {
    seconds.push_back(std::chrono::duration<double>(busy).count());
  }
  return seconds;
}

}  // namespace selfplay::scaling
