// Long runs: a simulation that keeps its games in a records file, saves
// checkpoints while it plays, can be stopped (SimulationOptions::stop) and
// resumed later with the result of the uninterrupted run. What `selfplay
// simulate --records / --checkpoint / --resume` does.
//
//   LongRunOptions keep = {.records = "run.sprec",
//                          .checkpoint = "run.ckpt",
//                          .checkpoint_every = 10000};
//   // later, after a stop or a crash: {.checkpoint = "run.ckpt",
//   //                                  .resume = "run.ckpt"}
//   absl::StatusOr<std::unique_ptr<LongRun>> run =
//       LongRun::start(game, features, keep, options);  // sets the records
//       // sink, the checkpoint callback and, when resuming, options.ranges
//   absl::StatusOr<SimulationResult> result =
//       run_simulations(game, features, options);
//   absl::Status done = (*run)->finish(*result);  // adds a resumed run's
//                                                 // earlier games
//
// Resuming plays the games from the checkpoint's index on and adds the
// checkpoint's tallies, so the result is that of the uninterrupted run; the
// records file continues where the checkpoint says it ended (what a crash
// wrote after that point is cut off), and later checkpoints go to
// `checkpoint`, or else to the file resumed from. Files are written
// atomically (a crash leaves the previous checkpoint or the new one). The
// run must play in this process (run_simulations): isolated workers and MPI
// ranks keep no records.
#ifndef SELFPLAY_LONG_RUN_H_
#define SELFPLAY_LONG_RUN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/record_file.h"
#include "selfplay/simulation.h"

namespace selfplay {

struct Checkpoint;  // records/checkpoint.h

struct LongRunOptions {
  std::string records;     // the records file to write; empty: none
  std::string checkpoint;  // where checkpoints go; empty: none, or `resume`
  std::uint64_t checkpoint_every = 10000;  // games between checkpoints
  std::string resume;  // a checkpoint to continue; empty: a new run
};

class LongRun {
 public:
  // Prepares `options` (records sink, checkpoint callback, and the remaining
  // game range when resuming). With no file named, changes nothing.
  // InvalidArgument for options that do not fit together; FailedPrecondition
  // when `resume`'s checkpoint was written with other settings (naming the
  // first difference); DataLoss for a corrupt checkpoint or a records file
  // that does not match it; PermissionDenied when a file cannot be written.
  // `game`, `features` and `options` must outlive this object.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<LongRun>> start(
      const Game& game, const FeatureSet& features, const LongRunOptions& files,
      SimulationOptions& options);
  ~LongRun();
  LongRun(const LongRun&) = delete;
  LongRun& operator=(const LongRun&) = delete;

  // Completes `result` after the run: adds a resumed run's earlier games (so
  // that it reads as the whole run) and closes the records file. Errors of
  // the records file.
  [[nodiscard]] absl::Status finish(SimulationResult& result);

  // Whether `status`, a failed run's error, came from the records file or a
  // checkpoint write (an I/O failure, not bad input).
  bool caused(const absl::Status& status) const;

  // When resuming: the index of the first game this session plays.
  std::optional<std::uint64_t> resumed_at() const;
  // Where checkpoints go (empty: none) and how many games the last one
  // saved.
  const std::string& checkpoint_path() const { return checkpoint_path_; }
  std::uint64_t saved_games() const { return saved_index_; }

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
  absl::Status save_checkpoint(const SimulationCounts& so_far,
                               std::uint64_t next_game_index);

  RecordFileHeader header_;
  std::string checkpoint_path_;
  std::string records_path_;
  // A resumed run's checkpoint: its games come before this session's.
  std::unique_ptr<Checkpoint> resumed_;
  std::unique_ptr<RecordFileWriter> records_;
  RecordsSink sink_{*this};
  std::uint64_t saved_index_ = 0;  // of the last checkpoint written
  absl::Status io_error_;  // the first error of the sink or a checkpoint
};

}  // namespace selfplay

#endif  // SELFPLAY_LONG_RUN_H_
