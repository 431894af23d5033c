#include "cli/long_run.h"

#include <cstdio>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/isolated_execution.h"
#include "cli/mpi_launcher.h"
#include "cli/output_file.h"

ABSL_FLAG(std::string, records, "",
          "write every game's record (decisions, features, actions) to this "
          "file in game order while the run goes on; see docs/records.md");
ABSL_FLAG(std::string, checkpoint, "",
          "save the run's state to this file atomically, so that --resume can "
          "continue it: simulate every --checkpoint-every games and when "
          "interrupted, train after every iteration");
ABSL_FLAG(std::uint64_t, checkpoint_every, 10000,
          "games between checkpoints (with --checkpoint)");
ABSL_FLAG(std::string, resume, "",
          "continue the run saved in this checkpoint; the settings that decide "
          "the result (simulate: --game, --players, --games, --seed, "
          "--max-actions, --timeout-ms, --features; train: every flag that "
          "shapes the model, all but --threads, --out, --progress and "
          "--checkpoint) must be the checkpoint's");

ABSL_DECLARE_FLAG(std::vector<std::string>, game_lib);

namespace selfplay::cli {
absl::Status LongRun::RecordsSink::write(const GameRecord& record) {
  absl::Status status = run_.records_->write(record);
  if (!status.ok() && run_.io_error_.ok()) run_.io_error_ = status;
  return status;
}

LongRun::LongRun(const Game& game, const FeatureSet& features,
                 const SimulationOptions& options)
    : header_(make_record_file_header(game, features, options)) {}

absl::StatusOr<std::unique_ptr<LongRun>> LongRun::from_flags(
    const Game& game, const FeatureSet& features, SimulationOptions& options) {
  std::unique_ptr<LongRun> run(new LongRun(game, features, options));
  const std::string checkpoint = absl::GetFlag(FLAGS_checkpoint);
  const std::string resume = absl::GetFlag(FLAGS_resume);
  run->records_path_ = absl::GetFlag(FLAGS_records);
  if (run->records_path_.empty() && checkpoint.empty() && resume.empty()) {
    return run;
  }
  if (isolation_requested() || detect_mpi_launcher().detected) {
    return absl::InvalidArgumentError(
        "--records, --checkpoint and --resume need the run in this one "
        "process: not with --isolate or under MPI");
  }
  if (options.keep_game_summaries && (!checkpoint.empty() || !resume.empty())) {
    return absl::InvalidArgumentError(
        "--keep-games cannot be combined with --checkpoint or --resume: a "
        "checkpoint keeps tallies, not game summaries");
  }
  const std::uint64_t every = absl::GetFlag(FLAGS_checkpoint_every);
  if (every < 1) {
    return absl::InvalidArgumentError("--checkpoint-every must be at least 1");
  }
  run->checkpoint_path_ = checkpoint.empty() ? resume : checkpoint;
  if (!checkpoint.empty()) {
    if (absl::Status status = check_writable(checkpoint, Streams::kRefused);
        !status.ok()) {
      return status;
    }
  }
  if (!resume.empty()) {
    if (absl::Status status = run->start_resumed(resume, options);
        !status.ok()) {
      return status;
    }
  } else if (!run->records_path_.empty()) {
    absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
        RecordFileWriter::create(run->records_path_, run->header_);
    if (!writer.ok()) return writer.status();
    run->records_ = *std::move(writer);
  }
  if (run->records_ != nullptr) options.records = &run->sink_;
  if (!run->checkpoint_path_.empty()) {
    options.checkpoint = [run = run.get()](const SimulationCounts& so_far,
                                           std::uint64_t next_game_index) {
      return run->save_checkpoint(so_far, next_game_index);
    };
    options.checkpoint_every = every;
  }
  return run;
}

absl::Status LongRun::start_resumed(const std::string& resume_path,
                                    SimulationOptions& options) {
  absl::StatusOr<Checkpoint> checkpoint = read_checkpoint(resume_path);
  if (!checkpoint.ok()) return checkpoint.status();
  if (absl::Status status =
          compare_run_configs(checkpoint->config, header_.config, kResumeSides);
      !status.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("--resume ", resume_path, ": ", status.message()));
  }
  const std::uint64_t next = checkpoint->next_game_index;
  if (records_path_.empty() && checkpoint->records) {
    records_path_ = checkpoint->records->path;
  }
  if (!records_path_.empty()) {
    if (!checkpoint->records) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--records: the checkpoint's run kept no records, so a records file "
          "would miss its first ",
          next, " games; resume without --records"));
    }
    absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
        RecordFileWriter::resume(records_path_, header_,
                                 checkpoint->records->position,
                                 next == 0 ? 0 : next - 1);
    if (!writer.ok()) return writer.status();
    records_ = *std::move(writer);
  }
  options.ranges = {{next, header_.config.games}};
  saved_index_ = next;
  std::fprintf(stderr, "selfplay simulate: resuming %s at game %llu of %llu\n",
               resume_path.c_str(), static_cast<unsigned long long>(next),
               static_cast<unsigned long long>(header_.config.games));
  resumed_ = *std::move(checkpoint);
  return absl::OkStatus();
}

absl::Status LongRun::save_checkpoint(const SimulationCounts& so_far,
                                      std::uint64_t next_game_index) {
  Checkpoint checkpoint;
  checkpoint.config = header_.config;
  checkpoint.next_game_index = next_game_index;
  checkpoint.counts = resumed_ ? resumed_->counts : so_far;
  if (resumed_) checkpoint.counts.merge(so_far);
  absl::Status status;
  if (records_ != nullptr) {
    // The records must be on disk before a checkpoint says where they end.
    absl::StatusOr<RecordFilePosition> position = records_->sync();
    if (position.ok()) {
      checkpoint.records = RecordsCheckpoint{records_path_, *position};
    } else {
      status = position.status();
    }
  }
  // Atomic (temporary file, fsync, rename, directory fsync): a crash leaves
  // the previous checkpoint or this one, never a mix.
  if (status.ok()) {
    status = write_file_atomically(
        checkpoint_path_, serialize_checkpoint(checkpoint), Streams::kRefused);
  }
  if (!status.ok()) {
    if (io_error_.ok()) io_error_ = status;
    return status;
  }
  saved_index_ = next_game_index;
  return absl::OkStatus();
}

absl::Status LongRun::finish(SimulationResult& result) {
  if (records_ != nullptr) {
    absl::Status status = records_->close();
    records_.reset();
    if (!status.ok()) return status;
  }
  if (resumed_) {
    result.counts.merge(resumed_->counts);
    result.requested = header_.config.games;
    result.cancelled = result.requested - result.counts.games;
  }
  return absl::OkStatus();
}

bool LongRun::caused(const absl::Status& status) const {
  return !io_error_.ok() && status == io_error_;
}

std::string LongRun::resume_hint() const {
  if (checkpoint_path_.empty()) return "";
  const RunConfig& config = header_.config;
  std::string command =
      absl::StrCat("selfplay simulate --game ", config.game, " --players ",
                   config.players, " --games ", config.games, " --seed ",
                   config.seed, " --max-actions ", config.max_actions);
  if (config.timeout_ms != 0) {
    absl::StrAppend(&command, " --timeout-ms ", config.timeout_ms);
  }
  if (config.features.empty()) absl::StrAppend(&command, " --nofeatures");
  const std::vector<std::string> libraries = absl::GetFlag(FLAGS_game_lib);
  if (!libraries.empty()) {
    absl::StrAppend(&command, " --game-lib ", absl::StrJoin(libraries, ","));
  }
  absl::StrAppend(&command, " --resume ", checkpoint_path_);
  return absl::StrCat("the first ", saved_index_, " games are saved in ",
                      checkpoint_path_, "; resume with\n  ", command, "\n");
}

}  // namespace selfplay::cli
