// The runners a distributed training gives TrainingOptions: a simulation and
// a match spread over the ranks, each returning the whole result on every
// rank, so that every rank's training takes the steps one process would.
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mpi/collectives.h"
#include "records/record_codec.h"
#include "records/train_checkpoint.h"
#include "selfplay/distributed.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"
#include "simulation/binary_io.h"
#include "simulation/counts_codec.h"
#include "simulation/index_partition.h"
#include "training/match_games.h"

namespace selfplay::mpi {
namespace {

// Keeps a rank's game records in the record file's game codec, each payload
// preceded by its length, to send them to the other ranks.
class EncodedRecords final : public GameRecordSink {
 public:
  explicit EncodedRecords(RecordFileHeader header)
      : header_(std::move(header)) {}

  absl::Status write(const GameRecord& record) override {
    payload_.clear();
    if (absl::Status status = encode_game(record, header_, payload_);
        !status.ok()) {
      return status;
    }
    writer_.varint_string(payload_);
    return absl::OkStatus();
  }

  const std::string& bytes() const { return writer_.bytes(); }

 private:
  const RecordFileHeader header_;
  std::string payload_;
  BinaryWriter writer_;
};

// Collective. Hands `sink` every rank's records, in game index order.
absl::Status deliver_records(const EncodedRecords& mine,
                             const RecordFileHeader& header,
                             GameRecordSink& sink) {
  const std::vector<std::string> all =
      all_gather_bytes(mine.bytes(), "game records");
  // (game index, payload): a payload starts with its game's index.
  std::vector<std::pair<std::uint64_t, std::string_view>> payloads;
  for (const std::string& part : all) {
    BinaryReader reader(part);
    while (reader.ok() && !reader.at_end()) {
      const std::string_view payload = reader.bytes(reader.varint_count(1));
      BinaryReader index(payload);
      payloads.emplace_back(index.varint(), payload);
    }
  }
  std::sort(payloads.begin(), payloads.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  GameRecord record;
  for (const auto& [index, payload] : payloads) {
    if (absl::Status status = decode_game(payload, header, record);
        !status.ok()) {
      return status;
    }
    if (absl::Status status = sink.write(record); !status.ok()) return status;
  }
  return absl::OkStatus();
}

// One game of a match as bytes: its outcome, and a failed game's message.
void encode_match_game(const MatchGameResult& game, BinaryWriter& writer) {
  writer.u8(static_cast<std::uint8_t>(game.outcome));
  if (game.outcome == MatchOutcome::kFailed) writer.varint_string(game.error);
}

MatchGameResult decode_match_game(BinaryReader& reader) {
  MatchGameResult game;
  game.outcome = static_cast<MatchOutcome>(reader.u8());
  if (game.outcome == MatchOutcome::kFailed)
    game.error = reader.varint_string();
  return game;
}

// Collective: FailedPrecondition naming the first of `mine`, named settings,
// whose value differs from rank 0's; `what` names them in the message of a
// rank that cannot read rank 0's.
absl::Status check_same_settings(
    const std::vector<std::pair<std::string, std::string>>& mine,
    const char* what) {
  BinaryWriter writer;
  writer.u64(mine.size());
  for (const auto& [name, value] : mine) {
    writer.string(name);
    writer.string(value);
  }
  std::string root_bytes = writer.bytes();
  broadcast_bytes(root_bytes, what);
  BinaryReader reader(root_bytes);
  const bool same_count = reader.count(16) == mine.size();
  for (const auto& [name, value] : mine) {
    const std::string root_name = reader.string();
    const std::string root_value = reader.string();
    if (!same_count || !reader.ok() || root_name != name) break;
    if (root_value != value) {
      return setting_differs(name, root_value, value, kRankSides);
    }
  }
  if (!same_count || !reader.ok() || !reader.at_end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("rank 0's ", what,
                     " are not ones this rank reads (another selfplay "
                     "build?); ",
                     kRankSides.remedy));
  }
  return absl::OkStatus();
}

}  // namespace

void check_same_training(const Game& game, const FeatureSet& features,
                         const TrainingOptions& options) {
  std::vector<std::pair<std::string, std::string>> settings;
  for (const TrainSetting& setting : train_settings(game, features, options)) {
    settings.emplace_back(setting.name, setting.value);
  }
  max_everywhere(check_same_settings(settings, "training settings"), {});
}

absl::StatusOr<SimulationResult> run_simulation_on_every_rank(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options) {
  SimulationOptions own = options;
  own.checkpoint = nullptr;
  const RecordFileHeader header =
      make_record_file_header(game, features, options);
  EncodedRecords records(header);
  own.records = options.records != nullptr ? &records : nullptr;
  absl::StatusOr<SimulationResult> result =
      run_distributed_simulation(game, features, own);
  // run_distributed_simulation ends the job rather than fail on some ranks.
  if (!result.ok()) return result.status();
  std::string counts = rank() == 0 ? serialize_counts(result->counts) : "";
  broadcast_bytes(counts, "tallies");
  std::string summaries = rank() == 0 ? serialize_summaries(result->games) : "";
  broadcast_bytes(summaries, "game summaries");
  if (rank() != 0) {
    // Written by rank 0 of this job: they parse.
    result->counts = *parse_counts(counts);
    result->games = *parse_summaries(summaries);
    result->cancelled = result->requested - result->counts.games;
  }
  if (options.records != nullptr) {
    max_everywhere(deliver_records(records, header, *options.records), {});
  }
  return result;
}

absl::StatusOr<MatchResult> play_distributed_match(
    const Game& game, const Policy& player, const Policy& opponent,
    const MatchOptions& options) {
  // Every rank has the same options, so every rank returns here alike.
  if (options.sprt.has_value()) {
    return absl::UnimplementedError(
        "a distributed match has no sequential test; play it in one process");
  }
  absl::StatusOr<int> players = check_match_options(game, options);
  max_everywhere(players.status(), {});
  // Every rank must deal and play the same games.
  max_everywhere(check_same_settings(
                     {{"the player", player.name()},
                      {"the opponent", opponent.name()},
                      {"the match's games", absl::StrCat(options.games)},
                      {"the match's seed", absl::StrCat(options.seed)},
                      {"--players", absl::StrCat(*players)},
                      {"--max-actions", absl::StrCat(options.max_actions)}},
                     "match settings"),
                 {});
  const std::uint64_t chunk = default_chunk_size(options.games, ranks());
  std::vector<std::vector<GameIndexRange>> shares;
  for (int r = 0; r < ranks(); ++r) {
    shares.push_back(block_cyclic_ranges(options.games, ranks(), r, chunk));
  }
  const MatchGames mine = play_match_games(game, player, opponent, options,
                                           *players, shares[rank()]);
  // Games played, ranks stopped before the end of their share.
  std::uint64_t totals[2] = {mine.played,
                             mine.played < mine.results.size() ? 1u : 0u};
  MPI_Allreduce(MPI_IN_PLACE, totals, 2, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (totals[1] > 0) {
    return absl::CancelledError(absl::StrCat("match interrupted after ",
                                             totals[0], " of ", options.games,
                                             " games"));
  }
  BinaryWriter writer;
  for (const MatchGameResult& game_result : mine.results) {
    encode_match_game(game_result, writer);
  }
  const std::vector<std::string> all =
      all_gather_bytes(writer.bytes(), "match results");
  std::vector<MatchGameResult> games(options.games);
  for (int r = 0; r < ranks(); ++r) {
    BinaryReader reader(all[r]);
    for (const GameIndexRange& range : shares[r]) {
      for (std::uint64_t i = range.begin; i < range.end; ++i) {
        games[i] = decode_match_game(reader);
      }
    }
  }
  MatchResult result;
  result.player = player.name();
  result.opponent = opponent.name();
  for (const MatchGameResult& game_result : games) {
    add_match_game(game_result, result);
  }
  return result;
}

}  // namespace selfplay::mpi
