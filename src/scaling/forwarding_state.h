// A State that forwards every call to the state it wraps: the base of the
// game decorators of the scaling experiments (spin_work_game.h,
// busy_time_game.h), which change what a game costs, never what it does.
#ifndef SELFPLAY_SCALING_FORWARDING_STATE_H_
#define SELFPLAY_SCALING_FORWARDING_STATE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "selfplay/game.h"

namespace selfplay::scaling {

class ForwardingState : public State {
 public:
  explicit ForwardingState(std::unique_ptr<State> inner)
      : inner_(std::move(inner)) {}

  int num_players() const override { return inner_->num_players(); }
  int current_player() const override { return inner_->current_player(); }
  bool is_terminal() const override { return inner_->is_terminal(); }
  void legal_actions(std::vector<Action>& actions) const override {
    inner_->legal_actions(actions);
  }
  void apply_action(Action action) override { inner_->apply_action(action); }
  std::vector<int> winners() const override { return inner_->winners(); }
  ActionKind action_kind(Action action) const override {
    return inner_->action_kind(action);
  }
  std::uint64_t hash() const override { return inner_->hash(); }
  std::string to_string() const override { return inner_->to_string(); }
  void elements(std::vector<Element>& elements) const override {
    inner_->elements(elements);
  }
  std::int64_t player_property(int player, int property) const override {
    return inner_->player_property(player, property);
  }
  int mobility(int player) const override { return inner_->mobility(player); }

 protected:
  const State& inner() const { return *inner_; }

 private:
  std::unique_ptr<State> inner_;
};

}  // namespace selfplay::scaling

#endif  // SELFPLAY_SCALING_FORWARDING_STATE_H_
