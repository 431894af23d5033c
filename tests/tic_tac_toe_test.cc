// Tic-tac-toe: exhaustive game counts, rules, and random self-play outcome
// rates against exact probabilities computed here by enumeration.
#include "games/tic_tac_toe.h"

#include <gtest/gtest.h>

#include <cmath>

#include "selfplay/perft.h"
#include "selfplay/simulation.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::legal_actions_of;

struct Outcomes {
  std::uint64_t first = 0, second = 0, draws = 0;
};

void count_complete_games(const State& state, Outcomes& outcomes) {
  if (state.is_terminal()) {
    const std::vector<int> winners = state.winners();
    (winners.empty()   ? outcomes.draws
     : winners[0] == 0 ? outcomes.first
                       : outcomes.second)++;
    return;
  }
  for (Action action : legal_actions_of(state)) {
    std::unique_ptr<State> child = state.clone();
    child->apply_action(action);
    count_complete_games(*child, outcomes);
  }
}

// Probabilities of each outcome when both players pick uniformly at random.
std::array<double, 3> random_play_probabilities(const State& state) {
  if (state.is_terminal()) {
    const std::vector<int> winners = state.winners();
    if (winners.empty()) return {0, 0, 1};
    return winners[0] == 0 ? std::array<double, 3>{1, 0, 0}
                           : std::array<double, 3>{0, 1, 0};
  }
  const std::vector<Action> actions = legal_actions_of(state);
  std::array<double, 3> total{};
  for (Action action : actions) {
    std::unique_ptr<State> child = state.clone();
    child->apply_action(action);
    const std::array<double, 3> p = random_play_probabilities(*child);
    for (int i = 0; i < 3; ++i) total[i] += p[i] / actions.size();
  }
  return total;
}

TEST(TicTacToe, HasTheKnownNumbersOfCompleteGamesAndOutcomes) {
  Outcomes outcomes;
  count_complete_games(TicTacToeState(), outcomes);
  EXPECT_EQ(outcomes.first + outcomes.second + outcomes.draws, 255168u);
  EXPECT_EQ(outcomes.first, 131184u);
  EXPECT_EQ(outcomes.second, 77904u);
  EXPECT_EQ(outcomes.draws, 46080u);
}

TEST(TicTacToe, PerftCountsSequencesAndStopsAtWins) {
  const TicTacToeState start;
  EXPECT_EQ(perft(start, 1), 9u);
  EXPECT_EQ(perft(start, 2), 72u);
  EXPECT_EQ(perft(start, 3), 504u);
  // 1440 games are won on move 5 and contribute nothing at depth 6.
  EXPECT_EQ(perft(start, 6), (15120u - 1440u) * 4);
}

TEST(TicTacToe, RowsColumnsAndDiagonalsWin) {
  const std::vector<std::vector<Action>> wins = {
      {0, 3, 1, 4, 2},  // top row
      {0, 1, 3, 2, 6},  // left column
      {0, 1, 4, 2, 8},  // main diagonal
      {2, 0, 4, 1, 6},  // anti-diagonal
  };
  for (const std::vector<Action>& moves : wins) {
    TicTacToeState state;
    for (Action a : moves) {
      EXPECT_FALSE(state.is_terminal());
      state.apply_action(a);
    }
    EXPECT_TRUE(state.is_terminal());
    EXPECT_EQ(state.winners(), std::vector<int>{0});
    EXPECT_TRUE(legal_actions_of(state).empty());
  }
}

TEST(TicTacToe, AFullBoardWithoutALineIsADraw) {
  TicTacToeState state;
  // X O X / X O O / O X X
  for (Action a : {0, 1, 2, 4, 3, 5, 7, 6, 8}) state.apply_action(a);
  EXPECT_TRUE(state.is_terminal());
  EXPECT_TRUE(state.winners().empty());
}

TEST(TicTacToe, ElementsHashAndMobilityFollowTheBoard) {
  TicTacToeState state;
  const std::uint64_t empty_hash = state.hash();
  state.apply_action(4);
  state.apply_action(0);
  EXPECT_NE(state.hash(), empty_hash);
  std::vector<Element> elements;
  state.elements(elements);
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(elements[0].owner, 0);
  EXPECT_EQ(elements[0].row, 1);
  EXPECT_EQ(elements[0].column, 1);
  EXPECT_EQ(elements[1].owner, 1);
  EXPECT_EQ(state.mobility(0), 7);
  EXPECT_EQ(state.mark(0, 0), 1);
  EXPECT_TRUE(validate_structure(make_tic_tac_toe_game()->structure()).ok());
}

TEST(TicTacToe, RandomSelfPlayMatchesTheExactOutcomeProbabilities) {
  const std::array<double, 3> p = random_play_probabilities(TicTacToeState());
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-12);
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  SimulationOptions options;
  options.games = 40000;
  options.seed = 2024;
  absl::StatusOr<SimulationResult> result =
      run_simulations(*game, FeatureSet(), options);
  ASSERT_TRUE(result.ok());
  const double n = 40000;
  const SeatCounts& first = result->counts.seats[0];
  const double observed[3] = {first.wins / n, first.losses / n,
                              first.draws / n};
  for (int i = 0; i < 3; ++i) {
    // Within five standard errors: a real bias fails, chance does not.
    const double sigma = std::sqrt(p[i] * (1 - p[i]) / n);
    EXPECT_NEAR(observed[i], p[i], 5 * sigma) << "outcome " << i;
  }
}

}  // namespace
}  // namespace selfplay
