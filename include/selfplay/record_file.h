// Game records in a file (`.sprec`): a versioned header that names the run
// (game, players, seed, features, action kinds), then one checksummed block
// per game in index order. docs/records.md specifies the bytes.
//
//   absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
//       RecordFileWriter::create("games.sprec",
//                                make_record_file_header(game, features,
//                                                        options));
//   options.records = writer->get();
//   absl::StatusOr<SimulationResult> result =
//       run_simulations(game, features, options);
//   absl::Status closed = (*writer)->close();
//
//   absl::StatusOr<RecordFileReader> reader =
//       RecordFileReader::open("games.sprec");
//   GameRecord record;
//   for (absl::StatusOr<bool> more = reader->next(record); ;
//        more = reader->next(record)) {
//     if (!more.ok()) { /* corrupt or truncated: the games so far are good */ }
//     if (!*more) break;
//     ...
//   }
//
// Readers take untrusted bytes: a corrupt, truncated or foreign file gives a
// DataLoss error naming the byte offset, never a crash or an allocation
// larger than a game block.
#ifndef SELFPLAY_RECORD_FILE_H_
#define SELFPLAY_RECORD_FILE_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/logistic_model.h"
#include "selfplay/records.h"
#include "selfplay/run_config.h"
#include "selfplay/simulation.h"

namespace selfplay {

inline constexpr std::uint32_t kRecordFormatVersion = 1;

// Everything about the run that a record file's games need to be read and
// turned back into the run's statistics.
struct RecordFileHeader {
  // The run's configuration, but for its game timeout, which the file does
  // not hold: config.timeout_ms reads back as 0 and is not compared.
  RunConfig config;
  // config.features with the descriptions and categories reports print.
  std::vector<FeatureInfo> features;

  bool operator==(const RecordFileHeader&) const;
};

// The header for running `game` with `features` and `options`
// (run_config_for and the features' infos).
RecordFileHeader make_record_file_header(const Game& game,
                                         const FeatureSet& features,
                                         const SimulationOptions& options);

// Where the games of a file end: what a checkpoint keeps so that a file can
// be continued after a crash.
struct RecordFilePosition {
  std::uint64_t bytes = 0;  // the file's length up to the end of the last game
  std::uint64_t games = 0;  // games before that point
  // Where the last game's block starts (the header's end when no games).
  std::uint64_t last_game_offset = 0;

  bool operator==(const RecordFilePosition&) const = default;
};

// Writes a record file. A GameRecordSink, so a run can write into it
// directly. Not thread-safe (the run calls write() from one thread at a
// time). Output is buffered: call sync() or close() to know it is on disk.
class RecordFileWriter final : public GameRecordSink {
 public:
  // Creates `path` (replacing any file there) and writes the header.
  // InvalidArgument when header.features are not config.features;
  // PermissionDenied naming the path when it cannot be created or written.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RecordFileWriter>> create(
      const std::string& path, const RecordFileHeader& header);

  // Continues a file written up to `position`, whose last game there is
  // `last_game_index`: checks the file's header equals `header` and that a
  // valid block of that game ends at position.bytes, cuts off anything after
  // it (games written after the checkpoint, a block half-written by a
  // crash), and appends from there. FailedPrecondition when the header
  // differs; DataLoss when the file is shorter or does not match.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RecordFileWriter>> resume(
      const std::string& path, const RecordFileHeader& header,
      const RecordFilePosition& position, std::uint64_t last_game_index);

  // Closes the file; what is still buffered is written, errors are lost
  // (call close() to see them).
  ~RecordFileWriter() override;
  RecordFileWriter(const RecordFileWriter&) = delete;
  RecordFileWriter& operator=(const RecordFileWriter&) = delete;

  // Appends a game. InvalidArgument when the record does not fit the header
  // (players, action kinds, feature width) or its index is not above the
  // previous game's; PermissionDenied/ResourceExhausted on a write error.
  [[nodiscard]] absl::Status write(const GameRecord& record) override;

  // Writes what is buffered and waits until it is on disk (fdatasync).
  // Returns the position of every game written so far.
  [[nodiscard]] absl::StatusOr<RecordFilePosition> sync();

  // sync(), then closes the file.
  [[nodiscard]] absl::Status close();

  // The position of the games written so far, buffered ones included.
  const RecordFilePosition& position() const { return position_; }

 private:
  RecordFileWriter(const std::string& path, int fd,
                   const RecordFileHeader& header, RecordFilePosition position,
                   std::uint64_t next_index);
  absl::Status flush();

  std::string path_;
  int fd_;
  RecordFileHeader header_;
  RecordFilePosition position_;
  std::uint64_t next_index_;  // the smallest index the next game may have
  std::string payload_;       // the game being encoded
  std::string buffer_;        // blocks not yet written
};

// Reads a record file front to back. Not thread-safe.
class RecordFileReader {
 public:
  // Opens `path` and reads its header. NotFound / PermissionDenied when the
  // file cannot be opened; DataLoss when it is not a record file of this
  // format version or its header is corrupt.
  [[nodiscard]] static absl::StatusOr<RecordFileReader> open(
      const std::string& path);
  // The same for a file's bytes held in memory.
  [[nodiscard]] static absl::StatusOr<RecordFileReader> from_bytes(
      std::string bytes);

  const RecordFileHeader& header() const { return header_; }

  // Reads the next game into `record` (its buffers are reused): true, or
  // false at the end of the file. DataLoss naming the byte offset when the
  // file ends inside a block or a block is corrupt (bad checksum, a value out
  // of the header's ranges, an index not above the previous one); the games
  // read before are a consistent prefix, and every later call returns the
  // same error.
  [[nodiscard]] absl::StatusOr<bool> next(GameRecord& record);

  // The position of the games read so far.
  const RecordFilePosition& position() const { return position_; }

 private:
  RecordFileReader(std::unique_ptr<std::istream> in, std::string name);
  absl::Status read_header();
  absl::Status fail(absl::Status status);

  std::unique_ptr<std::istream> in_;
  std::string name_;  // for messages
  std::uint64_t size_ = 0;
  RecordFileHeader header_;
  RecordFilePosition position_;
  std::uint64_t next_index_ = 0;
  std::string payload_;
  absl::Status error_;
};

// The statistics of the run that wrote the file, recomputed from its games
// read to the end (with a summary of each when `keep_games`): what
// run_simulations returned, timing aside (the timing is the read's).
// DataLoss for a corrupt or truncated file, or one with more games than its
// run asked for.
[[nodiscard]] absl::StatusOr<SimulationResult> result_from_records(
    RecordFileReader& reader, bool keep_games = false);

// Every game of `reader` in turn, read to the end. DataLoss for a corrupt or
// truncated file; the first error `visit` returns stops the reading.
[[nodiscard]] absl::Status for_each_record(
    RecordFileReader& reader,
    absl::FunctionRef<absl::Status(const GameRecord&)> visit);

// The decisions of `reader`'s games as CSV (RFC 4180, fields quoted where
// needed), one row per decision: game_index, seed, status, decision, player,
// outcome (1 win, 0 loss, 0.5 draw or shared win, empty when the game did not
// complete), taken and available action kinds, then one 0/1 column per
// feature. DataLoss for a corrupt file; Unavailable when `out` fails.
[[nodiscard]] absl::Status write_decisions_csv(RecordFileReader& reader,
                                               std::ostream& out);

// The joint logistic model (selfplay/logistic_model.h) of the outcome on the
// features of the records file at `path`, read twice and never held in
// memory. The file's errors, or DataLoss when it changes between the reads.
[[nodiscard]] absl::StatusOr<LogisticFit> fit_records(
    const std::string& path, const LogisticOptions& options);

}  // namespace selfplay

#endif  // SELFPLAY_RECORD_FILE_H_
