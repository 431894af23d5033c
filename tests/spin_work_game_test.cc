// The granularity knob changes what a game costs, never what it does: states
// forward everything to the wrapped game's, and runs give the same counts.
#include "scaling/spin_work_game.h"

#include <gtest/gtest.h>

#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"
#include "test_games.h"

namespace selfplay::scaling {
namespace {

TEST(SpinWorkGame, StatesMatchTheWrappedGameMoveForMove) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  const Game* go_fish = *registry.find("go-fish");
  const SpinWorkGame slow(*go_fish, 100);
  EXPECT_EQ(&slow.structure(), &go_fish->structure());
  std::unique_ptr<State> plain = go_fish->new_initial_state(42, 3);
  std::unique_ptr<State> wrapped = slow.new_initial_state(42, 3);
  std::vector<Element> plain_elements, wrapped_elements;
  Rng rng(5);  // random moves: always the same one can go on for ever
  for (int moves = 0; moves < 2000 && !plain->is_terminal(); ++moves) {
    ASSERT_FALSE(wrapped->is_terminal());
    EXPECT_EQ(wrapped->num_players(), 3);
    EXPECT_EQ(wrapped->current_player(), plain->current_player());
    EXPECT_EQ(wrapped->hash(), plain->hash());
    EXPECT_EQ(wrapped->to_string(), plain->to_string());
    for (int player = 0; player < 3; ++player) {
      EXPECT_EQ(wrapped->player_property(player, 0),
                plain->player_property(player, 0));
      EXPECT_EQ(wrapped->mobility(player), plain->mobility(player));
    }
    plain->elements(plain_elements);
    wrapped->elements(wrapped_elements);
    EXPECT_EQ(wrapped_elements.size(), plain_elements.size());
    const std::vector<Action> legal = testing::legal_actions_of(*plain);
    ASSERT_EQ(testing::legal_actions_of(*wrapped), legal);
    const Action action =
        legal[rng.uniform(static_cast<std::uint32_t>(legal.size()))];
    EXPECT_EQ(wrapped->action_kind(action), plain->action_kind(action));
    plain->apply_action(action);
    wrapped->apply_action(action);
  }
  ASSERT_TRUE(plain->is_terminal()) << "no end in 2000 random moves";
  EXPECT_TRUE(wrapped->is_terminal());
  EXPECT_EQ(wrapped->winners(), plain->winners());
}

TEST(SpinWorkGame, AClonePlaysOnLikeTheOriginal) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  const SpinWorkGame slow(**registry.find("connect-four"), 10);
  std::unique_ptr<State> state = slow.new_initial_state(1, 2);
  state->apply_action(3);
  std::unique_ptr<State> copy = state->clone();
  state->apply_action(4);
  copy->apply_action(4);
  EXPECT_EQ(copy->hash(), state->hash());
  EXPECT_EQ(copy->to_string(), state->to_string());
}

TEST(SpinWorkGame, ARunGivesTheWrappedGamesCounts) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  const Game* checkers = *registry.find("checkers");
  const FeatureSet features =
      *generate_candidate_features(checkers->structure());
  SimulationOptions options;
  options.games = 100;
  options.threads = 2;
  const absl::StatusOr<SimulationResult> plain =
      run_simulations(*checkers, features, options);
  const absl::StatusOr<SimulationResult> slow =
      run_simulations(SpinWorkGame(*checkers, 50), features, options);
  ASSERT_TRUE(plain.ok() && slow.ok());
  EXPECT_EQ(slow->counts, plain->counts);
}

}  // namespace
}  // namespace selfplay::scaling
