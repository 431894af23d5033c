// A long training (selfplay/training_run.h).
#include "selfplay/training_run.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "io/output_file.h"
#include "records/train_checkpoint.h"

namespace selfplay {
namespace {

// What a state holds, for a line: "iterations 1..2", "iterations 1..2 and
// 400 games of iteration 3", "400 games of iteration 1".
std::string saved_games(const TrainingState& state) {
  std::string text;
  if (state.iterations > 0) {
    text = absl::StrCat("iterations 1..", state.iterations);
  }
  if (state.games_into_next > 0) {
    absl::StrAppend(&text, state.iterations > 0 ? " and " : "",
                    state.games_into_next, " games of iteration ",
                    state.iterations + 1);
  }
  return text;
}

}  // namespace

TrainingRun::TrainingRun() = default;
TrainingRun::~TrainingRun() = default;

absl::StatusOr<std::unique_ptr<TrainingRun>> TrainingRun::start(
    const Game& game, const FeatureSet& features, const TrainingRunFiles& files,
    TrainingOptions& options) {
  std::unique_ptr<TrainingRun> run(new TrainingRun());
  run->path_ = files.checkpoint.empty() ? files.resume : files.checkpoint;
  if (run->path_.empty()) return run;
  run->settings_ = train_settings(game, features, options);
  if (absl::Status status = check_writable(run->path_, Streams::kRefused);
      !status.ok()) {
    return status;
  }
  if (!files.resume.empty()) {
    absl::StatusOr<TrainCheckpoint> checkpoint =
        read_train_checkpoint(files.resume);
    if (!checkpoint.ok()) return checkpoint.status();
    if (absl::Status status =
            check_same_train_settings(checkpoint->settings, run->settings_);
        !status.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("--resume ", files.resume, ": ", status.message()));
    }
    run->saved_ = saved_games(checkpoint->state);
    run->resumed_ = std::make_unique<TrainCheckpoint>(*std::move(checkpoint));
    options.resume = &run->resumed_->state;
  }
  options.checkpoint = [run = run.get()](const TrainingState& state) {
    return run->save(state);
  };
  return run;
}

absl::Status TrainingRun::save(const TrainingState& state) {
  // Atomic (temporary file, fsync, rename, directory fsync): a crash leaves
  // this checkpoint or the one before.
  absl::Status status = write_file_atomically(
      path_, serialize_train_checkpoint({settings_, state}), Streams::kRefused);
  if (status.ok()) saved_ = saved_games(state);
  return status;
}

}  // namespace selfplay
