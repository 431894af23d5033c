// The parts of a run through the counts and summaries codecs, merged as MPI
// ranks' shares are on rank 0: exactly the result of one process, failures
// beyond the cap included; damaged summaries are errors, not garbage.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "simulation/counts_codec.h"
#include "simulation/index_partition.h"
#include "simulation_runner.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::run;

using testing::TakeAwayGame;

// Plays [0, games) in `parts` block-cyclic parts and combines them the way
// rank 0 does, with a plain loop for MPI_Gatherv.
SimulationResult run_in_parts(const Game& game, const FeatureSet& features,
                              SimulationOptions options, int parts,
                              std::uint64_t chunk) {
  SimulationResult total;
  for (int part = 0; part < parts; ++part) {
    options.ranges = block_cyclic_ranges(options.games, parts, part, chunk);
    if (options.ranges.empty()) options.ranges.push_back({0, 0});
    const SimulationResult played = run(game, features, options);
    if (part == 0) {
      total.counts =
          make_counts(static_cast<int>(played.counts.seats.size()),
                      static_cast<int>(played.counts.features.size()),
                      static_cast<int>(played.counts.actions.size()),
                      played.counts.failure_cap);
    }
    absl::StatusOr<SimulationCounts> counts =
        parse_counts(serialize_counts(played.counts));
    EXPECT_TRUE(counts.ok()) << counts.status();
    total.counts.merge(*counts);
    absl::StatusOr<std::vector<GameSummary>> games =
        parse_summaries(serialize_summaries(played.games));
    EXPECT_TRUE(games.ok()) << games.status();
    total.games.insert(total.games.end(), games->begin(), games->end());
  }
  std::sort(total.games.begin(), total.games.end(),
            [](const GameSummary& a, const GameSummary& b) {
              return a.game_index < b.game_index;
            });
  return total;
}

TEST(SharesCodec, PartsMergedEqualOneRunWithFailuresBeyondTheCap) {
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

TEST(SharesCodec, PartsOfAThreePlayerGameWithFeaturesEqualOneRun) {
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

TEST(SharesCodec, DamagedSummariesAreDataLoss) {
  const std::vector<GameSummary> games = {
      {7, 11, GameStatus::kCompleted, 12, {0, 1}},
      {8, 13, GameStatus::kTruncated, 200, {}}};
  const std::string bytes = serialize_summaries(games);
  absl::StatusOr<std::vector<GameSummary>> back = parse_summaries(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, games);
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_TRUE(absl::IsDataLoss(
        parse_summaries(std::string_view(bytes).substr(0, size)).status()))
        << size;
  }
  EXPECT_TRUE(absl::IsDataLoss(parse_summaries(bytes + "x").status()));
  std::string bad_status = bytes;
  bad_status[8 + 8 + 8] = 9;  // the first game's status byte
  EXPECT_TRUE(absl::IsDataLoss(parse_summaries(bad_status).status()));
}

}  // namespace
}  // namespace selfplay
