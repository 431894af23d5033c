#include "selfplay/bitboard_lines.h"

#include <bit>
#include <stdexcept>

namespace selfplay {

BitboardLines::BitboardLines(int rows, int columns, int line_length,
                             int row_stride, int column_stride)
    : length_(line_length) {
  if (line_length < 2) throw std::invalid_argument("line_length below 2");
  auto bit_of = [&](int row, int column) {
    const int index = row * row_stride + column * column_stride;
    if (index < 0 || index >= 64) {
      throw std::invalid_argument("a cell's bit index is outside 0..63");
    }
    return std::uint64_t{1} << index;
  };
  for (int row = 0; row < rows; ++row) {
    for (int column = 0; column < columns; ++column) {
      board_ |= bit_of(row, column);
    }
  }
  // Each line once, walked in the direction whose bit shift is positive.
  static constexpr int kSteps[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
  for (const auto& step : kSteps) {
    int dr = step[0], dc = step[1];
    int shift = dr * row_stride + dc * column_stride;
    if (shift < 0) {
      dr = -dr;
      dc = -dc;
      shift = -shift;
    }
    Direction direction{shift, 0};
    for (int row = 0; row < rows; ++row) {
      for (int column = 0; column < columns; ++column) {
        const int end_row = row + dr * (line_length - 1);
        const int end_column = column + dc * (line_length - 1);
        if (end_row >= 0 && end_row < rows && end_column >= 0 &&
            end_column < columns) {
          direction.starts |= bit_of(row, column);
        }
      }
    }
    if (direction.starts != 0) directions_.push_back(direction);
  }
}

template <int kLength>
void BitboardLines::count_lines(std::uint64_t first, std::uint64_t second,
                                Counts counts[2]) const {
  const int length = kLength > 0 ? kLength : length_;
  const std::uint64_t empty = board_ & ~(first | second);
  counts[0] = counts[1] = Counts{};
  for (const Direction& direction : directions_) {
    // At each line start: whether any cell of the line holds a piece of
    // each player, and whether one / more than one cell is empty.
    std::uint64_t any_first = 0, any_second = 0, one_empty = 0, two_empty = 0;
    if constexpr (kLength == 4) {
      // Two pairs of cells, each pair's answers from one shift: seven shifts
      // instead of nine (connect-four's lines).
      const int shift = direction.shift, pair_shift = 2 * direction.shift;
      const std::uint64_t pair_first = first | (first >> shift);
      const std::uint64_t pair_second = second | (second >> shift);
      const std::uint64_t next_empty = empty >> shift;
      const std::uint64_t pair_one = empty | next_empty;
      const std::uint64_t pair_two = empty & next_empty;
      any_first = pair_first | (pair_first >> pair_shift);
      any_second = pair_second | (pair_second >> pair_shift);
      one_empty = pair_one | (pair_one >> pair_shift);
      two_empty = pair_two | (pair_two >> pair_shift) |
                  (pair_one & (pair_one >> pair_shift));
    } else {
      for (int i = 0, shift = 0; i < length; ++i, shift += direction.shift) {
        const std::uint64_t cell_empty = empty >> shift;
        any_first |= first >> shift;
        any_second |= second >> shift;
        two_empty |= one_empty & cell_empty;
        one_empty |= cell_empty;
      }
    }
    const std::uint64_t open_first = direction.starts & any_first & ~any_second;
    const std::uint64_t open_second =
        direction.starts & any_second & ~any_first;
    const std::uint64_t single_empty = one_empty & ~two_empty;
    counts[0].open += std::popcount(open_first);
    counts[1].open += std::popcount(open_second);
    counts[0].threats += std::popcount(open_first & single_empty);
    counts[1].threats += std::popcount(open_second & single_empty);
  }
}

void BitboardLines::count(std::uint64_t first, std::uint64_t second,
                          Counts counts[2]) const {
  // The usual lengths unrolled: the loop over a line's cells is the work.
  switch (length_) {
    case 3:
      return count_lines<3>(first, second, counts);
    case 4:
      return count_lines<4>(first, second, counts);
    case 5:
      return count_lines<5>(first, second, counts);
    default:
      return count_lines<0>(first, second, counts);
  }
}

void BitboardLines::summarize(PositionSummary& summary, std::uint64_t first,
                              std::uint64_t second, std::uint64_t centre,
                              int mobility) const {
  const std::uint64_t pieces[2] = {first, second};
  for (int player = 0; player < 2; ++player) {
    summary.set_count(0, player, std::popcount(pieces[player]));
    summary.set_center(0, player, std::popcount(pieces[player] & centre));
    summary.set_mobility(player, mobility);
  }
  if (summary.wants_lines()) {
    Counts counts[2];
    count(first, second, counts);
    for (int player = 0; player < 2; ++player) {
      summary.set_lines(player, counts[player].open, counts[player].threats);
    }
  }
}

}  // namespace selfplay
