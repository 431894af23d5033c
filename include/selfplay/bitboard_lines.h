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
// With vector kernels (vector_kernels.h: AVX2, asked at run time) the four
// directions are counted at once, one per 64-bit lane; elsewhere one after
// the other. Both kernels are the same code (line_masks) on a 64-bit word or
// on a vector of four.
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
#include "selfplay/vector_kernels.h"

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
      std::uint64_t starts = 0;
      for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < columns; ++column) {
          const int end_row = row + dr * (line_length - 1);
          const int end_column = column + dc * (line_length - 1);
          if (end_row >= 0 && end_row < rows && end_column >= 0 &&
              end_column < columns) {
            starts |= bit_of(row, column);
          }
        }
      }
      if (starts != 0) {
        shifts_[directions_count_] = static_cast<std::uint64_t>(shift);
        starts_[directions_count_++] = starts;
      }
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
#if SELFPLAY_AVX2_KERNELS
    if (vector_kernels_enabled()) {
      return count_by_length<kFourLanes>(first, second, counts);
    }
#endif
    count_by_length<kOneWord>(first, second, counts);
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
  enum Kernel { kOneWord, kFourLanes };

  // The line length as a template argument where it is a usual one: the loop
  // over a line's cells is the work.
  template <Kernel kKernel>
  void count_by_length(std::uint64_t first, std::uint64_t second,
                       Counts counts[2]) const {
    switch (length_) {
      case 3:
        return count_lines<kKernel, 3>(first, second, counts);
      case 4:
        return count_lines<kKernel, 4>(first, second, counts);
      case 5:
        return count_lines<kKernel, 5>(first, second, counts);
      default:
        return count_lines<kKernel, 0>(first, second, counts);
    }
  }

  // The lines of one direction (Word = std::uint64_t), or of the four in
  // the lanes of a vector, as masks of line starts: open[p] where player p
  // holds a cell of the line and the other player none, threats[p] where
  // besides exactly one cell is empty. `shift`: the bit distance between
  // neighbours on a line; `starts`: the cells where a whole line fits.
  // kLength: the line length when known at compile time, else `length`.
  template <typename Word>
  struct LineMasks {
    Word open[2];
    Word threats[2];
  };
  // Vectors by reference: by value they would change the calling convention
  // of a function compiled without AVX.
  template <int kLength, typename Word>
  [[gnu::always_inline]] static void line_masks(const Word& first,
                                                const Word& second,
                                                const Word& empty,
                                                const Word& shift,
                                                const Word& starts, int length,
                                                LineMasks<Word>& masks) {
    // At each line start: whether any cell of the line holds a piece of
    // each player, and whether one / more than one cell is empty.
    Word any_first{}, any_second{}, one_empty{}, two_empty{};
    if constexpr (kLength == 4) {
      // Two pairs of cells, each pair's answers from one shift: seven
      // shifts instead of nine (connect-four's lines).
      const Word pair_shift = shift + shift;
      const Word pair_first = first | (first >> shift);
      const Word pair_second = second | (second >> shift);
      const Word next_empty = empty >> shift;
      const Word pair_one = empty | next_empty;
      const Word pair_two = empty & next_empty;
      any_first = pair_first | (pair_first >> pair_shift);
      any_second = pair_second | (pair_second >> pair_shift);
      one_empty = pair_one | (pair_one >> pair_shift);
      two_empty = pair_two | (pair_two >> pair_shift) |
                  (pair_one & (pair_one >> pair_shift));
    } else {
      Word cell_shift{};
      for (int i = 0; i < (kLength > 0 ? kLength : length); ++i) {
        const Word cell_empty = empty >> cell_shift;
        any_first |= first >> cell_shift;
        any_second |= second >> cell_shift;
        two_empty |= one_empty & cell_empty;
        one_empty |= cell_empty;
        cell_shift += shift;
      }
    }
    masks.open[0] = starts & any_first & ~any_second;
    masks.open[1] = starts & any_second & ~any_first;
    const Word single_empty = one_empty & ~two_empty;
    masks.threats[0] = masks.open[0] & single_empty;
    masks.threats[1] = masks.open[1] & single_empty;
  }

  template <Kernel kKernel, int kLength>
  void count_lines(std::uint64_t first, std::uint64_t second,
                   Counts counts[2]) const {
    if constexpr (kKernel == kOneWord) {
      count_words<kLength>(first, second, counts);
    }
#if SELFPLAY_AVX2_KERNELS
    else {
      count_lanes<kLength>(first, second, counts);
    }
#endif
  }

  template <int kLength>
  void count_words(std::uint64_t first, std::uint64_t second,
                   Counts counts[2]) const {
    const std::uint64_t empty = board_ & ~(first | second);
    counts[0] = counts[1] = Counts{};
#pragma GCC unroll 4
    for (int d = 0; d < directions_count_; ++d) {
      LineMasks<std::uint64_t> masks;
      line_masks<kLength>(first, second, empty, shifts_[d], starts_[d], length_,
                          masks);
      for (int p = 0; p < 2; ++p) {
        counts[p].open += std::popcount(masks.open[p]);
        counts[p].threats += std::popcount(masks.threats[p]);
      }
    }
  }

#if SELFPLAY_AVX2_KERNELS
  using Lanes = std::uint64_t __attribute__((vector_size(32)));

  // The masks in vector registers (AVX2 shifts each lane by its own count),
  // their popcounts in scalar registers: a vector popcount and the sums
  // across lanes made a longer chain of dependent steps than the sixteen
  // scalar ones (connect-four: features-on ~6-9% more games/s than one
  // direction at a time; tic-tac-toe unchanged).
  template <int kLength>
  __attribute__((target("avx2,popcnt"))) void count_lanes(
      std::uint64_t first, std::uint64_t second, Counts counts[2]) const {
    const std::uint64_t empty = board_ & ~(first | second);
    Lanes shifts, starts;
    __builtin_memcpy(&shifts, shifts_.data(), sizeof shifts);
    __builtin_memcpy(&starts, starts_.data(), sizeof starts);
    // Unused lanes have no starts, so they count nothing.
    const Lanes first_lanes = Lanes{} + first;
    const Lanes second_lanes = Lanes{} + second;
    const Lanes empty_lanes = Lanes{} + empty;
    LineMasks<Lanes> masks;
    line_masks<kLength>(first_lanes, second_lanes, empty_lanes, shifts, starts,
                        length_, masks);
    for (int p = 0; p < 2; ++p) {
      counts[p].open = popcount_lanes(masks.open[p]);
      counts[p].threats = popcount_lanes(masks.threats[p]);
    }
  }

  __attribute__((target("avx2,popcnt"), always_inline)) static int
  popcount_lanes(const Lanes& mask) {
    return __builtin_popcountll(mask[0]) + __builtin_popcountll(mask[1]) +
           __builtin_popcountll(mask[2]) + __builtin_popcountll(mask[3]);
  }
#endif

  int length_;
  std::uint64_t board_ = 0;  // every cell's bit
  // Per direction in which a whole line fits (directions_count_ of them),
  // then zeros: the bit distance between neighbours on a line, and the
  // cells where a line starts.
  std::array<std::uint64_t, 4> shifts_{};
  std::array<std::uint64_t, 4> starts_{};
  int directions_count_ = 0;
};

}  // namespace selfplay

#endif  // SELFPLAY_BITBOARD_LINES_H_
