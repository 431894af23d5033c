#include "simulation/counts_codec.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "simulation/binary_io.h"

namespace selfplay {
namespace {

// The smallest encodings, which bound the counts a buffer can claim.
constexpr std::size_t kSeatBytes = 3 * 8;
constexpr std::size_t kTableBytes = kOutcomeTableWords * 8;
constexpr std::size_t kFailureBytes = 3 * 8;

void write_tables(const std::vector<OutcomeTable>& tables,
                  BinaryWriter& writer) {
  writer.u64(tables.size());
  for (const OutcomeTable& table : tables) {
    for (std::uint64_t OutcomeTable::*field : kOutcomeTableFields) {
      writer.u64(table.*field);
    }
  }
}

std::vector<OutcomeTable> read_tables(BinaryReader& reader) {
  std::vector<OutcomeTable> tables(reader.count(kTableBytes));
  for (OutcomeTable& table : tables) {
    for (std::uint64_t OutcomeTable::*field : kOutcomeTableFields) {
      table.*field = reader.u64();
    }
  }
  return tables;
}

// Everything parse_counts promises beyond the bytes being well formed.
absl::Status check_consistent(const SimulationCounts& counts) {
  const std::uint64_t ended = counts.completed + counts.truncated;
  if (ended < counts.completed || ended + counts.failed < ended ||
      ended + counts.failed != counts.games ||
      counts.timed_out > counts.truncated) {
    return absl::DataLossError(absl::StrCat(
        "counts do not add up: ", counts.games, " games, ", counts.completed,
        " completed, ", counts.truncated, " truncated (", counts.timed_out,
        " timed out), ", counts.failed, " failed"));
  }
  if (counts.failures.size() > counts.failure_cap ||
      counts.failures.size() > counts.failed) {
    return absl::DataLossError(absl::StrCat(
        counts.failures.size(), " failures listed for ", counts.failed,
        " failed games and a cap of ", counts.failure_cap));
  }
  for (const std::vector<OutcomeTable>* tables :
       {&counts.features, &counts.actions}) {
    for (const OutcomeTable& table : *tables) {
      if (table.games_true > table.games || table.games > counts.completed) {
        return absl::DataLossError(absl::StrCat(
            "a table counts ", table.games, " games (", table.games_true,
            " where it held) of ", counts.completed, " completed"));
      }
    }
  }
  for (std::size_t i = 1; i < counts.failures.size(); ++i) {
    if (counts.failures[i].game_index < counts.failures[i - 1].game_index) {
      return absl::DataLossError("failures are not sorted by game index");
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string serialize_counts(const SimulationCounts& counts) {
  BinaryWriter writer;
  writer.u32(kCountsFormatVersion);
  for (std::uint64_t total : {counts.games, counts.completed, counts.truncated,
                              counts.timed_out, counts.failed, counts.states,
                              static_cast<std::uint64_t>(counts.failure_cap)}) {
    writer.u64(total);
  }
  writer.u64(counts.seats.size());
  for (const SeatCounts& seat : counts.seats) {
    writer.u64(seat.wins);
    writer.u64(seat.losses);
    writer.u64(seat.draws);
  }
  writer.u64(counts.length_histogram.size());
  for (std::uint64_t games : counts.length_histogram) writer.u64(games);
  write_tables(counts.features, writer);
  write_tables(counts.actions, writer);
  writer.u64(counts.failures.size());
  for (const GameFailure& failure : counts.failures) {
    writer.u64(failure.game_index);
    writer.u64(failure.seed);
    writer.string(failure.error);
  }
  return std::move(writer).bytes();
}

absl::StatusOr<SimulationCounts> parse_counts(std::string_view bytes) {
  BinaryReader reader(bytes);
  const std::uint32_t version = reader.u32();
  if (reader.ok() && version != kCountsFormatVersion) {
    return absl::DataLossError(absl::StrCat("counts format version ", version,
                                            ", expected ",
                                            kCountsFormatVersion));
  }
  SimulationCounts counts;
  counts.games = reader.u64();
  counts.completed = reader.u64();
  counts.truncated = reader.u64();
  counts.timed_out = reader.u64();
  counts.failed = reader.u64();
  counts.states = reader.u64();
  counts.failure_cap = reader.u64();
  counts.seats.resize(reader.count(kSeatBytes));
  for (SeatCounts& seat : counts.seats) {
    seat.wins = reader.u64();
    seat.losses = reader.u64();
    seat.draws = reader.u64();
  }
  counts.length_histogram.resize(reader.count(8));
  for (std::uint64_t& games : counts.length_histogram) games = reader.u64();
  counts.features = read_tables(reader);
  counts.actions = read_tables(reader);
  counts.failures.resize(reader.count(kFailureBytes));
  for (GameFailure& failure : counts.failures) {
    failure.game_index = reader.u64();
    failure.seed = reader.u64();
    failure.error = reader.string();
  }
  if (!reader.ok()) {
    return absl::DataLossError(
        absl::StrCat("truncated counts (", bytes.size(), " bytes)"));
  }
  if (!reader.at_end()) {
    return absl::DataLossError("trailing bytes after the counts");
  }
  if (absl::Status status = check_consistent(counts); !status.ok()) {
    return status;
  }
  return counts;
}

void write_summaries(const std::vector<GameSummary>& games,
                     BinaryWriter& writer) {
  writer.u64(games.size());
  for (const GameSummary& game : games) {
    writer.u64(game.game_index);
    writer.u64(game.seed);
    writer.u8(static_cast<std::uint8_t>(game.status));
    writer.u32(game.actions);
    writer.u64(game.winners.size());
    for (int winner : game.winners) {
      writer.u32(static_cast<std::uint32_t>(winner));
    }
  }
}

std::string serialize_summaries(const std::vector<GameSummary>& games) {
  BinaryWriter writer;
  write_summaries(games, writer);
  return std::move(writer).bytes();
}

std::vector<GameSummary> read_summaries(BinaryReader& reader,
                                        bool& values_valid) {
  // The smallest summary: index, seed, status, actions, no winners.
  constexpr std::size_t kMinSummaryBytes = 8 + 8 + 1 + 4 + 8;
  std::vector<GameSummary> games(reader.count(kMinSummaryBytes));
  for (GameSummary& game : games) {
    game.game_index = reader.u64();
    game.seed = reader.u64();
    const std::uint8_t status = reader.u8();
    values_valid &= status <= static_cast<std::uint8_t>(GameStatus::kFailed);
    game.status = static_cast<GameStatus>(status);
    game.actions = reader.u32();
    game.winners.resize(reader.count(4));
    for (int& winner : game.winners) {
      const std::uint32_t seat = reader.u32();
      values_valid &=
          seat <= static_cast<std::uint32_t>(std::numeric_limits<int>::max());
      winner = static_cast<int>(seat);
    }
  }
  return games;
}

absl::StatusOr<std::vector<GameSummary>> parse_summaries(
    std::string_view bytes) {
  BinaryReader reader(bytes);
  bool values_valid = true;
  std::vector<GameSummary> games = read_summaries(reader, values_valid);
  if (!reader.ok() || !reader.at_end() || !values_valid) {
    return absl::DataLossError("malformed game summaries");
  }
  return games;
}

}  // namespace selfplay
