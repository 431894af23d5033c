// What a game declares about itself so that generic features work on it.
//
// The original trainer discovered a game's element types, properties and board
// by introspecting its objects; here each game declares them once:
//
//   GameStructure s;
//   s.name = "checkers";
//   s.type = GameType::kCapture;
//   s.element_types = {{.name = "piece", .owned = true,
//                       .properties = {{.name = "king",
//                                       .kind = PropertyKind::kBoolean}}}};
//   s.board = BoardSpec{.rows = 8, .columns = 8, ...};
//
// A state then lists its `Element`s (type, owner, square, property values),
// and `generate_candidate_features` turns the declaration into features.
#ifndef SELFPLAY_GAME_STRUCTURE_H_
#define SELFPLAY_GAME_STRUCTURE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace selfplay {

// Decides which feature templates fit a game.
enum class GameType {
  kConnection,  // join your sides of the board (hex)
  kAlignment,   // make a line of your pieces (tic-tac-toe, connect-four)
  kCapture,     // take the opponent's pieces (checkers)
  kRacing,      // move your pieces to the far side first
  kCollection,  // collect sets or points (go-fish)
};

enum class PropertyKind { kNumeric, kBoolean, kString };

struct PropertySpec {
  std::string name;
  PropertyKind kind = PropertyKind::kNumeric;
  // kString: the value set; an element stores the index of its value.
  std::vector<std::string> values;
};

// Element properties per element, in declaration order.
inline constexpr int kMaxElementProperties = 4;

struct ElementType {
  std::string name;
  bool owned = true;
  std::vector<PropertySpec> properties;  // at most kMaxElementProperties
};

enum class BoardTopology { kSquare, kHex };

// Which pair of board edges a player must join in a connection game.
enum class ConnectionGoal { kTopBottom, kLeftRight };

struct BoardSpec {
  int rows = 0;
  int columns = 0;
  BoardTopology topology = BoardTopology::kSquare;
  // The centre region, inclusive bounds.
  int center_row_min = 0, center_row_max = -1;
  int center_column_min = 0, center_column_max = -1;
  // Per player: +1 if the player's pieces advance towards higher rows, -1 if
  // towards lower rows, 0 if direction means nothing. A piece is "advanced"
  // in the opponent's half and on the "back row" on its own home row.
  std::vector<int> forward;
  // Connection games: the edges each player must join (indexed by player).
  std::vector<ConnectionGoal> connection_goals;
  // Alignment games: the length of a winning line (3 in tic-tac-toe), so that
  // features can count open lines and threats along rows, columns and
  // diagonals. 0: no line features.
  int line_length = 0;
};

// One piece, stone or card of a position, as states report them.
struct Element {
  std::int16_t type = 0;    // index into GameStructure::element_types
  std::int16_t owner = -1;  // player, or -1 when not owned
  std::int16_t row = -1;    // board square, or -1 when off-board
  std::int16_t column = -1;
  // Numeric value, boolean (0/1) or string value index, per declared property.
  std::array<std::int32_t, kMaxElementProperties> properties{};
};

struct GameStructure {
  std::string name;
  std::string description;
  int min_players = 2;
  int max_players = 2;
  int default_players = 2;
  GameType type = GameType::kCapture;
  std::vector<ElementType> element_types;
  std::optional<BoardSpec> board;
  // Numeric per-player properties (score, hand size, books).
  std::vector<std::string> player_properties;
  // Names of action kinds; `State::action_kind` indexes this (at most 64).
  // Kinds named "capture" or "jump" are forcing: the greedy player's
  // quiescence search plays them out (objective_players.h).
  std::vector<std::string> action_kinds;
  // Action ids are 0..num_actions-1 for every player count, so that a batch
  // of states has fixed-width legal masks (the Python VectorEnv's); 0: not
  // declared.
  int num_actions = 0;
  // Whether `State::mobility` is implemented.
  bool reports_mobility = false;
  // Whether `Game::perft`-style exhaustive search makes sense (no chance).
  bool deterministic = true;
  // Whether a player does not see the whole position (cards in other hands,
  // a face-down deck). Such a game's states implement `State::determinize`
  // (the registry checks it on an initial state), and MCTS then searches
  // determinisations instead of the state (selfplay/mcts.h).
  bool hidden_information = false;
};

// Checks a declaration for consistency (property counts, board bounds, a
// centre on the board, action kinds, a num_actions of 0 or more, player
// ranges, names that are single words without whitespace). Returns
// InvalidArgument naming the first problem.
[[nodiscard]] absl::Status validate_structure(const GameStructure& structure);

const char* game_type_name(GameType type);

// Where an element type or property sits in the declaration, looked up by
// name once (when the game is built) so that a state fills its elements by
// name without a string comparison per element:
//
//   const int piece = *element_type_index(structure, "piece");
//   const int king = *property_index(structure, "piece", "king");
//   Element e{.type = static_cast<std::int16_t>(piece), .owner = 0};
//   e.properties[king] = 1;
//
// NotFound naming what is declared when there is no such name.
[[nodiscard]] absl::StatusOr<int> element_type_index(
    const GameStructure& structure, std::string_view type);
[[nodiscard]] absl::StatusOr<int> property_index(const GameStructure& structure,
                                                 std::string_view type,
                                                 std::string_view property);

// Whether `element` fits `structure`: a declared type; no owner (-1) for a
// type that is not owned, else an owner below max_players; a square on the
// board or none (-1, -1), and none without a board; a boolean property 0 or
// 1, a string property a declared value index, and 0 beyond the declared
// properties. InvalidArgument naming the first misfit. The generic position
// summary checks every element with it in debug builds.
[[nodiscard]] absl::Status check_element(const GameStructure& structure,
                                         const Element& element);

}  // namespace selfplay

#endif  // SELFPLAY_GAME_STRUCTURE_H_
