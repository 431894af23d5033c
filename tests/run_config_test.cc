// The run configuration: its bytes against the layout docs/records.md gives
// for a checkpoint's settings, written out here by hand; round trips; every
// truncated, extended or out-of-range encoding refused as DataLoss, never a
// crash; the comparison naming each setting as the flag a user types; and
// run_config_for reading SimulationOptions as the run does.
#include "selfplay/run_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "test_games.h"

namespace selfplay {
namespace {

using ::testing::HasSubstr;

// Little-endian fixed width and u64-length strings, as the page defines them.
struct Bytes {
  std::string out;
  Bytes& fixed(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) {
      out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
    return *this;
  }
  Bytes& text(const std::string& value) {
    fixed(value.size(), 8);
    out += value;
    return *this;
  }
  Bytes& texts(const std::vector<std::string>& values) {
    fixed(values.size(), 8);
    for (const std::string& value : values) text(value);
    return *this;
  }
};

RunConfig sample() {
  RunConfig config;
  config.game = "hex";
  config.players = 2;
  config.seed = 0x0102030405060708;
  config.games = 1000;
  config.max_actions = 300;
  config.timeout_ms = 250;
  config.failure_cap = 100;
  config.policies = {"random", "mcts:50"};
  config.features = {"a", "bb"};
  config.action_kinds = {"place", "swap"};
  return config;
}

TEST(RunConfig, EncodesTheCheckpointsDocumentedLayout) {
  Bytes expected;
  expected.text("hex")
      .fixed(2, 4)
      .fixed(0x0102030405060708, 8)
      .fixed(1000, 8)
      .fixed(300, 4)
      .fixed(250, 8)
      .fixed(100, 8)
      .texts({"random", "mcts:50"})
      .texts({"a", "bb"})
      .texts({"place", "swap"});
  EXPECT_EQ(encode_run_config(sample()), expected.out);
}

TEST(RunConfig, RoundTrips) {
  RunConfig no_features = sample();
  no_features.features.clear();
  no_features.timeout_ms = 0;
  RunConfig extremes = sample();
  extremes.players = 3;
  extremes.policies = {"", "random", "x y,z"};
  extremes.seed = ~std::uint64_t{0};
  extremes.games = ~std::uint64_t{0};
  extremes.failure_cap = ~std::uint64_t{0};
  extremes.max_actions = 2147483647;
  for (const RunConfig& config : {sample(), no_features, extremes}) {
    const absl::StatusOr<RunConfig> back =
        decode_run_config(encode_run_config(config));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, config);
  }
}

TEST(RunConfig, TruncatedOrExtendedBytesAreDataLoss) {
  const std::string bytes = encode_run_config(sample());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_TRUE(absl::IsDataLoss(
        decode_run_config(std::string_view(bytes).substr(0, size)).status()))
        << size;
  }
  EXPECT_TRUE(absl::IsDataLoss(decode_run_config(bytes + '\0').status()));
}

TEST(RunConfig, AHugeCountIsDataLossWithoutAllocatingIt) {
  // The game name claims 2^60 bytes; then a policy list of 2^40 strings.
  EXPECT_TRUE(absl::IsDataLoss(
      decode_run_config(Bytes().fixed(std::uint64_t{1} << 60, 8).out)
          .status()));
  Bytes policies;
  policies.text("hex")
      .fixed(2, 4)
      .fixed(1, 8)
      .fixed(1, 8)
      .fixed(9, 4)
      .fixed(0, 8)
      .fixed(0, 8)
      .fixed(std::uint64_t{1} << 40, 8);
  EXPECT_TRUE(absl::IsDataLoss(decode_run_config(policies.out).status()));
}

TEST(RunConfig, OutOfRangeSettingsAreDataLoss) {
  const std::vector<std::function<void(RunConfig&)>> changes = {
      [](RunConfig& c) { c.players = 0; },
      [](RunConfig& c) { c.players = -1; },  // u32 above INT_MAX
      [](RunConfig& c) { c.policies.pop_back(); },
      [](RunConfig& c) { c.max_actions = 0; },
      [](RunConfig& c) { c.timeout_ms = -5; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    RunConfig config = sample();
    changes[i](config);
    EXPECT_TRUE(
        absl::IsDataLoss(decode_run_config(encode_run_config(config)).status()))
        << i;
  }
}

TEST(RunConfig, FlippedBytesDecodeToAValidConfigOrDataLoss) {
  const std::string bytes = encode_run_config(sample());
  std::mt19937_64 random(5);
  int refused = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string spoiled = bytes;
    for (int flips = 1 + random() % 3; flips > 0; --flips) {
      spoiled[random() % spoiled.size()] ^=
          static_cast<char>(1 + random() % 255);
    }
    const absl::StatusOr<RunConfig> config = decode_run_config(spoiled);
    if (!config.ok()) {
      EXPECT_TRUE(absl::IsDataLoss(config.status())) << config.status();
      ++refused;
      continue;
    }
    EXPECT_GE(config->players, 1);
    EXPECT_EQ(config->policies.size(),
              static_cast<std::size_t>(config->players));
    EXPECT_GE(config->max_actions, 1);
    EXPECT_GE(config->timeout_ms, 0);
  }
  EXPECT_GT(refused, 0);
}

constexpr RunConfigSides kSides = {"the earlier run", "this one",
                                   "do it again"};

std::string refusal(const std::function<void(RunConfig&)>& change) {
  RunConfig now = sample();
  change(now);
  const absl::Status status = compare_run_configs(sample(), now, kSides);
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  return std::string(status.message());
}

TEST(RunConfig, EqualConfigsCompareOk) {
  EXPECT_TRUE(compare_run_configs(sample(), sample(), kSides).ok());
}

TEST(RunConfig, TheComparisonNamesEachSettingThatDiffers) {
  EXPECT_EQ(refusal([](RunConfig& c) { c.game = "nim"; }),
            "--game: the earlier run used hex, this one nim; do it again");
  EXPECT_EQ(refusal([](RunConfig& c) {
              c.players = 3;
              c.policies.push_back("random");
            }),
            "--players: the earlier run used 2, this one 3; do it again");
  EXPECT_EQ(refusal([](RunConfig& c) { c.seed = 7; }),
            "--seed: the earlier run used 72623859790382856, this one 7; do "
            "it again");
  EXPECT_EQ(refusal([](RunConfig& c) { c.games = 999; }),
            "--games: the earlier run used 1000, this one 999; do it again");
  EXPECT_EQ(
      refusal([](RunConfig& c) { c.max_actions = 301; }),
      "--max-actions: the earlier run used 300, this one 301; do it again");
  EXPECT_EQ(refusal([](RunConfig& c) { c.timeout_ms = 0; }),
            "--timeout-ms: the earlier run used 250, this one 0; do it again");
  EXPECT_EQ(refusal([](RunConfig& c) { c.features.clear(); }),
            "--features: the earlier run used features on, this one "
            "--nofeatures; do it again");
  EXPECT_THAT(refusal([](RunConfig& c) { c.features[1] = "bc"; }),
              HasSubstr("the candidate features differ: the earlier run used "
                        "2, this one 2 (feature 1: 'bb' against 'bc'"));
  EXPECT_THAT(refusal([](RunConfig& c) { c.features.push_back("c"); }),
              HasSubstr("the earlier run used 2, this one 3 (feature 2: none "
                        "against 'c'"));
  EXPECT_EQ(refusal([](RunConfig& c) { c.action_kinds = {"place"}; }),
            "the action kinds of hex: the earlier run used place,swap, this "
            "one place; do it again");
  EXPECT_EQ(refusal([](RunConfig& c) { c.policies[0] = "greedy"; }),
            "the seat policies: the earlier run used random,mcts:50, this "
            "one greedy,mcts:50; do it again");
  EXPECT_EQ(
      refusal([](RunConfig& c) { c.failure_cap = 5; }),
      "the failure cap: the earlier run used 100, this one 5; do it again");
}

TEST(RunConfig, TheFirstDifferenceInFlagOrderIsNamed) {
  EXPECT_THAT(refusal([](RunConfig& c) {
                c.failure_cap = 5;
                c.games = 1;
                c.seed = 2;
              }),
              HasSubstr("--seed:"));
}

TEST(RunConfig, SettingDiffersUsesTheSameWording) {
  const absl::Status status = setting_differs("--chunk", "4", "5", kSides);
  EXPECT_TRUE(absl::IsFailedPrecondition(status));
  EXPECT_EQ(status.message(),
            "--chunk: the earlier run used 4, this one 5; do it again");
}

class NamedPolicy final : public Policy {
 public:
  std::string name() const override { return "named"; }
  Action choose_action(const State&, absl::Span<const Action> legal,
                       Rng&) const override {
    return legal[0];
  }
};

TEST(RunConfig, RunConfigForReadsTheOptionsAsTheRunDoes) {
  const testing::TakeAwayGame game;
  FeatureSet features;
  ASSERT_TRUE(features
                  .add({"f1", "first", "custom"},
                       [](const State&, int) { return true; })
                  .ok());
  ASSERT_TRUE(features
                  .add({"f2", "second", "custom"},
                       [](const State&, int) { return false; })
                  .ok());
  const NamedPolicy named;
  SimulationOptions options;
  options.players = 0;  // the game's default: 2
  options.seed = 11;
  options.games = 40;
  options.max_actions = 12;
  options.game_timeout = absl::Milliseconds(1500);
  options.failure_cap = 3;
  options.policies = {nullptr, &named};
  options.threads = 3;  // not part of the configuration
  options.batch_size = 9;

  RunConfig expected;
  expected.game = "take-away";
  expected.players = 2;
  expected.seed = 11;
  expected.games = 40;
  expected.max_actions = 12;
  expected.timeout_ms = 1500;
  expected.failure_cap = 3;
  expected.policies = {"random", "named"};
  expected.features = {"f1", "f2"};
  expected.action_kinds = {"one", "two"};
  EXPECT_EQ(run_config_for(game, features, options), expected);

  options.threads = 1;
  options.batch_size = 0;
  options.feature_cache_entries = 0;
  EXPECT_EQ(run_config_for(game, features, options), expected);

  // Missing seats play at random; no timeout, zero or infinite, is 0.
  options.policies.clear();
  options.game_timeout = absl::InfiniteDuration();
  expected.policies = {"random", "random"};
  expected.timeout_ms = 0;
  EXPECT_EQ(run_config_for(game, features, options), expected);
  options.game_timeout = absl::ZeroDuration();
  EXPECT_EQ(run_config_for(game, features, options), expected);
}

TEST(RunConfig, CountsForTheRunHaveItsShape) {
  const SimulationCounts counts = make_counts_for(sample());
  EXPECT_EQ(counts.seats.size(), 2u);
  EXPECT_EQ(counts.features.size(), 2u);
  EXPECT_EQ(counts.actions.size(), 2u);
  EXPECT_EQ(counts.failure_cap, 100u);
}

}  // namespace
}  // namespace selfplay
