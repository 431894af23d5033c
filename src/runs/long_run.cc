#include "selfplay/long_run.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "io/output_file.h"
#include "records/checkpoint.h"

namespace selfplay {

absl::Status LongRun::RecordsSink::write(const GameRecord& record) {
  absl::Status status = run_.records_->write(record);
  if (!status.ok() && run_.io_error_.ok()) run_.io_error_ = status;
  return status;
}

LongRun::LongRun(const Game& game, const FeatureSet& features,
                 const SimulationOptions& options)
    : header_(make_record_file_header(game, features, options)) {}

LongRun::~LongRun() = default;

absl::StatusOr<std::unique_ptr<LongRun>> LongRun::start(
    const Game& game, const FeatureSet& features, const LongRunOptions& files,
    SimulationOptions& options) {
  std::unique_ptr<LongRun> run(new LongRun(game, features, options));
  const std::string& checkpoint = files.checkpoint;
  const std::string& resume = files.resume;
  run->records_path_ = files.records;
  if (run->records_path_.empty() && checkpoint.empty() && resume.empty()) {
    return run;
  }
  if (options.keep_game_summaries && (!checkpoint.empty() || !resume.empty())) {
    return absl::InvalidArgumentError(
        "--keep-games cannot be combined with --checkpoint or --resume: a "
        "checkpoint keeps tallies, not game summaries");
  }
  const std::uint64_t every = files.checkpoint_every;
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
  resumed_ = std::make_unique<Checkpoint>(*std::move(checkpoint));
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

std::optional<std::uint64_t> LongRun::resumed_at() const {
  if (resumed_ == nullptr) return std::nullopt;
  return resumed_->next_game_index;
}

}  // namespace selfplay
