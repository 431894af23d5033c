// Thread counts as `selfplay scale --threads` takes them: lists and
// oneTBB-style ladders, sorted without repeats; anything else is an error.
#include "scaling/thread_ladder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace selfplay::scaling {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<int> counts(std::string_view spec, int available = 2) {
  absl::StatusOr<std::vector<int>> parsed =
      parse_thread_counts(spec, available);
  EXPECT_TRUE(parsed.ok()) << spec << ": " << parsed.status();
  return parsed.ok() ? *parsed : std::vector<int>{};
}

TEST(ThreadLadder, AListIsSortedWithoutRepeats) {
  EXPECT_THAT(counts("4,1,2,2"), ElementsAre(1, 2, 4));
  EXPECT_THAT(counts("3"), ElementsAre(3));
}

TEST(ThreadLadder, AMultiplyingLadderStopsAtOrBelowHigh) {
  EXPECT_THAT(counts("1:64:*2"), ElementsAre(1, 2, 4, 8, 16, 32, 64));
  EXPECT_THAT(counts("1:12:*2"), ElementsAre(1, 2, 4, 8));
  EXPECT_THAT(counts("3:100:*3"), ElementsAre(3, 9, 27, 81));
}

TEST(ThreadLadder, AnAddingLadderStepsByOneUnlessToldOtherwise) {
  EXPECT_THAT(counts("1:3"), ElementsAre(1, 2, 3));
  EXPECT_THAT(counts("2:10:+4"), ElementsAre(2, 6, 10));
  EXPECT_THAT(counts("1:7:3"), ElementsAre(1, 4, 7));
  EXPECT_THAT(counts("5:5"), ElementsAre(5));
}

TEST(ThreadLadder, ItemsOfEveryKindMix) {
  EXPECT_THAT(counts("16:64:*4,1,3:5"), ElementsAre(1, 3, 4, 5, 16, 64));
}

TEST(ThreadLadder, AutoDoublesUpToTheAvailableThreadsAndIncludesThem) {
  EXPECT_THAT(counts("auto", 1), ElementsAre(1));
  EXPECT_THAT(counts("auto", 2), ElementsAre(1, 2));
  EXPECT_THAT(counts("auto", 6), ElementsAre(1, 2, 4, 6));
  EXPECT_THAT(counts("auto", 8), ElementsAre(1, 2, 4, 8));
  EXPECT_THAT(counts("auto,12", 4), ElementsAre(1, 2, 4, 12));
}

TEST(ThreadLadder, TheLargestFactorDoesNotOverflow) {
  EXPECT_THAT(counts("1:4096:*4096"), ElementsAre(1, 4096));
  EXPECT_THAT(counts("4096:4096:+2147483647"), ElementsAre(4096));
}

TEST(ThreadLadder, BadInputIsAnErrorNamingTheItem) {
  for (const char* spec :
       {"",       ",",      "1,",      ",1",     "0",     "-1",
        "abc",    "1.5",    "1:",      ":4",     "4:2",   "1:8:*1",
        "1:8:*0", "1:8:+0", "1:8:0",   "1:8:x2", "1:8:*", "1:2:3:4",
        "4097",   "1:5000", "1:8:*2x", "autox"}) {
    const absl::StatusOr<std::vector<int>> parsed =
        parse_thread_counts(spec, 2);
    ASSERT_FALSE(parsed.ok()) << "'" << spec << "' was accepted";
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("bad thread count"))
        << spec;
  }
}

}  // namespace
}  // namespace selfplay::scaling
