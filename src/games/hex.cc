#include "games/hex.h"

#include <algorithm>
#include <stdexcept>

#include "absl/strings/str_cat.h"
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
      empty_count_(static_cast<std::int16_t>(size * size)) {
  check_size(size);
  hash_ = kZobrist.size[size];
  const int width = size + 2;
  std::fill_n(cells_.begin(), width * width, std::int8_t{-1});
  for (int node = 0; node < width * width; ++node) {
    parents_[node] = static_cast<std::int16_t>(node);
  }
  edges_[0] = {static_cast<std::int16_t>(padded(0, 1)),
               static_cast<std::int16_t>(padded(size + 1, 1))};
  edges_[1] = {static_cast<std::int16_t>(padded(1, 0)),
               static_cast<std::int16_t>(padded(1, size + 1))};
  for (int i = 1; i <= size; ++i) {
    const int border[4] = {padded(0, i), padded(size + 1, i), padded(i, 0),
                           padded(i, size + 1)};
    for (int side = 0; side < 4; ++side) {
      const int player = side / 2;
      cells_[border[side]] = static_cast<std::int8_t>(player);
      parents_[border[side]] = edges_[player][side % 2];
    }
  }
  for (int action = 0; action < size * size; ++action) {
    empty_[action] = static_cast<std::int16_t>(action);
  }
}

void HexState::copy_from(const HexState& other) {
  size_ = other.size_;
  to_move_ = other.to_move_;
  winner_ = other.winner_;
  empty_count_ = other.empty_count_;
  hash_ = other.hash_;
  edges_ = other.edges_;
  const int padded_cells = (size_ + 2) * (size_ + 2);
  std::copy_n(other.cells_.begin(), padded_cells, cells_.begin());
  std::copy_n(other.parents_.begin(), padded_cells, parents_.begin());
  std::copy_n(other.empty_.begin(), empty_count_, empty_.begin());
}

int HexState::find(int node) {
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
  const int row = action / size_, column = action % size_;
  const int width = size_ + 2;
  const int cell = padded(row + 1, column + 1);
  cells_[cell] = static_cast<std::int8_t>(player);

  // Join every neighbouring group of the same colour under one root.
  const int neighbours[6] = {cell - width, cell - width + 1, cell - 1,
                             cell + 1,     cell + width - 1, cell + width};
  int root = cell;
  for (int neighbour : neighbours) {
    if (cells_[neighbour] != player) continue;
    const int other = find(neighbour);
    if (root == cell) {
      root = other;
    } else if (other != root) {
      parents_[other] = static_cast<std::int16_t>(root);
    }
  }
  parents_[cell] = static_cast<std::int16_t>(root);

  std::int16_t* const end = empty_.data() + empty_count_;
  std::int16_t* const at = std::lower_bound(empty_.data(), end, action);
  std::copy(at + 1, end, at);
  --empty_count_;

  hash_ ^= kZobrist.stone[player][action] ^ kZobrist.player_one_to_move;
  to_move_ = static_cast<std::int8_t>(1 - player);
  if (root != cell && find(edges_[player][0]) == find(edges_[player][1])) {
    winner_ = static_cast<std::int8_t>(player);
  }
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
