// Perft against an oracle written here: a connect-four move generator of its
// own (a 7x6 grid, column heights, a four-in-a-row scan) enumerates every
// action sequence to depth 8 from the start, where wins (from ply 7) and
// full columns begin to cut the tree, and to depth 5 from mid-game positions
// full of both. The checked perft stops when asked and refuses a negative
// depth.
#include "selfplay/perft.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "games/connect_four.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

// Connect four as the rules say it, with nothing shared with the engine's
// bitboards: grid[column][row], row 0 at the bottom, 0 empty, 1 or 2 a disc.
class Board {
 public:
  static constexpr int kColumns = 7;
  static constexpr int kRows = 6;

  bool can_drop(int column) const { return heights_[column] < kRows; }
  bool over() const { return won_ || discs_ == kColumns * kRows; }

  void drop(int column) {
    const int row = heights_[column]++;
    const int player = discs_ % 2 + 1;
    grid_[column][row] = player;
    ++discs_;
    won_ = fours_through(column, row, player);
  }

  // The number of sequences of exactly `depth` drops from here.
  std::uint64_t count(int depth) const {
    if (depth == 0) return 1;
    if (over()) return 0;
    std::uint64_t leaves = 0;
    for (int column = 0; column < kColumns; ++column) {
      if (!can_drop(column)) continue;
      Board next = *this;
      next.drop(column);
      leaves += next.count(depth - 1);
    }
    return leaves;
  }

 private:
  int at(int column, int row) const {
    if (column < 0 || column >= kColumns || row < 0 || row >= kRows) return 0;
    return grid_[column][row];
  }

  // Whether the disc at (column, row) completes four in any direction.
  bool fours_through(int column, int row, int player) const {
    const int directions[4][2] = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
    for (const auto& [dc, dr] : directions) {
      int run = 1;
      for (int step = 1; at(column + step * dc, row + step * dr) == player;
           ++step) {
        ++run;
      }
      for (int step = 1; at(column - step * dc, row - step * dr) == player;
           ++step) {
        ++run;
      }
      if (run >= 4) return true;
    }
    return false;
  }

  std::array<std::array<int, kRows>, kColumns> grid_{};
  std::array<int, kColumns> heights_{};
  int discs_ = 0;
  bool won_ = false;
};

TEST(Perft, ConnectFourMatchesAnIndependentEnumeratorToDepthEight) {
  const ConnectFourState start;
  const Board board;
  for (int depth = 1; depth <= 8; ++depth) {
    EXPECT_EQ(perft(start, depth), board.count(depth)) << "depth " << depth;
  }
  // And the published counts (OEIS A212693): six drops into one column fill
  // it, so 7 of the 7^7 sequences cannot be; wins cut depth 8.
  EXPECT_EQ(board.count(7), 823536u);
  EXPECT_EQ(board.count(8), 5673234u);
}

TEST(Perft, ConnectFourMatchesTheEnumeratorFromMidGamePositions) {
  // Seeded random openings of 12 to 29 plies that end no game: positions
  // with threats on the board and columns full or nearly full.
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    Rng rng(seed);
    ConnectFourState state;
    Board board;
    const int plies = 12 + static_cast<int>(rng.uniform(18));
    for (int ply = 0; ply < plies; ++ply) {
      std::vector<int> safe;
      for (int column = 0; column < Board::kColumns; ++column) {
        if (!board.can_drop(column)) continue;
        Board next = board;
        next.drop(column);
        if (!next.over()) safe.push_back(column);
      }
      if (safe.empty()) break;
      const int column =
          safe[rng.uniform(static_cast<std::uint32_t>(safe.size()))];
      board.drop(column);
      state.apply_action(column);
    }
    for (int depth = 1; depth <= 5; ++depth) {
      EXPECT_EQ(perft(state, depth), board.count(depth))
          << "seed " << seed << ", depth " << depth << "\n"
          << state.to_string();
    }
  }
}

TEST(Perft, TheCheckedCountEqualsThePlainOneAndStopsWhenAsked) {
  const ConnectFourState start;
  StopToken running;
  const absl::StatusOr<std::uint64_t> leaves = perft(start, 5, &running);
  ASSERT_TRUE(leaves.ok()) << leaves.status();
  EXPECT_EQ(*leaves, perft(start, 5));

  StopToken stopped;
  stopped.request_stop();
  EXPECT_EQ(perft(start, 5, &stopped).status().code(),
            absl::StatusCode::kCancelled);
  EXPECT_EQ(perft(start, -1, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace selfplay
