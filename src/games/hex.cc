#include "games/hex.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "selfplay/position_summary.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

constexpr int kMaxCells = kMaxHexSize * kMaxHexSize;

// Zobrist keys: one per (player, cell), one for player 1 to move and one per
// board size, all drawn from a fixed SplitMix64 stream.
struct ZobristKeys {
  std::array<std::array<std::uint64_t, kMaxCells>, 2> stone{};
  std::uint64_t player_one_to_move = 0;
  std::array<std::uint64_t, kMaxHexSize + 1> size{};
};

constexpr ZobristKeys make_zobrist_keys() {
  ZobristKeys keys;
  Rng rng(0x6865782d7a6f6272ULL);  // "hex-zobr"
  for (auto& player_keys : keys.stone) {
    for (std::uint64_t& key : player_keys) key = rng.next();
  }
  keys.player_one_to_move = rng.next();
  for (std::uint64_t& key : keys.size) key = rng.next();
  return keys;
}

constexpr ZobristKeys kZobrist = make_zobrist_keys();

constexpr char kStoneChar[2] = {'X', 'O'};

// action / size as a multiply and a shift, since a division costs tens of
// cycles: exact for every cell of every board up to kMaxHexSize.
constexpr int row_reciprocal(int size) { return (65536 + size - 1) / size; }
constexpr int row_of(int action, int reciprocal) {
  return (action * reciprocal) >> 16;
}

constexpr bool row_of_is_exact() {
  for (int size = 2; size <= kMaxHexSize; ++size) {
    for (int action = 0; action < size * size; ++action) {
      if (row_of(action, row_reciprocal(size)) != action / size) return false;
    }
  }
  return true;
}
static_assert(row_of_is_exact());

// Per board size that keeps groups (HexState::keeps_groups), per cell
// r * size + c: the bitboard of the cells next to it, for the groups' "around"
// bitboards.
using CellNeighbours =
    std::array<unsigned __int128,
               HexState::kMaxBitboardHexSize * HexState::kMaxBitboardHexSize>;

constexpr std::array<CellNeighbours, HexState::kMaxBitboardHexSize + 1>
make_cell_neighbours() {
  constexpr int kSteps[6][2] = {{-1, 0}, {-1, 1}, {0, -1},
                                {0, 1},  {1, -1}, {1, 0}};
  std::array<CellNeighbours, HexState::kMaxBitboardHexSize + 1> table{};
  for (int size = 2; size <= HexState::kMaxBitboardHexSize; ++size) {
    if (!HexState::keeps_groups(size)) continue;
    for (int row = 0; row < size; ++row) {
      for (int column = 0; column < size; ++column) {
        for (const auto& [dr, dc] : kSteps) {
          const int r = row + dr, c = column + dc;
          if (r < 0 || r >= size || c < 0 || c >= size) continue;
          table[size][row * size + column] |= static_cast<unsigned __int128>(1)
                                              << (r * size + c);
        }
      }
    }
  }
  return table;
}

constexpr auto kCellNeighbours = make_cell_neighbours();

const CellNeighbours& cell_neighbours(int size) {
  return kCellNeighbours[size];
}

void check_size(int size) {
  if (size < 2 || size > kMaxHexSize) {
    throw std::invalid_argument(absl::StrCat("hex: board size must be in 2..",
                                             kMaxHexSize, ", not ", size));
  }
}

std::string game_name(int size) {
  return size == 7 ? "hex" : absl::StrCat("hex-", size);
}

GameStructure make_structure(int size) {
  GameStructure s;
  s.name = game_name(size);
  s.description = absl::StrCat(
      "Hex on ", size, "x", size,
      ": player 0 joins top and bottom, player 1 left and right; no swap "
      "rule, no draws");
  s.type = GameType::kConnection;
  ElementType stone;
  stone.name = "stone";
  stone.owned = true;
  s.element_types = {stone};
  BoardSpec board;
  board.rows = size;
  board.columns = size;
  board.topology = BoardTopology::kHex;
  const int center_min = (size + 1) / 3;
  board.center_row_min = center_min;
  board.center_row_max = size - 1 - center_min;
  board.center_column_min = center_min;
  board.center_column_max = size - 1 - center_min;
  board.connection_goals = {ConnectionGoal::kTopBottom,
                            ConnectionGoal::kLeftRight};
  s.board = board;
  s.action_kinds = {"place"};
  s.num_actions = size * size;  // the cell, row * size + column
  s.reports_mobility = true;
  s.deterministic = true;
  return s;
}

class HexGame final : public Game {
 public:
  explicit HexGame(int size) : size_(size), structure_(make_structure(size)) {}

  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<HexState>(size_);
  }

 private:
  int size_;
  GameStructure structure_;
};

}  // namespace

std::unique_ptr<Game> make_hex_game(int size) {
  check_size(size);
  return std::make_unique<HexGame>(size);
}

HexState::HexState(int size)
    : size_(static_cast<std::int8_t>(size)),
      empty_count_(static_cast<std::int16_t>(size * size)),
      row_reciprocal_(row_reciprocal(std::max(size, 1))) {
  check_size(size);
  hash_ = kZobrist.size[size];
  const int width = size + 2;
  std::fill_n(cells_.begin(), width * width, std::int8_t{-1});
  std::fill_n(edges_.begin(), width * width, std::int8_t{0});
  for (int node = 0; node < width * width; ++node) {
    parents_[node] = static_cast<std::int16_t>(node);
  }
  if (keeps_groups(size)) {
    std::fill_n(groups_.begin(), width * width, Group{0, 0});
  }
  // Sides 0 and 1 (top and bottom) are player 0's, sides 2 and 3 (left and
  // right) player 1's; the border cell next to row or column 0 of a side is
  // its union-find root.
  auto border = [&](int side, int i) {
    switch (side) {
      case 0:
        return padded(0, i);
      case 1:
        return padded(size + 1, i);
      case 2:
        return padded(i, 0);
      default:
        return padded(i, size + 1);
    }
  };
  for (int side = 0; side < 4; ++side) {
    const int root = border(side, 1);
    edges_[root] =
        static_cast<std::int8_t>(side % 2 == 0 ? kFirstEdge : kSecondEdge);
    for (int i = 1; i <= size; ++i) {
      cells_[border(side, i)] = static_cast<std::int8_t>(side / 2);
      parents_[border(side, i)] = static_cast<std::int16_t>(root);
    }
  }
  for (int action = 0; action < size * size; ++action) {
    empty_[action] = action;
    slots_[action] = static_cast<std::int16_t>(action);
  }
}

void HexState::copy_from(const HexState& other) {
  size_ = other.size_;
  to_move_ = other.to_move_;
  winner_ = other.winner_;
  empty_count_ = other.empty_count_;
  row_reciprocal_ = other.row_reciprocal_;
  hash_ = other.hash_;
  stones_ = other.stones_;
  const int padded_cells = (size_ + 2) * (size_ + 2);
  std::copy_n(other.cells_.begin(), padded_cells, cells_.begin());
  std::copy_n(other.parents_.begin(), padded_cells, parents_.begin());
  std::copy_n(other.edges_.begin(), padded_cells, edges_.begin());
  if (keeps_groups(size_)) {
    std::copy_n(other.groups_.begin(), padded_cells, groups_.begin());
  }
  std::copy_n(other.empty_.begin(), empty_count_, empty_.begin());
  std::copy_n(other.slots_.begin(), size_ * size_, slots_.begin());
}

int HexState::root_of(int node) const {
  while (parents_[node] != node) node = parents_[node];
  return node;
}

inline int HexState::find(int node) {
  // Path halving: every other node on the way up skips to its grandparent.
  while (parents_[node] != node) {
    parents_[node] = parents_[parents_[node]];
    node = parents_[node];
  }
  return node;
}

void HexState::legal_actions(std::vector<Action>& actions) const {
  if (winner_ >= 0) {
    actions.clear();
    return;
  }
  actions.assign(empty_.begin(), empty_.begin() + empty_count_);
}

void HexState::apply_action(Action action) {
  const int player = to_move_;
  const int width = size_ + 2;
  const int cell = action + 2 * row_of(action, row_reciprocal_) + width + 1;
  cells_[cell] = static_cast<std::int8_t>(player);

  // The neighbours in circular order; each touches the next, so a run of
  // same-colour neighbours is already one group and needs one find.
  const int neighbours[6] = {cell - width, cell - width + 1, cell + 1,
                             cell + width, cell + width - 1, cell - 1};
  unsigned same = 0;
  for (int i = 0; i < 6; ++i) {
    same |= static_cast<unsigned>(cells_[neighbours[i]] == player) << i;
  }
  const unsigned previous_same = ((same << 1) | (same >> 5)) & 63;
  unsigned run_starts = same == 63 ? 1 : same & ~previous_same;
  const bool groups = keeps_groups(size_);
  const unsigned __int128 stone = static_cast<unsigned __int128>(1) << action;
  int root = cell;
  int edges = 0;
  for (; run_starts != 0; run_starts &= run_starts - 1) {
    const int other = find(neighbours[std::countr_zero(run_starts)]);
    edges |= edges_[other];
    if (root == cell) {
      root = other;
    } else if (other != root) {
      parents_[other] = static_cast<std::int16_t>(root);
      if (groups) {
        groups_[root].stones |= groups_[other].stones;
        groups_[root].around |= groups_[other].around;
      }
    }
  }
  parents_[cell] = static_cast<std::int16_t>(root);
  edges_[root] = static_cast<std::int8_t>(edges);
  if (groups) {
    Group& group = groups_[root];
    if (root == cell) group = Group{0, 0};
    group.stones |= stone;
    group.around |= cell_neighbours(size_)[action];
  }

  // The last empty cell fills the slot the stone's cell leaves.
  const Action moved = empty_[--empty_count_];
  empty_[slots_[action]] = moved;
  slots_[moved] = slots_[action];

  hash_ ^= kZobrist.stone[player][action] ^ kZobrist.player_one_to_move;
  if (size_ <= kMaxBitboardHexSize) stones_[player] |= stone;
  to_move_ = static_cast<std::int8_t>(1 - player);
  if (edges == kBothEdges) winner_ = static_cast<std::int8_t>(player);
}

std::vector<int> HexState::winners() const {
  if (winner_ < 0) return {};
  return {winner_};
}

std::unique_ptr<State> HexState::clone() const {
  return std::make_unique<HexState>(*this);
}

std::string HexState::to_string() const {
  std::string text = "   ";
  for (int column = 0; column < size_; ++column) {
    absl::StrAppend(&text, " ", std::string(1, 'a' + column));
  }
  text += '\n';
  for (int row = 0; row < size_; ++row) {
    absl::StrAppend(&text, row + 1 < 10 ? "  " : " ", row + 1,
                    std::string(row, ' '));
    for (int column = 0; column < size_; ++column) {
      const int owner = stone(row, column);
      text += ' ';
      text += owner < 0 ? '.' : kStoneChar[owner];
    }
    text += '\n';
  }
  if (winner_ >= 0) {
    absl::StrAppend(&text, std::string(1, kStoneChar[winner_]), " (player ",
                    winner_, ") wins\n");
  } else {
    absl::StrAppend(&text, std::string(1, kStoneChar[to_move_]), " (player ",
                    to_move_, ") to move\n");
  }
  return text;
}

namespace {

using Bitboard = unsigned __int128;

constexpr Bitboard kOne = 1;

// The masks of one board size, bit r * size + c for cell (r, c).
struct HexMasks {
  Bitboard board = 0;
  Bitboard first_column = 0, last_column = 0;
  Bitboard first_row = 0, last_row = 0;
  Bitboard centre = 0;
};

HexMasks make_hex_masks(int size) {
  HexMasks masks;
  const int centre_min = (size + 1) / 3, centre_max = size - 1 - centre_min;
  for (int row = 0; row < size; ++row) {
    for (int column = 0; column < size; ++column) {
      const Bitboard cell = kOne << (row * size + column);
      masks.board |= cell;
      if (column == 0) masks.first_column |= cell;
      if (column == size - 1) masks.last_column |= cell;
      if (row == 0) masks.first_row |= cell;
      if (row == size - 1) masks.last_row |= cell;
      if (row >= centre_min && row <= centre_max && column >= centre_min &&
          column <= centre_max) {
        masks.centre |= cell;
      }
    }
  }
  return masks;
}

const HexMasks& hex_masks(int size) {
  static const auto kMasks = [] {
    std::array<HexMasks, HexState::kMaxBitboardHexSize + 1> masks;
    for (int size = 2; size <= HexState::kMaxBitboardHexSize; ++size) {
      masks[size] = make_hex_masks(size);
    }
    return masks;
  }();
  return kMasks[size];
}

int popcount(Bitboard cells) {
  return std::popcount(static_cast<std::uint64_t>(cells)) +
         std::popcount(static_cast<std::uint64_t>(cells >> 64));
}

// Both players' 0-1 breadth-first searches from their first edges, a level
// (one more empty cell) at a time: `reached[p]` holds every cell at most
// `level` empty cells from p's first edge, own stones costing nothing. A level
// enters the empty cells next to the reached ones and then closes over the
// own stones next to those: on a one-word board by flooding, a step per stone
// of the longest chain; on two words by taking in whole the groups that
// HexState keeps as bitboards (no own stone outside such a group touches
// them, so one step closes the level). The two searches stop at the level the
// features need (once the nearer player connects at level d, the other's
// distance only matters up to max(d, kNearWinCells); see
// PositionSummary::set_connection_distance). The board size is a template
// argument so that every shift of the 128-bit boards is by a constant.
// Boards of up to 64 cells (7x7) search in one machine word.
template <int kSize>
using SearchBoard =
    std::conditional_t<kSize * kSize <= 64, std::uint64_t, Bitboard>;

template <int kSize>
class ConnectionSearches {
  using Board = SearchBoard<kSize>;
  static constexpr bool kOneWord = sizeof(Board) == 8;
  static_assert(kOneWord || HexState::keeps_groups(kSize));

 public:
  ConnectionSearches(const HexMasks& masks,
                     const std::array<Bitboard, 2>& stones,
                     const HexState& state)
      : board_(masks.board),
        first_column_(masks.first_column),
        last_column_(masks.last_column),
        own_{static_cast<Board>(stones[0]), static_cast<Board>(stones[1])},
        empty_(board_ & ~(own_[0] | own_[1])),
        start_{static_cast<Board>(masks.first_row), first_column_},
        goal_{static_cast<Board>(masks.last_row), last_column_},
        low_(half(masks, 0)),
        high_(half(masks, 64)),
        state_(state) {
    if constexpr (kOneWord) {
      close_over({own_[0] & start_[0], own_[1] & start_[1]});
    } else {
      for (int p = 0; p < 2; ++p) {
        const HexState::Group& edge = state.first_edge_group(p);
        reached_[p] = static_cast<Board>(edge.stones);
        around_[p] = static_cast<Board>(edge.around);
      }
    }
    for (int p = 0; p < 2; ++p) {
      if (reached_[p] & goal_[p]) distance_[p] = 0;
    }
  }

  void distances(int out[2]) {
    constexpr int kCutOff = 2 * kSize * kSize;
    int bound = -1;  // set when the first finite distance is found
    for (int level = 0;; ++level) {
      for (int p = 0; p < 2; ++p) {
        if (bound < 0 && distance_[p] >= 0 && distance_[p] < kCutOff) {
          bound = std::max(distance_[p], kNearWinCells);
        }
      }
      if ((distance_[0] >= 0 && distance_[1] >= 0) || level == bound) break;
      next_level(level + 1);
    }
    for (int p = 0; p < 2; ++p) {
      out[p] = distance_[p] >= 0 ? distance_[p] : bound + 1;
    }
  }

 private:
  // The cells adjacent to any cell of `cells`.
  Board neighbours(Board cells) const {
    // Moved to c + 1 and to c - 1 first, so that (r - 1, c + 1) and
    // (r + 1, c - 1) come with the row shifts: four shifts, not six.
    if constexpr (kOneWord) {
      const Board right = (cells & ~last_column_) << 1;
      const Board left = (cells & ~first_column_) >> 1;
      return (right | left | ((cells | right) >> kSize) |
              ((cells | left) << kSize)) &
             board_;
    } else {
      // The same on the two halves by hand: GCC moves __int128 temporaries
      // through the stack, which doubled the instructions.
      using Word = std::uint64_t;
      const Word lo = static_cast<Word>(cells);
      const Word hi = static_cast<Word>(cells >> 64);
      const Word right_lo = lo & ~low_.last_column;
      const Word right_hi = hi & ~high_.last_column;
      const Word left_lo = lo & ~low_.first_column;
      const Word left_hi = hi & ~high_.first_column;
      const Word r_lo = right_lo << 1;
      const Word r_hi = (right_hi << 1) | (right_lo >> 63);
      const Word l_lo = (left_lo >> 1) | (left_hi << 63);
      const Word l_hi = left_hi >> 1;
      const Word up_lo = lo | r_lo, up_hi = hi | r_hi;      // to row r - 1
      const Word down_lo = lo | l_lo, down_hi = hi | l_hi;  // to row r + 1
      const Word out_lo = (r_lo | l_lo | (up_lo >> kSize) |
                           (up_hi << (64 - kSize)) | (down_lo << kSize)) &
                          low_.board;
      const Word out_hi = (r_hi | l_hi | (up_hi >> kSize) | (down_hi << kSize) |
                           (down_lo >> (64 - kSize))) &
                          high_.board;
      return (static_cast<Board>(out_hi) << 64) | out_lo;
    }
  }

  // The masks' halves, for neighbours() on two words.
  struct Halves {
    std::uint64_t board, first_column, last_column;
  };
  static Halves half(const HexMasks& masks, int shift) {
    return {static_cast<std::uint64_t>(masks.board >> shift),
            static_cast<std::uint64_t>(masks.first_column >> shift),
            static_cast<std::uint64_t>(masks.last_column >> shift)};
  }

  // Extends the unfinished searches to `level`; a distance is set when the
  // goal edge is reached, or to 2 * cells when no empty cell is left to take.
  void next_level(int level) {
    std::array<Board, 2> entered{};
    for (int p = 0; p < 2; ++p) {
      if (distance_[p] >= 0) continue;
      entered[p] = (around_[p] | start_[p]) & empty_ & ~reached_[p];
      if (entered[p] == 0) distance_[p] = 2 * kSize * kSize;
    }
    close_over(entered);
    for (int p = 0; p < 2; ++p) {
      if (distance_[p] < 0 && (reached_[p] & goal_[p])) distance_[p] = level;
    }
  }

  // Adds `entered[p]` to reached_[p] with every own stone connected to them,
  // and keeps around_[p] the neighbours of reached_[p], which the next level
  // needs. A search with nothing entered (finished) is left as it is on two
  // words and emptied on one.
  void close_over(std::array<Board, 2> entered) {
    if constexpr (kOneWord) {
      std::array<Board, 2> cells{};
      for (int p = 0; p < 2; ++p) {
        if (entered[p] != 0) cells[p] = reached_[p] | entered[p];
      }
      // Both floods in one loop, so that their chains of dependent steps
      // overlap in the processor.
      for (;;) {
        bool grew = false;
        for (int p = 0; p < 2; ++p) {
          around_[p] = neighbours(cells[p]);
          const Board grown = cells[p] | (around_[p] & own_[p]);
          grew |= grown != cells[p];
          cells[p] = grown;
        }
        if (!grew) break;
      }
      reached_ = cells;
    } else {
      // Only the entered cells' neighbours are new; a group touched brings
      // its stones and its neighbours whole (kept by HexState), and no own
      // stone outside it touches it, so one step closes the level.
      for (int p = 0; p < 2; ++p) {
        if (entered[p] == 0) continue;
        Board cells = reached_[p] | entered[p];
        Board around = around_[p] | neighbours(entered[p]);
        for (Board touched = around & own_[p] & ~cells; touched != 0;) {
          const HexState::Group& group = state_.group(lowest_cell(touched));
          cells |= static_cast<Board>(group.stones);
          around |= static_cast<Board>(group.around);
          touched &= ~static_cast<Board>(group.stones);
        }
        reached_[p] = cells;
        around_[p] = around;
      }
    }
  }

  static int lowest_cell(Board cells) {
    const auto low = static_cast<std::uint64_t>(cells);
    if constexpr (sizeof(Board) > 8) {
      if (low == 0) {
        return 64 + std::countr_zero(static_cast<std::uint64_t>(cells >> 64));
      }
    }
    return std::countr_zero(low);
  }

  const Board board_, first_column_, last_column_;
  const std::array<Board, 2> own_;
  const Board empty_;
  const std::array<Board, 2> start_, goal_;
  const Halves low_, high_;
  const HexState& state_;
  std::array<Board, 2> reached_{}, around_{};
  int distance_[2] = {-1, -1};
};

template <int kSize>
void connection_distances(const HexMasks& masks,
                          const std::array<Bitboard, 2>& stones,
                          const HexState& state, int distances[2]) {
  ConnectionSearches<kSize>(masks, stones, state).distances(distances);
}

using ConnectionDistances = void (*)(const HexMasks&,
                                     const std::array<Bitboard, 2>&,
                                     const HexState&, int[2]);

template <std::size_t... kSizes>
constexpr std::array<ConnectionDistances, sizeof...(kSizes)>
connection_distances_by_size(std::index_sequence<kSizes...>) {
  // Sizes 0 and 1 are never played; they point at size 2's to stay valid.
  return {&connection_distances<std::max<int>(kSizes, 2)>...};
}

constexpr auto kConnectionDistances = connection_distances_by_size(
    std::make_index_sequence<HexState::kMaxBitboardHexSize + 1>());

}  // namespace

const HexState::Group& HexState::group(int cell) const {
  const int row = row_of(cell, row_reciprocal_);
  return groups_[root_of(cell + 2 * row + size_ + 3)];
}

const HexState::Group& HexState::first_edge_group(int player) const {
  // The sides' roots: see the constructor.
  return groups_[root_of(player == 0 ? padded(0, 1) : padded(1, 0))];
}

bool HexState::summarize(PositionSummary& summary) const {
  if (size_ > kMaxBitboardHexSize) return false;
  const HexMasks& masks = hex_masks(size_);
  for (int player = 0; player < 2; ++player) {
    summary.set_count(0, player, popcount(stones_[player]));
    summary.set_center(0, player, popcount(stones_[player] & masks.centre));
    if (summary.wants_mobility()) summary.set_mobility(player, empty_count_);
  }
  if (summary.wants_connection()) {
    int distances[2];
    kConnectionDistances[size_](masks, stones_, *this, distances);
    for (int player = 0; player < 2; ++player) {
      summary.set_connection_distance(player, distances[player]);
    }
  }
  return true;
}

void HexState::elements(std::vector<Element>& elements) const {
  elements.clear();
  for (int row = 0; row < size_; ++row) {
    for (int column = 0; column < size_; ++column) {
      const int owner = stone(row, column);
      if (owner < 0) continue;
      elements.push_back({.type = 0,
                          .owner = static_cast<std::int16_t>(owner),
                          .row = static_cast<std::int16_t>(row),
                          .column = static_cast<std::int16_t>(column)});
    }
  }
}

}  // namespace selfplay
