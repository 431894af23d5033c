#include "selfplay/perft.h"

#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"

namespace selfplay {
namespace {

// Why a count stopped before its end.
enum class Stopped { kNo, kOverflow, kRequested };

class Counter {
 public:
  explicit Counter(const StopToken* stop) : stop_(stop) {}

  // Adds the leaves below `state` to `leaves`; false when stopped.
  bool count(State& state, int depth, std::uint64_t& leaves) {
    if (stop_ != nullptr && stop_->stop_requested()) {
      stopped_ = Stopped::kRequested;
      return false;
    }
    if (depth == 0) return add(1, leaves);
    if (state.is_terminal()) return true;
    std::vector<Action> actions;
    state.legal_actions(actions);
    if (depth == 1) return add(actions.size(), leaves);
    for (Action action : actions) {
      std::unique_ptr<State> child = state.clone();
      child->apply_action(action);
      if (!count(*child, depth - 1, leaves)) return false;
    }
    return true;
  }

  Stopped stopped() const { return stopped_; }

 private:
  bool add(std::uint64_t more, std::uint64_t& leaves) {
    if (__builtin_add_overflow(leaves, more, &leaves)) {
      stopped_ = Stopped::kOverflow;
      return false;
    }
    return true;
  }

  const StopToken* stop_;
  Stopped stopped_ = Stopped::kNo;
};

}  // namespace

absl::StatusOr<std::uint64_t> perft(const State& state, int depth,
                                    const StopToken* stop) {
  if (depth < 0) {
    return absl::InvalidArgumentError("perft: the depth must not be negative");
  }
  std::unique_ptr<State> root = state.clone();
  Counter counter(stop);
  std::uint64_t leaves = 0;
  if (counter.count(*root, depth, leaves)) return leaves;
  if (counter.stopped() == Stopped::kOverflow) {
    return absl::OutOfRangeError(absl::StrCat(
        "perft: more than 2^64 - 1 action sequences of ", depth, " actions"));
  }
  return absl::CancelledError("perft: stopped");
}

std::uint64_t perft(const State& state, int depth) {
  absl::StatusOr<std::uint64_t> leaves = perft(state, depth, nullptr);
  return leaves.ok() ? *leaves : std::numeric_limits<std::uint64_t>::max();
}

}  // namespace selfplay
