// Games that take their process down on chosen seeds, for the crash-isolation
// tests: built only into the test binary and the test worker program
// (crash_test_worker.cc), never into the library or the CLI.
//
// Each plays take-away (test_games.h) and, when the game's seed is one of
// `bad_seeds`, faults on its third action: a null dereference (SIGSEGV), a
// call to abort() (SIGABRT), unbounded recursion (a stack overflow, SIGSEGV)
// or a loop that never returns (the supervisor's timeout). Each action may
// also keep its thread busy for a while (`work`), so that a benchmark's games
// cost what real games do.
#ifndef SELFPLAY_TESTS_CRASH_GAMES_H_
#define SELFPLAY_TESTS_CRASH_GAMES_H_

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "selfplay/game.h"
#include "test_games.h"

namespace selfplay::testing {

enum class Crash { kNullDereference, kAbort, kStackOverflow, kEndlessLoop };

inline std::string crash_game_name(Crash crash) {
  switch (crash) {
    case Crash::kNullDereference:
      return "crash-null";
    case Crash::kAbort:
      return "crash-abort";
    case Crash::kStackOverflow:
      return "crash-stack";
    case Crash::kEndlessLoop:
      return "crash-loop";
  }
  return "crash-unknown";
}

// Volatile so that the compiler can neither prove the recursion endless nor
// turn it into a loop.
inline volatile int crash_never_reached_depth = -1;

inline int recurse_until_the_stack_overflows(int depth) {
  volatile char frame[256];
  frame[0] = static_cast<char>(depth);
  if (depth == crash_never_reached_depth) return frame[0];
  return recurse_until_the_stack_overflows(depth + 1) + frame[0];
}

[[noreturn]] inline void fault(Crash crash) {
  switch (crash) {
    case Crash::kNullDereference: {
      volatile int* volatile nowhere = nullptr;
      *nowhere = 1;
      break;
    }
    case Crash::kAbort:
      std::abort();
    case Crash::kStackOverflow:
      recurse_until_the_stack_overflows(0);
      break;
    case Crash::kEndlessLoop:
      break;
  }
  // The endless loop, and where the others would land if they returned.
  while (true) std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

// Take-away with a hook before each action: the base of states that do
// something odd while they are played.
class HookedTakeAwayState : public State {
 public:
  explicit HookedTakeAwayState(std::uint64_t seed) : inner_(seed, false) {}

  int num_players() const override { return inner_.num_players(); }
  int current_player() const override { return inner_.current_player(); }
  bool is_terminal() const override { return inner_.is_terminal(); }
  void legal_actions(std::vector<Action>& actions) const override {
    inner_.legal_actions(actions);
  }
  void apply_action(Action action) final {
    before_action();
    inner_.apply_action(action);
  }
  std::vector<int> winners() const override { return inner_.winners(); }
  ActionKind action_kind(Action action) const override {
    return inner_.action_kind(action);
  }
  std::uint64_t hash() const override { return inner_.hash(); }
  std::string to_string() const override { return inner_.to_string(); }
  void elements(std::vector<Element>& elements) const override {
    inner_.elements(elements);
  }

 protected:
  virtual void before_action() = 0;

 private:
  TakeAwayState inner_;
};

class CrashingState final : public HookedTakeAwayState {
 public:
  CrashingState(std::uint64_t seed, std::optional<Crash> crash,
                std::chrono::microseconds work)
      : HookedTakeAwayState(seed), crash_(crash), work_(work) {}

  std::unique_ptr<State> clone() const override {
    return std::make_unique<CrashingState>(*this);
  }

 private:
  void before_action() override {
    if (crash_ && ++actions_ == 3) fault(*crash_);
    if (work_ > std::chrono::microseconds::zero()) {
      const auto until = std::chrono::steady_clock::now() + work_;
      while (std::chrono::steady_clock::now() < until) {
      }
    }
  }

  std::optional<Crash> crash_;
  std::chrono::microseconds work_;
  int actions_ = 0;
};

class CrashingGame final : public Game {
 public:
  CrashingGame(Crash crash, std::set<std::uint64_t> bad_seeds,
               std::chrono::microseconds work = {})
      : crash_(crash), bad_seeds_(std::move(bad_seeds)), work_(work) {
    structure_ = TakeAwayGame().structure();
    structure_.name = crash_game_name(crash);
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int) const override {
    return std::make_unique<CrashingState>(seed,
                                           bad_seeds_.count(seed) > 0
                                               ? std::optional<Crash>(crash_)
                                               : std::nullopt,
                                           work_);
  }

 private:
  Crash crash_;
  std::set<std::uint64_t> bad_seeds_;
  std::chrono::microseconds work_;
  GameStructure structure_;
};

}  // namespace selfplay::testing

#endif  // SELFPLAY_TESTS_CRASH_GAMES_H_
