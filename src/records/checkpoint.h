// A run's state at a game index (`simulate --checkpoint`), saved so that the
// run can go on after an interruption or a crash with exactly the result it
// would have had. A checkpoint holds the settings that determine the result,
// the index below which every game is done, those games' tallies, and where
// the records file (if any) ends at that index. docs/records.md specifies
// the bytes.
//
//   Checkpoint checkpoint{config, next_game_index, counts, records};
//   std::string bytes = serialize_checkpoint(checkpoint);  // write atomically
//   absl::StatusOr<Checkpoint> back = read_checkpoint("run.ckpt");
//   absl::Status same = compare_run_configs(back->config, config,
//                                           kResumeSides);
#ifndef SELFPLAY_RECORDS_CHECKPOINT_H_
#define SELFPLAY_RECORDS_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "selfplay/counts.h"
#include "selfplay/record_file.h"
#include "selfplay/run_config.h"

namespace selfplay {

// 2: the tallies carry the per-game sums of game-clustered statistics (counts
// format 2); a version 1 checkpoint cannot be resumed into them.
inline constexpr std::uint32_t kCheckpointFormatVersion = 2;

// How a refused resume names the two runs: "--seed: the checkpoint's run
// used 7, this command 8; resume with the same settings, or start a new run".
inline constexpr RunConfigSides kResumeSides = {
    "the checkpoint's run", "this command",
    "resume with the same settings, or start a new run"};

struct RecordsCheckpoint {
  std::string path;  // as given to --records
  RecordFilePosition position;

  bool operator==(const RecordsCheckpoint&) const = default;
};

struct Checkpoint {
  RunConfig config;
  // Every game below it is played and tallied in `counts`; none above it.
  std::uint64_t next_game_index = 0;
  SimulationCounts counts;
  std::optional<RecordsCheckpoint> records;

  bool operator==(const Checkpoint&) const = default;
};

// The file framing every kind of checkpoint shares (docs/records.md): a
// magic that names the kind, the format version, the payload's length, the
// payload and its CRC-32.
enum class CheckpointKind { kSimulate, kTrain };

std::string frame_checkpoint(CheckpointKind kind, std::uint32_t version,
                             std::string_view payload);

// The payload of a framed checkpoint of `kind` and `version`. DataLoss for
// bytes that are no checkpoint, a checkpoint of the other kind (naming the
// command that resumes it), another version, or a length or checksum that
// does not hold. The view points into `bytes`.
[[nodiscard]] absl::StatusOr<std::string_view> checkpoint_payload(
    std::string_view bytes, CheckpointKind kind, std::uint32_t version);

// The bytes of the file at `path`, read in pieces so that memory follows the
// file's size. NotFound when it cannot be read; DataLoss when it is larger
// than `max_bytes`.
[[nodiscard]] absl::StatusOr<std::string> read_checkpoint_file(
    const std::string& path, std::uint64_t max_bytes);

// The file at `path` (read_checkpoint_file) parsed by `parse`, whose
// DataLoss comes back naming the file.
template <typename Parse>
auto read_checkpoint_with(const std::string& path, std::uint64_t max_bytes,
                          Parse parse) -> decltype(parse(std::string_view())) {
  absl::StatusOr<std::string> bytes = read_checkpoint_file(path, max_bytes);
  if (!bytes.ok()) return bytes.status();
  auto parsed = parse(std::string_view(*bytes));
  if (!parsed.ok()) {
    return absl::DataLossError(
        absl::StrCat("checkpoint '", path, "': ", parsed.status().message()));
  }
  return parsed;
}

std::string serialize_checkpoint(const Checkpoint& checkpoint);

// DataLoss when `bytes` are not one checkpoint of this format version with a
// valid checksum, or its parts disagree (counts shaped for other settings,
// counts.games != next_game_index, next_game_index > games, a records
// position holding another number of games).
[[nodiscard]] absl::StatusOr<Checkpoint> parse_checkpoint(
    std::string_view bytes);

// NotFound / PermissionDenied when it cannot be read; parse_checkpoint's
// errors, prefixed with the path.
[[nodiscard]] absl::StatusOr<Checkpoint> read_checkpoint(
    const std::string& path);

}  // namespace selfplay

#endif  // SELFPLAY_RECORDS_CHECKPOINT_H_
