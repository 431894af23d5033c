// The greedy player's quiescence search (greedy:q): small game trees whose
// values are worked out by hand, with compulsory captures, captures that
// either side may decline, and the depth bound; a checkers position where
// one-ply greedy puts a man en prise and greedy:q does not, and one where
// greedy:q finds a two-for-one shot; games without forcing action kinds played
// exactly as by one-ply greedy; the specs; and a match that is the same for any
// thread count. Then the same search scoring objective MCTS's leaves
// (objective-mcts:N:D:q): the evaluator's rewards on the trees, worked out by
// hand, forced wins, the specs, connect-four played exactly as without it, and
// checkers matches the same for any thread count.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "games/checkers.h"
#include "games/connect_four.h"
#include "selfplay/evaluation.h"
#include "selfplay/model.h"
#include "selfplay/objective_players.h"
#include "selfplay/players.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

Objective objective(const std::string& feature, double weight) {
  Objective made;
  made.feature = feature;
  made.weight = weight;
  return made;
}

// A game tree written out node by node. Each node has a player to move, the
// two players' scores (a player property) and its edges; the action is the
// edge's index. A node without edges ends the game, won by `winner` (a
// draw when -1).
struct TreeNode {
  int player = 0;
  std::array<int, 2> score = {0, 0};
  struct Edge {
    ActionKind kind = 0;
    int child = 0;
  };
  std::vector<Edge> edges;
  int winner = -1;
};

class TreeState final : public State {
 public:
  TreeState(const std::vector<TreeNode>* nodes, int at)
      : nodes_(nodes), at_(at) {}

  int num_players() const override { return 2; }
  int current_player() const override { return node().player; }
  bool is_terminal() const override { return node().edges.empty(); }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.clear();
    for (std::size_t i = 0; i < node().edges.size(); ++i) {
      actions.push_back(static_cast<Action>(i));
    }
  }
  void apply_action(Action action) override {
    at_ = node().edges.at(action).child;
  }
  std::vector<int> winners() const override {
    if (!is_terminal() || node().winner < 0) return {};
    return {node().winner};
  }
  ActionKind action_kind(Action action) const override {
    return node().edges.at(action).kind;
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<TreeState>(*this);
  }
  std::string to_string() const override { return std::to_string(at_); }
  std::int64_t player_property(int player, int) const override {
    return node().score[player];
  }

 private:
  const TreeNode& node() const { return nodes_->at(at_); }

  const std::vector<TreeNode>* nodes_;
  int at_;
};

class TreeGame final : public Game {
 public:
  // `kinds`: the names of action kinds 0 ("move") and 1 (the captures).
  TreeGame(std::vector<TreeNode> nodes, std::vector<std::string> kinds)
      : nodes_(std::move(nodes)) {
    structure_.name = "tree";
    structure_.type = GameType::kCollection;
    structure_.player_properties = {"score"};
    structure_.action_kinds = std::move(kinds);
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<TreeState>(&nodes_, 0);
  }

 private:
  std::vector<TreeNode> nodes_;
  GameStructure structure_;
};

constexpr ActionKind kMove = 0;
constexpr ActionKind kCapture = 1;

// A node where `player` moves and player 0 leads by `lead` points.
TreeNode node(int player, int lead, std::vector<TreeNode::Edge> edges) {
  return {.player = player,
          .score = {lead > 0 ? lead : 0, lead < 0 ? -lead : 0},
          .edges = std::move(edges)};
}
// A quiet node: its one action is a move to node 1, which ends the game.
TreeNode quiet(int player, int lead) {
  return node(player, lead, {{kMove, 1}});
}
// A tree whose root (node 0, player 0 to move, actions 0 and 1 to `a` and
// `b`) is followed by `rest` from node 2 on.
std::vector<TreeNode> tree(int a, int b, std::vector<TreeNode> rest) {
  std::vector<TreeNode> nodes = {node(0, 0, {{kMove, a}, {kMove, b}}),
                                 node(0, 0, {})};
  nodes.insert(nodes.end(), rest.begin(), rest.end());
  return nodes;
}

// Action 0 puts a piece en prise: player 1 must capture.
//   2 [p1, +3]: capture -> 3 [p0, -1] quiet     4 [p1, +1] quiet
// One ply: 0 is v(3) = 3.5, 1 is v(1) = 1.5. Quiescence: 0 is v(-1) = -1.
std::vector<TreeNode> en_prise_tree() {
  return tree(2, 4, {node(1, 3, {{kCapture, 3}}), quiet(0, -1), quiet(1, 1)});
}

// After action 0 player 1 may capture, but player 0 must then recapture:
//   2 [p1, +1]: move -> 3 [p0, +1] quiet; capture -> 4 [p0, -1]:
//               capture -> 5 [p1, +3] quiet
//   6 [p1, +2] quiet
// Player 1 stands pat: 0 is min(v(1), v(3)) = 1.5 < v(2) = 2.5, so 1. Were
// the capture forced, 0 would be v(3) = 3.5.
std::vector<TreeNode> declined_capture_tree() {
  return tree(2, 6,
              {node(1, 1, {{kMove, 3}, {kCapture, 4}}), quiet(0, 1),
               node(0, -1, {{kCapture, 5}}), quiet(1, 3), quiet(1, 2)});
}

// After action 0 player 1 must capture; player 0 may capture back, but
// player 1 then takes more:
//   2 [p1, +2]: capture -> 3 [p0, +1]: move -> 4 [p1, +1] quiet;
//               capture -> 5 [p1, +2]: capture -> 6 [p0, -1] quiet
//   7 [p1, 0] quiet
// Player 0 stands pat: 0 is max(v(1), v(-1)) = 1.5 > v(0) = 0.5, so 0. Were
// the capture back forced, 0 would be -1.
std::vector<TreeNode> mover_stands_pat_tree() {
  return tree(
      2, 7,
      {node(1, 2, {{kCapture, 3}}), node(0, 1, {{kMove, 4}, {kCapture, 5}}),
       quiet(1, 1), node(1, 2, {{kCapture, 6}}), quiet(0, -1), quiet(1, 0)});
}

// Three compulsory captures in a row after action 0:
//   2 [p1, +1] -> 3 [p0, -1] -> 4 [p1, +1] -> 5 [p0, -1] quiet
//   6 [p1, 0] quiet
// Searched d captures deep, 0 is valued at node 2 + d: v(-1) = -1 for d =
// 1 and 3 (so 1, v(0) = 0.5), v(1) = 1.5 for d = 2 (so 0).
std::vector<TreeNode> capture_chain_tree() {
  return tree(2, 6,
              {node(1, 1, {{kCapture, 3}}), node(0, -1, {{kCapture, 4}}),
               node(1, 1, {{kCapture, 5}}), quiet(0, -1), quiet(1, 0)});
}

// The objective value v(d) for a player ahead by d: 1 for each of a lead, a
// lead of 2 and a lead of 3, 0.5 for not being behind, -1 for being behind:
//   v(-1) = -1, v(0) = 0.5, v(1) = 1.5, v(2) = 2.5, v(3) = 3.5.
Model lead_model(const Game& game) {
  absl::StatusOr<Model> model = Model::create(
      game,
      {objective("score-lead", 1), objective("score-lead-2", 1),
       objective("score-lead-3", 1), objective("score-tied-or-ahead", 0.5),
       objective("score-behind", -1)});
  EXPECT_TRUE(model.ok()) << model.status();
  return *std::move(model);
}

// Every choice at the root of `nodes` over 30 seeds of a greedy player with
// this quiescence depth; the captures' kind is named `capture_kind`.
std::set<Action> choices(std::vector<TreeNode> nodes, int quiescence_depth,
                         const std::string& capture_kind = "capture") {
  const TreeGame game(std::move(nodes), {"move", capture_kind});
  const Model model = lead_model(game);
  const GreedyObjectivePolicy policy(model, 1, quiescence_depth);
  const std::unique_ptr<State> state = game.new_initial_state(0, 2);
  std::vector<Action> legal;
  state->legal_actions(legal);
  std::set<Action> chosen;
  for (int i = 0; i < 30; ++i) {
    Rng rng(seed_for(3, i));
    chosen.insert(policy.choose_action(*state, legal, rng));
  }
  return chosen;
}

using Choice = std::set<Action>;

TEST(GreedyQuiescence, PlaysOutACompulsoryCapture) {
  EXPECT_EQ(choices(en_prise_tree(), 0), Choice{0});
  EXPECT_EQ(choices(en_prise_tree(), kDefaultQuiescenceDepth), Choice{1});
}

TEST(GreedyQuiescence, TheOpponentMayDeclineACapture) {
  EXPECT_EQ(choices(declined_capture_tree(), kDefaultQuiescenceDepth),
            Choice{1});
}

TEST(GreedyQuiescence, TheMoverMayDeclineACapture) {
  EXPECT_EQ(choices(mover_stands_pat_tree(), kDefaultQuiescenceDepth),
            Choice{0});
}

TEST(GreedyQuiescence, SearchesExactlyTheQuiescenceDepth) {
  EXPECT_EQ(choices(capture_chain_tree(), 1), Choice{1});
  EXPECT_EQ(choices(capture_chain_tree(), 2), Choice{0});
  EXPECT_EQ(choices(capture_chain_tree(), 3), Choice{1});
}

TEST(GreedyQuiescence, AGameWithoutForcingKindsIsPlayedAsByOnePlyGreedy) {
  // The en prise tree with its capture named "take": nothing is forcing.
  EXPECT_EQ(choices(en_prise_tree(), kDefaultQuiescenceDepth, "take"),
            Choice{0});
  EXPECT_EQ(choices(en_prise_tree(), kDefaultQuiescenceDepth, "jump"),
            Choice{1});
}

// `rows` from row 7 down to row 0; black (player 0) to move.
CheckersState position(const std::array<std::string_view, 8>& rows) {
  absl::StatusOr<CheckersState> state = CheckersState::from_diagram(rows, 0);
  EXPECT_TRUE(state.ok()) << state.status();
  return *state;
}

// The action of `state` that moves the piece on (row, column) to
// (to_row, to_column), found by playing each legal action.
Action action_between(const CheckersState& state, int row, int column,
                      int to_row, int to_column) {
  std::vector<Action> legal;
  state.legal_actions(legal);
  for (Action action : legal) {
    CheckersState after = state;
    after.apply_action(action);
    const std::string text = after.to_string();
    // to_string draws row r on line 7 - r as "r " and eight squares.
    auto square = [&](int r, int c) { return text[(7 - r) * 11 + 2 + c]; };
    if (square(row, column) == '.' && square(to_row, to_column) == 'b') {
      return action;
    }
  }
  ADD_FAILURE() << "no move from " << row << "," << column;
  return -1;
}

std::set<Action> checkers_choices(const CheckersState& state,
                                  const Policy& policy) {
  std::vector<Action> legal;
  state.legal_actions(legal);
  std::set<Action> chosen;
  for (int i = 0; i < 30; ++i) {
    Rng rng(seed_for(5, i));
    chosen.insert(policy.choose_action(state, legal, rng));
  }
  return chosen;
}

TEST(GreedyQuiescence, DoesNotPutACheckersManEnPrise) {
  // Black men on h4 (row 3) and a1, white men on f6 and h8. h4-g5 reaches
  // the far half (+1) but f6 must jump it (material then 1 to 2); a1-b2 is
  // safe. Objectives: not behind in pieces +10, a piece in the far half +1.
  const CheckersState state = position({".......w",  // row 7
                                        "........",  //
                                        ".....w..",  // row 5
                                        "........",  //
                                        ".......b",  // row 3
                                        "........",  //
                                        "........",  //
                                        "b......."});
  const std::unique_ptr<Game> game = make_checkers_game();
  absl::StatusOr<Model> model =
      Model::create(*game, {objective("piece-count-not-behind", 10),
                            objective("piece-advanced-at-least-1", 1)});
  ASSERT_TRUE(model.ok()) << model.status();
  const Action en_prise = action_between(state, 3, 7, 4, 6);
  const Action safe = action_between(state, 0, 0, 1, 1);
  // One ply: en prise 10 + 1, safe 10.
  EXPECT_EQ(checkers_choices(state, GreedyObjectivePolicy(*model)),
            std::set<Action>{en_prise});
  // After the compulsory capture the en prise move is worth 0.
  EXPECT_EQ(checkers_choices(state, GreedyObjectivePolicy(*model, 1, 8)),
            std::set<Action>{safe});
}

TEST(GreedyQuiescence, FindsATwoForOneShotThroughACompulsoryCapture) {
  // Black: d4 (3,3), c3 (2,2), f4 (3,5), b2 (1,1); white: f6 (5,5), d6
  // (5,3), f8 (7,5), h8 (7,7). d4-e5 gives a man: f6 must jump it to d4
  // (d6's jump lands on f4, taken; b2 stops a second jump over c3), then
  // c3 must jump d4 and d6, to c7: 3 pieces to 2. By hand, every other
  // move ends level (4 to 4: c3-b4, b2-a3) or behind (d4-c5 loses two men
  // to d6's double jump, f4-e5 and f4-g5 lose one). Objective: more pieces
  // than the opponent +1; so one ply sees six moves worth 0.
  const CheckersState state = position({".....w.w",  // row 7
                                        "........",  //
                                        "...w.w..",  // row 5
                                        "........",  //
                                        "...b.b..",  // row 3
                                        "..b.....",  //
                                        ".b......",  //
                                        "........"});
  const std::unique_ptr<Game> game = make_checkers_game();
  absl::StatusOr<Model> model =
      Model::create(*game, {objective("piece-count-advantage", 1)});
  ASSERT_TRUE(model.ok()) << model.status();
  const Action shot = action_between(state, 3, 3, 4, 4);
  EXPECT_EQ(checkers_choices(state, GreedyObjectivePolicy(*model, 1, 8)),
            std::set<Action>{shot});
  EXPECT_GT(checkers_choices(state, GreedyObjectivePolicy(*model)).size(), 1u);
}

// Every spec in `texts` is refused as invalid.
void expect_refused(std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    EXPECT_EQ(parse_player_spec(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

// The name of the checkers player `spec` makes (with a model of no
// objectives), or the error.
std::string made_player_name(std::string_view spec) {
  const std::unique_ptr<Game> game = make_checkers_game();
  absl::StatusOr<Model> model = Model::create(*game, {});
  if (!model.ok()) return std::string(model.status().message());
  absl::StatusOr<PlayerSpec> parsed = parse_player_spec(spec);
  if (!parsed.ok()) return std::string(parsed.status().message());
  absl::StatusOr<std::unique_ptr<Policy>> player =
      make_player(*parsed, &*model);
  if (!player.ok()) return std::string(player.status().message());
  return (*player)->name();
}

TEST(GreedyQuiescence, SpecsReadBackAndOutOfRangeOnesAreRefused) {
  for (const char* text :
       {"greedy:q", "greedy:2:q", "greedy:q4", "greedy:2:q64", "greedy:q1"}) {
    absl::StatusOr<PlayerSpec> spec = parse_player_spec(text);
    ASSERT_TRUE(spec.ok()) << text << ": " << spec.status();
    EXPECT_EQ(spec->to_string(), text);
  }
  EXPECT_EQ(parse_player_spec("greedy:q")->quiescence, kDefaultQuiescenceDepth);
  EXPECT_EQ(parse_player_spec("greedy:2:q3")->quiescence, 3);
  EXPECT_EQ(parse_player_spec("greedy:2:q3")->lookahead, 2);
  // Written out at the default depth, the depth is dropped.
  EXPECT_EQ(parse_player_spec("greedy:q8")->to_string(), "greedy:q");
  expect_refused({"greedy:q0", "greedy:q65", "greedy:q:2", "greedy:2:2",
                  "greedy:qx", "greedy:2:q:q", "greedy:3:q",
                  "greedy:", "greedy:q/2"});
  EXPECT_EQ(made_player_name("greedy:2:q5"), "greedy:2:q5");
}

absl::StatusOr<MatchResult> match(const Game& game, const Policy& player,
                                  int threads, std::uint64_t games = 40,
                                  std::uint64_t seed = 6) {
  return play_match(game, player, RandomPolicy(),
                    {.games = games, .seed = seed, .threads = threads});
}

TEST(GreedyQuiescence, ConnectFourHasNoForcingKindsSoGreedyQIsGreedy) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  absl::StatusOr<Model> model =
      Model::create(*game, {objective("line-threat-advantage", 1),
                            objective("line-threats-at-least-1", 0.5)});
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<MatchResult> greedy =
      match(*game, GreedyObjectivePolicy(*model), 2);
  absl::StatusOr<MatchResult> quiet =
      match(*game, GreedyObjectivePolicy(*model, 1, 8), 2);
  ASSERT_TRUE(greedy.ok() && quiet.ok());
  EXPECT_EQ(quiet->player, "greedy:q");
  quiet->player = greedy->player;
  EXPECT_EQ(*quiet, *greedy);
}

// Material and advancement on checkers: what the checkers matches play by.
absl::StatusOr<Model> checkers_material_model(const Game& game) {
  return Model::create(game, {objective("piece-count-advantage", 2),
                              objective("piece-count-disadvantage", -2),
                              objective("piece-advanced-at-least-3", 0.5)});
}

TEST(GreedyQuiescence, ACheckersMatchIsTheSameForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_checkers_game();
  absl::StatusOr<Model> model = checkers_material_model(*game);
  ASSERT_TRUE(model.ok()) << model.status();
  const GreedyObjectivePolicy quiet(*model, 1, 8);
  std::vector<MatchResult> results;
  for (int threads : {1, 2, 3}) {
    absl::StatusOr<MatchResult> result = match(*game, quiet, threads);
    ASSERT_TRUE(result.ok()) << result.status();
    results.push_back(*result);
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_EQ(results[0], results[2]);
  EXPECT_EQ(results[0].decided(), 40u);
  // Far better than chance, with only material objectives.
  EXPECT_GT(results[0].wins, 30u);
}

// The rewards of an ObjectiveEvaluator of lead_model with this quiescence
// depth at node 2 of `nodes` (after the root's action 0).
std::vector<double> rewards_after_action_0(std::vector<TreeNode> nodes,
                                           int quiescence_depth) {
  const TreeGame game(std::move(nodes), {"move", "capture"});
  const Model model = lead_model(game);
  const ObjectiveEvaluator evaluator(model, 2.0, quiescence_depth);
  EXPECT_EQ(evaluator.quiescence_depth(), quiescence_depth);
  const std::unique_ptr<State> state = game.new_initial_state(0, 2);
  state->apply_action(0);
  std::vector<double> rewards(2);
  evaluator.evaluate(*state, absl::MakeSpan(rewards));
  return rewards;
}

// Player 0's reward from values v0, v1 at temperature 2.
double softmax_0(double v0, double v1) {
  return std::exp(v0 / 2) / (std::exp(v0 / 2) + std::exp(v1 / 2));
}

TEST(ObjectiveMctsQuiescence, TheEvaluatorScoresAfterACompulsoryCapture) {
  // Node 2: player 0 leads by 3 (v0 = 3.5, v1 = v(-3) = -1); player 1 must
  // capture, to node 3 where player 0 trails by 1 (v0 = -1, v1 = 1.5).
  std::vector<double> plain = rewards_after_action_0(en_prise_tree(), 0);
  EXPECT_DOUBLE_EQ(plain[0], softmax_0(3.5, -1));
  EXPECT_DOUBLE_EQ(plain[0] + plain[1], 1);
  std::vector<double> quiet =
      rewards_after_action_0(en_prise_tree(), kDefaultQuiescenceDepth);
  EXPECT_DOUBLE_EQ(quiet[0], softmax_0(-1, 1.5));
  EXPECT_DOUBLE_EQ(quiet[0] + quiet[1], 1);
}

TEST(ObjectiveMctsQuiescence, TheEvaluatorSearchesExactlyItsDepth) {
  // Node 2 + d after d compulsory captures: leads of -1, +1, -1 for player
  // 0 (v(1) = 1.5 and v(-1) = -1 for the one ahead and the one behind).
  EXPECT_DOUBLE_EQ(rewards_after_action_0(capture_chain_tree(), 1)[0],
                   softmax_0(-1, 1.5));
  EXPECT_DOUBLE_EQ(rewards_after_action_0(capture_chain_tree(), 2)[0],
                   softmax_0(1.5, -1));
  EXPECT_DOUBLE_EQ(rewards_after_action_0(capture_chain_tree(), 3)[0],
                   softmax_0(-1, 1.5));
}

TEST(ObjectiveMctsQuiescence, AForcedWinTakesTheWholeReward) {
  // Node 2: player 1 leads by 3 but must capture into node 3, which player
  // 0 wins; node 4, with the same lead, is quiet.
  for (int winner : {0, 1}) {
    std::vector<TreeNode> nodes = tree(
        2, 4, {node(1, -3, {{kCapture, 3}}), node(0, -3, {}), quiet(1, -3)});
    nodes[3].winner = winner;
    EXPECT_EQ(rewards_after_action_0(nodes, 1),
              (std::vector<double>{winner == 0 ? 1.0 : 0.0,
                                   winner == 1 ? 1.0 : 0.0}));
    EXPECT_DOUBLE_EQ(rewards_after_action_0(nodes, 0)[0], softmax_0(-1, 3.5));
  }
}

TEST(ObjectiveMctsQuiescence, SpecsReadBackAndOutOfRangeOnesAreRefused) {
  for (const char* text :
       {"objective-mcts:50:4:q", "objective-mcts:50:0:q3",
        "objective-mcts:5ms:0:q:decisive", "objective-mcts:50:2:q64:decisive",
        "objective-mcts:50:4:q/2", "objective-mcts:50:4:decisive",
        "objective-mcts:50:2:q:c0.4", "objective-mcts:5ms:0:decisive:c0",
        "objective-mcts:50:4:c2.5/2"}) {
    absl::StatusOr<PlayerSpec> spec = parse_player_spec(text);
    ASSERT_TRUE(spec.ok()) << text << ": " << spec.status();
    EXPECT_EQ(spec->to_string(), text);
  }
  EXPECT_EQ(parse_player_spec("objective-mcts:50:4:q")->quiescence,
            kDefaultQuiescenceDepth);
  EXPECT_EQ(parse_player_spec("objective-mcts:50:4:decisive")->quiescence, 0);
  const absl::StatusOr<PlayerSpec> spec =
      parse_player_spec("objective-mcts:50:0:q3:decisive");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->quiescence, 3);
  EXPECT_EQ(spec->rollout_depth, 0);
  EXPECT_TRUE(spec->decisive_moves);
  EXPECT_EQ(spec->exploration, MctsOptions{}.exploration);
  EXPECT_EQ(parse_player_spec("objective-mcts:50:2:q:c0.4")->exploration, 0.4);
  expect_refused({"objective-mcts:50:4:c", "objective-mcts:50:4:c-1",
                  "objective-mcts:50:4:c101", "objective-mcts:50:4:cx",
                  "objective-mcts:50:4:c0.4:q", "objective-mcts:50:4:c1:c1",
                  "objective-mcts:50:c0.4", "mcts:50:c0.4"});
  expect_refused({"objective-mcts:50:q", "objective-mcts:50:4:q0",
                  "objective-mcts:50:4:q65", "objective-mcts:50:4:decisive:q",
                  "objective-mcts:50:4:q:q", "objective-mcts:50:4:qx",
                  "objective-mcts:50:4:q:decisive:x", "objective-mcts:50:4:x"});
  EXPECT_EQ(made_player_name("objective-mcts:50:4:q5:decisive/2"),
            "objective-mcts:50:4:q5:decisive/2");
  EXPECT_EQ(made_player_name("objective-mcts:50:2:q:c0.4"),
            "objective-mcts:50:2:q:c0.4");
}

absl::StatusOr<MatchResult> objective_mcts_match(const Game& game,
                                                 const Model& model,
                                                 std::string_view spec,
                                                 int threads) {
  absl::StatusOr<PlayerSpec> parsed = parse_player_spec(spec);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<std::unique_ptr<Policy>> player = make_player(*parsed, &model);
  if (!player.ok()) return player.status();
  return match(game, **player, threads, /*games=*/12, /*seed=*/8);
}

TEST(ObjectiveMctsQuiescence, ConnectFourHasNoForcingKindsSoItPlaysAsBefore) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  absl::StatusOr<Model> model =
      Model::create(*game, {objective("line-threat-advantage", 1),
                            objective("line-threats-at-least-1", 0.5)});
  ASSERT_TRUE(model.ok()) << model.status();
  for (const char* depth : {"0", "3"}) {
    const std::string plain = absl::StrCat("objective-mcts:30:", depth);
    absl::StatusOr<MatchResult> before =
        objective_mcts_match(*game, *model, plain, 2);
    absl::StatusOr<MatchResult> quiet =
        objective_mcts_match(*game, *model, plain + ":q", 2);
    ASSERT_TRUE(before.ok() && quiet.ok());
    EXPECT_EQ(quiet->player, plain + ":q");
    quiet->player = before->player;
    EXPECT_EQ(*quiet, *before) << depth;
  }
}

TEST(ObjectiveMctsQuiescence, CheckersMatchesAreTheSameForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_checkers_game();
  absl::StatusOr<Model> model = checkers_material_model(*game);
  ASSERT_TRUE(model.ok()) << model.status();
  for (const char* spec : {"objective-mcts:30:0:q", "objective-mcts:20:4:q3",
                           "objective-mcts:30:0:q:c0.3"}) {
    std::vector<MatchResult> results;
    for (int threads : {1, 2, 3}) {
      absl::StatusOr<MatchResult> result =
          objective_mcts_match(*game, *model, spec, threads);
      ASSERT_TRUE(result.ok()) << result.status();
      results.push_back(*result);
    }
    EXPECT_EQ(results[0], results[1]) << spec;
    EXPECT_EQ(results[0], results[2]) << spec;
    // With the search, material alone beats random.
    EXPECT_GT(results[0].wins, 8u) << spec;
  }
}

TEST(ObjectiveMctsQuiescence, TheExplorationConstantReachesTheSearch) {
  // On positions of random checkers games, with the same seeds: a search
  // that explores less (c = 0.3) sometimes chooses otherwise, and one whose
  // constant is written out as the default never does.
  const std::unique_ptr<Game> game = make_checkers_game();
  absl::StatusOr<Model> model = checkers_material_model(*game);
  ASSERT_TRUE(model.ok()) << model.status();
  auto player = [&](std::string_view text) {
    return *make_player(*parse_player_spec(text), &*model);
  };
  const std::unique_ptr<Policy> plain = player("objective-mcts:40:0:q");
  const std::unique_ptr<Policy> same =
      player("objective-mcts:40:0:q:c1.4142135623730951");
  const std::unique_ptr<Policy> greedier = player("objective-mcts:40:0:q:c0.3");
  EXPECT_EQ(same->name(), plain->name());
  int compared = 0, differ = 0;
  std::vector<Action> legal;
  for (std::uint64_t seed = 0; seed < 6; ++seed) {
    std::unique_ptr<State> state = game->new_initial_state(seed, 2);
    Rng play(seed);
    while (!state->is_terminal()) {
      state->legal_actions(legal);
      if (legal.size() > 2) {
        Rng a(seed + compared), b(seed + compared), c(seed + compared);
        const Action chosen = plain->choose_action(*state, legal, a);
        EXPECT_EQ(same->choose_action(*state, legal, b), chosen);
        differ += greedier->choose_action(*state, legal, c) != chosen;
        ++compared;
      }
      state->apply_action(legal[play.uniform(legal.size())]);
    }
  }
  EXPECT_GT(compared, 100);
  EXPECT_GT(differ, 0);
}

}  // namespace
}  // namespace selfplay
