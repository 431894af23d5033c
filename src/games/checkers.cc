#include "games/checkers.h"

#include <bit>
#include <utility>

#include "absl/strings/str_cat.h"
#include "selfplay/position_summary.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

constexpr int kSquares = 32;
constexpr int kDirections = 4;
constexpr int kRowDelta[kDirections] = {+1, +1, -1, -1};
constexpr int kColumnDelta[kDirections] = {-1, +1, -1, +1};
constexpr int kOpposite[kDirections] = {3, 2, 1, 0};
// A man of player p moves in directions kManDirections[p] and the one after.
constexpr int kManDirections[2] = {0, 2};
// The far row, where a man of each player is crowned.
constexpr std::uint32_t kCrownRow[2] = {0xF0000000u, 0x0000000Fu};
constexpr std::uint32_t kInitialPieces[2] = {0x00000FFFu, 0xFFF00000u};

constexpr int kJumpCountShift = 5;
constexpr int kDirectionShift = 9;
constexpr int kMaxJumps = 9;  // see checkers.h

constexpr int row_of(int square) { return square / 4; }
constexpr int column_of(int square) {
  return 2 * (square % 4) + (square / 4) % 2;
}
constexpr int square_at(int row, int column) {
  if (row < 0 || row > 7 || column < 0 || column > 7 || (row + column) % 2) {
    return -1;
  }
  return row * 4 + column / 2;
}
constexpr std::uint32_t bit(int square) {
  return square < 0 ? 0 : std::uint32_t{1} << square;
}

struct Tables {
  // Adjacent square and the jump landing square per direction; -1 (bit 0)
  // off the board.
  std::array<std::array<std::int8_t, kDirections>, kSquares> adjacent{};
  std::array<std::array<std::uint32_t, kDirections>, kSquares> adjacent_bit{};
  std::array<std::array<std::int8_t, kDirections>, kSquares> landing{};
  std::array<std::array<std::uint32_t, kDirections>, kSquares> landing_bit{};
  // Moving a whole mask one step in a direction: the squares in
  // step_mask[d][i] move by step_delta[d][i] (the index delta depends on the
  // row's parity, so there are two).
  std::array<std::array<std::uint32_t, 2>, kDirections> step_mask{};
  std::array<std::array<int, 2>, kDirections> step_delta{};
};

constexpr Tables make_tables() {
  Tables t;
  for (int d = 0; d < kDirections; ++d) {
    int deltas_seen = 0;
    for (int s = 0; s < kSquares; ++s) {
      const int row = row_of(s), column = column_of(s);
      const int next = square_at(row + kRowDelta[d], column + kColumnDelta[d]);
      const int land =
          square_at(row + 2 * kRowDelta[d], column + 2 * kColumnDelta[d]);
      t.adjacent[s][d] = static_cast<std::int8_t>(next);
      t.adjacent_bit[s][d] = bit(next);
      t.landing[s][d] = static_cast<std::int8_t>(land);
      t.landing_bit[s][d] = bit(land);
      if (next < 0) continue;
      int slot = 0;
      while (slot < deltas_seen && t.step_delta[d][slot] != next - s) ++slot;
      if (slot == deltas_seen) {
        if (deltas_seen == 2) throw "a direction needs more than two deltas";
        t.step_delta[d][deltas_seen++] = next - s;
      }
      t.step_mask[d][slot] |= bit(s);
    }
  }
  return t;
}

constexpr Tables kTables = make_tables();

// Every square of `mask` moved one step in direction `D`; squares that would
// leave the board are dropped. A rotation equals the shift here because the
// masks keep every bit on the board. `D` is a template argument so that the
// masks and rotations are constants.
template <int D>
constexpr std::uint32_t step(std::uint32_t mask) {
  return std::rotl(mask & kTables.step_mask[D][0], kTables.step_delta[D][0]) |
         std::rotl(mask & kTables.step_mask[D][1], kTables.step_delta[D][1]);
}

static_assert(step<1>(bit(0)) == bit(4) && step<0>(bit(4)) == bit(8) &&
              step<2>(bit(4)) == bit(0) && step<3>(bit(3)) == 0 &&
              step<3>(bit(4)) == bit(1));

constexpr bool moves_in(int player, int direction) {
  return direction - kManDirections[player] == 0 ||
         direction - kManDirections[player] == 1;
}

// The pieces of `player` that may move in each direction: men forward only.
struct Movers {
  Movers(int player, std::uint32_t own, std::uint32_t kings) {
    for (int d = 0; d < kDirections; ++d) {
      by_direction[d] = moves_in(player, d) ? own : own & kings;
    }
  }
  std::array<std::uint32_t, kDirections> by_direction;
};

template <int D>
std::uint32_t pieces_that_jump_towards(const Movers& movers,
                                       std::uint32_t enemy,
                                       std::uint32_t empty) {
  constexpr int kBack = kOpposite[D];
  return step<kBack>(step<kBack>(empty) & enemy) & movers.by_direction[D];
}

std::uint32_t pieces_that_jump(const Movers& movers, std::uint32_t enemy,
                               std::uint32_t empty) {
  return pieces_that_jump_towards<0>(movers, enemy, empty) |
         pieces_that_jump_towards<1>(movers, enemy, empty) |
         pieces_that_jump_towards<2>(movers, enemy, empty) |
         pieces_that_jump_towards<3>(movers, enemy, empty);
}

template <int D>
std::uint32_t pieces_that_step_towards(const Movers& movers,
                                       std::uint32_t empty) {
  return step<kOpposite[D]>(empty) & movers.by_direction[D];
}

bool any_piece_steps(const Movers& movers, std::uint32_t empty) {
  return (pieces_that_step_towards<0>(movers, empty) |
          pieces_that_step_towards<1>(movers, empty) |
          pieces_that_step_towards<2>(movers, empty) |
          pieces_that_step_towards<3>(movers, empty)) != 0;
}

constexpr Action encode(int from, int jumps, Action directions) {
  return from | jumps << kJumpCountShift | directions;
}

// Emits every completed jump sequence of the piece that started on `from`
// and now stands on `square` after `jumps` jumps along `path` (the direction
// bits so far). `empty` includes `from`; `crown` is the row that ends a man's
// move (0 for a king).
template <typename Sink>
void jump_sequences(int from, int square, int first_direction,
                    int end_direction, std::uint32_t enemy, std::uint32_t empty,
                    std::uint32_t crown, int jumps, Action path, Sink& sink) {
  bool extended = false;
  for (int d = first_direction; d < end_direction; ++d) {
    const std::uint32_t over = kTables.adjacent_bit[square][d];
    if (!(enemy & over) || !(empty & kTables.landing_bit[square][d])) continue;
    extended = true;
    const int to = kTables.landing[square][d];
    const Action next = path | d << (kDirectionShift + 2 * jumps);
    if (crown & bit(to)) {
      sink(encode(from, jumps + 1, next));
    } else {
      jump_sequences(from, to, first_direction, end_direction, enemy & ~over,
                     empty, crown, jumps + 1, next, sink);
    }
  }
  if (!extended && jumps > 0) sink(encode(from, jumps, path));
}

template <typename Visit>
void for_each_square(std::uint32_t mask, Visit&& visit) {
  for (; mask; mask &= mask - 1) visit(std::countr_zero(mask));
}

template <int D, typename Sink>
void emit_steps(const Movers& movers, std::uint32_t empty, Sink& sink) {
  for_each_square(pieces_that_step_towards<D>(movers, empty), [&](int from) {
    sink(encode(from, 0, D << kDirectionShift));
  });
}

char piece_char(int player, bool king) {
  if (player == 0) return king ? 'B' : 'b';
  return king ? 'W' : 'w';
}

GameStructure make_structure() {
  GameStructure s;
  s.name = "checkers";
  s.description =
      "American/English draughts on 8x8: mandatory captures, multi-jumps as "
      "one action, no legal action loses, 80 quiet actions draw";
  s.type = GameType::kCapture;
  PropertySpec king;
  king.name = "king";
  king.kind = PropertyKind::kBoolean;
  ElementType piece;
  piece.name = "piece";
  piece.owned = true;
  piece.properties = {king};
  s.element_types = {piece};
  BoardSpec board;
  board.rows = 8;
  board.columns = 8;
  board.topology = BoardTopology::kSquare;
  board.center_row_min = 2;
  board.center_row_max = 5;
  board.center_column_min = 2;
  board.center_column_max = 5;
  board.forward = {+1, -1};
  s.board = board;
  s.action_kinds = {"move", "jump"};
  // The encoding's bound: the last jump's direction ends below this bit.
  s.num_actions = 1 << (kDirectionShift + 2 * kMaxJumps);
  s.reports_mobility = true;
  s.deterministic = true;
  return s;
}

class CheckersGame final : public Game {
 public:
  CheckersGame() : structure_(make_structure()) {}

  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t, int) const override {
    return std::make_unique<CheckersState>();
  }

 private:
  GameStructure structure_;
};

}  // namespace

std::unique_ptr<Game> make_checkers_game() {
  return std::make_unique<CheckersGame>();
}

CheckersState::CheckersState() : pieces_{kInitialPieces[0], kInitialPieces[1]} {
  update_terminal();
}

absl::StatusOr<CheckersState> CheckersState::from_diagram(
    const std::array<std::string_view, 8>& rows, int to_move,
    int quiet_actions) {
  if (to_move != 0 && to_move != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkers: to_move must be 0 or 1, not ", to_move));
  }
  if (quiet_actions < 0 || quiet_actions > kDrawAfterQuietActions) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkers: quiet_actions must be in 0..",
                     kDrawAfterQuietActions, ", not ", quiet_actions));
  }
  CheckersState state;
  state.pieces_ = {0, 0};
  for (int line = 0; line < 8; ++line) {
    const int row = 7 - line;
    if (rows[line].size() != 8) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkers: diagram row ", row, " has ",
                       rows[line].size(), " characters, not 8"));
    }
    for (int column = 0; column < 8; ++column) {
      const char c = rows[line][column];
      if (c == '.' || c == ' ') continue;
      if (c != 'b' && c != 'B' && c != 'w' && c != 'W') {
        return absl::InvalidArgumentError(
            absl::StrCat("checkers: unknown character '", std::string(1, c),
                         "' in row ", row));
      }
      const int player = (c == 'b' || c == 'B') ? 0 : 1;
      const int square = square_at(row, column);
      if (square < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("checkers: piece on the light square at row ", row,
                         ", column ", column));
      }
      state.pieces_[player] |= bit(square);
      if (c == 'B' || c == 'W') state.kings_ |= bit(square);
    }
  }
  state.to_move_ = static_cast<std::int8_t>(to_move);
  state.quiet_actions_ = static_cast<std::int8_t>(quiet_actions);
  state.update_terminal();
  return state;
}

std::uint32_t CheckersState::jumpers_of(int player) const {
  const std::uint32_t own = pieces_[player];
  const std::uint32_t enemy = pieces_[1 - player];
  return pieces_that_jump(Movers(player, own, kings_), enemy, ~(own | enemy));
}

template <typename Sink>
void CheckersState::for_each_action(int player, std::uint32_t jumpers,
                                    Sink&& sink) const {
  const std::uint32_t own = pieces_[player];
  const std::uint32_t enemy = pieces_[1 - player];
  const std::uint32_t empty = ~(own | enemy);
  if (jumpers) {
    for_each_square(jumpers, [&](int from) {
      const bool king = kings_ & bit(from);
      const int first = king ? 0 : kManDirections[player];
      jump_sequences(from, from, first, king ? kDirections : first + 2, enemy,
                     empty | bit(from), king ? 0 : kCrownRow[player], 0, 0,
                     sink);
    });
    return;
  }
  const Movers movers(player, own, kings_);
  emit_steps<0>(movers, empty, sink);
  emit_steps<1>(movers, empty, sink);
  emit_steps<2>(movers, empty, sink);
  emit_steps<3>(movers, empty, sink);
}

void CheckersState::update_terminal() {
  jumpers_ = jumpers_of(to_move_);
  const std::uint32_t own = pieces_[to_move_];
  const bool stuck =
      !jumpers_ && !any_piece_steps(Movers(to_move_, own, kings_),
                                    ~(own | pieces_[1 - to_move_]));
  terminal_ = true;
  if (stuck) {
    winner_ = static_cast<std::int8_t>(1 - to_move_);
  } else if (quiet_actions_ >= kDrawAfterQuietActions) {
    winner_ = -1;
  } else {
    terminal_ = false;
  }
}

void CheckersState::legal_actions(std::vector<Action>& actions) const {
  actions.clear();
  for_each_action(to_move_, jumpers_,
                  [&](Action action) { actions.push_back(action); });
}

void CheckersState::apply_action(Action action) {
  const int from = action & (kSquares - 1);
  const int jumps = (action >> kJumpCountShift) & 15;
  const std::uint32_t from_bit = bit(from);
  const bool king = kings_ & from_bit;
  int to;
  std::uint32_t captured = 0;
  if (jumps == 0) {
    to = kTables.adjacent[from][(action >> kDirectionShift) & 3];
    quiet_actions_ = king ? static_cast<std::int8_t>(quiet_actions_ + 1) : 0;
  } else {
    int square = from;
    for (int i = 0; i < jumps; ++i) {
      const int d = (action >> (kDirectionShift + 2 * i)) & 3;
      captured |= kTables.adjacent_bit[square][d];
      square = kTables.landing[square][d];
    }
    to = square;
    quiet_actions_ = 0;
  }
  const std::uint32_t to_bit = bit(to);
  pieces_[1 - to_move_] &= ~captured;
  pieces_[to_move_] = (pieces_[to_move_] & ~from_bit) | to_bit;
  kings_ &= ~(captured | from_bit);
  if (king || (to_bit & kCrownRow[to_move_])) kings_ |= to_bit;
  to_move_ = static_cast<std::int8_t>(1 - to_move_);
  update_terminal();
}

std::vector<int> CheckersState::winners() const {
  if (!terminal_ || winner_ < 0) return {};
  return {winner_};
}

ActionKind CheckersState::action_kind(Action action) const {
  return ((action >> kJumpCountShift) & 15) != 0 ? 1 : 0;
}

std::uint64_t CheckersState::hash() const {
  constexpr std::uint64_t kSalt = 0x636865636b657273ULL;  // "checkers"
  const std::uint64_t pieces =
      std::uint64_t{pieces_[0]} << 32 | std::uint64_t{pieces_[1]};
  const std::uint64_t rest = std::uint64_t{kings_} << 32 |
                             std::uint64_t(to_move_) << 8 |
                             std::uint64_t(quiet_actions_);
  return splitmix64_mix(splitmix64_mix(pieces ^ kSalt) ^ rest);
}

std::unique_ptr<State> CheckersState::clone() const {
  return std::make_unique<CheckersState>(*this);
}

std::string CheckersState::to_string() const {
  std::string text;
  for (int row = 7; row >= 0; --row) {
    absl::StrAppend(&text, row, " ");
    for (int column = 0; column < 8; ++column) {
      const std::uint32_t square_bit = bit(square_at(row, column));
      char c = '.';
      for (int player = 0; player < 2; ++player) {
        if (pieces_[player] & square_bit) {
          c = piece_char(player, kings_ & square_bit);
        }
      }
      text += c;
    }
    text += '\n';
  }
  absl::StrAppend(&text, "  abcdefgh\n");
  if (terminal_) {
    absl::StrAppend(&text, winner_ < 0    ? "draw"
                           : winner_ == 0 ? "black (player 0) wins"
                                          : "white (player 1) wins");
  } else {
    absl::StrAppend(&text,
                    to_move_ == 0 ? "black (player 0)" : "white (player 1)",
                    " to move");
  }
  absl::StrAppend(&text, ", ", quiet_actions_, " quiet actions\n");
  return text;
}

void CheckersState::elements(std::vector<Element>& elements) const {
  elements.clear();
  for (int player = 0; player < 2; ++player) {
    for_each_square(pieces_[player], [&](int square) {
      Element element;
      element.type = 0;
      element.owner = static_cast<std::int16_t>(player);
      element.row = static_cast<std::int16_t>(row_of(square));
      element.column = static_cast<std::int16_t>(column_of(square));
      element.properties[0] = (kings_ & bit(square)) ? 1 : 0;
      elements.push_back(element);
    });
  }
}

int CheckersState::mobility(int player) const {
  const std::uint32_t jumpers =
      player == to_move_ ? jumpers_ : jumpers_of(player);
  int count = 0;
  if (jumpers != 0) {
    for_each_action(player, jumpers, [&](Action) { ++count; });
    return count;
  }
  // Without a capture every step is one action: count them by direction.
  const std::uint32_t own = pieces_[player];
  const std::uint32_t empty = ~(own | pieces_[1 - player]);
  const Movers movers(player, own, kings_);
  return std::popcount(pieces_that_step_towards<0>(movers, empty)) +
         std::popcount(pieces_that_step_towards<1>(movers, empty)) +
         std::popcount(pieces_that_step_towards<2>(movers, empty)) +
         std::popcount(pieces_that_step_towards<3>(movers, empty));
}

namespace {

constexpr std::uint32_t squares_where(bool (*holds)(int row, int column)) {
  std::uint32_t mask = 0;
  for (int square = 0; square < kSquares; ++square) {
    if (holds(row_of(square), column_of(square))) mask |= bit(square);
  }
  return mask;
}

// The regions the structure declares: the centre (rows and columns 2..5),
// each player's far half and home row.
constexpr std::uint32_t kCentre = squares_where([](int row, int column) {
  return row >= 2 && row <= 5 && column >= 2 && column <= 5;
});
constexpr std::uint32_t kFarHalf[2] = {
    squares_where([](int row, int) { return row >= 4; }),
    squares_where([](int row, int) { return row <= 3; })};
constexpr std::uint32_t kHomeRow[2] = {
    squares_where([](int row, int) { return row == 0; }),
    squares_where([](int row, int) { return row == 7; })};

}  // namespace

bool CheckersState::summarize(PositionSummary& summary) const {
  for (int player = 0; player < 2; ++player) {
    const std::uint32_t pieces = pieces_[player];
    summary.set_count(0, player, std::popcount(pieces));
    summary.set_property(0, 0, player, std::popcount(pieces & kings_));
    summary.set_center(0, player, std::popcount(pieces & kCentre));
    summary.set_advanced(0, player, std::popcount(pieces & kFarHalf[player]));
    summary.set_back_row(0, player, std::popcount(pieces & kHomeRow[player]));
    if (summary.wants_mobility())
      summary.set_mobility(player, mobility(player));
  }
  return true;
}

}  // namespace selfplay
