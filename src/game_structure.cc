#include "selfplay/game_structure.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace selfplay {
namespace {

absl::Status invalid(const GameStructure& s, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("game structure '", s.name, "': ", std::string(problem)));
}

// Names are typed on the command line (--game) and become parts of feature
// ids and column names, so they are single words.
absl::Status check_name(const GameStructure& s, const char* what,
                        const std::string& name) {
  if (name.empty() || std::any_of(name.begin(), name.end(), [](char c) {
        return absl::ascii_isspace(static_cast<unsigned char>(c));
      })) {
    return invalid(
        s, absl::StrCat(what, " '", name, "' is empty or has whitespace"));
  }
  return absl::OkStatus();
}

absl::Status validate_board(const GameStructure& s, const BoardSpec& board) {
  if (board.rows <= 0 || board.columns <= 0 || board.rows > 64 ||
      board.columns > 64) {
    return invalid(s, "board must have 1..64 rows and columns");
  }
  // An empty centre (a minimum above its maximum) declares none.
  const bool has_centre = board.center_row_min <= board.center_row_max &&
                          board.center_column_min <= board.center_column_max;
  if (has_centre &&
      (board.center_row_min < 0 || board.center_row_max >= board.rows ||
       board.center_column_min < 0 ||
       board.center_column_max >= board.columns)) {
    return invalid(s, absl::StrCat("the centre (rows ", board.center_row_min,
                                   "..", board.center_row_max, ", columns ",
                                   board.center_column_min, "..",
                                   board.center_column_max, ") is not on the ",
                                   board.rows, "x", board.columns, " board"));
  }
  if (!board.forward.empty() &&
      static_cast<int>(board.forward.size()) < s.max_players) {
    return invalid(s, "board.forward needs one entry per player");
  }
  if (s.type == GameType::kConnection &&
      static_cast<int>(board.connection_goals.size()) < s.max_players) {
    return invalid(s, "a connection game needs a connection goal per player");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status validate_structure(const GameStructure& s) {
  if (absl::Status status = check_name(s, "the game name", s.name);
      !status.ok()) {
    return status;
  }
  if (s.min_players < 1 || s.min_players > s.max_players ||
      s.default_players < s.min_players || s.default_players > s.max_players ||
      s.max_players > 16) {
    return invalid(s, "players must satisfy 1 <= min <= default <= max <= 16");
  }
  if (s.action_kinds.empty() || s.action_kinds.size() > 64) {
    return invalid(s, "needs 1..64 action kinds");
  }
  if (s.num_actions < 0) {
    return invalid(s, absl::StrCat("num_actions must be 0 (not declared) or "
                                   "more, not ",
                                   s.num_actions));
  }
  for (const std::string& kind : s.action_kinds) {
    if (absl::Status status = check_name(s, "action kind", kind);
        !status.ok()) {
      return status;
    }
  }
  for (const std::string& property : s.player_properties) {
    if (absl::Status status = check_name(s, "player property", property);
        !status.ok()) {
      return status;
    }
  }
  if (s.element_types.size() > 32)
    return invalid(s, "at most 32 element types");
  for (const ElementType& type : s.element_types) {
    if (absl::Status status = check_name(s, "element type", type.name);
        !status.ok()) {
      return status;
    }
    for (const PropertySpec& property : type.properties) {
      if (absl::Status status = check_name(s, "property", property.name);
          !status.ok()) {
        return status;
      }
    }
    if (type.properties.size() > kMaxElementProperties) {
      return invalid(
          s, absl::StrCat("element type '", type.name, "' has more than ",
                          kMaxElementProperties, " properties"));
    }
    for (const PropertySpec& property : type.properties) {
      if (property.kind == PropertyKind::kString && property.values.empty()) {
        return invalid(s, absl::StrCat("string property '", property.name,
                                       "' declares no values"));
      }
    }
  }
  if (s.board) return validate_board(s, *s.board);
  if (s.type == GameType::kConnection) {
    return invalid(s, "a connection game needs a board");
  }
  return absl::OkStatus();
}

namespace {

absl::Status misfit(const GameStructure& s, const Element& element,
                    std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("an element of type ", element.type, " does not fit game '",
                   s.name, "': ", std::string(problem)));
}

}  // namespace

absl::StatusOr<int> element_type_index(const GameStructure& structure,
                                       std::string_view type) {
  for (std::size_t i = 0; i < structure.element_types.size(); ++i) {
    if (structure.element_types[i].name == type) return static_cast<int>(i);
  }
  std::vector<std::string> names;
  for (const ElementType& declared : structure.element_types) {
    names.push_back(declared.name);
  }
  return absl::NotFoundError(absl::StrCat(
      "game '", structure.name, "' declares no element type '",
      std::string(type), "' (it declares: ", absl::StrJoin(names, ", "), ")"));
}

absl::StatusOr<int> property_index(const GameStructure& structure,
                                   std::string_view type,
                                   std::string_view property) {
  absl::StatusOr<int> type_index = element_type_index(structure, type);
  if (!type_index.ok()) return type_index.status();
  const std::vector<PropertySpec>& properties =
      structure.element_types[*type_index].properties;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < properties.size(); ++i) {
    if (properties[i].name == property) return static_cast<int>(i);
    names.push_back(properties[i].name);
  }
  return absl::NotFoundError(absl::StrCat(
      "element type '", std::string(type), "' of game '", structure.name,
      "' declares no property '", std::string(property),
      "' (it declares: ", absl::StrJoin(names, ", "), ")"));
}

absl::Status check_element(const GameStructure& s, const Element& element) {
  if (element.type < 0 ||
      element.type >= static_cast<int>(s.element_types.size())) {
    return misfit(s, element, "the type is not declared");
  }
  const ElementType& type = s.element_types[element.type];
  if (!type.owned && element.owner != -1) {
    return misfit(s, element,
                  absl::StrCat("'", type.name,
                               "' is not owned, but the owner "
                               "is ",
                               element.owner, ", not -1"));
  }
  if (type.owned && (element.owner < -1 || element.owner >= s.max_players)) {
    return misfit(s, element,
                  absl::StrCat("owner ", element.owner, " is not a player"));
  }
  const bool off_board = element.row == -1 && element.column == -1;
  if (!off_board &&
      (!s.board || element.row < 0 || element.row >= s.board->rows ||
       element.column < 0 || element.column >= s.board->columns)) {
    return misfit(s, element,
                  absl::StrCat("square (", element.row, ", ", element.column,
                               ") is not on the board nor (-1, -1)"));
  }
  for (int i = 0; i < kMaxElementProperties; ++i) {
    const std::int32_t value = element.properties[i];
    if (i >= static_cast<int>(type.properties.size())) {
      if (value != 0) {
        return misfit(s, element,
                      absl::StrCat("property ", i, " is not declared but is ",
                                   value, ", not 0"));
      }
      continue;
    }
    const PropertySpec& property = type.properties[i];
    if (property.kind == PropertyKind::kBoolean && value != 0 && value != 1) {
      return misfit(s, element,
                    absl::StrCat("boolean property '", property.name, "' is ",
                                 value, ", not 0 or 1"));
    }
    if (property.kind == PropertyKind::kString &&
        (value < 0 || value >= static_cast<int>(property.values.size()))) {
      return misfit(
          s, element,
          absl::StrCat("string property '", property.name, "' has value index ",
                       value, " of ", property.values.size(), " declared"));
    }
  }
  return absl::OkStatus();
}

const char* game_type_name(GameType type) {
  switch (type) {
    case GameType::kConnection:
      return "connection";
    case GameType::kAlignment:
      return "alignment";
    case GameType::kCapture:
      return "capture";
    case GameType::kRacing:
      return "racing";
    case GameType::kCollection:
      return "collection";
  }
  return "unknown";
}

}  // namespace selfplay
