#include "isolation/protocol.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "simulation/binary_io.h"
#include "simulation/counts_codec.h"
#include "simulation/run_config_codec.h"

namespace selfplay::isolation {
namespace {

constexpr std::uint32_t kMagic = 0x57495053;  // "SPIW" in little-endian
constexpr int kMaxThreads = 4096;

bool is_message_type(std::uint16_t type) {
  return type >= static_cast<std::uint16_t>(MessageType::kSetup) &&
         type <= static_cast<std::uint16_t>(MessageType::kError);
}

// A whole message read cleanly, or DataLoss naming it.
absl::Status finish(const BinaryReader& reader, const char* message) {
  if (!reader.ok()) {
    return absl::DataLossError(absl::StrCat("truncated ", message, " message"));
  }
  if (!reader.at_end()) {
    return absl::DataLossError(
        absl::StrCat("trailing bytes after a ", message, " message"));
  }
  return absl::OkStatus();
}

// `value` as an int in [min, max], or nullopt.
std::optional<int> bounded_int(std::uint64_t value, int min, int max) {
  if (value < static_cast<std::uint64_t>(min) ||
      value > static_cast<std::uint64_t>(max)) {
    return std::nullopt;
  }
  return static_cast<int>(value);
}

std::uint64_t to_nanoseconds(absl::Duration duration) {
  if (duration <= absl::ZeroDuration() ||
      duration == absl::InfiniteDuration()) {
    return 0;
  }
  return static_cast<std::uint64_t>(absl::ToInt64Nanoseconds(duration));
}

// A duration as sent, or nullopt for one longer than absl::Duration's
// nanosecond range (no sender writes that).
std::optional<absl::Duration> from_nanoseconds(std::uint64_t nanoseconds) {
  if (nanoseconds >
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return absl::Nanoseconds(static_cast<std::int64_t>(nanoseconds));
}

}  // namespace

std::string encode_frame(MessageType type, std::string_view payload) {
  BinaryWriter writer;
  writer.u32(kMagic);
  writer.u16(kProtocolVersion);
  writer.u16(static_cast<std::uint16_t>(type));
  writer.u32(static_cast<std::uint32_t>(payload.size()));
  std::string frame = std::move(writer).bytes();
  frame.append(payload);
  return frame;
}

void FrameDecoder::append(std::string_view bytes) {
  // Drop the frames already returned before the buffer grows.
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

absl::StatusOr<std::optional<Frame>> FrameDecoder::next() {
  const std::string_view rest = std::string_view(buffer_).substr(start_);
  if (rest.size() < kFrameHeaderBytes) return std::nullopt;
  BinaryReader header(rest.substr(0, kFrameHeaderBytes));
  const std::uint32_t magic = header.u32();
  const std::uint16_t version = header.u16();
  const std::uint16_t type = header.u16();
  const std::uint32_t size = header.u32();
  if (magic != kMagic) {
    return absl::DataLossError("a message does not start with the magic");
  }
  if (version != kProtocolVersion) {
    return absl::DataLossError(absl::StrCat("protocol version ", version,
                                            ", expected ", kProtocolVersion));
  }
  if (!is_message_type(type)) {
    return absl::DataLossError(absl::StrCat("unknown message type ", type));
  }
  if (size > kMaxPayloadBytes) {
    return absl::DataLossError(
        absl::StrCat("a message claims ", size, " bytes"));
  }
  if (rest.size() - kFrameHeaderBytes < size) return std::nullopt;
  Frame frame{static_cast<MessageType>(type),
              std::string(rest.substr(kFrameHeaderBytes, size))};
  start_ += kFrameHeaderBytes + size;
  return frame;
}

std::string encode_setup(const WorkerSetup& setup) {
  BinaryWriter writer;
  write_run_config(setup.config, writer);
  writer.u64(static_cast<std::uint64_t>(setup.feature_cache_entries));
  writer.u64(static_cast<std::uint64_t>(setup.threads));
  writer.u8(setup.keep_game_summaries ? 1 : 0);
  writer.u64(static_cast<std::uint64_t>(setup.batch_size));
  writer.u64(to_nanoseconds(setup.progress_interval));
  return std::move(writer).bytes();
}

absl::StatusOr<WorkerSetup> parse_setup(std::string_view payload) {
  constexpr int kIntMax = std::numeric_limits<int>::max();
  BinaryReader reader(payload);
  WorkerSetup setup;
  setup.config = read_run_config(reader);
  const std::optional<int> cache = bounded_int(reader.u64(), 0, kIntMax);
  const std::optional<int> threads = bounded_int(reader.u64(), 1, kMaxThreads);
  const std::uint8_t keep = reader.u8();
  const std::optional<int> batch = bounded_int(reader.u64(), 0, kIntMax);
  const std::optional<absl::Duration> interval = from_nanoseconds(reader.u64());
  if (absl::Status status = finish(reader, "setup"); !status.ok()) {
    return status;
  }
  if (!run_config_in_range(setup.config) || !cache || !threads || keep > 1 ||
      !batch || !interval) {
    return absl::DataLossError("a setup message holds an impossible setting");
  }
  setup.progress_interval = *interval;
  setup.feature_cache_entries = *cache;
  setup.threads = *threads;
  setup.keep_game_summaries = keep == 1;
  setup.batch_size = *batch;
  return setup;
}

std::string encode_chunk(GameIndexRange range) {
  BinaryWriter writer;
  writer.u64(range.begin);
  writer.u64(range.end);
  return std::move(writer).bytes();
}

absl::StatusOr<GameIndexRange> parse_chunk(std::string_view payload) {
  BinaryReader reader(payload);
  GameIndexRange range;
  range.begin = reader.u64();
  range.end = reader.u64();
  if (absl::Status status = finish(reader, "chunk"); !status.ok()) {
    return status;
  }
  if (range.begin > range.end) {
    return absl::DataLossError(
        absl::StrCat("chunk [", range.begin, ", ", range.end, ") is reversed"));
  }
  return range;
}

std::string encode_progress(std::uint64_t finished) {
  BinaryWriter writer;
  writer.u64(finished);
  return std::move(writer).bytes();
}

absl::StatusOr<std::uint64_t> parse_progress(std::string_view payload) {
  BinaryReader reader(payload);
  const std::uint64_t finished = reader.u64();
  if (absl::Status status = finish(reader, "progress"); !status.ok()) {
    return status;
  }
  return finished;
}

std::string encode_chunk_result(const ChunkResult& result) {
  BinaryWriter writer;
  writer.u64(result.range.begin);
  writer.u64(result.range.end);
  writer.u64(to_nanoseconds(result.wall));
  writer.u64(result.batch_size);
  writer.u64(result.cache_lookups);
  writer.u64(result.cache_hits);
  writer.string(serialize_counts(result.counts));
  write_summaries(result.games, writer);
  return std::move(writer).bytes();
}

absl::StatusOr<ChunkResult> parse_chunk_result(std::string_view payload) {
  BinaryReader reader(payload);
  ChunkResult result;
  result.range.begin = reader.u64();
  result.range.end = reader.u64();
  const std::optional<absl::Duration> wall = from_nanoseconds(reader.u64());
  result.batch_size = reader.u64();
  result.cache_lookups = reader.u64();
  result.cache_hits = reader.u64();
  const std::string counts = reader.string();
  bool values_valid = true;
  result.games = read_summaries(reader, values_valid);
  if (absl::Status status = finish(reader, "chunk result"); !status.ok()) {
    return status;
  }
  if (!values_valid || !wall) {
    return absl::DataLossError("a chunk result holds an impossible value");
  }
  result.wall = *wall;
  absl::StatusOr<SimulationCounts> parsed = parse_counts(counts);
  if (!parsed.ok()) return parsed.status();
  result.counts = *std::move(parsed);
  return result;
}

std::string encode_error(std::string_view message) {
  BinaryWriter writer;
  writer.string(message);
  return std::move(writer).bytes();
}

absl::StatusOr<std::string> parse_error(std::string_view payload) {
  BinaryReader reader(payload);
  std::string message = reader.string();
  if (absl::Status status = finish(reader, "error"); !status.ok()) {
    return status;
  }
  return message;
}

}  // namespace selfplay::isolation
