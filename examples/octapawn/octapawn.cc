#include "octapawn.h"

#include <stdexcept>

namespace octapawn {
namespace {

// An action moves the pawn on `square` (row * kSize + column) straight
// forward (direction 0) or diagonally forward to the lower (1) or higher (2)
// column: square * 3 + direction.
constexpr selfplay::Action encode(int square, int direction) {
  return square * 3 + direction;
}

// Indices into GameStructure::action_kinds.
enum Kind : selfplay::ActionKind { kAdvance, kCapture };

int forward(int player) { return player == 0 ? 1 : -1; }
int far_row(int player) { return player == 0 ? kSize - 1 : 0; }
bool on_board(int row, int column) {
  return row >= 0 && row < kSize && column >= 0 && column < kSize;
}

// What Octapawn declares, so that selfplay generates its candidate features
// (docs/api.md lists which, and why).
selfplay::GameStructure octapawn_structure() {
  selfplay::GameStructure s;
  s.name = "octapawn";
  s.description =
      "hexapawn on 4x4: pawns step forward, capture diagonally; reach the "
      "far row";
  s.type = selfplay::GameType::kCapture;
  s.element_types = {{.name = "pawn",
                      .owned = true,
                      .properties = {{.name = "passed",
                                      .kind = selfplay::PropertyKind::kBoolean,
                                      .values = {}}}}};
  s.board = selfplay::BoardSpec{
      .rows = kSize,
      .columns = kSize,
      .topology = selfplay::BoardTopology::kSquare,
      // The middle 2x2 squares.
      .center_row_min = 1,
      .center_row_max = 2,
      .center_column_min = 1,
      .center_column_max = 2,
      // Player 0 advances towards higher rows, player 1 towards lower.
      .forward = {+1, -1},
      // Not a connection game, and no winning lines.
      .connection_goals = {},
      .line_length = 0};
  s.action_kinds = {"advance", "capture"};
  s.num_actions = kSize * kSize * 3;  // encode(square, direction)
  s.reports_mobility = true;
  return s;
}

class OctapawnGame final : public selfplay::Game {
 public:
  const selfplay::GameStructure& structure() const override {
    return structure_;
  }
  // No chance: the seed is not needed.
  std::unique_ptr<selfplay::State> new_initial_state(std::uint64_t,
                                                     int) const override {
    return std::make_unique<OctapawnState>(pawn_, passed_);
  }

 private:
  const selfplay::GameStructure structure_ = octapawn_structure();
  // Looked up once; value() throws on a misspelt name, when the game is made.
  const int pawn_ = selfplay::element_type_index(structure_, "pawn").value();
  const int passed_ =
      selfplay::property_index(structure_, "pawn", "passed").value();
};

}  // namespace

OctapawnState::OctapawnState(int pawn, int passed)
    : pawn_(pawn), passed_(passed) {
  board_.fill(-1);
  for (int column = 0; column < kSize; ++column) {
    board_[column] = 0;
    board_[(kSize - 1) * kSize + column] = 1;
  }
}

template <typename Visit>
void OctapawnState::for_each_move(int player, Visit visit) const {
  for (int square = 0; square < kSize * kSize; ++square) {
    if (board_[square] != player) continue;
    const int row = square / kSize + forward(player);
    const int column = square % kSize;
    if (on_board(row, column) && board_[row * kSize + column] < 0) {
      visit(encode(square, 0));
    }
    for (int direction : {1, 2}) {
      const int to_column = column + (direction == 1 ? -1 : 1);
      if (on_board(row, to_column) &&
          board_[row * kSize + to_column] == 1 - player) {
        visit(encode(square, direction));
      }
    }
  }
}

void OctapawnState::legal_actions(
    std::vector<selfplay::Action>& actions) const {
  actions.clear();
  for_each_move(mover_,
                [&](selfplay::Action action) { actions.push_back(action); });
}

int OctapawnState::mobility(int player) const {
  int moves = 0;
  for_each_move(player, [&](selfplay::Action) { ++moves; });
  return moves;
}

void OctapawnState::apply_action(selfplay::Action action) {
  const int square = action / 3;
  const int direction = action % 3;
  const int row = square / kSize + forward(mover_);
  const int column = square % kSize + (direction == 0   ? 0
                                       : direction == 1 ? -1
                                                        : 1);
  const int target = direction == 0 ? -1 : 1 - mover_;
  // The engine applies only legal actions; the check turns a bug into a
  // failed game with this message instead of a wrong statistic.
  if (action < 0 || square >= kSize * kSize || board_[square] != mover_ ||
      !on_board(row, column) || board_[row * kSize + column] != target) {
    throw std::invalid_argument("octapawn: illegal action " +
                                std::to_string(action));
  }
  board_[square] = -1;
  board_[row * kSize + column] = mover_;
  const int opponent = 1 - mover_;
  bool opponent_has_pawns = false;
  for (int owner : board_) opponent_has_pawns |= owner == opponent;
  if (row == far_row(mover_) || !opponent_has_pawns ||
      mobility(opponent) == 0) {
    winner_ = mover_;
    return;
  }
  mover_ = opponent;
}

selfplay::ActionKind OctapawnState::action_kind(selfplay::Action action) const {
  return action % 3 == 0 ? kAdvance : kCapture;
}

bool OctapawnState::passed(int square) const {
  const int player = board_[square];
  const int column = square % kSize;
  for (int row = square / kSize + forward(player); row >= 0 && row < kSize;
       row += forward(player)) {
    for (int c = column - 1; c <= column + 1; ++c) {
      if (on_board(row, c) && board_[row * kSize + c] == 1 - player) {
        return false;
      }
    }
  }
  return true;
}

void OctapawnState::elements(std::vector<selfplay::Element>& elements) const {
  elements.clear();
  for (int square = 0; square < kSize * kSize; ++square) {
    if (board_[square] < 0) continue;
    selfplay::Element pawn{.type = static_cast<std::int16_t>(pawn_),
                           .owner = static_cast<std::int16_t>(board_[square]),
                           .row = static_cast<std::int16_t>(square / kSize),
                           .column = static_cast<std::int16_t>(square % kSize)};
    pawn.properties[passed_] = passed(square);
    elements.push_back(pawn);
  }
}

std::unique_ptr<selfplay::State> OctapawnState::clone() const {
  return std::make_unique<OctapawnState>(*this);
}

std::string OctapawnState::to_string() const {
  std::string text;
  for (int row = kSize - 1; row >= 0; --row) {
    for (int column = 0; column < kSize; ++column) {
      text += ".xo"[board_[row * kSize + column] + 1];
    }
    text += '\n';
  }
  return text + (is_terminal()
                     ? "player " + std::to_string(winner_) + " won"
                     : "player " + std::to_string(mover_) + " to move");
}

std::unique_ptr<selfplay::Game> make_octapawn_game() {
  return std::make_unique<OctapawnGame>();
}

}  // namespace octapawn
