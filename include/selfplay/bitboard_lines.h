// Open lines and line threats of an alignment game, counted on bitboards with
// shifts: for each of the four directions, every line start at once.
//
// A game says how its board maps to bits, bit = row * row_stride + column *
// column_stride (row-major: row_stride = columns, column_stride = 1;
// connect-four's seven bits per column: row_stride = 1, column_stride = 7),
// and gets the two numbers the line templates compare:
//
//   static constexpr BitboardLines kLines(/*rows=*/6, /*columns=*/7,
//                                         /*line_length=*/4, 1, 7);
//   kLines.summarize(summary, discs_[0], discs_[1], kCentre,
//                    [&] { return mobility(0); });
//
// or, for the line counts alone:
//
//   BitboardLines::Counts counts[2];
//   kLines.count(discs_[0], discs_[1], counts);
//
// A line is `line_length` cells in a row, column or diagonal; it is open for
// a player when it holds at least one of the player's pieces and none of any
// other player's, a threat when those pieces fill all but one cell.
//
// The class is constexpr and its counting inline, so that a game's constexpr
// instance compiles to straight-line code with its shifts and masks as
// constants (a third of connect-four's feature cost was loading them).
#ifndef SELFPLAY_BITBOARD_LINES_H_
#define SELFPLAY_BITBOARD_LINES_H_

#include <array>
#include <bit>
#include <cstdint>
#include <stdexcept>

#include "selfplay/position_summary.h"

namespace selfplay {

class BitboardLines {
 public:
  // Every bit index must be below 64; line_length >= 2.
  constexpr BitboardLines(int rows, int columns, int line_length,
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
    constexpr int kSteps[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
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
      if (direction.starts != 0) directions_[directions_count_++] = direction;
    }
  }

  struct Counts {
    int open = 0;
    int threats = 0;
  };

  // Counts for the two players of a two-player game at once (they share the
  // empty cells): `counts[0]` for `first`'s pieces, `counts[1]` for
  // `second`'s.
  void count(std::uint64_t first, std::uint64_t second,
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

  // The whole native summary of a two-player game whose position is one
  // bitboard per player of element type 0: counts, centre occupancy (cells
  // of `centre`), mobility (the same for both players, from `mobility()`,
  // called only when a template reads it) and lines.
  template <typename Mobility>
  void summarize(PositionSummary& summary, std::uint64_t first,
                 std::uint64_t second, std::uint64_t centre,
                 Mobility mobility) const {
    const std::uint64_t pieces[2] = {first, second};
    for (int player = 0; player < 2; ++player) {
      summary.set_count(0, player, std::popcount(pieces[player]));
      summary.set_center(0, player, std::popcount(pieces[player] & centre));
    }
    if (summary.wants_mobility()) {
      const int moves = mobility();
      for (int player = 0; player < 2; ++player) {
        summary.set_mobility(player, moves);
      }
    }
    if (summary.wants_lines()) {
      Counts counts[2];
      count(first, second, counts);
      for (int player = 0; player < 2; ++player) {
        summary.set_lines(player, counts[player].open, counts[player].threats);
      }
    }
  }

 private:
  // kLength: the line length when known at compile time, else 0.
  template <int kLength>
  void count_lines(std::uint64_t first, std::uint64_t second,
                   Counts counts[2]) const {
    const int length = kLength > 0 ? kLength : length_;
    const std::uint64_t empty = board_ & ~(first | second);
    counts[0] = counts[1] = Counts{};
#pragma GCC unroll 4
    for (int d = 0; d < directions_count_; ++d) {
      const Direction& direction = directions_[d];
      // At each line start: whether any cell of the line holds a piece of
      // each player, and whether one / more than one cell is empty.
      std::uint64_t any_first = 0, any_second = 0, one_empty = 0, two_empty = 0;
      if constexpr (kLength == 4) {
        // Two pairs of cells, each pair's answers from one shift: seven
        // shifts instead of nine (connect-four's lines).
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
      const std::uint64_t open_first =
          direction.starts & any_first & ~any_second;
      const std::uint64_t open_second =
          direction.starts & any_second & ~any_first;
      const std::uint64_t single_empty = one_empty & ~two_empty;
      counts[0].open += std::popcount(open_first);
      counts[1].open += std::popcount(open_second);
      counts[0].threats += std::popcount(open_first & single_empty);
      counts[1].threats += std::popcount(open_second & single_empty);
    }
  }

  struct Direction {
    int shift = 0;             // bit distance between neighbours on a line
    std::uint64_t starts = 0;  // cells where a whole line fits
  };
  int length_;
  std::uint64_t board_ = 0;  // every cell's bit
  std::array<Direction, 4> directions_{};
  int directions_count_ = 0;
};

}  // namespace selfplay

#endif  // SELFPLAY_BITBOARD_LINES_H_
