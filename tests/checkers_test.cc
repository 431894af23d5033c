#include "games/checkers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "games/bundled_games.h"
#include "selfplay/perft.h"
#include "selfplay/random.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::legal_actions_of;

// Diagrams list row 7 first; square (row, column) is dark when row + column
// is even, and its index is row * 4 + column / 2.
CheckersState position(const std::array<std::string_view, 8>& rows, int to_move,
                       int quiet_actions = 0) {
  absl::StatusOr<CheckersState> state =
      CheckersState::from_diagram(rows, to_move, quiet_actions);
  EXPECT_TRUE(state.ok()) << state.status();
  return *state;
}

std::vector<Element> pieces(const State& state) {
  std::vector<Element> elements;
  state.elements(elements);
  return elements;
}

const Element* piece_at(const std::vector<Element>& elements, int row,
                        int column) {
  for (const Element& element : elements) {
    if (element.row == row && element.column == column) return &element;
  }
  return nullptr;
}

int count_owned(const std::vector<Element>& elements, int owner) {
  return static_cast<int>(
      std::count_if(elements.begin(), elements.end(),
                    [&](const Element& e) { return e.owner == owner; }));
}

TEST(Checkers, DeclaresAValidCaptureStructure) {
  std::unique_ptr<Game> game = make_checkers_game();
  const GameStructure& structure = game->structure();
  EXPECT_TRUE(validate_structure(structure).ok());
  EXPECT_EQ(game->name(), "checkers");
  EXPECT_EQ(structure.type, GameType::kCapture);
  EXPECT_EQ(structure.action_kinds, (std::vector<std::string>{"move", "jump"}));
  EXPECT_TRUE(structure.reports_mobility);
  EXPECT_TRUE(structure.deterministic);
  ASSERT_TRUE(structure.board.has_value());
  EXPECT_EQ(structure.board->forward, (std::vector<int>{+1, -1}));
}

TEST(Checkers, IsRegisteredAmongTheBundledGames) {
  std::vector<std::unique_ptr<Game>> games = make_bundled_games();
  EXPECT_TRUE(std::any_of(games.begin(), games.end(), [](const auto& game) {
    return game->name() == "checkers";
  }));
}

TEST(Checkers, PerftFromTheStartMatchesTheKnownCounts) {
  std::unique_ptr<State> start = make_checkers_game()->new_initial_state(0, 2);
  const std::uint64_t expected[] = {7, 49, 302, 1469, 7361, 36768, 179740};
  for (int depth = 1; depth <= 7; ++depth) {
    EXPECT_EQ(perft(*start, depth), expected[depth - 1]) << "depth " << depth;
  }
}

TEST(Checkers, StartsWithTwelveMenEachAndBlackToMove) {
  std::unique_ptr<State> start = make_checkers_game()->new_initial_state(0, 2);
  EXPECT_EQ(start->current_player(), 0);
  EXPECT_FALSE(start->is_terminal());
  std::vector<Element> elements = pieces(*start);
  ASSERT_EQ(elements.size(), 24u);
  EXPECT_EQ(count_owned(elements, 0), 12);
  EXPECT_EQ(count_owned(elements, 1), 12);
  for (const Element& element : elements) {
    EXPECT_EQ(element.type, 0);
    EXPECT_EQ(element.properties[0], 0) << "no kings at the start";
    EXPECT_EQ((element.row + element.column) % 2, 0) << "dark squares only";
    EXPECT_EQ(element.owner == 0, element.row <= 2) << "black on rows 0-2";
    EXPECT_EQ(element.owner == 1, element.row >= 5) << "white on rows 5-7";
  }
}

TEST(Checkers, CaptureIsMandatoryWhenAJumpExists) {
  CheckersState state = position({".......w",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "...w....",  //
                                  "..b.....",  //
                                  "........",  //
                                  "......b."},
                                 0);
  std::vector<Action> actions = legal_actions_of(state);
  ASSERT_EQ(actions.size(), 1u) << "the man on row 0 may not step";
  EXPECT_EQ(state.action_kind(actions[0]), 1);
  state.apply_action(actions[0]);
  std::vector<Element> elements = pieces(state);
  EXPECT_EQ(count_owned(elements, 1), 1);
  EXPECT_NE(piece_at(elements, 4, 4), nullptr);
}

TEST(Checkers, SimpleMovesAreOfKindMove) {
  std::unique_ptr<State> start = make_checkers_game()->new_initial_state(0, 2);
  for (Action action : legal_actions_of(*start))
    EXPECT_EQ(start->action_kind(action), 0);
}

TEST(Checkers, MultiJumpIsOneActionThatRemovesEveryJumpedPiece) {
  CheckersState state = position({".w......",  //
                                  "........",  //
                                  ".....w..",  //
                                  "........",  //
                                  "...w....",  //
                                  "..b.....",  //
                                  "........",  //
                                  "........"},
                                 0);
  std::vector<Action> actions = legal_actions_of(state);
  ASSERT_EQ(actions.size(), 1u) << "the jump may not stop halfway";
  // From square 9 (row 2, column 2), two jumps, both in direction 1 (+1, +1).
  EXPECT_EQ(actions[0], 9 | 2 << 5 | 1 << 9 | 1 << 11);
  state.apply_action(actions[0]);
  std::vector<Element> elements = pieces(state);
  EXPECT_EQ(piece_at(elements, 3, 3), nullptr);
  EXPECT_EQ(piece_at(elements, 5, 5), nullptr);
  ASSERT_NE(piece_at(elements, 6, 6), nullptr);
  EXPECT_EQ(piece_at(elements, 6, 6)->properties[0], 0);
  EXPECT_EQ(count_owned(elements, 1), 1);
  EXPECT_EQ(state.current_player(), 1);
}

TEST(Checkers, KingJumpsBranchIntoOneActionPerPath) {
  // The king on (2, 2) can take (3, 3) then either (5, 5) or (5, 3).
  CheckersState state = position({".w......",  //
                                  "........",  //
                                  "...w.w..",  //
                                  "........",  //
                                  "...w....",  //
                                  "..B.....",  //
                                  "........",  //
                                  "........"},
                                 0);
  std::vector<Action> actions = legal_actions_of(state);
  ASSERT_EQ(actions.size(), 2u);
  for (Action action : actions) {
    CheckersState child = state;
    child.apply_action(action);
    EXPECT_EQ(count_owned(pieces(child), 1), 2);
  }
}

TEST(Checkers, ManReachingTheFarRowByStepIsCrowned) {
  CheckersState state = position({".......w",  //
                                  "b.......",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........"},
                                 0);
  std::vector<Action> actions = legal_actions_of(state);
  ASSERT_EQ(actions.size(), 1u);
  state.apply_action(actions[0]);
  std::vector<Element> elements = pieces(state);
  const Element* crowned = piece_at(elements, 7, 1);
  ASSERT_NE(crowned, nullptr);
  EXPECT_EQ(crowned->properties[0], 1);
}

TEST(Checkers, CrowningEndsTheJumpEvenIfTheNewKingCouldJumpOn) {
  CheckersState state = position({"........",  //
                                  "..w.w...",  //
                                  ".b......",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........"},
                                 0);
  std::vector<Action> actions = legal_actions_of(state);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ((actions[0] >> 5) & 15, 1) << "a single jump";
  state.apply_action(actions[0]);
  std::vector<Element> elements = pieces(state);
  ASSERT_NE(piece_at(elements, 7, 3), nullptr);
  EXPECT_EQ(piece_at(elements, 7, 3)->properties[0], 1);
  EXPECT_NE(piece_at(elements, 6, 4), nullptr) << "still on the board";
  EXPECT_EQ(state.current_player(), 1);
}

TEST(Checkers, KingsMoveBackwardsAndMenDoNot) {
  CheckersState black_king = position({".......w",  //
                                       "........",  //
                                       "........",  //
                                       "........",  //
                                       "...B....",  //
                                       "........",  //
                                       "........",  //
                                       "........"},
                                      0);
  EXPECT_EQ(legal_actions_of(black_king).size(), 4u);
  EXPECT_EQ(black_king.mobility(0), 4);

  CheckersState white_king = position({"........",  //
                                       "........",  //
                                       "........",  //
                                       "....W...",  //
                                       "........",  //
                                       "........",  //
                                       "........",  //
                                       "b......."},
                                      1);
  EXPECT_EQ(legal_actions_of(white_king).size(), 4u);

  CheckersState white_man = position({"........",  //
                                      "........",  //
                                      "........",  //
                                      "....w...",  //
                                      "........",  //
                                      "........",  //
                                      "........",  //
                                      "b......."},
                                     1);
  EXPECT_EQ(legal_actions_of(white_man).size(), 2u);
}

TEST(Checkers, PlayerWithNoLegalActionLoses) {
  CheckersState blocked = position({"........",  //
                                    "........",  //
                                    "........",  //
                                    "........",  //
                                    "........",  //
                                    "..w.....",  //
                                    ".w......",  //
                                    "b......."},
                                   0);
  EXPECT_TRUE(blocked.is_terminal());
  EXPECT_EQ(blocked.winners(), std::vector<int>{1});
}

TEST(Checkers, CapturingTheLastPieceWins) {
  CheckersState state = position({"........",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  "........",  //
                                  ".w......",  //
                                  "b......."},
                                 0);
  ASSERT_FALSE(state.is_terminal());
  std::vector<Action> actions = legal_actions_of(state);
  ASSERT_EQ(actions.size(), 1u);
  state.apply_action(actions[0]);
  EXPECT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), std::vector<int>{0});
}

constexpr std::array<std::string_view, 8> kTwoKingsAndAMan = {".......W",  //
                                                              "........",  //
                                                              "........",  //
                                                              "........",  //
                                                              "........",  //
                                                              "........",  //
                                                              "...b....",  //
                                                              "B......."};

TEST(Checkers, EightyQuietActionsDrawTheGame) {
  CheckersState state =
      position(kTwoKingsAndAMan, 0, CheckersState::kDrawAfterQuietActions - 2);
  // The black king on (0, 0) has one step; a quiet king move.
  std::vector<Action> actions = legal_actions_of(state);
  Action king_move = -1;
  for (Action action : actions) {
    if ((action & 31) == 0) king_move = action;
  }
  ASSERT_NE(king_move, -1);
  state.apply_action(king_move);
  EXPECT_FALSE(state.is_terminal());
  EXPECT_EQ(state.quiet_actions(), CheckersState::kDrawAfterQuietActions - 1);
  state.apply_action(legal_actions_of(state)[0]);  // the white king steps
  EXPECT_TRUE(state.is_terminal());
  EXPECT_TRUE(state.winners().empty());
}

TEST(Checkers, ManMoveResetsTheQuietCount) {
  CheckersState state =
      position(kTwoKingsAndAMan, 0, CheckersState::kDrawAfterQuietActions - 1);
  Action man_move = -1;
  for (Action action : legal_actions_of(state)) {
    if ((action & 31) == 5) man_move = action;  // the man on (1, 3)
  }
  ASSERT_NE(man_move, -1);
  state.apply_action(man_move);
  EXPECT_FALSE(state.is_terminal());
  EXPECT_EQ(state.quiet_actions(), 0);
}

TEST(Checkers, CaptureResetsTheQuietCount) {
  CheckersState state = position({"........",  //
                                  "......W.",  //
                                  "........",  //
                                  "........",  //
                                  "...w....",  //
                                  "..B.....",  //
                                  "........",  //
                                  "........"},
                                 0, 50);
  state.apply_action(legal_actions_of(state)[0]);
  EXPECT_EQ(state.quiet_actions(), 0);
}

TEST(Checkers, HashSeesTheQuietCountAndTheSideToMove) {
  CheckersState quiet = position(kTwoKingsAndAMan, 0, 10);
  EXPECT_NE(quiet.hash(), position(kTwoKingsAndAMan, 0, 11).hash());
  EXPECT_NE(quiet.hash(), position(kTwoKingsAndAMan, 1, 10).hash());
  EXPECT_EQ(quiet.hash(), position(kTwoKingsAndAMan, 0, 10).hash());
  EXPECT_EQ(quiet.hash(), quiet.clone()->hash());
}

TEST(Checkers, ElementsReportKings) {
  std::vector<Element> elements = pieces(position(kTwoKingsAndAMan, 0));
  ASSERT_EQ(elements.size(), 3u);
  ASSERT_NE(piece_at(elements, 0, 0), nullptr);
  EXPECT_EQ(piece_at(elements, 0, 0)->properties[0], 1);
  EXPECT_EQ(piece_at(elements, 0, 0)->owner, 0);
  ASSERT_NE(piece_at(elements, 1, 3), nullptr);
  EXPECT_EQ(piece_at(elements, 1, 3)->properties[0], 0);
  ASSERT_NE(piece_at(elements, 7, 7), nullptr);
  EXPECT_EQ(piece_at(elements, 7, 7)->properties[0], 1);
  EXPECT_EQ(piece_at(elements, 7, 7)->owner, 1);
}

TEST(Checkers, MobilityCountsEachSidesActionsWhicheverIsToMove) {
  std::unique_ptr<State> start = make_checkers_game()->new_initial_state(0, 2);
  EXPECT_EQ(start->mobility(0), 7);
  EXPECT_EQ(start->mobility(1), 7);

  // Black must jump (one action); white has three steps.
  CheckersState state = position({"........",  //
                                  "......w.",  //
                                  "........",  //
                                  "........",  //
                                  "...w....",  //
                                  "..b.....",  //
                                  ".b......",  //
                                  "........"},
                                 0);
  EXPECT_EQ(state.mobility(0), 1);
  EXPECT_EQ(state.mobility(1), 3);
  EXPECT_EQ(state.mobility(state.current_player()),
            static_cast<int>(legal_actions_of(state).size()));
}

TEST(Checkers, FromDiagramRejectsMalformedInput) {
  const std::array<std::string_view, 8> light_square = {
      "w.......", "........", "........", "........",
      "........", "........", "........", "........"};
  EXPECT_FALSE(CheckersState::from_diagram(light_square, 0).ok());
  const std::array<std::string_view, 8> short_row = {
      ".......",  "........", "........", "........",
      "........", "........", "........", "........"};
  EXPECT_FALSE(CheckersState::from_diagram(short_row, 0).ok());
  const std::array<std::string_view, 8> unknown = {
      ".......x", "........", "........", "........",
      "........", "........", "........", "........"};
  EXPECT_FALSE(CheckersState::from_diagram(unknown, 0).ok());
  EXPECT_FALSE(CheckersState::from_diagram(kTwoKingsAndAMan, 2).ok());
  EXPECT_FALSE(CheckersState::from_diagram(kTwoKingsAndAMan, 0, 81).ok());
}

TEST(Checkers, ToStringDrawsRowSevenFirst) {
  std::unique_ptr<State> start = make_checkers_game()->new_initial_state(0, 2);
  const std::string text = start->to_string();
  EXPECT_EQ(text.rfind("7 .w.w.w.w\n", 0), 0u) << text;
  EXPECT_NE(text.find("0 b.b.b.b.\n"), std::string::npos) << text;
}

TEST(Checkers, RandomGamesEndWithAConsistentResult) {
  std::unique_ptr<Game> game = make_checkers_game();
  std::vector<Action> actions;
  Rng rng(seed_for(42, 0));
  for (int i = 0; i < 300; ++i) {
    std::unique_ptr<State> state = game->new_initial_state(i, 2);
    int plies = 0;
    while (!state->is_terminal()) {
      state->legal_actions(actions);
      ASSERT_FALSE(actions.empty());
      ASSERT_EQ(state->mobility(state->current_player()),
                static_cast<int>(actions.size()));
      state->apply_action(actions[rng.uniform(actions.size())]);
      ASSERT_LT(++plies, 5000);
    }
    std::vector<int> winners = state->winners();
    ASSERT_LE(winners.size(), 1u);
    if (winners.empty()) {
      EXPECT_EQ(static_cast<const CheckersState&>(*state).quiet_actions(),
                CheckersState::kDrawAfterQuietActions);
    } else {
      EXPECT_NE(winners[0], state->current_player()) << "the stuck side loses";
    }
  }
}

}  // namespace
}  // namespace selfplay
