// Splitting game indices between processes: every index in exactly one part,
// chunks dealt in turn, short range lists, no overflow at the top of the
// index space.
#include "simulation/index_partition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

namespace selfplay {
namespace {

using ::testing::ElementsAre;

::testing::Matcher<GameIndexRange> Range(std::uint64_t begin,
                                         std::uint64_t end) {
  return ::testing::FieldsAre(begin, end);
}

// Checks that the parts' ranges are sorted, disjoint and together cover
// [0, games) exactly once.
void expect_exact_cover(std::uint64_t games, int parts, std::uint64_t chunk) {
  std::vector<GameIndexRange> all;
  for (int part = 0; part < parts; ++part) {
    const std::vector<GameIndexRange> ranges =
        block_cyclic_ranges(games, parts, part, chunk);
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      EXPECT_LT(ranges[i].begin, ranges[i].end);
      if (i > 0) {
        EXPECT_LE(ranges[i - 1].end, ranges[i].begin);
      }
    }
    all.insert(all.end(), ranges.begin(), ranges.end());
  }
  std::sort(all.begin(), all.end(),
            [](const GameIndexRange& a, const GameIndexRange& b) {
              return a.begin < b.begin;
            });
  std::uint64_t next = 0;
  for (const GameIndexRange& range : all) {
    EXPECT_EQ(range.begin, next)
        << games << " games, " << parts << " parts, chunk " << chunk;
    next = range.end;
  }
  EXPECT_EQ(next, games) << games << " games, " << parts << " parts, chunk "
                         << chunk;
}

TEST(BlockCyclicRanges, EveryIndexBelongsToExactlyOnePart) {
  for (std::uint64_t games : {1u, 2u, 3u, 10u, 97u, 1000u}) {
    for (int parts : {1, 2, 3, 4, 7}) {
      for (std::uint64_t chunk : {1u, 2u, 5u, 64u, 5000u}) {
        expect_exact_cover(games, parts, chunk);
      }
    }
  }
}

TEST(BlockCyclicRanges, PartsTakeTheChunksInTurn) {
  EXPECT_THAT(block_cyclic_ranges(10, 3, 0, 2),
              ElementsAre(Range(0, 2), Range(6, 8)));
  EXPECT_THAT(block_cyclic_ranges(10, 3, 1, 2),
              ElementsAre(Range(2, 4), Range(8, 10)));
  EXPECT_THAT(block_cyclic_ranges(10, 3, 2, 2), ElementsAre(Range(4, 6)));
  // The last chunk is cut at the end of the run.
  EXPECT_THAT(block_cyclic_ranges(9, 3, 1, 2),
              ElementsAre(Range(2, 4), Range(8, 9)));
}

TEST(BlockCyclicRanges, APartBeyondTheLastChunkGetsNothing) {
  EXPECT_TRUE(block_cyclic_ranges(3, 4, 3, 1).empty());
  EXPECT_TRUE(block_cyclic_ranges(100, 2, 1, 100).empty());
}

TEST(BlockCyclicRanges, IndicesNearTwoToTheSixtyFourDoNotOverflow) {
  const std::uint64_t games = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t chunk = std::uint64_t{1} << 62;
  EXPECT_THAT(block_cyclic_ranges(games, 3, 0, chunk),
              ElementsAre(Range(0, chunk), Range(3 * chunk, games)));
  EXPECT_THAT(block_cyclic_ranges(games, 3, 2, chunk),
              ElementsAre(Range(2 * chunk, 3 * chunk)));
}

TEST(BlockCyclicRangesWithin, ChunksCountTheGamesOfTheRangesAndCutAtTheirEnds) {
  // Games 10 11 12 20 21 22 23 24, in chunks of 2: {10 11} {12 20} {21 22}
  // {23 24}, dealt to parts 0 1 0 1.
  const std::vector<GameIndexRange> within = {{10, 13}, {20, 25}};
  EXPECT_THAT(block_cyclic_ranges(within, 2, 0, 2),
              ElementsAre(Range(10, 12), Range(21, 23)));
  EXPECT_THAT(block_cyclic_ranges(within, 2, 1, 2),
              ElementsAre(Range(12, 13), Range(20, 21), Range(23, 25)));
  // An empty range in between holds no game.
  EXPECT_THAT(block_cyclic_ranges({{0, 2}, {5, 5}, {7, 9}}, 1, 0, 3),
              ElementsAre(Range(0, 2), Range(7, 8), Range(8, 9)));
  EXPECT_TRUE(block_cyclic_ranges(within, 9, 8, 1).empty());
}

TEST(BlockCyclicRangesWithin, ASingleRangeIsTheWholeRunShifted) {
  for (int parts : {1, 2, 3}) {
    for (int part = 0; part < parts; ++part) {
      std::vector<GameIndexRange> shifted;
      for (const GameIndexRange& range :
           block_cyclic_ranges(97, parts, part, 5)) {
        shifted.push_back({range.begin + 1000, range.end + 1000});
      }
      const std::vector<GameIndexRange> within =
          block_cyclic_ranges({{1000, 1097}}, parts, part, 5);
      ASSERT_EQ(within.size(), shifted.size());
      for (std::size_t i = 0; i < within.size(); ++i) {
        EXPECT_EQ(within[i].begin, shifted[i].begin);
        EXPECT_EQ(within[i].end, shifted[i].end);
      }
    }
  }
}

TEST(DefaultChunkSize, GivesEveryPartAtMostKChunksPerPartRanges) {
  for (std::uint64_t games :
       {std::uint64_t{1}, std::uint64_t{1000}, std::uint64_t{100'000},
        std::uint64_t{1'000'000'000'000}}) {
    for (int parts : {1, 2, 64, 2048}) {
      const std::uint64_t chunk = default_chunk_size(games, parts);
      EXPECT_GE(chunk, 1u);
      EXPECT_LE(block_cyclic_ranges(games, parts, 0, chunk).size(),
                kChunksPerPart)
          << games << " games, " << parts << " parts";
    }
  }
  // Small runs are dealt game by game rather than all to the first part.
  EXPECT_EQ(default_chunk_size(100, 4), 1u);
  EXPECT_EQ(default_chunk_size(100'000, 2), 782u);
}

}  // namespace
}  // namespace selfplay
