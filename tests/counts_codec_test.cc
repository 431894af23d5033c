// The binary form of SimulationCounts: a lossless round trip, and untrusted
// bytes (truncated, flipped, inconsistent, absurd sizes) rejected with an
// error, never a crash.
#include "simulation/counts_codec.h"

#include <gtest/gtest.h>

#include <random>

#include "selfplay/registry.h"
#include "selfplay/simulation.h"
#include "simulation/binary_io.h"

namespace selfplay {
namespace {

// Counts with every field set, from a real run with failures planted by hand.
SimulationCounts sample_counts() {
  GameRegistry registry = GameRegistry::with_bundled_games();
  const Game* game = *registry.find("tic-tac-toe");
  SimulationOptions options;
  options.games = 300;
  options.threads = 1;
  options.failure_cap = 5;
  FeatureSet features = *generate_candidate_features(game->structure());
  SimulationCounts counts = run_simulations(*game, features, options)->counts;
  counts.truncated = 4;
  counts.timed_out = 1;
  counts.failed = 7;
  counts.games += 11;
  counts.add_failure({42, 4242, "planted failure"});
  counts.add_failure({7, 77, ""});
  return counts;
}

TEST(CountsCodec, RoundTripsEveryField) {
  const SimulationCounts counts = sample_counts();
  ASSERT_FALSE(counts.features.empty());
  ASSERT_FALSE(counts.length_histogram.empty());
  // The per-game sums of the clustered statistics travel too.
  ASSERT_GT(counts.features[0].games, 0u);
  ASSERT_GT(counts.features[0].n1n0 + counts.actions[0].w1w1, 0u);
  absl::StatusOr<SimulationCounts> back =
      parse_counts(serialize_counts(counts));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, counts);
  EXPECT_EQ(back->failure_cap, 5u);
}

TEST(CountsCodec, EveryTruncationIsDataLoss) {
  const std::string bytes = serialize_counts(sample_counts());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    absl::StatusOr<SimulationCounts> parsed =
        parse_counts(std::string_view(bytes).substr(0, size));
    ASSERT_FALSE(parsed.ok()) << size;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
  }
}

TEST(CountsCodec, TrailingBytesAndAnotherVersionAreRejected) {
  const std::string bytes = serialize_counts(sample_counts());
  EXPECT_FALSE(parse_counts(bytes + '\0').ok());
  std::string other_version = bytes;
  other_version[0] = static_cast<char>(kCountsFormatVersion + 1);
  absl::StatusOr<SimulationCounts> parsed = parse_counts(other_version);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("version"), std::string::npos);
}

TEST(CountsCodec, TotalsThatDoNotAddUpAreRejected) {
  SimulationCounts counts = sample_counts();
  ++counts.completed;
  EXPECT_FALSE(parse_counts(serialize_counts(counts)).ok());
  counts = sample_counts();
  counts.timed_out = counts.truncated + 1;
  EXPECT_FALSE(parse_counts(serialize_counts(counts)).ok());
  counts = sample_counts();
  std::swap(counts.failures[0], counts.failures[1]);
  EXPECT_FALSE(parse_counts(serialize_counts(counts)).ok());
  counts = sample_counts();
  counts.failure_cap = 1;
  EXPECT_FALSE(parse_counts(serialize_counts(counts)).ok());
  counts = sample_counts();
  counts.features[0].games = counts.completed + 1;
  EXPECT_FALSE(parse_counts(serialize_counts(counts)).ok());
  counts = sample_counts();
  counts.actions[0].games_true = counts.actions[0].games + 1;
  EXPECT_FALSE(parse_counts(serialize_counts(counts)).ok());
}

TEST(CountsCodec, AnAbsurdElementCountFailsWithoutAllocating) {
  BinaryWriter writer;
  writer.u32(kCountsFormatVersion);
  for (int total = 0; total < 7; ++total) writer.u64(0);
  writer.u64(std::uint64_t{1} << 60);  // seats
  absl::StatusOr<SimulationCounts> parsed = parse_counts(writer.bytes());
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss);
}

// Any single flipped byte either fails to parse or parses into counts that
// serialize back to exactly the flipped bytes (a changed tally that still
// adds up): nothing in between, and no crash.
TEST(CountsCodec, FlippedBytesNeverParseIntoSomethingElse) {
  const std::string bytes = serialize_counts(sample_counts());
  std::mt19937_64 random(12345);
  int rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string flipped = bytes;
    flipped[random() % flipped.size()] ^= static_cast<char>(1 + random() % 255);
    absl::StatusOr<SimulationCounts> parsed = parse_counts(flipped);
    if (!parsed.ok()) {
      ++rejected;
      continue;
    }
    EXPECT_EQ(serialize_counts(*parsed), flipped);
  }
  // Sizes, totals and the version are a good part of the bytes.
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace selfplay
