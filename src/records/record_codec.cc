#include "records/record_codec.h"

#include <climits>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "records/record_check.h"
#include "selfplay/random.h"
#include "simulation/binary_io.h"

namespace selfplay {
namespace {

constexpr int kMaxPlayers = 1024;

int feature_bytes(const RecordFileHeader& header) {
  return static_cast<int>((header.features.size() + 7) / 8);
}

}  // namespace

void append_varint(std::uint64_t value, std::string& out) {
  char bytes[kMaxVarintBytes];
  const char* end = put_varint(value, bytes);
  out.append(bytes, static_cast<std::size_t>(end - bytes));
}

std::string encode_header(const RecordFileHeader& header) {
  const RunConfig& config = header.config;
  BinaryWriter out;
  out.varint_string(config.game);
  out.varint(config.players);
  out.varint(config.seed);
  out.varint(config.games);
  out.varint(config.max_actions);
  out.varint(config.failure_cap);
  out.varint(config.policies.size());
  for (const std::string& policy : config.policies) out.varint_string(policy);
  out.varint(header.features.size());
  for (const FeatureInfo& feature : header.features) {
    out.varint_string(feature.id);
    out.varint_string(feature.description);
    out.varint_string(feature.category);
  }
  out.varint(config.action_kinds.size());
  for (const std::string& kind : config.action_kinds) out.varint_string(kind);
  return std::move(out).bytes();
}

absl::StatusOr<RecordFileHeader> decode_header(std::string_view bytes) {
  BinaryReader in(bytes);
  RecordFileHeader header;
  RunConfig& config = header.config;
  config.game = in.varint_string();
  const std::uint64_t players = in.varint();
  config.seed = in.varint();
  config.games = in.varint();
  const std::uint64_t max_actions = in.varint();
  config.failure_cap = in.varint();
  config.policies.resize(in.varint_count(1));
  for (std::string& policy : config.policies) policy = in.varint_string();
  header.features.resize(in.varint_count(3));
  for (FeatureInfo& feature : header.features) {
    feature.id = in.varint_string();
    feature.description = in.varint_string();
    feature.category = in.varint_string();
    config.features.push_back(feature.id);
  }
  config.action_kinds.resize(in.varint_count(1));
  for (std::string& kind : config.action_kinds) kind = in.varint_string();
  if (!in.ok() || !in.at_end()) {
    return absl::DataLossError("the header's fields do not fit its length");
  }
  if (players < 1 || players > kMaxPlayers ||
      config.policies.size() != players) {
    return absl::DataLossError(
        absl::StrCat("the header names ", players, " players and ",
                     config.policies.size(), " seat policies"));
  }
  config.players = static_cast<int>(players);
  if (max_actions < 1 || max_actions > INT_MAX) {
    return absl::DataLossError(
        absl::StrCat("the header's max_actions ", max_actions));
  }
  config.max_actions = static_cast<int>(max_actions);
  if (config.action_kinds.empty() || config.action_kinds.size() > 64) {
    return absl::DataLossError(absl::StrCat(
        "the header lists ", config.action_kinds.size(), " action kinds"));
  }
  absl::flat_hash_set<std::string> ids;
  for (const FeatureInfo& feature : header.features) {
    if (feature.id.empty() || !ids.insert(feature.id).second) {
      return absl::DataLossError(
          absl::StrCat("the header lists feature '", feature.id, "' twice"));
    }
  }
  return header;
}

absl::Status encode_game(const GameRecord& record,
                         const RecordFileHeader& header, std::string& out) {
  const int players = header.config.players;
  const int kinds = static_cast<int>(header.config.action_kinds.size());
  if (absl::Status status = check_record(
          record, players, static_cast<int>(header.features.size()), kinds);
      !status.ok()) {
    return status;
  }
  const int bytes_per_bits = feature_bytes(header);
  const int words = record.feature_words;
  // Upper bound of the payload, so that the loop writes through a pointer.
  const std::size_t bound =
      4 * kMaxVarintBytes + record.winners.size() * kMaxVarintBytes +
      record.error.size() +
      record.decisions.size() * (2 * kMaxVarintBytes + bytes_per_bits);
  const std::size_t start = out.size();
  out.resize(start + bound);
  char* at = out.data() + start;
  at = put_varint(record.game_index, at);
  *at++ = static_cast<char>(record.status);
  at = put_varint(record.decisions.size(), at);
  at = put_varint(record.winners.size(), at);
  for (int winner : record.winners) at = put_varint(winner, at);
  if (record.status == GameStatus::kFailed) {
    at = put_varint(record.error.size(), at);
    at = std::copy(record.error.begin(), record.error.end(), at);
  }
  const std::uint64_t* bits = record.feature_bits.data();
  for (const RecordedDecision& decision : record.decisions) {
    at = put_varint(static_cast<std::uint64_t>(decision.player) +
                        static_cast<std::uint64_t>(players) * decision.taken,
                    at);
    if (kinds > 1) {
      at = put_varint(
          decision.available_kinds & ~(std::uint64_t{1} << decision.taken), at);
    }
    for (int b = 0; b < bytes_per_bits; ++b) {
      *at++ = static_cast<char>(bits[b / 8] >> (8 * (b % 8)));
    }
    bits += words;
  }
  out.resize(at - out.data());
  return absl::OkStatus();
}

absl::Status decode_game(std::string_view bytes, const RecordFileHeader& header,
                         GameRecord& record) {
  BinaryReader in(bytes);
  const int players = header.config.players;
  const int features = static_cast<int>(header.features.size());
  const int kinds = static_cast<int>(header.config.action_kinds.size());
  const int bytes_per_bits = feature_bytes(header);
  const int words = (features + 63) / 64;
  record.game_index = in.varint();
  record.seed = seed_for(header.config.seed, record.game_index);
  const std::uint8_t status = in.u8();
  if (status > static_cast<std::uint8_t>(GameStatus::kFailed)) {
    return absl::DataLossError(absl::StrCat("unknown game status ", status));
  }
  record.status = static_cast<GameStatus>(status);
  const std::uint64_t decisions = in.varint();
  record.winners.resize(in.varint_count(1));
  for (int& winner : record.winners) {
    const std::uint64_t seat = in.varint();
    winner = seat < static_cast<std::uint64_t>(players) ? static_cast<int>(seat)
                                                        : -1;
  }
  record.error.clear();
  if (record.status == GameStatus::kFailed) record.error = in.varint_string();
  const std::uint64_t min_decision_bytes = 1 + (kinds > 1) + bytes_per_bits;
  if (!in.ok() || decisions > bytes.size() / min_decision_bytes) {
    return absl::DataLossError("the game's fields do not fit its length");
  }
  record.feature_words = words;
  record.decisions.resize(decisions);
  record.feature_bits.assign(decisions * words, 0);
  std::uint64_t* bits = record.feature_bits.data();
  for (RecordedDecision& decision : record.decisions) {
    const std::uint64_t who = in.varint();
    const std::uint64_t taken = who / players;
    if (taken >= static_cast<std::uint64_t>(kinds)) {
      return absl::DataLossError(
          absl::StrCat("action kind ", taken, " of ", kinds));
    }
    decision.player = static_cast<int>(who % players);
    decision.taken = static_cast<ActionKind>(taken);
    decision.available_kinds = (kinds > 1 ? in.varint() : 0) | std::uint64_t{1}
                                                                   << taken;
    const std::string_view feature_bytes = in.bytes(bytes_per_bits);
    for (int b = 0; b < static_cast<int>(feature_bytes.size()); ++b) {
      bits[b / 8] |= static_cast<std::uint64_t>(
                         static_cast<unsigned char>(feature_bytes[b]))
                     << (8 * (b % 8));
    }
    bits += words;
  }
  if (!in.ok() || !in.at_end()) {
    return absl::DataLossError("the game's decisions do not fit its length");
  }
  if (absl::Status status = check_record(record, players, features, kinds);
      !status.ok()) {
    return absl::DataLossError(status.message());
  }
  return absl::OkStatus();
}

}  // namespace selfplay
