// Tallies, failures and game summaries through their flat encodings: summing
// and merging the encoded parts of a run, as MPI ranks do, gives exactly the
// result of one process; damaged buffers are errors, not garbage.
#include "simulation/wire_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "simulation/index_partition.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::TakeAwayGame;

SimulationResult run(const Game& game, const FeatureSet& features,
                     const SimulationOptions& options) {
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : SimulationResult{};
}

// Plays [0, games) in `parts` block-cyclic parts and combines them the way
// the MPI ranks do, but with plain loops for MPI_SUM and MPI_Gatherv.
SimulationResult run_in_parts(const Game& game, const FeatureSet& features,
                              SimulationOptions options, int parts,
                              std::uint64_t chunk) {
  std::vector<SimulationResult> results;
  std::size_t histogram_size = 0;
  for (int part = 0; part < parts; ++part) {
    options.ranges = block_cyclic_ranges(options.games, parts, part, chunk);
    if (options.ranges.empty()) options.ranges.push_back({0, 0});
    results.push_back(run(game, features, options));
    histogram_size =
        std::max(histogram_size, results.back().counts.length_histogram.size());
  }
  std::vector<std::uint64_t> sum(
      flat_tallies_size(results[0].counts, histogram_size));
  for (const SimulationResult& part : results) {
    const std::vector<std::uint64_t> words =
        flatten_tallies(part.counts, histogram_size);
    EXPECT_EQ(words.size(), sum.size());
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += words[i];
  }
  SimulationResult total;
  absl::StatusOr<SimulationCounts> counts =
      unflatten_tallies(sum, results[0].counts);
  EXPECT_TRUE(counts.ok()) << counts.status();
  total.counts = *std::move(counts);
  for (const SimulationResult& part : results) {
    SimulationCounts failures;
    failures.failure_cap = options.failure_cap;
    absl::StatusOr<std::vector<GameFailure>> decoded =
        decode_failures(encode_failures(part.counts.failures));
    EXPECT_TRUE(decoded.ok()) << decoded.status();
    failures.failures = *std::move(decoded);
    total.counts.merge(failures);

    absl::StatusOr<std::vector<GameSummary>> games =
        decode_summaries(encode_summaries(part.games));
    EXPECT_TRUE(games.ok()) << games.status();
    total.games.insert(total.games.end(), games->begin(), games->end());
  }
  std::sort(total.games.begin(), total.games.end(),
            [](const GameSummary& a, const GameSummary& b) {
              return a.game_index < b.game_index;
            });
  return total;
}

TEST(WireFormat, PartsSummedAndMergedEqualOneRunWithFailuresBeyondTheCap) {
  const std::uint64_t base = 11;
  // With 3 parts and chunks of 4, games 3, 9, 17 and 40 fail on parts 0, 2,
  // 1 and 1: each part keeps its own smallest two, the merge the global two.
  TakeAwayGame faulty({seed_for(base, 3), seed_for(base, 9), seed_for(base, 17),
                       seed_for(base, 40)});
  SimulationOptions options;
  options.games = 60;
  options.seed = base;
  options.threads = 2;
  options.failure_cap = 2;
  options.keep_game_summaries = true;
  const SimulationResult one = run(faulty, FeatureSet(), options);
  ASSERT_EQ(one.counts.failed, 4u);
  ASSERT_EQ(one.counts.failures.size(), 2u);

  const SimulationResult parts =
      run_in_parts(faulty, FeatureSet(), options, 3, 4);
  EXPECT_EQ(parts.counts, one.counts);
  EXPECT_EQ(parts.counts.failures[0].game_index, 3u);
  EXPECT_EQ(parts.counts.failures[1].game_index, 9u);
  EXPECT_EQ(parts.games, one.games);
}

TEST(WireFormat, PartsOfAThreePlayerGameWithFeaturesEqualOneRun) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  absl::StatusOr<const Game*> go_fish = registry.find("go-fish");
  ASSERT_TRUE(go_fish.ok()) << go_fish.status();
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features((*go_fish)->structure());
  ASSERT_TRUE(features.ok()) << features.status();
  SimulationOptions options;
  options.games = 300;
  options.seed = 3;
  options.players = 3;
  options.threads = 2;
  options.keep_game_summaries = true;
  const SimulationResult one = run(**go_fish, *features, options);
  // Shared wins make summaries with several winners.
  EXPECT_TRUE(std::any_of(
      one.games.begin(), one.games.end(),
      [](const GameSummary& game) { return game.winners.size() > 1; }));

  for (int parts : {2, 4}) {
    const SimulationResult combined =
        run_in_parts(**go_fish, *features, options, parts,
                     default_chunk_size(options.games, parts));
    EXPECT_EQ(combined.counts, one.counts) << parts << " parts";
    EXPECT_EQ(combined.games, one.games) << parts << " parts";
  }
}

TEST(WireFormat, FailureMessagesKeepEveryByte) {
  const std::vector<GameFailure> failures = {
      {7, 99, std::string("nul \0 inside", 12)},
      {8, 1, ""},
      {1ULL << 40, ~0ULL, "line\nbreak, caf\xc3\xa9"}};
  absl::StatusOr<std::vector<GameFailure>> decoded =
      decode_failures(encode_failures(failures));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, failures);
}

TEST(WireFormat, DamagedBuffersAreErrors) {
  const std::string failures = encode_failures({{1, 2, "message"}});
  EXPECT_EQ(
      decode_failures(failures.substr(0, failures.size() - 1)).status().code(),
      absl::StatusCode::kDataLoss);
  EXPECT_EQ(decode_failures(failures.substr(0, 5)).status().code(),
            absl::StatusCode::kDataLoss);

  GameSummary game;
  game.winners = {0, 2};
  std::vector<std::uint64_t> words = encode_summaries({game});
  words.pop_back();  // a winner missing
  EXPECT_EQ(decode_summaries(words).status().code(),
            absl::StatusCode::kDataLoss);
  words = encode_summaries({game});
  words[2] = 9;  // no such status
  EXPECT_EQ(decode_summaries(words).status().code(),
            absl::StatusCode::kDataLoss);

  const SimulationCounts shape = make_counts(2, 3, 1);
  const std::vector<std::uint64_t> tallies = flatten_tallies(shape, 0);
  EXPECT_EQ(unflatten_tallies(absl::MakeConstSpan(tallies).subspan(1), shape)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(WireFormat, TheHistogramIsPaddedToTheAgreedLength) {
  SimulationCounts counts = make_counts(2, 0, 0);
  counts.length_histogram = {0, 4, 1};
  const std::vector<std::uint64_t> words = flatten_tallies(counts, 5);
  EXPECT_EQ(words.size(), flat_tallies_size(counts, 5));
  absl::StatusOr<SimulationCounts> back = unflatten_tallies(words, counts);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_THAT(back->length_histogram, ::testing::ElementsAre(0, 4, 1, 0, 0));
}

}  // namespace
}  // namespace selfplay
