// The train checkpoint file (records/train_checkpoint.h): it reads back as
// written; any truncation or flipped byte is refused as DataLoss, never read
// as another checkpoint; a simulate checkpoint is named as one; resuming
// with other settings names the first one that differs.
#include "records/train_checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "records/checkpoint.h"
#include "records/crc32.h"

namespace selfplay {
namespace {

using ::testing::HasSubstr;

TrainCheckpoint a_checkpoint() {
  TrainCheckpoint checkpoint;
  checkpoint.settings = {{"--game", "tic-tac-toe"},
                         {"--seed", "7"},
                         {"--min-correlation", "0.01"}};
  checkpoint.state.iterations = 2;
  checkpoint.state.games_into_next = 17;
  checkpoint.state.counts = make_counts(2, 3, 1);
  checkpoint.state.counts.games = checkpoint.state.counts.completed = 300;
  checkpoint.state.counts.length_histogram = {0, 0, 0, 0, 0, 300};
  checkpoint.state.counts.seats[0].wins = 200;
  checkpoint.state.counts.seats[1].losses = 200;
  checkpoint.state.counts.seats[0].draws =
      checkpoint.state.counts.seats[1].draws = 100;
  checkpoint.state.model_json = "{\"game\": \"tic-tac-toe\"}\n";
  checkpoint.state.logistic_data = std::string("\x01\x00\x02", 3);
  return checkpoint;
}

TEST(TrainCheckpoint, ReadsBackAsWritten) {
  const TrainCheckpoint checkpoint = a_checkpoint();
  const std::string bytes = serialize_train_checkpoint(checkpoint);
  absl::StatusOr<TrainCheckpoint> back = parse_train_checkpoint(bytes);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->settings, checkpoint.settings);
  EXPECT_EQ(back->state.iterations, 2);
  EXPECT_EQ(back->state.games_into_next, 17u);
  EXPECT_EQ(back->state.counts, checkpoint.state.counts);
  EXPECT_EQ(back->state.model_json, checkpoint.state.model_json);
  EXPECT_EQ(back->state.logistic_data, checkpoint.state.logistic_data);
  EXPECT_EQ(serialize_train_checkpoint(*back), bytes);
}

TEST(TrainCheckpoint, TheFramingIsDocumented) {
  // docs/records.md: magic "\x89SPTRCK\n", u32 version, u64 payload length,
  // the payload, the payload's CRC-32, all little-endian.
  const std::string bytes = serialize_train_checkpoint(a_checkpoint());
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 8), "\x89SPTRCK\n");
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x01\x00\x00\x00", 4));
  std::uint64_t length = 0;
  for (int i = 0; i < 8; ++i) {
    length |= std::uint64_t{static_cast<unsigned char>(bytes[12 + i])}
              << (8 * i);
  }
  EXPECT_EQ(length, bytes.size() - 24);
  const std::uint32_t crc = crc32(std::string_view(bytes).substr(20, length));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(bytes[20 + length + i]),
              (crc >> (8 * i)) & 0xff);
  }
}

TEST(TrainCheckpoint, EveryTruncationAndFlippedByteIsDataLoss) {
  const std::string bytes = serialize_train_checkpoint(a_checkpoint());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_TRUE(absl::IsDataLoss(
        parse_train_checkpoint(std::string_view(bytes).substr(0, size))
            .status()))
        << size;
  }
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    std::string spoiled = bytes;
    spoiled[at] ^= 0x20;
    EXPECT_TRUE(absl::IsDataLoss(parse_train_checkpoint(spoiled).status()))
        << at;
  }
  EXPECT_TRUE(absl::IsDataLoss(parse_train_checkpoint(bytes + "x").status()));
}

TEST(TrainCheckpoint, ASimulateCheckpointIsNamedAndNotReadAsATrainOne) {
  Checkpoint simulate;
  simulate.config.game = "tic-tac-toe";
  simulate.config.players = 2;
  simulate.config.games = 10;
  simulate.config.max_actions = 100;
  simulate.config.policies = {"random", "random"};
  simulate.counts = make_counts(2, 0, 0);
  const absl::Status as_train =
      parse_train_checkpoint(serialize_checkpoint(simulate)).status();
  EXPECT_TRUE(absl::IsDataLoss(as_train));
  EXPECT_THAT(std::string(as_train.message()),
              HasSubstr("a checkpoint of selfplay simulate, not of selfplay "
                        "train: resume it with selfplay simulate --resume"));
  const absl::Status as_simulate =
      parse_checkpoint(serialize_train_checkpoint(a_checkpoint())).status();
  EXPECT_THAT(std::string(as_simulate.message()),
              HasSubstr("a checkpoint of selfplay train"));
}

TEST(TrainCheckpoint, OtherSettingsAreRefusedNamingTheFirstThatDiffers) {
  const std::vector<TrainSetting> saved = a_checkpoint().settings;
  EXPECT_TRUE(check_same_train_settings(saved, saved).ok());
  std::vector<TrainSetting> now = saved;
  now[1].value = "8";
  now[2].value = "0.02";
  const absl::Status seed = check_same_train_settings(saved, now);
  EXPECT_EQ(seed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(seed.message()),
            "--seed: the checkpoint's run used 7, this command 8; resume with "
            "the same settings, or start a new run");
  // A checkpoint of another selfplay version, with fewer or other settings.
  std::vector<TrainSetting> more = saved;
  more.push_back({"--l2", "1"});
  EXPECT_THAT(std::string(check_same_train_settings(saved, more).message()),
              HasSubstr("no setting --l2"));
  EXPECT_THAT(std::string(check_same_train_settings(more, saved).message()),
              HasSubstr("settings this selfplay does not know"));
}

}  // namespace
}  // namespace selfplay
