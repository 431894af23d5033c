// The busy-time probe: each thread that creates a state gets the state's
// lifetime added to its own slot, and nothing else changes.
#include "scaling/busy_time_game.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "test_games.h"

namespace selfplay::scaling {
namespace {

TEST(BusyTimeGame, NothingPlayedIsNoThreadAtAll) {
  const testing::TakeAwayGame game;
  const BusyTimeGame timed(game);
  EXPECT_TRUE(timed.busy_seconds().empty());
}

TEST(BusyTimeGame, AStateAddsAtLeastItsLifetimeToItsThread) {
  const testing::TakeAwayGame game;
  const BusyTimeGame timed(game);
  {
    std::unique_ptr<State> state = timed.new_initial_state(3, 2);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const std::vector<double> busy = timed.busy_seconds();
  ASSERT_EQ(busy.size(), 1u);
  EXPECT_GE(busy[0], 0.020);
}

TEST(BusyTimeGame, EachThreadHasItsOwnSlot) {
  const testing::TakeAwayGame game;
  const BusyTimeGame timed(game);
  const auto hold_a_state = [&timed](std::chrono::milliseconds how_long) {
    std::unique_ptr<State> state = timed.new_initial_state(3, 2);
    std::this_thread::sleep_for(how_long);
  };
  hold_a_state(std::chrono::milliseconds(1));
  std::thread other(hold_a_state, std::chrono::milliseconds(30));
  other.join();
  std::vector<double> busy = timed.busy_seconds();
  ASSERT_EQ(busy.size(), 2u);
  std::sort(busy.begin(), busy.end());
  EXPECT_GE(busy[0], 0.001);
  EXPECT_GE(busy[1], 0.030);
}

TEST(BusyTimeGame, StatesPlayLikeTheWrappedGame) {
  const testing::TakeAwayGame game;
  const BusyTimeGame timed(game);
  EXPECT_EQ(&timed.structure(), &game.structure());
  std::unique_ptr<State> plain = game.new_initial_state(9, 2);
  std::unique_ptr<State> wrapped = timed.new_initial_state(9, 2);
  while (!plain->is_terminal()) {
    ASSERT_FALSE(wrapped->is_terminal());
    EXPECT_EQ(wrapped->hash(), plain->hash());
    ASSERT_EQ(testing::legal_actions_of(*wrapped),
              testing::legal_actions_of(*plain));
    plain->apply_action(1);
    wrapped->apply_action(1);
  }
  EXPECT_TRUE(wrapped->is_terminal());
  EXPECT_EQ(wrapped->winners(), plain->winners());
  EXPECT_EQ(wrapped->clone()->to_string(), plain->to_string());
}

}  // namespace
}  // namespace selfplay::scaling
