// How a seat chooses its action. Policies are shared by all worker threads:
// `choose_action` is const and must be thread-safe, and deterministic given
// its arguments, so that a game is a pure function of its seed.
//
//   RandomPolicy random;
//   Action a = random.choose_action(state, legal, rng);
#ifndef SELFPLAY_POLICY_H_
#define SELFPLAY_POLICY_H_

#include <string>

#include "absl/types/span.h"
#include "selfplay/game.h"
#include "selfplay/random.h"

namespace selfplay {

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string name() const = 0;
  // Picks one of `legal` (non-empty) for the current player of `state`.
  // `rng` is this game's policy stream, seeded from the game seed.
  virtual Action choose_action(const State& state,
                               absl::Span<const Action> legal,
                               Rng& rng) const = 0;
};

// Uniformly random among the legal actions.
class RandomPolicy final : public Policy {
 public:
  std::string name() const override { return "random"; }
  Action choose_action(const State&, absl::Span<const Action> legal,
                       Rng& rng) const override {
    return legal[rng.uniform(static_cast<std::uint32_t>(legal.size()))];
  }
};

}  // namespace selfplay

#endif  // SELFPLAY_POLICY_H_
