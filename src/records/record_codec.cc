#include "records/record_codec.h"

#include <climits>
#include <cstring>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "records/record_check.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

constexpr int kMaxPlayers = 1024;
constexpr int kMaxVarintBytes = 10;

// Reads varints, bytes and strings from untrusted bytes: running out, an
// over-long varint or a count the rest cannot hold makes it not-ok, and it
// returns zeros from then on, so a decoder checks ok() once.
class ByteCursor {
 public:
  explicit ByteCursor(std::string_view bytes) : rest_(bytes) {}

  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int i = 0; i < kMaxVarintBytes; ++i) {
      if (rest_.empty()) return fail();
      const auto byte = static_cast<unsigned char>(rest_.front());
      rest_.remove_prefix(1);
      if (i == kMaxVarintBytes - 1 && byte > 1) return fail();  // > 64 bits
      value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) return value;
    }
    return fail();
  }
  std::uint8_t byte() {
    if (rest_.empty()) return static_cast<std::uint8_t>(fail());
    const auto value = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return value;
  }
  std::string_view bytes(std::uint64_t size) {
    if (size > rest_.size()) {
      fail();
      return {};
    }
    std::string_view value = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return value;
  }
  std::string string() { return std::string(bytes(varint())); }
  // A count of elements that take at least `min_bytes` each.
  std::uint64_t count(std::uint64_t min_bytes) {
    const std::uint64_t value = varint();
    if (value > rest_.size() / min_bytes) return fail();
    return value;
  }

  bool ok() const { return ok_; }
  bool at_end() const { return rest_.empty(); }

 private:
  std::uint64_t fail() {
    ok_ = false;
    rest_ = {};
    return 0;
  }

  std::string_view rest_;
  bool ok_ = true;
};

void append_string(std::string_view value, std::string& out) {
  append_varint(value.size(), out);
  out.append(value);
}

// Writes `value` at `out` as a varint; returns the end.
char* put_varint(std::uint64_t value, char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

int feature_bytes(const RecordFileHeader& header) {
  return static_cast<int>((header.features.size() + 7) / 8);
}

}  // namespace

void append_varint(std::uint64_t value, std::string& out) {
  char bytes[kMaxVarintBytes];
  out.append(bytes, put_varint(value, bytes));
}

std::string encode_header(const RecordFileHeader& header) {
  std::string out;
  append_string(header.game, out);
  append_varint(header.players, out);
  append_varint(header.seed, out);
  append_varint(header.games, out);
  append_varint(header.max_actions, out);
  append_varint(header.failure_cap, out);
  append_varint(header.policies.size(), out);
  for (const std::string& policy : header.policies) append_string(policy, out);
  append_varint(header.features.size(), out);
  for (const FeatureInfo& feature : header.features) {
    append_string(feature.id, out);
    append_string(feature.description, out);
    append_string(feature.category, out);
  }
  append_varint(header.action_kinds.size(), out);
  for (const std::string& kind : header.action_kinds) append_string(kind, out);
  return out;
}

absl::StatusOr<RecordFileHeader> decode_header(std::string_view bytes) {
  ByteCursor in(bytes);
  RecordFileHeader header;
  header.game = in.string();
  const std::uint64_t players = in.varint();
  header.seed = in.varint();
  header.games = in.varint();
  const std::uint64_t max_actions = in.varint();
  header.failure_cap = in.varint();
  header.policies.resize(in.count(1));
  for (std::string& policy : header.policies) policy = in.string();
  header.features.resize(in.count(3));
  for (FeatureInfo& feature : header.features) {
    feature.id = in.string();
    feature.description = in.string();
    feature.category = in.string();
  }
  header.action_kinds.resize(in.count(1));
  for (std::string& kind : header.action_kinds) kind = in.string();
  if (!in.ok() || !in.at_end()) {
    return absl::DataLossError("the header's fields do not fit its length");
  }
  if (players < 1 || players > kMaxPlayers ||
      header.policies.size() != players) {
    return absl::DataLossError(
        absl::StrCat("the header names ", players, " players and ",
                     header.policies.size(), " seat policies"));
  }
  header.players = static_cast<int>(players);
  if (max_actions < 1 || max_actions > INT_MAX) {
    return absl::DataLossError(
        absl::StrCat("the header's max_actions ", max_actions));
  }
  header.max_actions = static_cast<int>(max_actions);
  if (header.action_kinds.empty() || header.action_kinds.size() > 64) {
    return absl::DataLossError(absl::StrCat(
        "the header lists ", header.action_kinds.size(), " action kinds"));
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
  const int players = header.players;
  const int kinds = static_cast<int>(header.action_kinds.size());
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
  ByteCursor in(bytes);
  const int players = header.players;
  const int features = static_cast<int>(header.features.size());
  const int kinds = static_cast<int>(header.action_kinds.size());
  const int bytes_per_bits = feature_bytes(header);
  const int words = (features + 63) / 64;
  record.game_index = in.varint();
  record.seed = seed_for(header.seed, record.game_index);
  const std::uint8_t status = in.byte();
  if (status > static_cast<std::uint8_t>(GameStatus::kFailed)) {
    return absl::DataLossError(absl::StrCat("unknown game status ", status));
  }
  record.status = static_cast<GameStatus>(status);
  const std::uint64_t decisions = in.varint();
  record.winners.resize(in.count(1));
  for (int& winner : record.winners) {
    const std::uint64_t seat = in.varint();
    winner = seat < static_cast<std::uint64_t>(players) ? static_cast<int>(seat)
                                                        : -1;
  }
  record.error.clear();
  if (record.status == GameStatus::kFailed) record.error = in.string();
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
