// Candidate features: the templates a structure gets, what they compute, and
// that they are evaluated for the player asked for (0-based).
#include "selfplay/features.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "selfplay/game_structure.h"
#include "selfplay/simulation.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::FixedState;

GameStructure capture_structure() {
  GameStructure s;
  s.name = "capture-test";
  s.type = GameType::kCapture;
  s.element_types = {
      {.name = "piece",
       .owned = true,
       .properties = {
           {.name = "king", .kind = PropertyKind::kBoolean, .values = {}}}}};
  BoardSpec board;
  board.rows = 8;
  board.columns = 8;
  board.center_row_min = board.center_column_min = 2;
  board.center_row_max = board.center_column_max = 5;
  board.forward = {+1, -1};
  s.board = board;
  s.player_properties = {"score"};
  s.action_kinds = {"move"};
  s.reports_mobility = true;
  return s;
}

Element piece(int owner, int row, int column, bool king = false) {
  Element e;
  e.type = 0;
  e.owner = owner;
  e.row = row;
  e.column = column;
  e.properties[0] = king;
  return e;
}

class Evaluator {
 public:
  explicit Evaluator(const GameStructure& structure)
      : features_(*generate_candidate_features(structure)),
        bits_(features_.words()) {}

  bool holds(const State& state, int player, const std::string& id) {
    const std::optional<int> index = features_.find(id);
    EXPECT_TRUE(index.has_value()) << id;
    if (!index) return false;
    features_.evaluate(state, player, scratch_, bits_.data());
    return (bits_[*index / 64] >> (*index % 64)) & 1;
  }
  const FeatureSet& features() const { return features_; }

 private:
  FeatureSet features_;
  FeatureScratch scratch_;
  std::vector<std::uint64_t> bits_;
};

TEST(CandidateFeatures, MaterialAdvantageHoldsForExactlyOneSideFromEachView) {
  Evaluator evaluator(capture_structure());
  // Player 0 has three pieces, player 1 two: asymmetric on purpose.
  FixedState state(2,
                   {piece(0, 0, 0), piece(0, 0, 2), piece(0, 1, 1),
                    piece(1, 7, 1), piece(1, 6, 0)},
                   {{0}, {0}}, {5, 5});
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-count-advantage"));
  EXPECT_FALSE(evaluator.holds(state, 1, "piece-count-advantage"));
  EXPECT_FALSE(evaluator.holds(state, 0, "piece-count-disadvantage"));
  EXPECT_TRUE(evaluator.holds(state, 1, "piece-count-disadvantage"));
  EXPECT_FALSE(evaluator.holds(state, 0, "piece-dominance"));  // 3/5 < 2/3
  EXPECT_FALSE(evaluator.holds(state, 0, "piece-count-lead-3"));
}

TEST(CandidateFeatures, TheEngineEvaluatesForTheDecidingPlayer) {
  // In take-away seat 0 always decides first; a feature true only for seat 0
  // must be true at exactly seat 0's decisions.
  testing::TakeAwayGame game;
  FeatureSet features;
  ASSERT_TRUE(features
                  .add({"is-seat-0", "", ""},
                       [](const State&, int player) { return player == 0; })
                  .ok());
  SimulationOptions options;
  options.games = 200;
  options.keep_game_summaries = true;
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  ASSERT_TRUE(result.ok());
  const OutcomeTable& table = result->counts.features[0];
  std::uint64_t seat0_decisions = 0;
  for (const GameSummary& g : result->games) {
    seat0_decisions += (g.actions + 1) / 2;  // seat 0 moves 1st, 3rd, ...
  }
  EXPECT_EQ((table.true_won + table.true_lost) / 2, seat0_decisions);
  EXPECT_EQ(
      (table.true_won + table.true_lost + table.false_won + table.false_lost) /
          2,
      result->counts.states);
}

TEST(CandidateFeatures, CentreAdvancementBackRowAndKingsReadTheBoard) {
  Evaluator evaluator(capture_structure());
  FixedState state(
      2,
      {piece(0, 3, 3), piece(0, 4, 1), piece(0, 5, 5, true), piece(0, 0, 0),
       piece(1, 7, 7), piece(1, 7, 5), piece(1, 2, 0)},
      {{0}, {0}}, {5, 5});
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-center-control"));
  EXPECT_FALSE(evaluator.holds(state, 1, "piece-center-advantage"));
  // Player 0 advances to higher rows: rows 4 and 5 are advanced.
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-advanced-at-least-1"));
  EXPECT_FALSE(evaluator.holds(state, 0, "piece-advanced-at-least-3"));
  // Player 1 advances to lower rows: row 2 is advanced.
  EXPECT_TRUE(evaluator.holds(state, 1, "piece-advanced-at-least-1"));
  EXPECT_TRUE(evaluator.holds(state, 1, "piece-back-row-at-least-2"));
  EXPECT_TRUE(evaluator.holds(state, 1, "piece-back-row-advantage"));
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-king-at-least-1"));
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-king-count-advantage"));
  EXPECT_FALSE(evaluator.holds(state, 1, "piece-king-at-least-1"));
}

TEST(CandidateFeatures, ScoreLeadAndMobilityCompareAgainstTheBestOpponent) {
  GameStructure s = capture_structure();
  s.max_players = 3;
  s.board->forward = {1, -1, 1};
  Evaluator evaluator(s);
  FixedState state(3, {}, {{4}, {7}, {2}}, {3, 9, 1});
  EXPECT_TRUE(evaluator.holds(state, 1, "score-lead"));
  EXPECT_TRUE(evaluator.holds(state, 1, "score-lead-3"));
  EXPECT_FALSE(evaluator.holds(state, 1, "score-lead-5"));
  EXPECT_TRUE(evaluator.holds(state, 0, "score-behind"));
  EXPECT_TRUE(evaluator.holds(state, 1, "mobility-advantage"));
  EXPECT_TRUE(evaluator.holds(state, 2, "mobility-disadvantage"));
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-count-zero"));
}

TEST(CandidateFeatures, MajorityIsAShareOfAllPlayersPieces) {
  GameStructure s = capture_structure();
  s.max_players = 3;
  s.board->forward = {1, -1, 1};
  Evaluator evaluator(s);
  // 4 of 7 pieces: a majority without dominance; the others hold 2 and 1.
  FixedState state(
      3,
      {piece(0, 0, 0), piece(0, 0, 2), piece(0, 1, 1), piece(0, 1, 3),
       piece(1, 7, 1), piece(1, 6, 0), piece(2, 4, 4)},
      {{0}, {0}, {0}}, {1, 1, 1});
  EXPECT_TRUE(evaluator.holds(state, 0, "piece-majority"));
  EXPECT_FALSE(evaluator.holds(state, 0, "piece-dominance"));
  EXPECT_FALSE(evaluator.holds(state, 1, "piece-majority"));
}

GameStructure hex_structure(int size) {
  GameStructure s;
  s.name = "hex-test";
  s.type = GameType::kConnection;
  s.element_types = {{.name = "stone", .owned = true, .properties = {}}};
  BoardSpec board;
  board.rows = board.columns = size;
  board.topology = BoardTopology::kHex;
  board.center_row_min = board.center_column_min = 1;
  board.center_row_max = board.center_column_max = size - 2;
  board.connection_goals = {ConnectionGoal::kTopBottom,
                            ConnectionGoal::kLeftRight};
  s.board = board;
  s.action_kinds = {"place"};
  return s;
}

// A lone player leads an empty field: every other player's value counts as
// 0, all pieces are its own, and no opponent is ever near a win.
TEST(CandidateFeatures, ALonePlayerLeadsAnEmptyFieldWithNoOpponent) {
  GameStructure material = capture_structure();
  material.min_players = material.default_players = 1;
  Evaluator pieces(material);
  FixedState one(1, {piece(0, 0, 0)}, {{5}}, {3});
  EXPECT_TRUE(pieces.holds(one, 0, "piece-count-advantage"));
  EXPECT_FALSE(pieces.holds(one, 0, "piece-count-disadvantage"));
  EXPECT_TRUE(pieces.holds(one, 0, "piece-dominance"));
  EXPECT_TRUE(pieces.holds(one, 0, "score-lead-5"));
  EXPECT_TRUE(pieces.holds(one, 0, "mobility-advantage"));

  GameStructure board = hex_structure(4);
  board.min_players = board.default_players = 1;
  Evaluator stones(board);
  // Rows 0-2 of column 1: one cell from joining top and bottom, and in the
  // centre (rows and columns 1-2).
  FixedState alone(1, {piece(0, 0, 1), piece(0, 1, 1), piece(0, 2, 1)});
  EXPECT_TRUE(stones.holds(alone, 0, "near-win-1"));
  EXPECT_TRUE(stones.holds(alone, 0, "stone-center-control"));
  EXPECT_TRUE(stones.holds(alone, 0, "stone-center-advantage"));
  EXPECT_FALSE(stones.holds(alone, 0, "opponent-near-win-1"));
}

TEST(CandidateFeatures, ConnectionDistanceCountsEmptyCellsAlongHexPaths) {
  Evaluator evaluator(hex_structure(4));
  // Player 0 holds rows 0-2 of column 1: one cell from joining top and
  // bottom. Player 1 holds nothing: four cells from joining left and right,
  // and player 0's column cuts every row, so player 1 is blocked.
  FixedState state(2, {piece(0, 0, 1), piece(0, 1, 1), piece(0, 2, 1)});
  EXPECT_TRUE(evaluator.holds(state, 0, "near-win-1"));
  EXPECT_TRUE(evaluator.holds(state, 0, "connection-distance-advantage"));
  EXPECT_TRUE(evaluator.holds(state, 1, "opponent-near-win-1"));
  EXPECT_FALSE(evaluator.holds(state, 1, "near-win-3"));
  // A hex diagonal step (r+1, c-1) connects: rows 0..3 along a bent path.
  FixedState bent(2, {piece(0, 0, 3), piece(0, 1, 2), piece(0, 2, 1)});
  EXPECT_TRUE(evaluator.holds(bent, 0, "near-win-1"));
  // The other diagonal (r+1, c+1) is not adjacent on a hex board.
  FixedState gaps(2, {piece(0, 0, 0), piece(0, 1, 1), piece(0, 2, 2)});
  EXPECT_FALSE(evaluator.holds(gaps, 0, "near-win-1"));
  EXPECT_TRUE(evaluator.holds(gaps, 0, "near-win-3"));
}

TEST(CandidateFeatures, LineThreatsCountWindowsOnePieceFromComplete) {
  GameStructure s;
  s.name = "lines-test";
  s.type = GameType::kAlignment;
  s.element_types = {{.name = "mark", .owned = true, .properties = {}}};
  BoardSpec board;
  board.rows = board.columns = 3;
  board.line_length = 3;
  s.board = board;
  s.action_kinds = {"place"};
  Evaluator evaluator(s);
  // X X .     Player 0 threatens the top row and the diagonal.
  // . X .     Player 1's corner blocks nothing of the threats.
  // O . .
  FixedState state(
      2, {piece(0, 0, 0), piece(0, 0, 1), piece(0, 1, 1), piece(1, 2, 0)});
  EXPECT_TRUE(evaluator.holds(state, 0, "line-threats-at-least-2"));
  EXPECT_TRUE(evaluator.holds(state, 1, "opponent-line-threat"));
  EXPECT_FALSE(evaluator.holds(state, 1, "line-threats-at-least-1"));
}

TEST(CandidateFeatures, LineCountsOnBoardsBeyondSixtyFourCellsAgree) {
  // 9x9 takes the generic path (no 64-bit masks); the same pieces on 3x3
  // (the mask path) have the same threats near the corner.
  for (int size : {3, 9}) {
    GameStructure s;
    s.name = "lines-test";
    s.type = GameType::kAlignment;
    s.element_types = {{.name = "mark", .owned = true, .properties = {}}};
    BoardSpec board;
    board.rows = board.columns = size;
    board.line_length = 3;
    s.board = board;
    s.action_kinds = {"place"};
    Evaluator evaluator(s);
    // X X .   Threats of player 0: the top row, the left column is not one
    // X . .   (it needs (2,0)), so: top row and column 0 -> (0,0),(1,0),(2,0)
    // . . .   has two pieces and an empty cell: two threats in all.
    FixedState two(2, {piece(0, 0, 0), piece(0, 0, 1), piece(0, 1, 0)});
    EXPECT_TRUE(evaluator.holds(two, 0, "line-threats-at-least-2")) << size;
    FixedState blocked(2, {piece(0, 0, 0), piece(0, 0, 1), piece(0, 1, 0),
                           piece(1, 0, 2), piece(1, 2, 0)});
    EXPECT_FALSE(evaluator.holds(blocked, 0, "line-threats-at-least-1"))
        << size;
    // Player 1's blockers share the anti-diagonal through the empty (1,1).
    EXPECT_TRUE(evaluator.holds(blocked, 1, "line-threats-at-least-1")) << size;
    EXPECT_FALSE(evaluator.holds(blocked, 1, "line-threats-at-least-2"))
        << size;
  }
}

TEST(CandidateFeatures, FamiliesAreFilteredByGameType) {
  Evaluator connection(hex_structure(5));
  EXPECT_FALSE(connection.features().find("stone-count-advantage"));
  EXPECT_TRUE(connection.features().find("stone-center-control"));
  Evaluator capture(capture_structure());
  EXPECT_FALSE(capture.features().find("near-win-1"));
  EXPECT_TRUE(capture.features().find("piece-count-advantage"));
}

// The family names of a structure's skipped families.
std::vector<std::string> skipped_names(const GameStructure& structure) {
  absl::StatusOr<std::vector<SkippedFamily>> skipped =
      skipped_template_families(structure);
  EXPECT_TRUE(skipped.ok()) << skipped.status();
  std::vector<std::string> names;
  for (const SkippedFamily& family : *skipped) names.push_back(family.family);
  return names;
}

std::vector<std::string> categories(const FeatureSet& features) {
  std::vector<std::string> result;
  for (const FeatureInfo& info : features.infos()) {
    result.push_back(info.category);
  }
  return result;
}

TEST(SkippedTemplateFamilies, NamesEachFamilyLeftOutAndWhy) {
  using ::testing::Contains;
  using ::testing::ElementsAre;
  using ::testing::Not;
  // No line length, and connection is another game type's family.
  EXPECT_THAT(skipped_names(capture_structure()),
              ElementsAre("connection", "lines"));

  GameStructure no_forward = capture_structure();
  no_forward.board->forward.clear();
  no_forward.player_properties.clear();
  const std::vector<SkippedFamily> skipped =
      *skipped_template_families(no_forward);
  ASSERT_EQ(skipped.size(), 4u);
  EXPECT_EQ(skipped[0].family, "advancement and back-row (piece)");
  EXPECT_EQ(skipped[0].reason, "the board declares no forward direction");
  EXPECT_EQ(skipped[1].family, "score");
  EXPECT_EQ(skipped[2].family, "connection");
  EXPECT_EQ(skipped[2].reason,
            "only for connection games; capture-test is a capture game");
  EXPECT_EQ(skipped[3].family, "lines");
  EXPECT_EQ(skipped[3].reason, "the board declares no line length");
  const FeatureSet features = *generate_candidate_features(no_forward);
  EXPECT_THAT(categories(features), Not(Contains("advancement")));
  EXPECT_THAT(categories(features), Not(Contains("back-row")));
  EXPECT_THAT(categories(features), Not(Contains("score")));
  EXPECT_THAT(categories(features), Contains("center"));

  GameStructure boardless = capture_structure();
  boardless.board.reset();
  const std::vector<SkippedFamily> without_board =
      *skipped_template_families(boardless);
  ASSERT_GE(without_board.size(), 2u);
  EXPECT_EQ(without_board[0].family, "center (piece)");
  EXPECT_EQ(without_board[0].reason, "the game declares no board");

  GameStructure invalid = capture_structure();
  invalid.name.clear();
  EXPECT_FALSE(skipped_template_families(invalid).ok());
}

TEST(CandidateFeatures, StringValuesGetPresenceAdvantageAndThreshold) {
  GameStructure s;
  s.name = "cards";
  s.type = GameType::kCollection;
  s.element_types = {{.name = "card",
                      .owned = true,
                      .properties = {{.name = "rank",
                                      .kind = PropertyKind::kString,
                                      .values = {"A", "K"}}}}};
  s.action_kinds = {"ask"};
  Evaluator evaluator(s);
  Element ace;
  ace.owner = 0;
  ace.properties[0] = 0;
  Element king = ace;
  king.properties[0] = 1;
  king.owner = 1;
  FixedState state(2, {ace, ace, ace, king});
  EXPECT_TRUE(evaluator.holds(state, 0, "card-rank-a-at-least-3"));
  EXPECT_TRUE(evaluator.holds(state, 0, "card-rank-a-advantage"));
  EXPECT_FALSE(evaluator.holds(state, 0, "card-rank-k-present"));
  EXPECT_TRUE(evaluator.holds(state, 1, "card-rank-k-present"));
}

TEST(FeatureSet, RejectsBadHandWrittenFeatures) {
  FeatureSet set;
  auto yes = [](const State&, int) { return true; };
  EXPECT_TRUE(set.add({"mine", "", ""}, yes).ok());
  EXPECT_FALSE(set.add({"mine", "", ""}, yes).ok());
  EXPECT_FALSE(set.add({"has space", "", ""}, yes).ok());
  EXPECT_FALSE(set.add({"", "", ""}, yes).ok());
  EXPECT_FALSE(set.add({"empty", "", ""}, nullptr).ok());
  EXPECT_EQ(set.infos()[0].category, "custom");
}

TEST(FeatureSet, AnUndeclaredElementTypeFailsTheEvaluationWithAMessage) {
  Evaluator evaluator(capture_structure());
  Element bad = piece(0, 0, 0);
  bad.type = 5;
  FixedState state(2, {bad}, {{0}, {0}}, {1, 1});
  EXPECT_THROW(evaluator.holds(state, 0, "piece-count-advantage"),
               std::out_of_range);
}

TEST(GenerateCandidateFeatures, RejectsAnInvalidStructure) {
  GameStructure s = capture_structure();
  s.action_kinds.clear();
  EXPECT_EQ(generate_candidate_features(s).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidateStructure, NamesAreSingleWordsAndTheCentreIsOnTheBoard) {
  const GameStructure valid = capture_structure();
  ASSERT_TRUE(validate_structure(valid).ok());
  auto refused = [](const GameStructure& s, const std::string& words) {
    const absl::Status status = validate_structure(s);
    return absl::IsInvalidArgument(status) &&
           absl::StrContains(status.message(), words);
  };
  GameStructure spaced = valid;
  spaced.name = "my game";
  EXPECT_TRUE(refused(spaced, "game name 'my game'"));
  spaced = valid;
  spaced.action_kinds.push_back("jump\tover");
  EXPECT_TRUE(refused(spaced, "action kind"));
  spaced = valid;
  spaced.player_properties = {"tokens taken"};
  EXPECT_TRUE(refused(spaced, "player property 'tokens taken'"));
  spaced = valid;
  spaced.element_types[0].name = " piece";
  EXPECT_TRUE(refused(spaced, "element type"));
  spaced = valid;
  spaced.element_types[0].properties.push_back(
      {.name = "", .kind = PropertyKind::kBoolean, .values = {}});
  EXPECT_TRUE(refused(spaced, "property ''"));
  GameStructure actions = valid;
  actions.num_actions = -1;
  EXPECT_TRUE(refused(actions, "num_actions must be 0 (not declared) or more"));
  actions.num_actions = 0;
  EXPECT_TRUE(validate_structure(actions).ok());
  // The centre: on the board, or empty (a minimum above its maximum).
  const BoardSpec board = *valid.board;
  GameStructure off_board = valid;
  off_board.board->center_row_max = board.rows;
  EXPECT_TRUE(refused(off_board, "is not on the"));
  off_board = valid;
  off_board.board->center_column_min = -1;
  off_board.board->center_column_max = 0;
  EXPECT_TRUE(refused(off_board, "is not on the"));
  GameStructure no_centre = valid;
  no_centre.board->center_row_min = board.rows + 5;
  no_centre.board->center_row_max = 0;
  EXPECT_TRUE(validate_structure(no_centre).ok());
  GameStructure whole_board = valid;
  whole_board.board->center_row_min = 0;
  whole_board.board->center_row_max = board.rows - 1;
  whole_board.board->center_column_min = 0;
  whole_board.board->center_column_max = board.columns - 1;
  EXPECT_TRUE(validate_structure(whole_board).ok());
}

}  // namespace
}  // namespace selfplay
