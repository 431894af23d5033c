// The lean game contract: a game implements only the pure virtual methods of
// game.h and what its structure declares, and still runs with features; the
// defaults it relies on; looking declarations up by name; and the rules
// check_element states (which every bundled game's elements keep).
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/game_structure.h"
#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"

namespace selfplay {
namespace {

// Five actions, the movers in the order 0, 0, 1, 0, 1, each adding one to
// its own score; player 0 ends ahead 3 to 2 and wins. Two legal actions at
// every decision do the same, so random play plays this one game every time.
// It declares a single action kind, no element types and no board, and a
// score: so it implements the pure methods and player_property, and no
// action_kind, hash or elements.
constexpr int kMovers[] = {0, 0, 1, 0, 1};
constexpr int kActions = 5;

class StepState : public State {
 public:
  int num_players() const override { return 2; }
  int current_player() const override { return kMovers[played_]; }
  bool is_terminal() const override { return played_ == kActions; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.assign({0, 1});
  }
  void apply_action(Action) override { ++score_[kMovers[played_++]]; }
  std::vector<int> winners() const override {
    return {score_[0] > score_[1] ? 0 : 1};
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<StepState>(*this);
  }
  std::string to_string() const override {
    return std::to_string(score_[0]) + ":" + std::to_string(score_[1]);
  }
  std::int64_t player_property(int player, int) const override {
    return score_[player];
  }

 private:
  int played_ = 0;
  int score_[2] = {0, 0};
};

// A game of states S.
template <typename S>
class StepGameOf final : public Game {
 public:
  explicit StepGameOf(bool hidden_information = false) {
    structure_.hidden_information = hidden_information;
    structure_.name = "steps";
    structure_.type = GameType::kCollection;
    structure_.player_properties = {"score"};
    structure_.action_kinds = {"step"};
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<S>();
  }

 private:
  GameStructure structure_;
};
using StepGame = StepGameOf<StepState>;

// The decisions by hand, as (the decider's score, the other's) before the
// move, and whether the decider wins:
//   1. player 0, 0 vs 0, wins     2. player 0, 1 vs 0, wins
//   3. player 1, 0 vs 2, loses    4. player 0, 2 vs 1, wins
//   5. player 1, 1 vs 3, loses
// A win adds 2 half-units to "won", a loss 2 to "lost", per decision.
struct HandCount {
  const char* feature;
  std::uint64_t true_won, true_lost, false_won, false_lost;  // per game
};
constexpr HandCount kHandCounts[] = {
    {"score-lead", 4, 0, 2, 4},           // decisions 2 and 4
    {"score-behind", 0, 4, 6, 0},         // 3 and 5
    {"score-tied-or-ahead", 6, 0, 0, 4},  // 1, 2 and 4
    {"score-lead-2", 0, 0, 6, 4},         // never ahead by 2 at a decision
    {"score-zero", 2, 2, 4, 2},           // 1 and 3
};

TEST(LeanContract, AGameWithOnlyTheRequiredMethodsRunsWithFeatures) {
  const StepGame game;
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features(game.structure());
  ASSERT_TRUE(features.ok()) << features.status();
  SimulationOptions options;
  options.games = 300;
  options.threads = 2;
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, *features, options);
  ASSERT_TRUE(result.ok()) << result.status();
  const SimulationCounts& counts = result->counts;
  const std::uint64_t games = options.games;
  EXPECT_EQ(counts.completed, games);
  EXPECT_EQ(counts.failed, 0u);
  EXPECT_EQ(counts.states, kActions * games);
  EXPECT_EQ(counts.seats[0].wins, games);
  EXPECT_EQ(counts.seats[1].losses, games);
  EXPECT_EQ(counts.length_histogram.at(kActions), games);
  for (const HandCount& expected : kHandCounts) {
    const std::optional<int> index = features->find(expected.feature);
    ASSERT_TRUE(index.has_value()) << expected.feature;
    const OutcomeTable& table = counts.features[*index];
    EXPECT_EQ(table.true_won, expected.true_won * games) << expected.feature;
    EXPECT_EQ(table.true_lost, expected.true_lost * games) << expected.feature;
    EXPECT_EQ(table.false_won, expected.false_won * games) << expected.feature;
    EXPECT_EQ(table.false_lost, expected.false_lost * games)
        << expected.feature;
  }
  // The one action kind is taken at every decision: 3 won, 2 lost.
  ASSERT_EQ(counts.actions.size(), 1u);
  EXPECT_EQ(counts.actions[0].true_won, 6 * games);
  EXPECT_EQ(counts.actions[0].true_lost, 4 * games);
  EXPECT_EQ(counts.actions[0].false_won + counts.actions[0].false_lost, 0u);
  // Without a hash of its own a game never reaches the feature cache.
  EXPECT_EQ(result->timing.cache_lookups, 0u);
}

TEST(LeanContract, TheDefaultsFitAStructureThatDeclaresNothing) {
  const StepState state;
  EXPECT_EQ(state.action_kind(1), 0);
  EXPECT_EQ(state.hash(), kNoStateHash);
  std::vector<Element> elements(3);
  state.elements(elements);
  EXPECT_TRUE(elements.empty());
  EXPECT_EQ(state.mobility(0), -1);
  Rng rng(3), untouched(3);
  EXPECT_EQ(state.determinize(0, rng), nullptr) << "nothing is hidden";
  EXPECT_EQ(rng.next(), untouched.next()) << "and nothing drawn";
}

// A game that says it hides information must determinise its states, or MCTS
// would search the real state; one that does is registered.
class DeterminizedStepState final : public StepState {
 public:
  std::unique_ptr<State> clone() const override {
    return std::make_unique<DeterminizedStepState>(*this);
  }
  std::unique_ptr<State> determinize(int, Rng&) const override {
    return clone();
  }
};

TEST(LeanContract, TheRegistryRefusesHiddenInformationWithoutDeterminize) {
  auto hiding = std::make_unique<StepGame>(/*hidden_information=*/true);
  GameRegistry registry;
  const absl::Status refused = registry.add(std::move(hiding));
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("determinize"), std::string::npos)
      << refused;
  auto determinizing = std::make_unique<StepGameOf<DeterminizedStepState>>(
      /*hidden_information=*/true);
  EXPECT_TRUE(registry.add(std::move(determinizing)).ok());
  // The bundled go-fish declares hidden information and passes the check.
  EXPECT_TRUE(GameRegistry::with_bundled_games()
                  .find("go-fish")
                  .value()
                  ->structure()
                  .hidden_information);
}

// The same game with a hash of its own: the scores, which to_string shows
// and which determine the rest.
class HashedStepState final : public StepState {
 public:
  std::uint64_t hash() const override {
    return splitmix64_mix(std::hash<std::string>()(to_string()));
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<HashedStepState>(*this);
  }
};

TEST(LeanContract, AGameWithAHashUsesTheCacheAndCountsTheSame) {
  const StepGame plain;
  const StepGameOf<HashedStepState> hashed;
  const FeatureSet features = *generate_candidate_features(plain.structure());
  SimulationOptions options;
  options.games = 300;
  options.threads = 1;
  const SimulationResult without = *run_simulations(plain, features, options);
  const SimulationResult with = *run_simulations(hashed, features, options);
  EXPECT_EQ(without.timing.cache_lookups, 0u);
  EXPECT_EQ(with.timing.cache_lookups, kActions * options.games);
  EXPECT_GT(with.timing.cache_hits, 0u);
  EXPECT_EQ(with.counts, without.counts);
}

GameStructure board_structure() {
  GameStructure s;
  s.name = "board";
  ElementType marker;
  marker.name = "marker";
  marker.owned = false;
  ElementType piece;
  piece.name = "piece";
  piece.properties.resize(3);
  piece.properties[0].name = "height";
  piece.properties[1].name = "king";
  piece.properties[1].kind = PropertyKind::kBoolean;
  piece.properties[2].name = "colour";
  piece.properties[2].kind = PropertyKind::kString;
  piece.properties[2].values = {"red", "blue"};
  s.element_types = {marker, piece};
  s.board.emplace();
  s.board->rows = 3;
  s.board->columns = 4;
  s.action_kinds = {"move"};
  return s;
}

TEST(LeanContract, PropertiesAreFoundByName) {
  const GameStructure s = board_structure();
  EXPECT_EQ(*element_type_index(s, "marker"), 0);
  EXPECT_EQ(*element_type_index(s, "piece"), 1);
  EXPECT_EQ(*property_index(s, "piece", "height"), 0);
  EXPECT_EQ(*property_index(s, "piece", "colour"), 2);
  const absl::StatusOr<int> no_type = element_type_index(s, "pawn");
  EXPECT_EQ(no_type.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(no_type.status().message().find("marker, piece"),
            std::string_view::npos)
      << no_type.status();
  const absl::StatusOr<int> no_property = property_index(s, "piece", "crown");
  EXPECT_EQ(no_property.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(no_property.status().message().find("height, king, colour"),
            std::string_view::npos)
      << no_property.status();
  EXPECT_EQ(property_index(s, "pawn", "king").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(LeanContract, CheckElementAcceptsWhatTheDeclarationAllows) {
  const GameStructure s = board_structure();
  EXPECT_TRUE(check_element(s, {.type = 0}).ok());
  EXPECT_TRUE(check_element(s, {.type = 0, .row = 2, .column = 3}).ok());
  EXPECT_TRUE(check_element(s, {.type = 1,
                                .owner = 1,
                                .row = 0,
                                .column = 0,
                                .properties = {-7, 1, 1, 0}})
                  .ok());
  EXPECT_TRUE(check_element(s, {.type = 1, .owner = -1}).ok());
}

TEST(LeanContract, CheckElementRejectsEachMisfit) {
  const GameStructure s = board_structure();
  const Element misfits[] = {
      {.type = 2},                                           // undeclared type
      {.type = -1},                                          // undeclared type
      {.type = 0, .owner = 0},                               // owner of unowned
      {.type = 1, .owner = 2},                               // not a player
      {.type = 1, .owner = 0, .row = 3, .column = 0},        // off the board
      {.type = 1, .owner = 0, .row = 0, .column = 4},        // off the board
      {.type = 1, .owner = 0, .row = 0, .column = -1},       // half a square
      {.type = 1, .owner = 0, .properties = {0, 2, 0, 0}},   // boolean 2
      {.type = 1, .owner = 0, .properties = {0, 0, 2, 0}},   // third colour
      {.type = 1, .owner = 0, .properties = {0, 0, -1, 0}},  // no colour
      {.type = 1, .owner = 0, .properties = {0, 0, 0, 5}},   // undeclared
      {.type = 0, .properties = {1, 0, 0, 0}},               // undeclared
  };
  for (const Element& element : misfits) {
    const absl::Status status = check_element(s, element);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << "type " << element.type << " owner " << element.owner << " at "
        << element.row << "," << element.column;
  }
  GameStructure no_board = s;
  no_board.board.reset();
  EXPECT_FALSE(
      check_element(no_board, {.type = 0, .row = 0, .column = 0}).ok());
}

// The debug builds' check holds for the bundled games on random playouts, so
// that it only ever catches a game's mistake; and every legal action lies
// below the declared num_actions, with the fewest and the most players.
TEST(LeanContract, EveryBundledGamesElementsAndActionsFitItsDeclaration) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  std::vector<Action> actions;
  std::vector<Element> elements;
  for (const Game* game : registry.games()) {
    const GameStructure& structure = game->structure();
    const std::string& name = structure.name;
    ASSERT_GT(structure.num_actions, 0) << name;
    std::uint64_t checked = 0;
    Action largest = 0;
    for (int players : std::set{structure.min_players, structure.max_players}) {
      for (std::uint64_t seed = 0; seed < 20; ++seed) {
        Rng rng(seed);
        std::unique_ptr<State> state = game->new_initial_state(seed, players);
        for (int step = 0; step < 400 && !state->is_terminal(); ++step) {
          state->elements(elements);
          for (const Element& element : elements) {
            const absl::Status fits = check_element(structure, element);
            ASSERT_TRUE(fits.ok()) << name << ": " << fits;
            ++checked;
          }
          state->legal_actions(actions);
          for (Action action : actions) {
            ASSERT_GE(action, 0) << name;
            ASSERT_LT(action, structure.num_actions) << name;
            largest = std::max(largest, action);
          }
          state->apply_action(
              actions[rng.uniform(static_cast<std::uint32_t>(actions.size()))]);
        }
      }
    }
    EXPECT_GT(checked, 0u) << name;
    // Board games place on every cell or drop in every column; go fish's
    // largest table asks its last seat: the bound is tight. Checkers' bound
    // is its encoding's, which random play comes nowhere near.
    if (name != "checkers") {
      EXPECT_EQ(largest, structure.num_actions - 1) << name;
    }
  }
}

}  // namespace
}  // namespace selfplay
