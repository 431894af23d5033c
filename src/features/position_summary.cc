#include "features/position_summary.h"

#include <stdexcept>
#include <string>

#include "absl/status/status.h"

namespace selfplay {

namespace {

constexpr int kMaxPlayersWithMasks = 16;
constexpr std::int64_t kMaxPlayerProperty = std::int64_t{1} << 40;

// Lists every line of board.line_length cells along rows, columns and both
// diagonals.
void add_lines(const BoardSpec& board, SummaryLayout& layout) {
  static constexpr int kDirections[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
  const int length = board.line_length;
  const bool small = board.rows * board.columns <= 64;
  for (const auto& [dr, dc] : kDirections) {
    for (int row = 0; row + dr * (length - 1) < board.rows; ++row) {
      for (int column = 0; column < board.columns; ++column) {
        const int end_column = column + dc * (length - 1);
        if (end_column < 0 || end_column >= board.columns) continue;
        std::uint64_t mask = 0;
        for (int i = 0; i < length; ++i) {
          const int cell = (row + dr * i) * board.columns + column + dc * i;
          layout.line_cells.push_back(cell);
          if (small) mask |= std::uint64_t{1} << cell;
        }
        if (small) layout.line_masks.push_back(mask);
      }
    }
  }
}

}  // namespace

SummaryLayout make_summary_layout(const GameStructure& structure) {
  SummaryLayout layout;
  layout.players = structure.max_players;
  int next = 0;
  const BoardSpec* board = structure.board ? &*structure.board : nullptr;
  for (const ElementType& type : structure.element_types) {
    SummaryLayout::TypeSlots slots;
    if (type.owned) {
      slots.count = next++;
      if (board != nullptr) {
        if (board->center_row_min <= board->center_row_max) {
          slots.center = next++;
        }
        if (!board->forward.empty()) {
          slots.advanced = next++;
          slots.back_row = next++;
        }
      }
      slots.property_count = static_cast<int>(type.properties.size());
      for (std::size_t i = 0; i < type.properties.size(); ++i) {
        slots.property[i] = next;
        const PropertySpec& property = type.properties[i];
        slots.property_kind[i] = property.kind;
        slots.string_values[i] = static_cast<int>(property.values.size());
        next += property.kind == PropertyKind::kString
                    ? static_cast<int>(property.values.size())
                    : 1;
      }
    }
    layout.types.push_back(slots);
  }
  for (std::size_t i = 0; i < structure.player_properties.size(); ++i) {
    layout.player_properties.push_back(next++);
  }
  if (structure.reports_mobility) layout.mobility = next++;
  if (structure.type == GameType::kConnection && board != nullptr) {
    layout.connection = next++;
  }
  if (board != nullptr && board->line_length > 1) {
    layout.open_lines = next++;
    layout.line_threats = next++;
    add_lines(*board, layout);
  }
  layout.slots_per_player = next;
  return layout;
}

namespace {

void add_element(const GameStructure& structure, const SummaryLayout& layout,
                 const Element& element, std::int64_t* summary) {
  if (element.type < 0 ||
      element.type >= static_cast<int>(layout.types.size())) {
    throw std::out_of_range("element type " + std::to_string(element.type) +
                            " is not declared in the game structure");
  }
  const SummaryLayout::TypeSlots& slots = layout.types[element.type];
  if (slots.count < 0 || element.owner < 0) return;  // not owned
  if (element.owner >= layout.players) {
    throw std::out_of_range("element owner " + std::to_string(element.owner) +
                            " is not a player");
  }
  std::int64_t* mine = summary + element.owner * layout.slots_per_player;
  ++mine[slots.count];
  if (element.row >= 0 && structure.board) {
    const BoardSpec& board = *structure.board;
    if (slots.center >= 0 && element.row >= board.center_row_min &&
        element.row <= board.center_row_max &&
        element.column >= board.center_column_min &&
        element.column <= board.center_column_max) {
      ++mine[slots.center];
    }
    if (slots.advanced >= 0) {
      const int forward = board.forward[element.owner];
      const int row = element.row;
      if ((forward > 0 && 2 * row >= board.rows) ||
          (forward < 0 && 2 * row + 2 <= board.rows)) {
        ++mine[slots.advanced];
      }
      if ((forward > 0 && row == 0) || (forward < 0 && row == board.rows - 1)) {
        ++mine[slots.back_row];
      }
    }
  }
  for (int i = 0; i < slots.property_count; ++i) {
    const std::int32_t value = element.properties[i];
    switch (slots.property_kind[i]) {
      case PropertyKind::kNumeric:
        mine[slots.property[i]] += value;
        break;
      case PropertyKind::kBoolean:
        mine[slots.property[i]] += value != 0;
        break;
      case PropertyKind::kString:
        if (value < 0 || value >= slots.string_values[i]) {
          throw std::out_of_range(
              "string property value index " + std::to_string(value) + " of '" +
              structure.element_types[element.type].properties[i].name +
              "' is not declared");
        }
        ++mine[slots.property[i] + value];
        break;
    }
  }
}

// Calls `visit(neighbour_index)` for each cell adjacent to (row, column).
template <typename Visit>
void for_each_neighbour(const BoardSpec& board, int row, int column,
                        Visit visit) {
  static constexpr int kHex[6][2] = {{-1, 0}, {-1, 1}, {0, -1},
                                     {0, 1},  {1, -1}, {1, 0}};
  static constexpr int kSquare[4][2] = {{-1, 0}, {0, -1}, {0, 1}, {1, 0}};
  const bool hex = board.topology == BoardTopology::kHex;
  const int count = hex ? 6 : 4;
  for (int i = 0; i < count; ++i) {
    const int r = row + (hex ? kHex[i][0] : kSquare[i][0]);
    const int c = column + (hex ? kHex[i][1] : kSquare[i][1]);
    if (r >= 0 && r < board.rows && c >= 0 && c < board.columns) {
      visit(r * board.columns + c);
    }
  }
}

// Adds each player's open lines and threats: lines of line_length cells
// that hold only that player's pieces, at least one / all but one of them.
void count_lines(const SummaryLayout& layout, int length,
                 const std::int32_t* owners, std::int64_t* summary) {
  const int lines = static_cast<int>(layout.line_cells.size()) / length;
  for (int line = 0; line < lines; ++line) {
    const int* cells = layout.line_cells.data() + line * length;
    int owner = -1, pieces = 0;
    bool mixed = false;
    for (int i = 0; i < length && !mixed; ++i) {
      const int cell = owners[cells[i]];
      if (cell < 0) continue;
      mixed = owner >= 0 && owner != cell;
      owner = cell;
      ++pieces;
    }
    if (mixed || owner < 0 || owner >= layout.players) continue;
    std::int64_t* mine = summary + owner * layout.slots_per_player;
    ++mine[layout.open_lines];
    if (pieces == length - 1) ++mine[layout.line_threats];
  }
}

// The same count on bit masks, for boards of at most 64 cells.
void count_lines_by_masks(const SummaryLayout& layout,
                          const std::vector<Element>& elements, int columns,
                          std::int64_t* summary) {
  std::uint64_t pieces[kMaxPlayersWithMasks] = {};
  std::uint64_t occupied = 0;
  for (const Element& element : elements) {
    if (element.owner < 0 || element.owner >= layout.players ||
        element.row < 0) {
      continue;
    }
    const std::uint64_t bit = std::uint64_t{1}
                              << (element.row * columns + element.column);
    pieces[element.owner] |= bit;
    occupied |= bit;
  }
  for (int p = 0; p < layout.players; ++p) {
    const std::uint64_t others = occupied & ~pieces[p];
    // Branch-free: whether a line is open is data, and mispredicted
    // branches cost more than the arithmetic.
    std::int64_t open = 0, threats = 0;
    for (std::uint64_t line : layout.line_masks) {
      const std::uint64_t held = pieces[p] & line;
      const std::uint64_t empty = line & ~held;
      const bool is_open = (held != 0) & ((others & line) == 0);
      open += is_open;
      // Exactly one empty cell (popcount is a library call without -mpopcnt).
      threats += is_open & (empty != 0) & ((empty & (empty - 1)) == 0);
    }
    std::int64_t* mine = summary + p * layout.slots_per_player;
    mine[layout.open_lines] += open;
    mine[layout.line_threats] += threats;
  }
}

}  // namespace

int connection_distance(const BoardSpec& board, const std::int32_t* owners,
                        int player, SummaryBuffers buffers) {
  const int cells = board.rows * board.columns;
  const int unreachable = 2 * cells;
  const bool top_bottom =
      board.connection_goals[player] == ConnectionGoal::kTopBottom;
  const int edge_length = top_bottom ? board.columns : board.rows;
  auto start_cell = [&](int i) { return top_bottom ? i : i * board.columns; };
  auto on_goal_edge = [&](int cell) {
    return top_bottom ? cell / board.columns == board.rows - 1
                      : cell % board.columns == board.columns - 1;
  };
  auto cost = [&](int cell) {
    return owners[cell] == player ? 0 : owners[cell] < 0 ? 1 : unreachable;
  };
  std::vector<std::int32_t>& distance = buffers.distances;
  distance.assign(cells, unreachable);
  // Dial's algorithm with two buckets: costs are 0 or 1, so the frontier at
  // distance d and the one at d + 1 are all there is.
  std::vector<int>& current = buffers.queue;
  std::vector<int>& next = buffers.next_queue;
  current.clear();
  next.clear();
  int level = 0;
  for (int i = 0; i < edge_length; ++i) {
    const int cell = start_cell(i);
    const int c = cost(cell);
    if (c == unreachable) continue;
    distance[cell] = c;
    (c == 0 ? current : next).push_back(cell);
  }
  while (!current.empty() || !next.empty()) {
    if (current.empty()) {
      std::swap(current, next);
      ++level;
    }
    const int cell = current.back();
    current.pop_back();
    if (distance[cell] != level) continue;  // stale entry
    if (on_goal_edge(cell)) return level;
    for_each_neighbour(board, cell / board.columns, cell % board.columns,
                       [&](int neighbour) {
                         const int c = cost(neighbour);
                         if (c == unreachable) return;
                         if (level + c < distance[neighbour]) {
                           distance[neighbour] = level + c;
                           (c == 0 ? current : next).push_back(neighbour);
                         }
                       });
  }
  return unreachable;
}

void compute_summary_from_elements(const GameStructure& structure,
                                   const SummaryLayout& layout,
                                   const State& state, SummaryBuffers buffers,
                                   std::int64_t* summary) {
  state.elements(buffers.elements);
  for (const Element& element : buffers.elements) {
#ifndef NDEBUG
    // Release builds check types, owners and string values (add_element); a
    // debug build every rule of the declaration.
    if (absl::Status fits = check_element(structure, element); !fits.ok()) {
      throw std::invalid_argument(std::string(fits.message()));
    }
#endif
    add_element(structure, layout, element, summary);
  }
  const int players = std::min(state.num_players(), layout.players);
  for (int p = 0; p < players; ++p) {
    std::int64_t* mine = summary + p * layout.slots_per_player;
    for (std::size_t q = 0; q < layout.player_properties.size(); ++q) {
      const std::int64_t value = state.player_property(p, static_cast<int>(q));
      // Features add and subtract these over up to 16 players: bounded, the
      // arithmetic cannot overflow (a fuzzed game reported INT64_MIN).
      if (value < -kMaxPlayerProperty || value > kMaxPlayerProperty) {
        throw std::out_of_range("player property '" +
                                structure.player_properties[q] +
                                "' of player " + std::to_string(p) + " is " +
                                std::to_string(value) + ", outside +-2^40");
      }
      mine[layout.player_properties[q]] = value;
    }
    if (layout.mobility >= 0) mine[layout.mobility] = state.mobility(p);
  }
  if (layout.connection < 0 && layout.open_lines < 0) return;
  const BoardSpec& board = *structure.board;
  if (!layout.line_masks.empty()) {
    count_lines_by_masks(layout, buffers.elements, board.columns, summary);
    if (layout.connection < 0) return;
  }
  buffers.board.assign(board.rows * board.columns, -1);
  for (const Element& element : buffers.elements) {
    if (element.owner >= 0 && element.row >= 0 && element.row < board.rows &&
        element.column >= 0 && element.column < board.columns) {
      buffers.board[element.row * board.columns + element.column] =
          element.owner;
    }
  }
  if (layout.open_lines >= 0 && layout.line_masks.empty()) {
    count_lines(layout, board.line_length, buffers.board.data(), summary);
  }
  if (layout.connection < 0) return;
  for (int p = 0; p < players; ++p) {
    summary[p * layout.slots_per_player + layout.connection] =
        -connection_distance(board, buffers.board.data(), p, buffers);
  }
}

}  // namespace selfplay
