// `simulate --records / --checkpoint / --resume`: what a long run keeps on
// disk, set up from the flags before the run and completed after it.
//
//   absl::StatusOr<std::unique_ptr<LongRun>> long_run =
//       LongRun::from_flags(game, features, options);  // sets sink, callback,
//                                                      // ranges when resuming
//   absl::StatusOr<SimulationResult> result = run_simulations(...);
//   absl::Status done = (*long_run)->finish(*result);  // merges a resumed
//                                                      // run's earlier games
//
// Resuming plays the games from the checkpoint's index on and adds the
// checkpoint's tallies, so the result is that of the uninterrupted run; the
// records file continues where the checkpoint says it ended (what a crash
// wrote after that point is cut off), and later checkpoints go to the
// --checkpoint path, or else to the file resumed from.
#ifndef SELFPLAY_CLI_LONG_RUN_H_
#define SELFPLAY_CLI_LONG_RUN_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "records/checkpoint.h"
#include "selfplay/features.h"
#include "selfplay/record_file.h"
#include "selfplay/simulation.h"

ABSL_DECLARE_FLAG(std::string, records);
ABSL_DECLARE_FLAG(std::string, checkpoint);
ABSL_DECLARE_FLAG(std::uint64_t, checkpoint_every);
ABSL_DECLARE_FLAG(std::string, resume);

namespace selfplay::cli {

class LongRun {
 public:
  // Reads the flags and prepares `options` (records sink, checkpoint
  // callback, and the remaining game range when resuming). With none of the
  // flags, changes nothing. InvalidArgument for flags that do not fit
  // together; FailedPrecondition when --resume's checkpoint was written with
  // other settings (naming the first difference); DataLoss for a corrupt
  // checkpoint or a records file that does not match it; PermissionDenied
  // when a file cannot be written. `game`, `features` and `options` must
  // outlive this object.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<LongRun>> from_flags(
      const Game& game, const FeatureSet& features, SimulationOptions& options);
  LongRun(const LongRun&) = delete;
  LongRun& operator=(const LongRun&) = delete;

  // Completes `result` after the run: adds a resumed run's earlier games (so
  // that it reads as the whole run) and closes the records file. Errors of
  // the records file.
  [[nodiscard]] absl::Status finish(SimulationResult& result);

  // Whether `status`, a failed run's error, came from the records file or a
  // checkpoint write (an I/O failure, not bad input).
  bool caused(const absl::Status& status) const;

  // After an interrupted run: where the checkpoint is and the command that
  // resumes it; empty without --checkpoint.
  std::string resume_hint() const;

 private:
  // Passes records to the file, noting its first error for caused().
  class RecordsSink final : public GameRecordSink {
   public:
    explicit RecordsSink(LongRun& run) : run_(run) {}
    absl::Status write(const GameRecord& record) override;

   private:
    LongRun& run_;
  };

  LongRun(const Game& game, const FeatureSet& features,
          const SimulationOptions& options);
  absl::Status start_resumed(const std::string& resume_path,
                             SimulationOptions& options);
  absl::Status open_records(SimulationOptions& options);
  absl::Status save_checkpoint(const SimulationCounts& so_far,
                               std::uint64_t next_game_index);

  RecordFileHeader header_;
  std::string checkpoint_path_;
  std::string records_path_;
  // A resumed run's checkpoint: its games come before this session's.
  std::optional<Checkpoint> resumed_;
  std::unique_ptr<RecordFileWriter> records_;
  RecordsSink sink_{*this};
  std::uint64_t saved_index_ = 0;  // of the last checkpoint written
  absl::Status io_error_;  // the first error of the sink or a checkpoint
};

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_LONG_RUN_H_
