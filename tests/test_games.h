// Small games built for tests: a take-away game with two action kinds, one
// that throws on chosen seeds, one that never ends, and a fixed position whose
// elements a test sets directly.
#ifndef SELFPLAY_TESTS_TEST_GAMES_H_
#define SELFPLAY_TESTS_TEST_GAMES_H_

#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

#include "selfplay/game.h"
#include "selfplay/random.h"

namespace selfplay::testing {

// The legal actions of `state` in a fresh vector.
inline std::vector<Action> legal_actions_of(const State& state) {
  std::vector<Action> actions;
  state.legal_actions(actions);
  return actions;
}

// Take-away: a pile of 5..14 tokens (drawn from the seed); players alternate
// taking 1 ("one") or 2 ("two"); whoever takes the last token wins. When
// `throwing_seeds` holds the seed, apply_action throws `failure` on the third
// action.
class TakeAwayState final : public State {
 public:
  TakeAwayState(std::uint64_t seed, bool throws,
                const char* failure = "planted failure")
      : pile_(5 + static_cast<int>(Rng(seed).uniform(10))),
        throws_(throws),
        failure_(failure) {}

  int num_players() const override { return 2; }
  int current_player() const override { return taken_ % 2; }
  bool is_terminal() const override { return pile_ == 0; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.clear();
    actions.push_back(1);
    if (pile_ >= 2) actions.push_back(2);
  }
  void apply_action(Action action) override {
    if (throws_ && taken_ == 2) throw std::runtime_error(failure_);
    pile_ -= action;
    last_mover_ = current_player();
    ++taken_;
  }
  std::vector<int> winners() const override { return {last_mover_}; }
  ActionKind action_kind(Action action) const override { return action - 1; }
  std::uint64_t hash() const override {
    return splitmix64_mix(static_cast<std::uint64_t>(pile_) * 2 + taken_ % 2);
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<TakeAwayState>(*this);
  }
  std::string to_string() const override { return std::to_string(pile_); }
  void elements(std::vector<Element>& elements) const override {
    elements.clear();
    for (int i = 0; i < pile_; ++i) elements.push_back({.type = 0});
  }
  int pile() const { return pile_; }

 private:
  int pile_;
  int taken_ = 0;
  int last_mover_ = -1;
  bool throws_;
  const char* failure_;  // a literal
};

class TakeAwayGame final : public Game {
 public:
  explicit TakeAwayGame(std::set<std::uint64_t> throwing_seeds = {},
                        const char* failure = "planted failure")
      : throwing_seeds_(std::move(throwing_seeds)), failure_(failure) {
    structure_.name = "take-away";
    structure_.type = GameType::kCollection;
    structure_.element_types = {
        {.name = "token", .owned = false, .properties = {}}};
    structure_.action_kinds = {"one", "two"};
    // num_actions is left undeclared (0), as a game may: the Python tests
    // load this game as a plugin to check VectorEnv's num_actions argument.
    structure_.deterministic = false;
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int) const override {
    return std::make_unique<TakeAwayState>(
        seed, throwing_seeds_.count(seed) > 0, failure_);
  }
  // The structure's name and action kinds, for games that need others.
  GameStructure& mutable_structure() { return structure_; }

 private:
  GameStructure structure_;
  std::set<std::uint64_t> throwing_seeds_;
  const char* failure_;
};

// Never terminal; each action optionally sleeps, to trip the timeout.
class EndlessState final : public State {
 public:
  explicit EndlessState(std::chrono::microseconds pause) : pause_(pause) {}
  int num_players() const override { return 2; }
  int current_player() const override { return moves_ % 2; }
  bool is_terminal() const override { return false; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.assign({0, 1});
  }
  void apply_action(Action) override {
    ++moves_;
    if (pause_.count() > 0) std::this_thread::sleep_for(pause_);
  }
  std::vector<int> winners() const override { return {}; }
  ActionKind action_kind(Action) const override { return 0; }
  std::uint64_t hash() const override { return moves_; }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<EndlessState>(*this);
  }
  std::string to_string() const override { return "endless"; }
  void elements(std::vector<Element>& elements) const override {
    elements.clear();
  }

 private:
  std::chrono::microseconds pause_;
  int moves_ = 0;
};

class EndlessGame final : public Game {
 public:
  explicit EndlessGame(
      std::chrono::microseconds pause = std::chrono::microseconds(0))
      : pause_(pause) {
    structure_.name = "endless";
    structure_.action_kinds = {"step"};
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<EndlessState>(pause_);
  }

 private:
  GameStructure structure_;
  std::chrono::microseconds pause_;
};

// A position whose elements and player properties a test sets; it is not
// meant to be played.
class FixedState final : public State {
 public:
  FixedState(int players, std::vector<Element> elements,
             std::vector<std::vector<std::int64_t>> player_properties = {},
             std::vector<int> mobility = {})
      : players_(players),
        elements_(std::move(elements)),
        player_properties_(std::move(player_properties)),
        mobility_(std::move(mobility)) {}

  int num_players() const override { return players_; }
  int current_player() const override { return 0; }
  bool is_terminal() const override { return false; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.assign({0});
  }
  void apply_action(Action) override {}
  std::vector<int> winners() const override { return {}; }
  ActionKind action_kind(Action) const override { return 0; }
  std::uint64_t hash() const override { return 0; }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<FixedState>(*this);
  }
  std::string to_string() const override { return "fixed"; }
  void elements(std::vector<Element>& elements) const override {
    elements = elements_;
  }
  std::int64_t player_property(int player, int property) const override {
    return player_properties_.at(player).at(property);
  }
  int mobility(int player) const override { return mobility_.at(player); }

 private:
  int players_;
  std::vector<Element> elements_;
  std::vector<std::vector<std::int64_t>> player_properties_;
  std::vector<int> mobility_;
};

}  // namespace selfplay::testing

#endif  // SELFPLAY_TESTS_TEST_GAMES_H_
