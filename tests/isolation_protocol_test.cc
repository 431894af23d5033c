// The supervisor-worker protocol: messages round trip, frames are cut from a
// stream that arrives in any pieces, and malformed or truncated bytes are
// errors, never crashes.
#include <gtest/gtest.h>

#include <random>

#include "isolation/protocol.h"
#include "simulation/binary_io.h"

namespace selfplay::isolation {
namespace {

WorkerSetup sample_setup() {
  WorkerSetup setup;
  setup.config.game = "checkers";
  setup.config.players = 2;
  setup.config.seed = 0xfeedbeef12345678;
  setup.config.games = 1000;
  setup.config.max_actions = 500;
  setup.config.timeout_ms = 250;
  setup.config.failure_cap = 100;
  setup.config.policies = {"random", "random"};
  setup.config.features = {"piece-count-advantage", "mobility-advantage"};
  setup.config.action_kinds = {"move", "jump"};
  setup.feature_cache_entries = 4096;
  setup.threads = 3;
  setup.keep_game_summaries = true;
  setup.batch_size = 0;
  setup.progress_interval = absl::Milliseconds(100);
  return setup;
}

ChunkResult sample_result() {
  ChunkResult result;
  result.range = {1000, 1003};
  result.counts = make_counts(2, 1, 2, 10);
  result.counts.games = 3;
  result.counts.completed = 2;
  result.counts.failed = 1;
  result.counts.states = 17;
  result.counts.features[0] = {1, 2, 3, 4};
  result.counts.length_histogram = {0, 0, 1, 1};
  result.counts.add_failure({1001, 99, "boom"});
  result.games = {{1000, 5, GameStatus::kCompleted, 3, {1}},
                  {1001, 99, GameStatus::kFailed, 1, {}},
                  {1002, 7, GameStatus::kCompleted, 2, {0, 1}}};
  result.wall = absl::Microseconds(1234);
  result.batch_size = 8;
  result.cache_lookups = 30;
  result.cache_hits = 12;
  return result;
}

absl::StatusOr<std::optional<Frame>> decode_one(const std::string& bytes) {
  FrameDecoder decoder;
  decoder.append(bytes);
  return decoder.next();
}

TEST(IsolationProtocol, SetupRoundTrips) {
  absl::StatusOr<WorkerSetup> back = parse_setup(encode_setup(sample_setup()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, sample_setup());
}

TEST(IsolationProtocol, ChunkResultRoundTrips) {
  const ChunkResult result = sample_result();
  absl::StatusOr<ChunkResult> back =
      parse_chunk_result(encode_chunk_result(result));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->range.begin, 1000u);
  EXPECT_EQ(back->range.end, 1003u);
  EXPECT_EQ(back->counts, result.counts);
  EXPECT_EQ(back->games, result.games);
  EXPECT_EQ(back->wall, result.wall);
  EXPECT_EQ(back->batch_size, 8u);
  EXPECT_EQ(back->cache_lookups, 30u);
  EXPECT_EQ(back->cache_hits, 12u);
}

TEST(IsolationProtocol, SmallMessagesRoundTrip) {
  absl::StatusOr<GameIndexRange> range = parse_chunk(encode_chunk({5, 9}));
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->begin, 5u);
  EXPECT_EQ(range->end, 9u);
  EXPECT_EQ(*parse_progress(encode_progress(77)), 77u);
  EXPECT_EQ(*parse_error(encode_error("no such game")), "no such game");
}

TEST(IsolationProtocol, FramesArriveWholeWhateverPiecesTheStreamComesIn) {
  const std::string stream =
      encode_frame(MessageType::kReady, "") +
      encode_frame(MessageType::kProgress, encode_progress(3)) +
      encode_frame(MessageType::kChunkResult,
                   encode_chunk_result(sample_result()));
  std::mt19937 random(7);
  for (int trial = 0; trial < 20; ++trial) {
    FrameDecoder decoder;
    std::vector<MessageType> types;
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t piece = std::min<std::size_t>(
          stream.size() - at, trial == 0 ? 1 : 1 + random() % 40);
      decoder.append(std::string_view(stream).substr(at, piece));
      at += piece;
      while (true) {
        absl::StatusOr<std::optional<Frame>> frame = decoder.next();
        ASSERT_TRUE(frame.ok()) << frame.status();
        if (!frame->has_value()) break;
        types.push_back((*frame)->type);
        if ((*frame)->type == MessageType::kChunkResult) {
          EXPECT_TRUE(parse_chunk_result((*frame)->payload).ok());
        }
      }
    }
    EXPECT_EQ(types, (std::vector<MessageType>{MessageType::kReady,
                                               MessageType::kProgress,
                                               MessageType::kChunkResult}));
    EXPECT_FALSE(decoder.has_partial_frame());
  }
}

TEST(IsolationProtocol, APartialFrameIsNotAFrameYet) {
  const std::string frame =
      encode_frame(MessageType::kProgress, encode_progress(3));
  FrameDecoder decoder;
  decoder.append(std::string_view(frame).substr(0, frame.size() - 1));
  absl::StatusOr<std::optional<Frame>> next = decoder.next();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
  EXPECT_TRUE(decoder.has_partial_frame());
}

TEST(IsolationProtocol, BadHeadersAreDataLoss) {
  std::string frame = encode_frame(MessageType::kReady, "");
  std::string bad_magic = frame;
  bad_magic[0] ^= 1;
  std::string bad_version = frame;
  bad_version[4] = static_cast<char>(kProtocolVersion + 1);
  std::string bad_type = frame;
  bad_type[6] = 99;
  BinaryWriter huge;
  huge.u32(0x57495053);
  huge.u16(kProtocolVersion);
  huge.u16(static_cast<std::uint16_t>(MessageType::kChunkResult));
  huge.u32(kMaxPayloadBytes + 1);
  for (const std::string& bytes :
       {bad_magic, bad_version, bad_type, huge.bytes()}) {
    absl::StatusOr<std::optional<Frame>> decoded = decode_one(bytes);
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kDataLoss);
  }
}

TEST(IsolationProtocol, EveryTruncatedPayloadIsRejected) {
  const std::string setup = encode_setup(sample_setup());
  for (std::size_t size = 0; size < setup.size(); ++size) {
    EXPECT_FALSE(parse_setup(setup.substr(0, size)).ok()) << size;
  }
  const std::string result = encode_chunk_result(sample_result());
  for (std::size_t size = 0; size < result.size(); ++size) {
    EXPECT_FALSE(parse_chunk_result(result.substr(0, size)).ok()) << size;
  }
  EXPECT_FALSE(parse_chunk(encode_chunk({1, 2}).substr(1)).ok());
  EXPECT_FALSE(parse_progress("").ok());
  EXPECT_FALSE(parse_error("\x05").ok());
}

TEST(IsolationProtocol, ImpossibleValuesAreRejected) {
  WorkerSetup setup = sample_setup();
  setup.threads = 0;
  EXPECT_FALSE(parse_setup(encode_setup(setup)).ok());
  setup = sample_setup();
  setup.config.players = 0;
  EXPECT_FALSE(parse_setup(encode_setup(setup)).ok());
  EXPECT_FALSE(parse_chunk(encode_chunk({9, 5})).ok());
  ChunkResult result = sample_result();
  result.games[0].status = static_cast<GameStatus>(9);
  EXPECT_FALSE(parse_chunk_result(encode_chunk_result(result)).ok());
  result = sample_result();
  ++result.counts.completed;  // no longer adds up to `games`
  EXPECT_FALSE(parse_chunk_result(encode_chunk_result(result)).ok());
}

TEST(IsolationProtocol, FlippedBytesInAResultNeverCrashTheParser) {
  const std::string bytes = encode_chunk_result(sample_result());
  std::mt19937_64 random(99);
  int rejected = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::string flipped = bytes;
    flipped[random() % flipped.size()] ^= static_cast<char>(1 + random() % 255);
    absl::StatusOr<ChunkResult> parsed = parse_chunk_result(flipped);
    if (!parsed.ok()) {
      ++rejected;
      continue;
    }
    EXPECT_EQ(encode_chunk_result(*parsed), flipped);
  }
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace selfplay::isolation
