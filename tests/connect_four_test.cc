// Connect four: perft, every direction of four, full columns, draws.
#include "games/connect_four.h"

#include <gtest/gtest.h>

#include <set>

#include "selfplay/perft.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::legal_actions_of;

ConnectFourState play(std::initializer_list<Action> columns) {
  ConnectFourState state;
  for (Action column : columns) state.apply_action(column);
  return state;
}

TEST(ConnectFour, PerftMatchesTheKnownCounts) {
  const ConnectFourState start;
  const std::uint64_t expected[] = {7, 49, 343, 2401, 16807, 117649};
  for (int depth = 1; depth <= 6; ++depth) {
    EXPECT_EQ(perft(start, depth), expected[depth - 1]) << depth;
  }
}

TEST(ConnectFour, FourInAColumnWins) {
  const ConnectFourState state = play({3, 4, 3, 4, 3, 4, 3});
  EXPECT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), std::vector<int>{0});
}

TEST(ConnectFour, FourInARowWins) {
  const ConnectFourState state = play({0, 0, 1, 1, 2, 2, 3});
  EXPECT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), std::vector<int>{0});
}

TEST(ConnectFour, BothDiagonalsWin) {
  // Rising: player 0 on (0,0) (1,1) (2,2) (3,3).
  const ConnectFourState rising = play({0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3});
  EXPECT_EQ(rising.disc(3, 3), 0);
  EXPECT_TRUE(rising.is_terminal());
  EXPECT_EQ(rising.winners(), std::vector<int>{0});
  // Falling: player 1 on (3,0) (2,1) (1,2) (0,3).
  const ConnectFourState falling = play({0, 3, 0, 2, 0, 2, 1, 0, 1, 1});
  EXPECT_TRUE(falling.is_terminal());
  EXPECT_EQ(falling.winners(), std::vector<int>{1});
}

TEST(ConnectFour, ThreeInARowDoesNotWinAndLinesDoNotWrapAcrossColumns) {
  EXPECT_FALSE(play({0, 0, 1, 1, 2, 2}).is_terminal());
  // Top of column 0 and bottom of column 1 are adjacent bits, not a line.
  ConnectFourState state = play({0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 2, 0});
  EXPECT_FALSE(state.is_terminal());
}

TEST(ConnectFour, AFullColumnIsNotLegal) {
  const ConnectFourState state = play({2, 2, 2, 2, 2, 2});
  const std::vector<Action> actions = legal_actions_of(state);
  EXPECT_EQ(std::set<Action>(actions.begin(), actions.end()),
            (std::set<Action>{0, 1, 3, 4, 5, 6}));
  EXPECT_EQ(state.mobility(0), 6);
}

TEST(ConnectFour, AFullBoardWithoutFourIsADraw) {
  // Columns filled in pairs with a pattern that never lines up four:
  // column pairs (0,1), (2,3), (4,5) alternate shifted, column 6 last.
  ConnectFourState state;
  const std::vector<Action> order = {0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3,
                                     2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5,
                                     4, 5, 5, 4, 5, 4, 5, 4, 6, 6, 6, 6, 6, 6};
  for (Action column : order) {
    ASSERT_FALSE(state.is_terminal()) << state.to_string();
    state.apply_action(column);
  }
  EXPECT_TRUE(state.is_terminal()) << state.to_string();
  EXPECT_TRUE(state.winners().empty()) << state.to_string();
}

TEST(ConnectFour, ElementsAndHashesFollowTheDiscs) {
  ConnectFourState state;
  std::set<std::uint64_t> hashes = {state.hash()};
  for (Action column : {3, 3, 4, 2, 6}) {
    state.apply_action(column);
    EXPECT_TRUE(hashes.insert(state.hash()).second);
  }
  std::vector<Element> elements;
  state.elements(elements);
  EXPECT_EQ(elements.size(), 5u);
  EXPECT_EQ(state.disc(1, 3), 1);
  EXPECT_EQ(state.disc(0, 6), 0);
  EXPECT_EQ(state.disc(1, 6), -1);
  EXPECT_TRUE(validate_structure(make_connect_four_game()->structure()).ok());
}

}  // namespace
}  // namespace selfplay
