#include "games/tic_tac_toe.h"

#include <bit>

#include "selfplay/bitboard_lines.h"
#include "selfplay/position_summary.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

constexpr std::uint32_t kLines[8] = {0007, 0070, 0700, 0111,
                                     0222, 0444, 0421, 0124};

bool has_line(std::uint32_t marks) {
  for (std::uint32_t line : kLines) {
    if ((marks & line) == line) return true;
  }
  return false;
}

class TicTacToeGame final : public Game {
 public:
  TicTacToeGame() {
    structure_.name = "tic-tac-toe";
    structure_.description = "3x3 noughts and crosses";
    structure_.type = GameType::kAlignment;
    structure_.element_types = {
        {.name = "mark", .owned = true, .properties = {}}};
    BoardSpec board;
    board.rows = board.columns = 3;
    board.center_row_min = board.center_row_max = 1;
    board.center_column_min = board.center_column_max = 1;
    board.line_length = 3;
    structure_.board = board;
    structure_.action_kinds = {"place"};
    structure_.num_actions = 9;  // the cell, row * 3 + column
    structure_.reports_mobility = true;
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<TicTacToeState>();
  }

 private:
  GameStructure structure_;
};

}  // namespace

std::unique_ptr<Game> make_tic_tac_toe_game() {
  return std::make_unique<TicTacToeGame>();
}

void TicTacToeState::legal_actions(std::vector<Action>& actions) const {
  actions.clear();
  if (is_terminal()) return;
  for (std::uint32_t empty = ~(marks_[0] | marks_[1]) & kFull; empty != 0;
       empty &= empty - 1) {
    actions.push_back(std::countr_zero(empty));
  }
}

void TicTacToeState::apply_action(Action action) {
  marks_[to_move_] |= 1u << action;
  if (has_line(marks_[to_move_])) winner_ = to_move_;
  to_move_ ^= 1;
}

std::vector<int> TicTacToeState::winners() const {
  if (winner_ >= 0) return {winner_};
  return {};
}

std::uint64_t TicTacToeState::hash() const {
  return splitmix64_mix(marks_[0] | marks_[1] << 9 |
                        static_cast<std::uint64_t>(to_move_) << 18);
}

int TicTacToeState::mark(int row, int column) const {
  const std::uint32_t bit = 1u << (row * 3 + column);
  return (marks_[0] & bit) ? 0 : (marks_[1] & bit) ? 1 : -1;
}

std::string TicTacToeState::to_string() const {
  std::string text;
  for (int row = 0; row < 3; ++row) {
    for (int column = 0; column < 3; ++column) {
      text += "XO."[mark(row, column) < 0 ? 2 : mark(row, column)];
    }
    text += '\n';
  }
  return text;
}

void TicTacToeState::elements(std::vector<Element>& elements) const {
  elements.clear();
  for (int player = 0; player < 2; ++player) {
    for (std::uint32_t m = marks_[player]; m != 0; m &= m - 1) {
      const int cell = std::countr_zero(m);
      Element e;
      e.owner = static_cast<std::int16_t>(player);
      e.row = static_cast<std::int16_t>(cell / 3);
      e.column = static_cast<std::int16_t>(cell % 3);
      elements.push_back(e);
    }
  }
}

int TicTacToeState::mobility(int) const {
  return is_terminal() ? 0 : 9 - std::popcount(marks_[0] | marks_[1]);
}

bool TicTacToeState::summarize(PositionSummary& summary) const {
  static constexpr BitboardLines kBoardLines(3, 3, 3, 3, 1);
  constexpr std::uint32_t kCentre = 1u << 4;
  kBoardLines.summarize(summary, marks_[0], marks_[1], kCentre,
                        [&] { return mobility(0); });
  return true;
}

}  // namespace selfplay
