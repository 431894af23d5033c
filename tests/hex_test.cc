#include "games/hex.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "games/bundled_games.h"
#include "selfplay/perft.h"
#include "selfplay/random.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::legal_actions_of;

using Cell = std::pair<int, int>;

// Plays `first` for player 0 and `second` for player 1, alternating from
// player 0, and returns the state after the last stone. Player 0 places as
// many stones as player 1 or one more.
HexState play(int size, const std::vector<Cell>& first,
              const std::vector<Cell>& second) {
  EXPECT_TRUE(first.size() == second.size() ||
              first.size() == second.size() + 1);
  HexState state(size);
  for (std::size_t i = 0; i < std::max(first.size(), second.size()); ++i) {
    for (const std::vector<Cell>* stones : {&first, &second}) {
      if (i >= stones->size()) continue;
      const auto [row, column] = (*stones)[i];
      EXPECT_FALSE(state.is_terminal()) << "a stone after the game ended";
      state.apply_action(HexState::cell_action(size, row, column));
    }
  }
  return state;
}

// Cells (0, column) to (rows - 1, column).
std::vector<Cell> column_of(int column, int rows) {
  std::vector<Cell> cells;
  for (int row = 0; row < rows; ++row) cells.push_back({row, column});
  return cells;
}

TEST(Hex, DeclaresAValidConnectionStructure) {
  std::unique_ptr<Game> game = make_hex_game(7);
  const GameStructure& structure = game->structure();
  EXPECT_TRUE(validate_structure(structure).ok());
  EXPECT_EQ(game->name(), "hex");
  EXPECT_EQ(structure.type, GameType::kConnection);
  ASSERT_EQ(structure.element_types.size(), 1u);
  EXPECT_EQ(structure.element_types[0].name, "stone");
  EXPECT_TRUE(structure.element_types[0].owned);
  EXPECT_EQ(structure.action_kinds, (std::vector<std::string>{"place"}));
  EXPECT_TRUE(structure.reports_mobility);
  EXPECT_TRUE(structure.deterministic);
  ASSERT_TRUE(structure.board.has_value());
  const BoardSpec& board = *structure.board;
  EXPECT_EQ(board.rows, 7);
  EXPECT_EQ(board.columns, 7);
  EXPECT_EQ(board.topology, BoardTopology::kHex);
  EXPECT_TRUE(board.forward.empty());
  EXPECT_EQ(board.connection_goals,
            (std::vector<ConnectionGoal>{ConnectionGoal::kTopBottom,
                                         ConnectionGoal::kLeftRight}));
  EXPECT_EQ(board.center_row_min, 2);
  EXPECT_EQ(board.center_row_max, 4);
  EXPECT_EQ(board.center_column_min, 2);
  EXPECT_EQ(board.center_column_max, 4);
}

TEST(Hex, CentreIsTheMiddleThirdOfEachSide) {
  const std::pair<int, std::pair<int, int>> expected[] = {
      {9, {3, 5}}, {11, {4, 6}}, {19, {6, 12}}};
  for (const auto& [size, bounds] : expected) {
    const std::unique_ptr<Game> game = make_hex_game(size);
    const BoardSpec& board = *game->structure().board;
    EXPECT_EQ(board.center_row_min, bounds.first) << size;
    EXPECT_EQ(board.center_row_max, bounds.second) << size;
    EXPECT_EQ(board.center_column_min, bounds.first) << size;
    EXPECT_EQ(board.center_column_max, bounds.second) << size;
  }
}

TEST(Hex, RegistersThreeBoardSizes) {
  std::vector<std::unique_ptr<Game>> games = make_bundled_games();
  for (const auto& [name, size] :
       {std::pair<const char*, int>{"hex", 7}, {"hex-9", 9}, {"hex-11", 11}}) {
    auto it = std::find_if(games.begin(), games.end(), [&](const auto& game) {
      return game->name() == name;
    });
    ASSERT_NE(it, games.end()) << name;
    EXPECT_EQ((*it)->structure().board->rows, size);
    EXPECT_TRUE(validate_structure((*it)->structure()).ok()) << name;
  }
}

TEST(Hex, RejectsBoardSizesOutsideTheSupportedRange) {
  EXPECT_THROW(make_hex_game(1), std::invalid_argument);
  EXPECT_THROW(make_hex_game(kMaxHexSize + 1), std::invalid_argument);
  EXPECT_NO_THROW(make_hex_game(kMaxHexSize));
}

TEST(Hex, StartsEmptyWithEveryCellLegalInIncreasingOrder) {
  std::unique_ptr<State> start = make_hex_game(7)->new_initial_state(0, 2);
  EXPECT_EQ(start->current_player(), 0);
  EXPECT_FALSE(start->is_terminal());
  EXPECT_EQ(start->mobility(0), 49);
  std::vector<Action> actions = legal_actions_of(*start);
  ASSERT_EQ(actions.size(), 49u);
  for (int i = 0; i < 49; ++i) EXPECT_EQ(actions[i], i);
  for (Action action : actions) EXPECT_EQ(start->action_kind(action), 0);
}

TEST(Hex, PlacingAStoneRemovesItsCellAndPassesTheTurn) {
  HexState state(7);
  state.apply_action(HexState::cell_action(7, 3, 4));
  EXPECT_EQ(state.stone(3, 4), 0);
  EXPECT_EQ(state.current_player(), 1);
  EXPECT_EQ(state.mobility(1), 48);
  std::vector<Action> actions = legal_actions_of(state);
  EXPECT_EQ(actions.size(), 48u);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), 3 * 7 + 4), 0);
}

TEST(Hex, LegalActionsAreExactlyTheEmptyCellsThroughoutAGame) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    HexState state(11);
    Rng rng(seed);
    std::vector<Action> actions;
    while (!state.is_terminal()) {
      state.legal_actions(actions);
      std::vector<Action> empty_cells;
      for (int row = 0; row < 11; ++row) {
        for (int column = 0; column < 11; ++column) {
          if (state.stone(row, column) < 0) {
            empty_cells.push_back(HexState::cell_action(11, row, column));
          }
        }
      }
      ASSERT_EQ(state.mobility(state.current_player()),
                static_cast<int>(empty_cells.size()));
      std::sort(actions.begin(), actions.end());
      ASSERT_EQ(actions, empty_cells);
      state.apply_action(actions[rng.uniform(actions.size())]);
    }
  }
}

TEST(Hex, PerftCountsEveryOrderOfDistinctCells) {
  std::unique_ptr<State> start = make_hex_game(7)->new_initial_state(0, 2);
  EXPECT_EQ(perft(*start, 1), 49u);
  EXPECT_EQ(perft(*start, 2), 49u * 48u);
  EXPECT_EQ(perft(*start, 3), 49u * 48u * 47u);
}

TEST(Hex, StraightColumnWinsForPlayerZero) {
  HexState state = play(7, column_of(3, 7), column_of(0, 6));
  ASSERT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), (std::vector<int>{0}));
  EXPECT_TRUE(legal_actions_of(state).empty());
}

TEST(Hex, StraightRowWinsForPlayerOne) {
  std::vector<Cell> row;
  for (int column = 0; column < 7; ++column) row.push_back({2, column});
  // Player 0 fills row 5, which joins neither top nor bottom.
  std::vector<Cell> filler;
  for (int column = 0; column < 7; ++column) filler.push_back({5, column});
  HexState state = play(7, filler, row);
  ASSERT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), (std::vector<int>{1}));
}

TEST(Hex, RowDoesNotWinForPlayerZeroNorColumnForPlayerOne) {
  std::vector<Cell> row;
  for (int column = 0; column < 7; ++column) row.push_back({3, column});
  std::vector<Cell> broken_column = column_of(1, 7);
  broken_column.erase(broken_column.begin() + 3);  // (3, 1) is player 0's
  HexState state = play(7, row, broken_column);
  EXPECT_FALSE(state.is_terminal()) << state.to_string();
  EXPECT_EQ(state.stone(3, 6), 0);
  EXPECT_EQ(state.stone(6, 1), 1);
}

TEST(Hex, WindingPathAlongHexNeighboursWins) {
  // Down-left (r+1, c-1), right, up-right (r-1, c+1), down, down-left, down,
  // left and down again: five of the six neighbour directions.
  const std::vector<Cell> path = {{0, 3}, {1, 2}, {2, 1}, {2, 2}, {2, 3},
                                  {1, 4}, {1, 5}, {2, 5}, {3, 5}, {4, 4},
                                  {5, 4}, {5, 3}, {6, 3}};
  // Player 1 fills column 0, which the path never touches, and most of row
  // 6, without joining left and right.
  std::vector<Cell> filler = column_of(0, 7);
  for (int column : {1, 2, 4, 5, 6}) filler.push_back({6, column});
  HexState state = play(7, path, filler);
  ASSERT_TRUE(state.is_terminal()) << state.to_string();
  EXPECT_EQ(state.winners(), (std::vector<int>{0}));
  EXPECT_EQ(state.stone(6, 3), 0) << "the game ends on the last path stone";
}

TEST(Hex, PathThroughTheNonNeighbourDiagonalDoesNotWin) {
  // (3, 3) and (4, 4) are not neighbours on the rhombus: (r, c) touches
  // (r+1, c-1) but not (r+1, c+1).
  const std::vector<Cell> path = {{0, 3}, {1, 3}, {2, 3}, {3, 3},
                                  {4, 4}, {5, 4}, {6, 4}};
  HexState state = play(7, path, column_of(0, 6));
  EXPECT_FALSE(state.is_terminal()) << state.to_string();
  // (4, 3) touches both (3, 3) and (4, 4), and completes the chain.
  state.apply_action(HexState::cell_action(7, 6, 0));
  state.apply_action(HexState::cell_action(7, 4, 3));
  ASSERT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), (std::vector<int>{0}));
}

TEST(Hex, DiagonalLinesWinOnlyAlongNeighbours) {
  std::vector<Cell> diagonal, anti_diagonal;
  for (int i = 0; i < 7; ++i) {
    diagonal.push_back({i, i});
    anti_diagonal.push_back({i, 6 - i});
  }
  HexState state = play(7, diagonal, column_of(6, 6));
  EXPECT_FALSE(state.is_terminal()) << "seven separate stones";
  HexState winning = play(7, anti_diagonal, column_of(0, 6));
  ASSERT_TRUE(winning.is_terminal());
  EXPECT_EQ(winning.winners(), (std::vector<int>{0}));
}

TEST(Hex, RandomFullGamesAlwaysHaveExactlyOneWinner) {
  for (int size : {2, 7, 11}) {
    std::unique_ptr<Game> game = make_hex_game(size);
    std::vector<Action> actions;
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
      std::unique_ptr<State> state = game->new_initial_state(seed, 2);
      Rng rng(seed);
      int moves = 0;
      while (!state->is_terminal()) {
        state->legal_actions(actions);
        ASSERT_FALSE(actions.empty());
        state->apply_action(actions[rng.uniform(actions.size())]);
        ++moves;
      }
      ASSERT_LE(moves, size * size);
      ASSERT_EQ(state->winners().size(), 1u) << "seed " << seed;
      EXPECT_EQ(state->winners()[0], 1 - state->current_player())
          << "the last mover wins";
    }
  }
}

// A reference win test by flood fill over the same neighbourhood.
bool connects(const HexState& state, int player) {
  const int size = state.size();
  std::vector<Cell> frontier;
  std::set<Cell> seen;
  for (int i = 0; i < size; ++i) {
    const Cell start = player == 0 ? Cell{0, i} : Cell{i, 0};
    if (state.stone(start.first, start.second) == player) {
      frontier.push_back(start);
      seen.insert(start);
    }
  }
  constexpr int kDelta[6][2] = {{-1, 0}, {-1, 1}, {0, -1},
                                {0, 1},  {1, -1}, {1, 0}};
  while (!frontier.empty()) {
    const auto [row, column] = frontier.back();
    frontier.pop_back();
    if ((player == 0 ? row : column) == size - 1) return true;
    for (const auto& delta : kDelta) {
      const Cell next{row + delta[0], column + delta[1]};
      if (next.first < 0 || next.first >= size || next.second < 0 ||
          next.second >= size ||
          state.stone(next.first, next.second) != player ||
          !seen.insert(next).second) {
        continue;
      }
      frontier.push_back(next);
    }
  }
  return false;
}

TEST(Hex, IncrementalWinAgreesWithAFloodFillAfterEveryMove) {
  std::vector<Action> actions;
  for (std::uint64_t seed = 0; seed < 100; ++seed) {
    HexState state(9);
    Rng rng(seed);
    while (!state.is_terminal()) {
      ASSERT_FALSE(connects(state, 0) || connects(state, 1));
      state.legal_actions(actions);
      state.apply_action(actions[rng.uniform(actions.size())]);
    }
    const int winner = state.winners()[0];
    EXPECT_TRUE(connects(state, winner));
    EXPECT_FALSE(connects(state, 1 - winner));
  }
}

// The groups the connection search takes in whole: for every stone, the
// stones a flood fill reaches from it over same-owner neighbours and along
// the owner's edges (stones on one of the owner's edges are one group with
// the edge), and every board cell next to one of those, after every move of
// random games on the sizes that keep groups.
TEST(Hex, KeptGroupsAreTheFloodFilledStonesAndTheirNeighbours) {
  constexpr int kSteps[6][2] = {{-1, 0}, {-1, 1}, {0, -1},
                                {0, 1},  {1, -1}, {1, 0}};
  using Bits = unsigned __int128;
  std::vector<Action> actions;
  for (int size : {9, 10, 11}) {
    ASSERT_TRUE(HexState::keeps_groups(size));
    // Which of its owner's edges, if any, a cell lies on: 1 first, 2 second.
    auto edge_of = [size](int owner, int cell) {
      const int along = owner == 0 ? cell / size : cell % size;
      return along == 0 ? 1 : along == size - 1 ? 2 : 0;
    };
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      HexState state(size);
      Rng rng(seed);
      while (!state.is_terminal()) {
        state.legal_actions(actions);
        state.apply_action(actions[rng.uniform(actions.size())]);
        for (int cell = 0; cell < size * size; ++cell) {
          const int owner = state.stone(cell / size, cell % size);
          if (owner < 0) continue;
          Bits stones = 0, around = 0;
          std::vector<int> stack;
          auto visit = [&](int at) {
            const Bits bit = static_cast<Bits>(1) << at;
            if (state.stone(at / size, at % size) != owner || (stones & bit)) {
              return;
            }
            stones |= bit;
            stack.push_back(at);
          };
          visit(cell);
          while (!stack.empty()) {
            const int at = stack.back();
            stack.pop_back();
            for (const auto& [dr, dc] : kSteps) {
              const int r = at / size + dr, c = at % size + dc;
              if (r < 0 || r >= size || c < 0 || c >= size) continue;
              around |= static_cast<Bits>(1) << (r * size + c);
              visit(r * size + c);
            }
            if (const int edge = edge_of(owner, at); edge != 0) {
              for (int other = 0; other < size * size; ++other) {
                if (edge_of(owner, other) == edge) visit(other);
              }
            }
          }
          const HexState::Group& group = state.group(cell);
          ASSERT_TRUE(group.stones == stones) << "cell " << cell << "\n"
                                              << state.to_string();
          ASSERT_TRUE(group.around == around) << "cell " << cell << "\n"
                                              << state.to_string();
        }
      }
    }
  }
}

TEST(Hex, ElementsListEveryStoneWithItsOwnerAndCell) {
  HexState state = play(7, {{0, 0}, {4, 2}}, {{6, 5}});
  std::vector<Element> elements;
  state.elements(elements);
  ASSERT_EQ(elements.size(), 3u);
  std::set<std::tuple<int, int, int>> stones;
  for (const Element& element : elements) {
    EXPECT_EQ(element.type, 0);
    stones.insert({element.owner, element.row, element.column});
  }
  EXPECT_EQ(stones, (std::set<std::tuple<int, int, int>>{
                        {0, 0, 0}, {0, 4, 2}, {1, 6, 5}}));
}

TEST(Hex, HashDependsOnStonesAndSideToMoveNotOnMoveOrder) {
  HexState a = play(7, {{1, 1}, {2, 2}}, {{5, 5}});
  HexState b = play(7, {{2, 2}, {1, 1}}, {{5, 5}});
  EXPECT_EQ(a.hash(), b.hash());
  HexState swapped_owner = play(7, {{5, 5}, {2, 2}}, {{1, 1}});
  EXPECT_NE(a.hash(), swapped_owner.hash());
  HexState one_stone(7);
  one_stone.apply_action(HexState::cell_action(7, 1, 1));
  EXPECT_NE(one_stone.hash(), HexState(7).hash());
  EXPECT_NE(HexState(7).hash(), HexState(9).hash());

  std::set<std::uint64_t> hashes;
  HexState state(7);
  Rng rng(7);
  std::vector<Action> actions;
  while (!state.is_terminal()) {
    EXPECT_TRUE(hashes.insert(state.hash()).second);
    state.legal_actions(actions);
    state.apply_action(actions[rng.uniform(actions.size())]);
  }
}

TEST(Hex, CloneIsIndependentOfTheOriginal) {
  HexState state = play(7, {{3, 3}}, {{2, 2}});
  std::unique_ptr<State> copy = state.clone();
  EXPECT_EQ(copy->hash(), state.hash());
  EXPECT_EQ(copy->to_string(), state.to_string());
  copy->apply_action(HexState::cell_action(7, 0, 0));
  EXPECT_NE(copy->hash(), state.hash());
  EXPECT_EQ(state.stone(0, 0), -1);
  EXPECT_EQ(legal_actions_of(state).size(), 47u);
  EXPECT_EQ(legal_actions_of(*copy).size(), 46u);

  // A clone taken midway plays out exactly like the original.
  HexState original(11);
  Rng rng(3);
  std::vector<Action> actions;
  for (int i = 0; i < 30; ++i) {
    original.legal_actions(actions);
    original.apply_action(actions[rng.uniform(actions.size())]);
  }
  std::unique_ptr<State> twin = original.clone();
  Rng rng_twin = rng;
  while (!original.is_terminal()) {
    original.legal_actions(actions);
    original.apply_action(actions[rng.uniform(actions.size())]);
    twin->legal_actions(actions);
    twin->apply_action(actions[rng_twin.uniform(actions.size())]);
    ASSERT_EQ(twin->hash(), original.hash());
  }
  EXPECT_TRUE(twin->is_terminal());
  EXPECT_EQ(twin->winners(), original.winners());
}

TEST(Hex, ToStringShowsTheRhombusAndWhoMoves) {
  HexState state = play(2, {{0, 1}}, {});
  EXPECT_EQ(state.to_string(),
            "    a b\n"
            "  1 . X\n"
            "  2  . .\n"
            "O (player 1) to move\n");
}

}  // namespace
}  // namespace selfplay
