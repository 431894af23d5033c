// Record files and checkpoints on disk: what is written reads back equal; a
// file continued after a crash holds exactly the games it should; and
// truncated or corrupted bytes (every prefix, and a few hundred seeded byte
// flips, with and without a recomputed checksum) give a DataLoss error or a
// valid read, never a crash or a game that does not fit the header.
#include "selfplay/record_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "cli_runner.h"
#include "records/checkpoint.h"
#include "records/crc32.h"
#include "records/record_codec.h"
#include "selfplay/random.h"
#include "selfplay/records.h"
#include "selfplay/registry.h"
#include "test_games.h"

namespace selfplay {
namespace {

using ::testing::HasSubstr;
using testing::ScratchDirectory;
using testing::TakeAwayGame;

// Keeps a copy of every record.
class CollectingSink final : public GameRecordSink {
 public:
  absl::Status write(const GameRecord& record) override {
    records.push_back(record);
    return absl::OkStatus();
  }
  std::vector<GameRecord> records;
};

// More than 64 features, so that a decision's bits span two words.
FeatureSet wide_pile_features() {
  FeatureSet features;
  for (int i = 0; i < 70; ++i) {
    EXPECT_TRUE(
        features
            .add({"pile-mod-" + std::to_string(i), "", "custom"},
                 [i](const State& state, int player) {
                   const int pile =
                       static_cast<const testing::TakeAwayState&>(state).pile();
                   return (pile + player) % (i % 7 + 2) == 0;
                 })
            .ok());
  }
  return features;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Every game of a reader, and the status that ended the read (OK at a clean
// end of file).
struct ReadBack {
  std::vector<GameRecord> games;
  absl::Status status;
};

ReadBack read_all(RecordFileReader& reader) {
  ReadBack read;
  GameRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.next(record);
    if (!more.ok()) {
      read.status = more.status();
      return read;
    }
    if (!*more) return read;
    read.games.push_back(record);
  }
}

// A played run of the take-away game with completed, truncated and failed
// games and 70 features, its header and its records.
class RecordFileTest : public ::testing::Test {
 protected:
  RecordFileTest()
      : game_(throwing_seeds()),
        features_(wide_pile_features()),
        scratch_(
            ::testing::UnitTest::GetInstance()->current_test_info()->name()) {
    options_.games = 60;
    options_.seed = 3;
    options_.max_actions = 7;
    options_.records = &sink_;
    absl::StatusOr<SimulationResult> result =
        run_simulations(game_, features_, options_);
    EXPECT_TRUE(result.ok()) << result.status();
    if (result.ok()) result_ = *std::move(result);
    options_.records = nullptr;
    header_ = make_record_file_header(game_, features_, options_);
  }

  static std::set<std::uint64_t> throwing_seeds() {
    std::set<std::uint64_t> seeds;
    for (std::uint64_t i = 0; i < 60; i += 9) seeds.insert(seed_for(3, i));
    return seeds;
  }

  // The run's records in a file; its bytes.
  std::string write_file(const std::filesystem::path& path) {
    absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
        RecordFileWriter::create(path.string(), header_);
    EXPECT_TRUE(writer.ok()) << writer.status();
    for (const GameRecord& record : sink_.records) {
      EXPECT_TRUE((*writer)->write(record).ok());
    }
    EXPECT_TRUE((*writer)->close().ok());
    return read_bytes(path);
  }

  const TakeAwayGame game_;
  const FeatureSet features_;
  SimulationOptions options_;
  CollectingSink sink_;
  SimulationResult result_;
  RecordFileHeader header_;
  ScratchDirectory scratch_;
};

TEST_F(RecordFileTest, TheRunHasEveryKindOfGame) {
  ASSERT_EQ(sink_.records.size(), 60u);
  EXPECT_GT(result_.counts.completed, 0u);
  EXPECT_GT(result_.counts.truncated, 0u);
  EXPECT_GT(result_.counts.failed, 0u);
  EXPECT_EQ(sink_.records[9].error, "planted failure");
}

TEST_F(RecordFileTest, AWrittenFileReadsBackEqualAndRecountsToTheRun) {
  const std::filesystem::path path = scratch_.path() / "games.sprec";
  absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
      RecordFileWriter::create(path.string(), header_);
  ASSERT_TRUE(writer.ok()) << writer.status();
  for (const GameRecord& record : sink_.records) {
    ASSERT_TRUE((*writer)->write(record).ok());
  }
  const RecordFilePosition written = (*writer)->position();
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(written.bytes, std::filesystem::file_size(path));
  EXPECT_EQ(written.games, 60u);

  absl::StatusOr<RecordFileReader> reader =
      RecordFileReader::open(path.string());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ(reader->header(), header_);
  EXPECT_EQ(reader->header().features.size(), 70u);
  const ReadBack read = read_all(*reader);
  ASSERT_TRUE(read.status.ok()) << read.status;
  EXPECT_EQ(read.games, sink_.records);
  EXPECT_EQ(reader->position(), written);

  SimulationCounts counts = make_counts_for(reader->header().config);
  RecordCounter counter(header_.config.players, 70, 2);
  for (const GameRecord& record : read.games) {
    ASSERT_TRUE(counter.add(record, counts).ok());
  }
  EXPECT_EQ(counts, result_.counts);
}

TEST_F(RecordFileTest, TheWriterRefusesGamesOutOfOrderOrOfAnotherShape) {
  absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
      RecordFileWriter::create((scratch_.path() / "x.sprec").string(), header_);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->write(sink_.records[5]).ok());
  EXPECT_TRUE(absl::IsInvalidArgument((*writer)->write(sink_.records[5])));
  EXPECT_TRUE(absl::IsInvalidArgument((*writer)->write(sink_.records[2])));
  GameRecord narrow = sink_.records[6];
  narrow.feature_words = 1;
  EXPECT_TRUE(absl::IsInvalidArgument((*writer)->write(narrow)));
  EXPECT_EQ((*writer)->position().games, 1u);
}

TEST_F(RecordFileTest, AMissingOrForeignFileIsAClearError) {
  const absl::StatusOr<RecordFileReader> missing =
      RecordFileReader::open((scratch_.path() / "none.sprec").string());
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();
  const absl::StatusOr<RecordFileReader> text =
      RecordFileReader::from_bytes("game_index,seed,status\n0,1,completed\n");
  EXPECT_TRUE(absl::IsDataLoss(text.status()));
  EXPECT_THAT(text.status().message(), HasSubstr("not a selfplay record file"));
  std::string future = write_file(scratch_.path() / "games.sprec");
  future[8] = 2;  // the format version
  const absl::StatusOr<RecordFileReader> newer =
      RecordFileReader::from_bytes(future);
  EXPECT_THAT(newer.status().message(), HasSubstr("format version 2"));
}

// Every prefix of a file: the header is refused, or the games read are the
// first ones and the read ends cleanly exactly at a game boundary, otherwise
// with DataLoss.
TEST_F(RecordFileTest, EveryTruncationReadsAPrefixOfTheGamesThenDataLoss) {
  const std::string bytes = write_file(scratch_.path() / "games.sprec");
  absl::StatusOr<RecordFileReader> whole = RecordFileReader::from_bytes(bytes);
  ASSERT_TRUE(whole.ok());
  const std::uint64_t header_end = whole->position().bytes;
  std::set<std::uint64_t> boundaries = {header_end};
  GameRecord record;
  while (*whole->next(record)) {
    boundaries.insert(whole->position().bytes);
  }
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    absl::StatusOr<RecordFileReader> reader =
        RecordFileReader::from_bytes(bytes.substr(0, size));
    if (size < header_end) {
      EXPECT_TRUE(absl::IsDataLoss(reader.status())) << size;
      continue;
    }
    ASSERT_TRUE(reader.ok()) << size << ": " << reader.status();
    const ReadBack read = read_all(*reader);
    EXPECT_EQ(read.status.ok(), boundaries.contains(size)) << size;
    if (!read.status.ok()) {
      EXPECT_TRUE(absl::IsDataLoss(read.status));
      EXPECT_THAT(read.status.message(), HasSubstr("the file ends inside"));
    }
    ASSERT_LE(read.games.size(), sink_.records.size());
    EXPECT_TRUE(
        std::equal(read.games.begin(), read.games.end(), sink_.records.begin()))
        << size;
    // The error repeats: a caller cannot read past it.
    EXPECT_EQ(reader->next(record).status(), read.status);
  }
}

// A flipped byte anywhere fails a checksum (or the magic or version), so
// every flip is reported, after a correct prefix of the games.
TEST_F(RecordFileTest, EverySeededByteFlipIsReportedAfterACorrectPrefix) {
  const std::string bytes = write_file(scratch_.path() / "games.sprec");
  std::mt19937_64 random(20261201);
  for (int trial = 0; trial < 400; ++trial) {
    std::string spoiled = bytes;
    const std::size_t at = random() % spoiled.size();
    spoiled[at] = static_cast<char>(spoiled[at] ^ (1 + random() % 255));
    absl::StatusOr<RecordFileReader> reader =
        RecordFileReader::from_bytes(spoiled);
    if (!reader.ok()) {
      EXPECT_TRUE(absl::IsDataLoss(reader.status())) << at;
      continue;
    }
    const ReadBack read = read_all(*reader);
    EXPECT_TRUE(absl::IsDataLoss(read.status)) << "byte " << at;
    EXPECT_THAT(std::string(read.status.message()), HasSubstr("byte"));
    ASSERT_LE(read.games.size(), sink_.records.size());
    EXPECT_TRUE(
        std::equal(read.games.begin(), read.games.end(), sink_.records.begin()))
        << at;
  }
}

// Past the checksums: the decoders themselves take corrupted payloads, and
// whatever they accept fits the header (so it can be counted).
TEST_F(RecordFileTest, CorruptPayloadsWithValidChecksumsDecodeOrFailCleanly) {
  std::mt19937_64 random(7);
  const std::string header_bytes = encode_header(header_);
  int headers_refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string spoiled = header_bytes;
    for (int flips = 1 + random() % 3; flips > 0; --flips) {
      spoiled[random() % spoiled.size()] ^=
          static_cast<char>(1 + random() % 255);
    }
    const absl::StatusOr<RecordFileHeader> header = decode_header(spoiled);
    if (header.ok()) {
      EXPECT_EQ(header->config.policies.size(),
                static_cast<std::size_t>(header->config.players));
      EXPECT_LE(header->config.action_kinds.size(), 64u);
    } else {
      EXPECT_TRUE(absl::IsDataLoss(header.status()));
      ++headers_refused;
    }
  }
  EXPECT_GT(headers_refused, 0);

  int games_refused = 0;
  int games_accepted = 0;
  RecordCounter counter(header_.config.players, 70, 2);
  for (int trial = 0; trial < 600; ++trial) {
    const GameRecord& original = sink_.records[random() % sink_.records.size()];
    std::string payload;
    ASSERT_TRUE(encode_game(original, header_, payload).ok());
    for (int flips = 1 + random() % 3; flips > 0; --flips) {
      payload[random() % payload.size()] ^=
          static_cast<char>(1 + random() % 255);
    }
    if (random() % 4 == 0) payload.resize(random() % payload.size());
    GameRecord decoded;
    const absl::Status status = decode_game(payload, header_, decoded);
    if (!status.ok()) {
      EXPECT_TRUE(absl::IsDataLoss(status)) << status;
      ++games_refused;
      continue;
    }
    ++games_accepted;
    SimulationCounts counts = make_counts_for(header_.config);
    EXPECT_TRUE(counter.add(decoded, counts).ok());
  }
  EXPECT_GT(games_refused, 0);
  EXPECT_GT(games_accepted, 0);  // flips of feature bits decode: no checksum
}

// A file continued from a checkpoint's position after a crash that left
// later games and half a block behind holds exactly every game once.
TEST_F(RecordFileTest, ResumingCutsOffWhatACrashLeftAfterThePosition) {
  const std::filesystem::path path = scratch_.path() / "games.sprec";
  absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
      RecordFileWriter::create(path.string(), header_);
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 25; ++i)
    ASSERT_TRUE((*writer)->write(sink_.records[i]).ok());
  const absl::StatusOr<RecordFilePosition> checkpointed = (*writer)->sync();
  ASSERT_TRUE(checkpointed.ok());
  for (int i = 25; i < 40; ++i)
    ASSERT_TRUE((*writer)->write(sink_.records[i]).ok());
  ASSERT_TRUE((*writer)->close().ok());
  const std::string full = read_bytes(path);
  write_bytes(path, full.substr(0, full.size() - 3));  // a torn last block

  writer = RecordFileWriter::resume(path.string(), header_, *checkpointed, 24);
  ASSERT_TRUE(writer.ok()) << writer.status();
  EXPECT_EQ(std::filesystem::file_size(path), checkpointed->bytes);
  EXPECT_TRUE(absl::IsInvalidArgument((*writer)->write(sink_.records[24])));
  for (int i = 25; i < 60; ++i)
    ASSERT_TRUE((*writer)->write(sink_.records[i]).ok());
  ASSERT_TRUE((*writer)->close().ok());
  EXPECT_EQ(read_bytes(path), write_file(scratch_.path() / "straight.sprec"));
}

TEST_F(RecordFileTest, TheTimeoutIsNotStoredAndDoesNotStopAResume) {
  RecordFileHeader with_timeout = header_;
  with_timeout.config.timeout_ms = 250;
  const std::filesystem::path path = scratch_.path() / "games.sprec";
  absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
      RecordFileWriter::create(path.string(), with_timeout);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->write(sink_.records[0]).ok());
  const absl::StatusOr<RecordFilePosition> position = (*writer)->sync();
  ASSERT_TRUE(position.ok());
  ASSERT_TRUE((*writer)->close().ok());
  // The same bytes as the header without a timeout.
  EXPECT_EQ(read_bytes(path).substr(0, position->last_game_offset),
            write_file(scratch_.path() / "plain.sprec")
                .substr(0, position->last_game_offset));
  absl::StatusOr<RecordFileReader> reader =
      RecordFileReader::open(path.string());
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->header().config.timeout_ms, 0);
  EXPECT_TRUE(reader->header() == with_timeout);
  EXPECT_TRUE(
      RecordFileWriter::resume(path.string(), with_timeout, *position, 0).ok());
}

TEST_F(RecordFileTest, AHeaderWhoseFeaturesAreNotItsConfigurationsIsRefused) {
  RecordFileHeader header = header_;
  header.config.features[5] = "another";
  EXPECT_TRUE(absl::IsInvalidArgument(
      RecordFileWriter::create((scratch_.path() / "a.sprec").string(), header)
          .status()));
  header = header_;
  header.features.pop_back();
  EXPECT_TRUE(absl::IsInvalidArgument(
      RecordFileWriter::create((scratch_.path() / "b.sprec").string(), header)
          .status()));
}

TEST_F(RecordFileTest, ResumingRefusesAFileThatDoesNotMatchTheCheckpoint) {
  const std::filesystem::path path = scratch_.path() / "games.sprec";
  write_file(path);
  absl::StatusOr<RecordFileReader> reader =
      RecordFileReader::open(path.string());
  ASSERT_TRUE(reader.ok());
  GameRecord record;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(*reader->next(record));
  const RecordFilePosition after_10 = reader->position();

  RecordFileHeader other_seed = header_;
  other_seed.config.seed = 4;
  EXPECT_TRUE(absl::IsFailedPrecondition(
      RecordFileWriter::resume(path.string(), other_seed, after_10, 9)
          .status()));
  // Another game index at that position, a position inside a block, one
  // beyond the file.
  EXPECT_TRUE(absl::IsDataLoss(
      RecordFileWriter::resume(path.string(), header_, after_10, 8).status()));
  RecordFilePosition inside = after_10;
  inside.bytes -= 1;
  EXPECT_TRUE(absl::IsDataLoss(
      RecordFileWriter::resume(path.string(), header_, inside, 9).status()));
  RecordFilePosition beyond = after_10;
  beyond.bytes = std::filesystem::file_size(path) + 10;
  EXPECT_TRUE(absl::IsDataLoss(
      RecordFileWriter::resume(path.string(), header_, beyond, 9).status()));
  // None of them touched the file.
  reader = RecordFileReader::open(path.string());
  EXPECT_EQ(read_all(*reader).games, sink_.records);
}

// --- Checkpoints ---

Checkpoint a_checkpoint(const SimulationResult& result,
                        const RecordFileHeader& header) {
  Checkpoint checkpoint;
  checkpoint.config = header.config;
  checkpoint.next_game_index = result.counts.games;
  checkpoint.counts = result.counts;
  checkpoint.records = RecordsCheckpoint{"games.sprec", {5000, 60, 4900}};
  return checkpoint;
}

// Replaces the checksum at the end of a checkpoint's bytes with that of its
// (possibly spoiled) payload.
void fix_checkpoint_checksum(std::string& bytes) {
  constexpr std::size_t kPrefix = 20;  // magic, version, payload length
  const std::uint32_t crc = crc32(
      std::string_view(bytes).substr(kPrefix, bytes.size() - kPrefix - 4));
  for (int i = 0; i < 4; ++i) {
    bytes[bytes.size() - 4 + i] = static_cast<char>(crc >> (8 * i));
  }
}

TEST_F(RecordFileTest, ACheckpointReadsBackEqual) {
  const Checkpoint checkpoint = a_checkpoint(result_, header_);
  // The per-game sums of the clustered statistics are among the tallies.
  ASSERT_GT(checkpoint.counts.features.at(0).games, 0u);
  ASSERT_GT(checkpoint.counts.features.at(0).n1n1 +
                checkpoint.counts.features.at(0).n0n0,
            0u);
  const absl::StatusOr<Checkpoint> back =
      parse_checkpoint(serialize_checkpoint(checkpoint));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, checkpoint);
}

TEST_F(RecordFileTest, EveryTruncatedOrFlippedCheckpointIsRefused) {
  const std::string bytes =
      serialize_checkpoint(a_checkpoint(result_, header_));
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_TRUE(absl::IsDataLoss(
        parse_checkpoint(std::string_view(bytes).substr(0, size)).status()))
        << size;
  }
  std::mt19937_64 random(11);
  for (int trial = 0; trial < 400; ++trial) {
    std::string spoiled = bytes;
    const std::size_t at = random() % spoiled.size();
    spoiled[at] ^= static_cast<char>(1 + random() % 255);
    EXPECT_TRUE(absl::IsDataLoss(parse_checkpoint(spoiled).status())) << at;
  }
}

// Found by checkpoint_fuzzer: a file shorter than the prefix and checksum
// whose length field makes "size - prefix - 4" wrap around to itself.
TEST_F(RecordFileTest, ACheckpointTooShortForItsChecksumIsRefused) {
  std::string bytes = serialize_checkpoint(a_checkpoint(result_, header_));
  bytes.resize(20);
  for (std::uint64_t length :
       {~std::uint64_t{0} - 1, ~std::uint64_t{0}, std::uint64_t{0}}) {
    for (std::size_t size : {20, 21, 22, 23}) {
      std::string spoiled = bytes;
      for (int i = 0; i < 8; ++i) {
        spoiled[12 + i] = static_cast<char>(length >> (8 * i));
      }
      spoiled.resize(size, '}');
      EXPECT_TRUE(absl::IsDataLoss(parse_checkpoint(spoiled).status()))
          << size << " bytes, length " << length;
    }
  }
}

TEST_F(RecordFileTest, CheckpointPayloadsWithValidChecksumsParseOrFailCleanly) {
  const Checkpoint original = a_checkpoint(result_, header_);
  const std::string bytes = serialize_checkpoint(original);
  std::mt19937_64 random(12);
  int refused = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string spoiled = bytes;
    for (int flips = 1 + random() % 3; flips > 0; --flips) {
      const std::size_t at = 20 + random() % (spoiled.size() - 24);
      spoiled[at] ^= static_cast<char>(1 + random() % 255);
    }
    fix_checkpoint_checksum(spoiled);
    const absl::StatusOr<Checkpoint> parsed = parse_checkpoint(spoiled);
    if (!parsed.ok()) {
      EXPECT_TRUE(absl::IsDataLoss(parsed.status())) << parsed.status();
      ++refused;
      continue;
    }
    // Whatever is accepted is consistent: tallies shaped for its settings.
    EXPECT_EQ(parsed->counts.seats.size(),
              static_cast<std::size_t>(parsed->config.players));
    EXPECT_EQ(parsed->counts.games, parsed->next_game_index);
    EXPECT_LE(parsed->next_game_index, parsed->config.games);
  }
  EXPECT_GT(refused, 0);
}

TEST_F(RecordFileTest, ACheckpointWhosePartsDisagreeIsRefused) {
  Checkpoint fewer_games = a_checkpoint(result_, header_);
  fewer_games.next_game_index -= 1;
  Checkpoint other_records = a_checkpoint(result_, header_);
  other_records.records->position.games = 59;
  Checkpoint other_shape = a_checkpoint(result_, header_);
  other_shape.config.features.pop_back();
  for (const Checkpoint& checkpoint :
       {fewer_games, other_records, other_shape}) {
    EXPECT_TRUE(absl::IsDataLoss(
        parse_checkpoint(serialize_checkpoint(checkpoint)).status()));
  }
}

TEST_F(RecordFileTest, ResumingWithOtherSettingsNamesTheFirstDifference) {
  const RunConfig saved = a_checkpoint(result_, header_).config;
  EXPECT_TRUE(compare_run_configs(saved, saved, kResumeSides).ok());
  const auto refused = [&saved](void (*change)(RunConfig&)) {
    RunConfig now = saved;
    change(now);
    const absl::Status status = compare_run_configs(saved, now, kResumeSides);
    EXPECT_TRUE(absl::IsFailedPrecondition(status));
    return std::string(status.message());
  };
  EXPECT_THAT(refused([](RunConfig& s) { s.game = "nim"; }),
              HasSubstr("--game: the checkpoint's run used take-away, this "
                        "command nim"));
  EXPECT_THAT(refused([](RunConfig& s) { s.seed = 8; }),
              HasSubstr("--seed: the checkpoint's run used 3, this command 8"));
  EXPECT_THAT(refused([](RunConfig& s) { s.games = 61; }),
              HasSubstr("--games"));
  EXPECT_THAT(refused([](RunConfig& s) { s.players = 3; }),
              HasSubstr("--players"));
  EXPECT_THAT(refused([](RunConfig& s) { s.max_actions = 9; }),
              HasSubstr("--max-actions"));
  EXPECT_THAT(refused([](RunConfig& s) { s.timeout_ms = 5; }),
              HasSubstr("--timeout-ms"));
  EXPECT_THAT(refused([](RunConfig& s) { s.features.clear(); }),
              HasSubstr("--nofeatures"));
  EXPECT_THAT(refused([](RunConfig& s) { s.features[3] = "other"; }),
              HasSubstr("features differ"));
  EXPECT_THAT(refused([](RunConfig& s) { s.policies[1] = "mcts"; }),
              HasSubstr("the seat policies: the checkpoint's run used "
                        "random,random, this command random,mcts"));
}

}  // namespace
}  // namespace selfplay

namespace selfplay {
namespace {

// An RFC 4180 reader for one line, written for this test: quoted fields may
// hold commas and doubled quotes.
std::vector<std::string> parse_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

TEST(DecisionsCsv, FieldsHoldingCommasOrQuotesAreQuoted) {
  ScratchDirectory scratch("decisions_csv");
  RecordFileHeader header;
  header.config.game = "odd-names";
  header.config.players = 2;
  header.config.games = 1;
  header.config.seed = 7;
  header.config.max_actions = 10;
  header.config.policies = {"random", "random"};
  header.config.action_kinds = {"jump,capture", "say\"hi\""};
  header.config.features = {"a,b", "plain"};
  header.features = {{"a,b", "a comma", "x"}, {"plain", "plain", "x"}};
  GameRecord record;
  record.game_index = 0;
  record.seed = seed_for(7, 0);  // what the file stores: the run's seed
  record.winners = {1};
  record.feature_words = 1;
  record.decisions = {{0, 1, 0b11}, {1, 0, 0b01}};
  record.feature_bits = {0b01, 0b10};
  const std::string path = (scratch.path() / "odd.sprec").string();
  {
    absl::StatusOr<std::unique_ptr<RecordFileWriter>> writer =
        RecordFileWriter::create(path, header);
    ASSERT_TRUE(writer.ok()) << writer.status();
    ASSERT_TRUE((*writer)->write(record).ok());
    ASSERT_TRUE((*writer)->close().ok());
  }
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::ostringstream csv;
  ASSERT_TRUE(write_decisions_csv(*reader, csv).ok());
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(csv.str());
  for (std::string line; std::getline(lines, line);) {
    rows.push_back(parse_csv_line(line));
  }
  ASSERT_EQ(rows.size(), 3u);
  const std::string seed = absl::StrCat(seed_for(7, 0));
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "game_index", "seed", "status", "decision", "player",
                         "outcome", "taken", "available", "a,b", "plain"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{
                         "0", seed, "completed", "0", "0", "0", "say\"hi\"",
                         "jump,capture|say\"hi\"", "1", "0"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"0", seed, "completed", "1", "1",
                                               "1", "jump,capture",
                                               "jump,capture", "0", "1"}));
}

}  // namespace
}  // namespace selfplay
