// libFuzzer target: a plugin's game as bytes, the way `--game-lib` takes one
// on trust: a declared structure (names, element types, properties, board,
// players, action kinds) that registration must validate, candidate
// features generated from it, and states that report anything (elements of
// undeclared types or off the board, players and action kinds out of range,
// no legal actions, odd winners) which a short simulation must turn into
// failed games, never a crash.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"

namespace {

using namespace selfplay;

// What every state of the fuzzed game reports, drawn from the bytes once.
struct Script {
  int players = 2;
  int length = 1;  // actions until the state is terminal
  int current_player = 0;
  int legal_actions = 1;
  ActionKind kind = 0;
  std::vector<Element> elements;
  std::vector<int> winners;
  std::int64_t player_property = 0;
  int mobility = 0;
};

class ScriptedState final : public State {
 public:
  explicit ScriptedState(const Script& script) : script_(script) {}
  int num_players() const override { return script_.players; }
  int current_player() const override {
    return (script_.current_player + moves_) % 7 - 1;
  }
  bool is_terminal() const override { return moves_ >= script_.length; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.clear();
    for (int i = 0; i < script_.legal_actions; ++i) actions.push_back(i);
  }
  void apply_action(Action) override { ++moves_; }
  std::vector<int> winners() const override { return script_.winners; }
  ActionKind action_kind(Action action) const override {
    return script_.kind + static_cast<ActionKind>(action);
  }
  std::uint64_t hash() const override { return moves_; }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<ScriptedState>(*this);
  }
  std::string to_string() const override { return "scripted"; }
  void elements(std::vector<Element>& elements) const override {
    elements = script_.elements;
  }
  std::int64_t player_property(int, int) const override {
    return script_.player_property;
  }
  int mobility(int) const override { return script_.mobility; }

 private:
  const Script& script_;
  int moves_ = 0;
};

class ScriptedGame final : public Game {
 public:
  ScriptedGame(GameStructure structure, Script script)
      : structure_(std::move(structure)), script_(std::move(script)) {}
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t,
                                           int players) const override {
    script_.players = players;
    return std::make_unique<ScriptedState>(script_);
  }

 private:
  GameStructure structure_;
  mutable Script script_;  // one thread plays
};

std::string name(FuzzedDataProvider& bytes) {
  return bytes.ConsumeRandomLengthString(12);
}

GameStructure structure_from(FuzzedDataProvider& bytes) {
  GameStructure structure;
  structure.name = name(bytes);
  structure.min_players = bytes.ConsumeIntegralInRange(-1, 7);
  structure.max_players = bytes.ConsumeIntegralInRange(-1, 7);
  structure.default_players = bytes.ConsumeIntegralInRange(-1, 7);
  structure.type = static_cast<GameType>(bytes.ConsumeIntegralInRange(0, 4));
  const int types = bytes.ConsumeIntegralInRange(0, 4);
  for (int t = 0; t < types; ++t) {
    ElementType& type = structure.element_types.emplace_back();
    type.name = name(bytes);
    type.owned = bytes.ConsumeBool();
    const int properties = bytes.ConsumeIntegralInRange(0, 5);
    for (int p = 0; p < properties; ++p) {
      PropertySpec& property = type.properties.emplace_back();
      property.name = name(bytes);
      property.kind =
          static_cast<PropertyKind>(bytes.ConsumeIntegralInRange(0, 2));
      const int values = bytes.ConsumeIntegralInRange(0, 3);
      for (int v = 0; v < values; ++v) property.values.push_back(name(bytes));
    }
  }
  if (bytes.ConsumeBool()) {
    BoardSpec& board = structure.board.emplace();
    board.rows = bytes.ConsumeIntegralInRange(-1, 20);
    board.columns = bytes.ConsumeIntegralInRange(-1, 20);
    board.topology =
        bytes.ConsumeBool() ? BoardTopology::kHex : BoardTopology::kSquare;
    board.center_row_min = bytes.ConsumeIntegralInRange(-1, 20);
    board.center_row_max = bytes.ConsumeIntegralInRange(-1, 20);
    board.center_column_min = bytes.ConsumeIntegralInRange(-1, 20);
    board.center_column_max = bytes.ConsumeIntegralInRange(-1, 20);
    const int forward = bytes.ConsumeIntegralInRange(0, 7);
    for (int f = 0; f < forward; ++f) {
      board.forward.push_back(bytes.ConsumeIntegralInRange(-2, 2));
    }
    const int goals = bytes.ConsumeIntegralInRange(0, 7);
    for (int g = 0; g < goals; ++g) {
      board.connection_goals.push_back(bytes.ConsumeBool()
                                           ? ConnectionGoal::kLeftRight
                                           : ConnectionGoal::kTopBottom);
    }
    board.line_length = bytes.ConsumeIntegralInRange(-1, 25);
  }
  const int player_properties = bytes.ConsumeIntegralInRange(0, 3);
  for (int p = 0; p < player_properties; ++p) {
    structure.player_properties.push_back(name(bytes));
  }
  const int kinds = bytes.ConsumeIntegralInRange(0, 66);
  for (int k = 0; k < kinds; ++k) structure.action_kinds.push_back(name(bytes));
  structure.reports_mobility = bytes.ConsumeBool();
  structure.deterministic = bytes.ConsumeBool();
  return structure;
}

Script script_from(FuzzedDataProvider& bytes) {
  Script script;
  script.length = bytes.ConsumeIntegralInRange(0, 40);
  script.current_player = bytes.ConsumeIntegralInRange(0, 8);
  script.legal_actions = bytes.ConsumeIntegralInRange(0, 5);
  script.kind = bytes.ConsumeIntegralInRange(-2, 66);
  const int elements = bytes.ConsumeIntegralInRange(0, 30);
  for (int e = 0; e < elements; ++e) {
    Element& element = script.elements.emplace_back();
    element.type = bytes.ConsumeIntegral<std::int16_t>();
    element.owner = bytes.ConsumeIntegral<std::int16_t>();
    element.row = bytes.ConsumeIntegral<std::int16_t>();
    element.column = bytes.ConsumeIntegral<std::int16_t>();
    for (std::int32_t& property : element.properties) {
      property = bytes.ConsumeIntegral<std::int32_t>();
    }
  }
  const int winners = bytes.ConsumeIntegralInRange(0, 4);
  for (int w = 0; w < winners; ++w) {
    script.winners.push_back(bytes.ConsumeIntegralInRange(-2, 8));
  }
  script.player_property = bytes.ConsumeIntegral<std::int64_t>();
  script.mobility = bytes.ConsumeIntegral<int>();
  return script;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  FuzzedDataProvider bytes(data, size);
  GameStructure structure = structure_from(bytes);
  Script script = script_from(bytes);
  GameRegistry registry;
  auto owned = std::make_unique<ScriptedGame>(structure, std::move(script));
  const ScriptedGame* game = owned.get();
  if (!registry.add(std::move(owned)).ok()) return 0;
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features(game->structure());
  if (!features.ok()) return 0;
  SimulationOptions options;
  options.games = 3;
  options.threads = 1;
  options.max_actions = 50;
  options.players = structure.default_players;
  run_simulations(*game, *features, options).status().IgnoreError();
  return 0;
}
