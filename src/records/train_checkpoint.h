// A training saved after an iteration (`train --checkpoint`), so that it can
// go on after an interruption with exactly the model it would have had: the
// settings that decide the model, as flags a user types, and the
// TrainingState (training.h). The framing is every checkpoint's
// (checkpoint.h) with its own magic, so that neither command takes the
// other's file; docs/records.md specifies the bytes.
//
//   TrainCheckpoint checkpoint{settings, state};
//   std::string bytes = serialize_train_checkpoint(checkpoint);
//   absl::StatusOr<TrainCheckpoint> back = read_train_checkpoint("t.ckpt");
//   absl::Status same = check_same_train_settings(back->settings, settings);
#ifndef SELFPLAY_RECORDS_TRAIN_CHECKPOINT_H_
#define SELFPLAY_RECORDS_TRAIN_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/training.h"

namespace selfplay {

inline constexpr std::uint32_t kTrainCheckpointFormatVersion = 1;

// One setting that decides a training's model, e.g. {"--seed", "7"}.
struct TrainSetting {
  std::string name;
  std::string value;

  bool operator==(const TrainSetting&) const = default;
};

struct TrainCheckpoint {
  std::vector<TrainSetting> settings;  // in a fixed order
  TrainingState state;
};

// The settings that decide the model, as the flags a user types (the
// features and action kinds come from the game), in a fixed order: what a
// resumed training must share with its checkpoint's, and the ranks of a
// distributed training with rank 0's.
std::vector<TrainSetting> train_settings(const Game& game,
                                         const FeatureSet& features,
                                         const TrainingOptions& options);

std::string serialize_train_checkpoint(const TrainCheckpoint& checkpoint);

// DataLoss when `bytes` are not one train checkpoint of this format version
// with a valid checksum (a simulate checkpoint is named as such), its fields
// do not fill its length exactly, or its tallies do not parse. What the
// state holds is checked against the training when it resumes (train()).
[[nodiscard]] absl::StatusOr<TrainCheckpoint> parse_train_checkpoint(
    std::string_view bytes);

// NotFound when it cannot be read; parse_train_checkpoint's errors,
// prefixed with the path.
[[nodiscard]] absl::StatusOr<TrainCheckpoint> read_train_checkpoint(
    const std::string& path);

// FailedPrecondition naming the first setting that differs, as the flag a
// user types: "--seed: the checkpoint's run used 7, this command 8; ...".
[[nodiscard]] absl::Status check_same_train_settings(
    const std::vector<TrainSetting>& saved,
    const std::vector<TrainSetting>& now);

}  // namespace selfplay

#endif  // SELFPLAY_RECORDS_TRAIN_CHECKPOINT_H_
