#include "records/checkpoint.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "records/crc32.h"
#include "simulation/binary_io.h"
#include "simulation/counts_codec.h"
#include "simulation/run_config_codec.h"

namespace selfplay {
namespace {

// "\x89SPCKPT\n" and "\x89SPTRCK\n", in the manner of the record files'
// magic: per kind, the magic and the command that resumes it.
struct KindInfo {
  char magic[8];
  const char* command;
};
constexpr KindInfo kKinds[] = {
    {{'\x89', 'S', 'P', 'C', 'K', 'P', 'T', '\n'}, "selfplay simulate"},
    {{'\x89', 'S', 'P', 'T', 'R', 'C', 'K', '\n'}, "selfplay train"},
};
constexpr std::size_t kMagicBytes = 8;
// Magic, version, payload length; the payload; its CRC-32.
constexpr std::size_t kPrefixBytes = kMagicBytes + 4 + 8;
// Far above any real checkpoint (a few kilobytes of tallies and settings).
constexpr std::uint64_t kMaxCheckpointBytes = 64 << 20;

const KindInfo& info(CheckpointKind kind) {
  return kKinds[static_cast<int>(kind)];
}

std::uint32_t u32_at(const char* bytes) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]))
             << (8 * i);
  }
  return value;
}

absl::Status check_consistent(const Checkpoint& checkpoint) {
  const RunConfig& config = checkpoint.config;
  const SimulationCounts& counts = checkpoint.counts;
  if (!run_config_in_range(config)) {
    return absl::DataLossError("the checkpoint's settings are out of range");
  }
  if (counts.seats.size() != static_cast<std::size_t>(config.players) ||
      counts.features.size() != config.features.size() ||
      counts.actions.size() != config.action_kinds.size() ||
      counts.failure_cap != config.failure_cap) {
    return absl::DataLossError(
        "the checkpoint's tallies are shaped for another run");
  }
  if (checkpoint.next_game_index > config.games ||
      counts.games != checkpoint.next_game_index) {
    return absl::DataLossError(absl::StrCat(
        "the checkpoint holds ", counts.games, " games below game ",
        checkpoint.next_game_index, " of ", config.games));
  }
  if (checkpoint.records &&
      checkpoint.records->position.games != checkpoint.next_game_index) {
    return absl::DataLossError(
        absl::StrCat("the checkpoint's records file holds ",
                     checkpoint.records->position.games, " games, not ",
                     checkpoint.next_game_index));
  }
  return absl::OkStatus();
}

}  // namespace

std::string frame_checkpoint(CheckpointKind kind, std::uint32_t version,
                             std::string_view payload) {
  BinaryWriter file;
  for (char byte : info(kind).magic) file.u8(static_cast<std::uint8_t>(byte));
  file.u32(version);
  file.u64(payload.size());
  std::string bytes = std::move(file).bytes();
  bytes.append(payload);
  BinaryWriter checksum;
  checksum.u32(crc32(payload));
  return bytes + checksum.bytes();
}

absl::StatusOr<std::string_view> checkpoint_payload(std::string_view bytes,
                                                    CheckpointKind kind,
                                                    std::uint32_t version) {
  // Shorter than the prefix and checksum: refused before the length check,
  // which would wrap.
  if (bytes.size() < kPrefixBytes + 4) {
    return absl::DataLossError("not a selfplay checkpoint");
  }
  if (std::memcmp(bytes.data(), info(kind).magic, kMagicBytes) != 0) {
    for (const KindInfo& other : kKinds) {
      if (std::memcmp(bytes.data(), other.magic, kMagicBytes) == 0) {
        return absl::DataLossError(absl::StrCat(
            "a checkpoint of ", other.command, ", not of ", info(kind).command,
            ": resume it with ", other.command, " --resume"));
      }
    }
    return absl::DataLossError("not a selfplay checkpoint");
  }
  BinaryReader prefix(bytes.substr(kMagicBytes, 12));
  const std::uint32_t found = prefix.u32();
  const std::uint64_t length = prefix.u64();
  if (found != version) {
    return absl::DataLossError(
        absl::StrCat("a checkpoint of format version ", found,
                     "; this selfplay reads version ", version));
  }
  if (length != bytes.size() - kPrefixBytes - 4) {
    return absl::DataLossError(absl::StrCat(
        "the checkpoint is ", bytes.size(), " bytes; its header says ",
        length + kPrefixBytes + 4, " (truncated or extended)"));
  }
  const std::string_view payload = bytes.substr(kPrefixBytes, length);
  if (crc32(payload) != u32_at(bytes.data() + kPrefixBytes + length)) {
    return absl::DataLossError("the checkpoint fails its checksum");
  }
  return payload;
}

absl::StatusOr<std::string> read_checkpoint_file(const std::string& path,
                                                 std::uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read checkpoint '", path, "'"));
  }
  std::string bytes;
  std::string piece(1 << 20, '\0');
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) ||
         in.gcount() > 0) {
    bytes.append(piece, 0, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > max_bytes) {
      return absl::DataLossError(
          absl::StrCat("checkpoint '", path, "': larger than any checkpoint"));
    }
  }
  return bytes;
}

std::string serialize_checkpoint(const Checkpoint& checkpoint) {
  BinaryWriter payload;
  write_run_config(checkpoint.config, payload);
  payload.u64(checkpoint.next_game_index);
  payload.u8(checkpoint.records.has_value());
  if (checkpoint.records) {
    payload.string(checkpoint.records->path);
    payload.u64(checkpoint.records->position.bytes);
    payload.u64(checkpoint.records->position.games);
    payload.u64(checkpoint.records->position.last_game_offset);
  }
  payload.string(serialize_counts(checkpoint.counts));

  return frame_checkpoint(CheckpointKind::kSimulate, kCheckpointFormatVersion,
                          payload.bytes());
}

absl::StatusOr<Checkpoint> parse_checkpoint(std::string_view bytes) {
  absl::StatusOr<std::string_view> payload = checkpoint_payload(
      bytes, CheckpointKind::kSimulate, kCheckpointFormatVersion);
  if (!payload.ok()) return payload.status();
  BinaryReader reader(*payload);
  Checkpoint checkpoint;
  checkpoint.config = read_run_config(reader);
  checkpoint.next_game_index = reader.u64();
  const std::uint8_t has_records = reader.u8();
  if (has_records == 1) {
    RecordsCheckpoint records;
    records.path = reader.string();
    records.position.bytes = reader.u64();
    records.position.games = reader.u64();
    records.position.last_game_offset = reader.u64();
    checkpoint.records = std::move(records);
  }
  const std::string counts = reader.string();
  if (!reader.ok() || !reader.at_end() || has_records > 1) {
    return absl::DataLossError("the checkpoint's fields do not fit its length");
  }
  absl::StatusOr<SimulationCounts> parsed = parse_counts(counts);
  if (!parsed.ok()) return parsed.status();
  checkpoint.counts = *std::move(parsed);
  if (absl::Status status = check_consistent(checkpoint); !status.ok()) {
    return status;
  }
  return checkpoint;
}

absl::StatusOr<Checkpoint> read_checkpoint(const std::string& path) {
  return read_checkpoint_with(path, kMaxCheckpointBytes, parse_checkpoint);
}

}  // namespace selfplay
