#include "scaling/spin_work_game.h"

#include <utility>

#include "scaling/forwarding_state.h"
#include "selfplay/random.h"

namespace selfplay::scaling {
namespace {

class SpinWorkState final : public ForwardingState {
 public:
  SpinWorkState(std::unique_ptr<State> inner, std::int64_t iterations)
      : ForwardingState(std::move(inner)), iterations_(iterations) {}

  void apply_action(Action action) override {
    spin(iterations_);
    ForwardingState::apply_action(action);
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<SpinWorkState>(inner().clone(), iterations_);
  }

 private:
  const std::int64_t iterations_;
};

}  // namespace

void spin(std::int64_t iterations) {
  std::uint64_t value = kGoldenGamma;
  for (std::int64_t i = 0; i < iterations; ++i) {
    value = splitmix64_mix(value + static_cast<std::uint64_t>(i));
    // The empty asm claims to read and change `value`, so every round must
    // be computed, in order, and none can be folded away.
    asm volatile("" : "+r"(value));
  }
}

SpinWorkGame::SpinWorkGame(const Game& inner,
                           std::int64_t iterations_per_action)
    : inner_(inner), iterations_per_action_(iterations_per_action) {}

std::unique_ptr<State> SpinWorkGame::new_initial_state(std::uint64_t seed,
                                                       int players) const {
  return std::make_unique<SpinWorkState>(
      inner_.new_initial_state(seed, players), iterations_per_action_);
}

}  // namespace selfplay::scaling
