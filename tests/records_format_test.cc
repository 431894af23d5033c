// The records format as docs/records.md specifies it, read by a decoder
// written here from that page alone (varints, blocks with CRC-32, the header
// and game payloads), and the statistics as README.md defines them,
// recomputed from the decoded decisions: they must equal what `simulate
// --json` reported for the run that wrote the file: outcomes, seats,
// lengths and their percentiles, and each feature's table, phi and p-value.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"
#include "reference_crc32.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

using testing::run_cli;
using testing::ScratchDirectory;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// "All integers are little-endian; a varint is unsigned LEB128 ...; a string
// is a varint byte count and the bytes."
class Bytes {
 public:
  explicit Bytes(std::string_view bytes) : bytes_(bytes) {}

  bool at_end() const { return at_ == bytes_.size(); }
  std::uint8_t u8() {
    if (at_ >= bytes_.size()) throw std::out_of_range("past the end");
    return static_cast<std::uint8_t>(bytes_[at_++]);
  }
  std::uint32_t u32() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= std::uint32_t{u8()} << (8 * i);
    return value;
  }
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      const std::uint8_t byte = u8();
      value |= std::uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return value;
    }
    throw std::out_of_range("varint longer than 10 bytes");
  }
  std::string_view take(std::uint64_t count) {
    if (count > bytes_.size() - at_) throw std::out_of_range("past the end");
    const std::string_view part = bytes_.substr(at_, count);
    at_ += count;
    return part;
  }
  std::string string() { return std::string(take(varint())); }

 private:
  std::string_view bytes_;
  std::size_t at_ = 0;
};

struct Decision {
  int player;
  int taken;
  std::uint64_t available;  // including the taken kind
  std::vector<bool> features;
};

struct RecordedGame {
  std::uint64_t index;
  int status;  // 0 completed, 1 truncated, 2 timed out, 3 failed
  std::vector<int> winners;
  std::vector<Decision> decisions;
};

struct File {
  std::string game;
  int players;
  std::uint64_t seed, games;
  std::vector<std::string> feature_ids, action_kinds;
  std::vector<RecordedGame> records;
};

File decode(std::string_view bytes) {
  Bytes file(bytes);
  EXPECT_EQ(file.take(8), std::string_view("\x89SPREC\r\n", 8));
  EXPECT_EQ(file.u32(), 1u);
  std::vector<std::string> blocks;
  while (!file.at_end()) {
    const std::uint64_t length = file.varint();
    EXPECT_LE(length, 1u << 28);
    std::string payload(file.take(length));
    // "u32 CRC-32 of the payload (IEEE, as zlib.crc32)".
    EXPECT_EQ(file.u32(), testing::reference_crc32(payload));
    blocks.push_back(std::move(payload));
  }
  File decoded;
  Bytes header(blocks.at(0));
  decoded.game = header.string();
  decoded.players = static_cast<int>(header.varint());
  decoded.seed = header.varint();
  decoded.games = header.varint();
  header.varint();  // max_actions
  header.varint();  // failure_cap
  const std::uint64_t policies = header.varint();
  EXPECT_EQ(policies, static_cast<std::uint64_t>(decoded.players));
  for (std::uint64_t i = 0; i < policies; ++i) header.string();
  const std::uint64_t features = header.varint();
  for (std::uint64_t i = 0; i < features; ++i) {
    decoded.feature_ids.push_back(header.string());
    header.string();  // description
    header.string();  // category
  }
  const std::uint64_t kinds = header.varint();
  for (std::uint64_t i = 0; i < kinds; ++i) {
    decoded.action_kinds.push_back(header.string());
  }
  EXPECT_TRUE(header.at_end());

  for (std::size_t b = 1; b < blocks.size(); ++b) {
    Bytes payload(blocks[b]);
    RecordedGame& game = decoded.records.emplace_back();
    game.index = payload.varint();
    game.status = payload.u8();
    const std::uint64_t decisions = payload.varint();
    const std::uint64_t winners = payload.varint();
    for (std::uint64_t w = 0; w < winners; ++w) {
      game.winners.push_back(static_cast<int>(payload.varint()));
    }
    if (game.status == 3) payload.string();  // the error
    for (std::uint64_t d = 0; d < decisions; ++d) {
      Decision& decision = game.decisions.emplace_back();
      const std::uint64_t who = payload.varint();
      decision.player = static_cast<int>(who % decoded.players);
      decision.taken = static_cast<int>(who / decoded.players);
      decision.available =
          (kinds == 1 ? 0 : payload.varint()) | (1ULL << decision.taken);
      const std::string_view bits = payload.take((features + 7) / 8);
      for (std::uint64_t f = 0; f < features; ++f) {
        decision.features.push_back((bits[f / 8] >> (f % 8)) & 1);
      }
    }
    EXPECT_TRUE(payload.at_end()) << "game block " << b;
  }
  return decoded;
}

// README: a decision's outcome for the deciding player, in half units won
// and lost: 2/0 a win, 0/2 a loss, 1/1 a draw or a shared win.
std::pair<int, int> halves(const RecordedGame& game, int player) {
  if (game.winners.empty()) return {1, 1};
  for (int winner : game.winners) {
    if (winner == player)
      return game.winners.size() == 1 ? std::pair{2, 0} : std::pair{1, 1};
  }
  return {0, 2};
}

TEST(RecordsFormat, AReaderWrittenFromTheDocsRecomputesTheRunsStatistics) {
  ScratchDirectory scratch("records_format");
  const std::filesystem::path records = scratch.path() / "run.sprec";
  const std::filesystem::path json_path = scratch.path() / "run.json";
  // Go fish with three players: shared wins, hidden state, several action
  // kinds; --max-actions cuts some games short.
  const testing::CliRun run = run_cli(
      scratch.path(),
      absl::StrCat("simulate --game go-fish --players 3 --games 400 --seed 3 "
                   "--max-actions 60 --threads 2 --noprogress --records ",
                   records.string(), " --json ", json_path.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json json =
      nlohmann::json::parse(testing::read_text_file(json_path));
  const File file = decode(read_bytes(records));

  EXPECT_EQ(file.game, "go-fish");
  EXPECT_EQ(file.players, 3);
  EXPECT_EQ(file.seed, 3u);
  EXPECT_EQ(file.games, 400u);
  ASSERT_EQ(file.records.size(), 400u);
  std::vector<std::string> kinds;
  for (const nlohmann::json& action : json["actions"]) {
    kinds.push_back(action["kind"]);
  }
  EXPECT_EQ(file.action_kinds, kinds);
  ASSERT_EQ(file.feature_ids.size(), json["features"].size());

  std::map<int, std::uint64_t> statuses;
  std::uint64_t decisions = 0;
  std::vector<std::array<std::uint64_t, 3>> seats(3);  // wins, losses, draws
  // Per feature and per action kind: won and lost, true/taken and
  // false/not taken, in half units.
  std::vector<std::array<std::uint64_t, 4>> features(file.feature_ids.size());
  std::vector<std::array<std::uint64_t, 4>> actions(kinds.size());
  std::vector<std::uint64_t> games_true(file.feature_ids.size());
  for (std::size_t i = 0; i < file.records.size(); ++i) {
    const RecordedGame& game = file.records[i];
    EXPECT_EQ(game.index, i);
    ++statuses[game.status];
    if (game.status == 3) continue;
    decisions += game.decisions.size();
    if (game.status != 0) continue;
    for (int seat = 0; seat < 3; ++seat) {
      const auto [won, lost] = halves(game, seat);
      ++seats[seat][won == 2 ? 0 : lost == 2 ? 1 : 2];
    }
    std::vector<bool> held(features.size());
    for (const Decision& decision : game.decisions) {
      for (std::size_t f = 0; f < features.size(); ++f) {
        if (decision.features[f]) held[f] = true;
      }
    }
    for (std::size_t f = 0; f < features.size(); ++f) games_true[f] += held[f];
    for (const Decision& decision : game.decisions) {
      const auto [won, lost] = halves(game, decision.player);
      for (std::size_t f = 0; f < features.size(); ++f) {
        const int column = decision.features[f] ? 0 : 2;
        features[f][column] += won;
        features[f][column + 1] += lost;
      }
      for (std::size_t k = 0; k < kinds.size(); ++k) {
        if (!(decision.available >> k & 1)) continue;
        const int column = static_cast<int>(k) == decision.taken ? 0 : 2;
        actions[k][column] += won;
        actions[k][column + 1] += lost;
      }
    }
  }
  EXPECT_EQ(statuses[0], json["completed"]);
  EXPECT_EQ(statuses[1] + statuses[2], json["truncated"]);
  EXPECT_EQ(statuses[3], json["failed"]);
  EXPECT_GT(statuses[1], 0u) << "no truncated game: pick another limit";
  EXPECT_EQ(decisions, json["total_states"]);
  EXPECT_DOUBLE_EQ(json["mean_actions"].get<double>(),
                   static_cast<double>(decisions) / (400 - statuses[3]));
  // "length: actions per completed game; nearest-rank percentiles": the
  // p-th percentile is the value at rank ceil(p/100 n) of the sorted lengths.
  std::vector<std::uint64_t> lengths;
  for (const RecordedGame& game : file.records) {
    if (game.status == 0) lengths.push_back(game.decisions.size());
  }
  std::sort(lengths.begin(), lengths.end());
  ASSERT_FALSE(lengths.empty());
  const auto percentile = [&](int p) {
    const std::size_t rank = (p * lengths.size() + 99) / 100;
    return lengths[rank - 1];
  };
  const nlohmann::json& length = json["length"];
  EXPECT_EQ(length["min"], lengths.front());
  EXPECT_EQ(length["max"], lengths.back());
  EXPECT_EQ(length["p50"], percentile(50));
  EXPECT_EQ(length["p90"], percentile(90));
  EXPECT_EQ(length["p99"], percentile(99));
  EXPECT_DOUBLE_EQ(
      length["mean"].get<double>(),
      std::accumulate(lengths.begin(), lengths.end(), 0.0) / lengths.size());
  for (int seat = 0; seat < 3; ++seat) {
    const nlohmann::json& expected = json["seat_results"][seat];
    EXPECT_EQ(seats[seat][0], expected["wins"]) << seat;
    EXPECT_EQ(seats[seat][1], expected["losses"]) << seat;
    EXPECT_EQ(seats[seat][2], expected["draws"]) << seat;
  }
  for (std::size_t f = 0; f < features.size(); ++f) {
    const nlohmann::json& expected = json["features"][f];
    EXPECT_EQ(file.feature_ids[f], expected["id"]);
    EXPECT_EQ(features[f][0] / 2.0, expected["true_won"]) << f;
    EXPECT_EQ(features[f][1] / 2.0, expected["true_lost"]) << f;
    EXPECT_EQ(features[f][2] / 2.0, expected["false_won"]) << f;
    EXPECT_EQ(features[f][3] / 2.0, expected["false_lost"]) << f;
    // README: phi of the table (0 when a margin is empty); a feature never
    // or always true is constant, its p_value_decisions 1, others'
    // erfc(sqrt(chi^2 / 2)) with chi^2 = n phi^2 over the n decisions;
    // games_true counts the completed games where it held at least once.
    const double a = features[f][0] / 2.0, b = features[f][1] / 2.0,
                 c = features[f][2] / 2.0, d = features[f][3] / 2.0;
    const double margins = (a + b) * (c + d) * (a + c) * (b + d);
    const double phi = margins == 0 ? 0 : (a * d - b * c) / std::sqrt(margins);
    const bool constant = a + b == 0 || c + d == 0;
    EXPECT_NEAR(expected["phi"].get<double>(), phi, 1e-12) << f;
    EXPECT_EQ(expected["constant"], constant) << f;
    EXPECT_NEAR(
        expected["p_value_decisions"].get<double>(),
        constant ? 1.0 : std::erfc(std::sqrt((a + b + c + d) * phi * phi / 2)),
        1e-12)
        << f;
    EXPECT_EQ(expected["games_true"], games_true[f]) << f;
  }
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const nlohmann::json& expected = json["actions"][k];
    EXPECT_EQ(actions[k][0] / 2.0, expected["taken_won"]) << kinds[k];
    EXPECT_EQ(actions[k][1] / 2.0, expected["taken_lost"]) << kinds[k];
    EXPECT_EQ(actions[k][2] / 2.0, expected["not_taken_won"]) << kinds[k];
    EXPECT_EQ(actions[k][3] / 2.0, expected["not_taken_lost"]) << kinds[k];
  }
}

}  // namespace
}  // namespace selfplay
