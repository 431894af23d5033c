// The messages between `selfplay simulate --isolate N` (the supervisor) and
// its worker processes, as bytes. Pure encoding: channel.h moves the frames.
//
//   supervisor                       worker
//     Setup  ───────────────────────►  (finds the game, builds the features)
//            ◄───────────────────────  Ready  (or Error)
//     Chunk [begin, end) ───────────►  run_simulations over that range
//            ◄───────────────────────  Progress (games finished), throttled
//            ◄───────────────────────  ChunkResult (counts, summaries)
//     ... more chunks; closing the channel ends the worker.
//
// A frame is a 12-byte header — magic "SPIW", protocol version (u16),
// message type (u16), payload size (u32) — and the payload; every integer is
// little-endian. Parsers take untrusted bytes: anything malformed is a
// DataLoss error, which the supervisor treats as the worker failing.
#ifndef SELFPLAY_ISOLATION_PROTOCOL_H_
#define SELFPLAY_ISOLATION_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "selfplay/counts.h"
#include "selfplay/run_config.h"
#include "selfplay/simulation.h"

namespace selfplay::isolation {

// 2: the setup carries the run configuration (run_config.h).
inline constexpr std::uint16_t kProtocolVersion = 2;
inline constexpr std::size_t kFrameHeaderBytes = 12;
// A garbled size must not make the reader buffer gigabytes.
inline constexpr std::uint32_t kMaxPayloadBytes = 1u << 30;

enum class MessageType : std::uint16_t {
  kSetup = 1,        // supervisor -> worker, once, first
  kChunk = 2,        // supervisor -> worker
  kReady = 3,        // worker -> supervisor, after the setup; empty payload
  kProgress = 4,     // worker -> supervisor
  kChunkResult = 5,  // worker -> supervisor
  kError = 6,        // worker -> supervisor: it cannot run; it exits next
};

struct Frame {
  MessageType type;
  std::string payload;
};

std::string encode_frame(MessageType type, std::string_view payload);

// Cuts whole frames out of a byte stream that arrives in pieces.
class FrameDecoder {
 public:
  void append(std::string_view bytes);
  // The next whole frame; nullopt while more bytes are needed. DataLoss on a
  // bad magic, version, message type or size.
  [[nodiscard]] absl::StatusOr<std::optional<Frame>> next();
  // Whether a partial frame is buffered (a stream ending now is truncated).
  bool has_partial_frame() const { return start_ < buffer_.size(); }

 private:
  std::string buffer_;
  std::size_t start_ = 0;  // the first byte not yet returned in a frame
};

// What a worker needs to play games exactly as the supervisor's process
// would: the run's configuration (every seat random: policies cannot reach a
// worker), and how the supervisor wants the worker to run them.
struct WorkerSetup {
  RunConfig config;
  int feature_cache_entries = 0;
  int threads = 1;
  bool keep_game_summaries = false;
  int batch_size = 0;
  absl::Duration progress_interval = absl::ZeroDuration();

  bool operator==(const WorkerSetup&) const = default;
};

std::string encode_setup(const WorkerSetup& setup);
[[nodiscard]] absl::StatusOr<WorkerSetup> parse_setup(std::string_view payload);

std::string encode_chunk(GameIndexRange range);
// DataLoss unless begin <= end.
[[nodiscard]] absl::StatusOr<GameIndexRange> parse_chunk(
    std::string_view payload);

// Games of the current chunk finished so far.
std::string encode_progress(std::uint64_t finished);
[[nodiscard]] absl::StatusOr<std::uint64_t> parse_progress(
    std::string_view payload);

// One chunk played: its tallies, its game summaries when kept, and the
// timing figures the supervisor adds up.
struct ChunkResult {
  GameIndexRange range;
  SimulationCounts counts;
  std::vector<GameSummary> games;
  absl::Duration wall = absl::ZeroDuration();
  std::uint64_t batch_size = 0;
  std::uint64_t cache_lookups = 0;
  std::uint64_t cache_hits = 0;
};

std::string encode_chunk_result(const ChunkResult& result);
// DataLoss on malformed bytes (including malformed counts, see
// counts_codec.h); whether the result fits the chunk asked for is the
// supervisor's check.
[[nodiscard]] absl::StatusOr<ChunkResult> parse_chunk_result(
    std::string_view payload);

std::string encode_error(std::string_view message);
[[nodiscard]] absl::StatusOr<std::string> parse_error(std::string_view payload);

}  // namespace selfplay::isolation

#endif  // SELFPLAY_ISOLATION_PROTOCOL_H_
