#include "games/connect_four.h"

#include <bit>

#include "selfplay/bitboard_lines.h"
#include "selfplay/position_summary.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

constexpr int kHeight = ConnectFourState::kRows + 1;  // with the sentinel
constexpr std::uint64_t kBottomRow = [] {
  std::uint64_t row = 0;
  for (int c = 0; c < ConnectFourState::kColumns; ++c) {
    row |= std::uint64_t{1} << (c * kHeight);
  }
  return row;
}();
constexpr std::uint64_t kTopRow = kBottomRow << (ConnectFourState::kRows - 1);

constexpr std::uint64_t column_mask(int column) {
  return ((std::uint64_t{1} << ConnectFourState::kRows) - 1)
         << (column * kHeight);
}

bool has_four(std::uint64_t discs) {
  // Vertical 1, horizontal kHeight, the two diagonals kHeight -/+ 1.
  for (int shift : {1, kHeight, kHeight - 1, kHeight + 1}) {
    const std::uint64_t pairs = discs & (discs >> shift);
    if (pairs & (pairs >> (2 * shift))) return true;
  }
  return false;
}

class ConnectFourGame final : public Game {
 public:
  ConnectFourGame() {
    structure_.name = "connect-four";
    structure_.description = "7x6 connect four";
    structure_.type = GameType::kAlignment;
    structure_.element_types = {
        {.name = "disc", .owned = true, .properties = {}}};
    BoardSpec board;
    board.rows = ConnectFourState::kRows;
    board.columns = ConnectFourState::kColumns;
    // The middle three columns, off the bottom and top rows.
    board.center_row_min = 1;
    board.center_row_max = 4;
    board.center_column_min = 2;
    board.center_column_max = 4;
    board.line_length = 4;
    structure_.board = board;
    structure_.action_kinds = {"drop"};
    structure_.num_actions = ConnectFourState::kColumns;  // the column
    structure_.reports_mobility = true;
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<ConnectFourState>();
  }

 private:
  GameStructure structure_;
};

}  // namespace

std::unique_ptr<Game> make_connect_four_game() {
  return std::make_unique<ConnectFourGame>();
}

void ConnectFourState::legal_actions(std::vector<Action>& actions) const {
  if (winner_ >= 0) {
    actions.clear();
    return;
  }
  // Sized once and written through a pointer: no capacity check per column.
  actions.resize(kColumns);
  Action* out = actions.data();
  const std::uint64_t full = (discs_[0] | discs_[1]) & kTopRow;
  int count = 0;
  for (int column = 0; column < kColumns; ++column) {
    out[count] = column;
    count += !(full & column_mask(column));
  }
  actions.resize(count);
}

void ConnectFourState::apply_action(Action column) {
  const std::uint64_t occupied = discs_[0] | discs_[1];
  // Adding the column's bottom bit carries up to its lowest empty cell.
  const std::uint64_t drop =
      (occupied + (std::uint64_t{1} << (column * kHeight))) &
      column_mask(column);
  const int player = current_player();
  discs_[player] |= drop;
  ++moves_;
  if (has_four(discs_[player])) winner_ = player;
}

std::vector<int> ConnectFourState::winners() const {
  if (winner_ >= 0) return {winner_};
  return {};
}

std::uint64_t ConnectFourState::hash() const {
  return splitmix64_mix(discs_[0] ^ splitmix64_mix(discs_[1] + kGoldenGamma));
}

int ConnectFourState::disc(int row, int column) const {
  const std::uint64_t bit = std::uint64_t{1} << (column * kHeight + row);
  return (discs_[0] & bit) ? 0 : (discs_[1] & bit) ? 1 : -1;
}

std::string ConnectFourState::to_string() const {
  std::string text;
  for (int row = kRows - 1; row >= 0; --row) {
    for (int column = 0; column < kColumns; ++column) {
      const int owner = disc(row, column);
      text += owner < 0 ? '.' : "XO"[owner];
    }
    text += '\n';
  }
  return text;
}

void ConnectFourState::elements(std::vector<Element>& elements) const {
  elements.clear();
  for (int player = 0; player < 2; ++player) {
    for (std::uint64_t d = discs_[player]; d != 0; d &= d - 1) {
      const int bit = std::countr_zero(d);
      Element e;
      e.owner = static_cast<std::int16_t>(player);
      e.row = static_cast<std::int16_t>(bit % kHeight);
      e.column = static_cast<std::int16_t>(bit / kHeight);
      elements.push_back(e);
    }
  }
}

int ConnectFourState::mobility(int) const {
  if (is_terminal()) return 0;
  return kColumns - std::popcount((discs_[0] | discs_[1]) & kTopRow);
}

bool ConnectFourState::summarize(PositionSummary& summary) const {
  static constexpr BitboardLines kBoardLines(kRows, kColumns, 4, 1, kHeight);
  // Rows 1..4 of columns 2..4, as the structure declares the centre.
  constexpr std::uint64_t kCentre =
      (column_mask(2) | column_mask(3) | column_mask(4)) & ~kBottomRow &
      ~kTopRow;
  kBoardLines.summarize(summary, discs_[0], discs_[1], kCentre,
                        [&] { return mobility(0); });
  return true;
}

}  // namespace selfplay
