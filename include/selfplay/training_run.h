// A long training: saved after every iteration (and when a stop ends
// self-play part-way) to a checkpoint, so that an interrupted training goes
// on with exactly the model the uninterrupted one would have had. What
// `selfplay train --checkpoint / --resume` does.
//
//   TrainingOptions options = ...;
//   absl::StatusOr<std::unique_ptr<TrainingRun>> run = TrainingRun::start(
//       game, features, {.checkpoint = "t.ckpt"}, options);  // sets
//       // options.checkpoint and, when resuming, options.resume
//   absl::StatusOr<Model> model = train(game, options);
//
// The checkpoint keeps the settings that decide the model, named as the
// flags a user types; a resume with other settings is refused naming the
// first that differs. docs/records.md specifies the file.
#ifndef SELFPLAY_TRAINING_RUN_H_
#define SELFPLAY_TRAINING_RUN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/training.h"

namespace selfplay {

struct TrainCheckpoint;  // records/train_checkpoint.h
struct TrainSetting;     // records/train_checkpoint.h

struct TrainingRunFiles {
  std::string checkpoint;  // where checkpoints go; empty: `resume`, or none
  std::string resume;      // a checkpoint to continue; empty: a new training
};

class TrainingRun {
 public:
  // Prepares `options` (checkpoint callback, and the state to resume from).
  // With no file named, changes nothing. InvalidArgument or
  // PermissionDenied when the checkpoint cannot be written; NotFound or
  // DataLoss for a `resume` file that cannot be read; FailedPrecondition
  // when it was written with other settings. `options` must outlive this
  // object.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<TrainingRun>> start(
      const Game& game, const FeatureSet& features,
      const TrainingRunFiles& files, TrainingOptions& options);
  ~TrainingRun();
  TrainingRun(const TrainingRun&) = delete;
  TrainingRun& operator=(const TrainingRun&) = delete;

  // Where checkpoints go; empty: none.
  const std::string& checkpoint_path() const { return path_; }
  // What the checkpoint there holds, for a person: "iterations 1..2",
  // "iterations 1..2 and 400 games of iteration 3"; empty: nothing yet.
  const std::string& saved() const { return saved_; }

 private:
  TrainingRun();
  absl::Status save(const TrainingState& state);

  std::vector<TrainSetting> settings_;  // in a fixed order
  std::string path_;
  std::unique_ptr<TrainCheckpoint> resumed_;
  std::string saved_;
};

}  // namespace selfplay

#endif  // SELFPLAY_TRAINING_RUN_H_
