// Open lines and line threats of an alignment game, counted on bitboards with
// shifts: for each of the four directions, every line start at once.
//
// A game says how its board maps to bits, bit = row * row_stride + column *
// column_stride (row-major: row_stride = columns, column_stride = 1;
// connect-four's seven bits per column: row_stride = 1, column_stride = 7),
// and gets the two numbers the line templates compare:
//
//   static const BitboardLines kLines(/*rows=*/6, /*columns=*/7,
//                                     /*line_length=*/4, 1, 7);
//   kLines.summarize(summary, discs_[0], discs_[1], kCentre, mobility(0));
//
// or, for the line counts alone:
//
//   BitboardLines::Counts counts[2];
//   kLines.count(discs_[0], discs_[1], counts);
//
// A line is `line_length` cells in a row, column or diagonal; it is open for
// a player when it holds at least one of the player's pieces and none of any
// other player's, a threat when those pieces fill all but one cell.
#ifndef SELFPLAY_BITBOARD_LINES_H_
#define SELFPLAY_BITBOARD_LINES_H_

#include <cstdint>
#include <vector>

#include "selfplay/position_summary.h"

namespace selfplay {

class BitboardLines {
 public:
  // Every bit index must be below 64; line_length >= 2.
  BitboardLines(int rows, int columns, int line_length, int row_stride,
                int column_stride);

  struct Counts {
    int open = 0;
    int threats = 0;
  };

  // Counts for the two players of a two-player game at once (they share the
  // empty cells): `counts[0]` for `first`'s pieces, `counts[1]` for
  // `second`'s.
  void count(std::uint64_t first, std::uint64_t second, Counts counts[2]) const;

  // The whole native summary of a two-player game whose position is one
  // bitboard per player of element type 0: counts, centre occupancy (cells
  // of `centre`), mobility (the same for both players) and lines.
  void summarize(PositionSummary& summary, std::uint64_t first,
                 std::uint64_t second, std::uint64_t centre,
                 int mobility) const;

 private:
  // kLength: the line length when known at compile time, else 0.
  template <int kLength>
  void count_lines(std::uint64_t first, std::uint64_t second,
                   Counts counts[2]) const;

  struct Direction {
    int shift;             // bit distance between neighbours on a line
    std::uint64_t starts;  // cells where a whole line fits
  };
  int length_;
  std::uint64_t board_ = 0;  // every cell's bit
  std::vector<Direction> directions_;
};

}  // namespace selfplay

#endif  // SELFPLAY_BITBOARD_LINES_H_
