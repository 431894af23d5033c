// What is computed from a records file (selfplay/record_file.h): the run's
// result, the decisions as CSV, the logistic fit.
#include <ostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "selfplay/record_file.h"
#include "simulation/game_tally.h"

namespace selfplay {
namespace {

// A CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma,
// a quote or a line break. Feature ids and action kinds are a game's text.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The deciding player's outcome as the statistics count it; empty when the
// game did not complete.
std::string outcome_of(const GameRecord& record, int player) {
  if (record.status != GameStatus::kCompleted) return "";
  static constexpr const char* kByHalfUnits[] = {"0", "0.5", "1"};
  return kByHalfUnits[outcome_half_units(record.winners, player)];
}

}  // namespace

absl::Status for_each_record(
    RecordFileReader& reader,
    absl::FunctionRef<absl::Status(const GameRecord&)> visit) {
  GameRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.next(record);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (absl::Status status = visit(record); !status.ok()) return status;
  }
}

absl::Status write_decisions_csv(RecordFileReader& reader, std::ostream& out) {
  const RecordFileHeader& header = reader.header();
  const std::vector<std::string>& kinds = header.config.action_kinds;
  std::string row =
      "game_index,seed,status,decision,player,outcome,taken,available";
  for (const FeatureInfo& feature : header.features) {
    absl::StrAppend(&row, ",", csv_field(feature.id));
  }
  row += '\n';
  out << row;
  std::vector<std::string> available;
  return for_each_record(reader, [&](const GameRecord& record) {
    const std::string game = absl::StrCat(record.game_index, ",", record.seed,
                                          ",", game_status_name(record.status));
    for (std::size_t d = 0; d < record.decisions.size(); ++d) {
      const RecordedDecision& decision = record.decisions[d];
      available.clear();
      for (std::size_t kind = 0; kind < kinds.size(); ++kind) {
        if (decision.available_kinds >> kind & 1) {
          available.push_back(kinds[kind]);
        }
      }
      row = absl::StrCat(game, ",", d, ",", decision.player, ",",
                         outcome_of(record, decision.player), ",",
                         csv_field(kinds[decision.taken]), ",",
                         csv_field(absl::StrJoin(available, "|")));
      const std::uint64_t* bits =
          record.feature_bits.data() + d * record.feature_words;
      for (std::size_t f = 0; f < header.features.size(); ++f) {
        row += (bits[f / 64] >> (f % 64) & 1) ? ",1" : ",0";
      }
      row += '\n';
      if (!out.write(row.data(), row.size())) {
        return absl::UnavailableError("cannot write the CSV");
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<LogisticFit> fit_records(const std::string& path,
                                        const LogisticOptions& options) {
  absl::StatusOr<RecordFileReader> first = RecordFileReader::open(path);
  if (!first.ok()) return first.status();
  const RecordFileHeader header = first->header();
  // Each pass opens the file again, so that memory holds one game at a time.
  const GameReplay replay = [&](GameVisitor visit) -> absl::Status {
    absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
    if (!reader.ok()) return reader.status();
    if (!(reader->header() == header)) {
      return absl::DataLossError(
          absl::StrCat(path, " changed while it was being read"));
    }
    return for_each_record(*reader, visit);
  };
  return fit_logistic(static_cast<int>(header.features.size()), replay,
                      options);
}

absl::StatusOr<SimulationResult> result_from_records(RecordFileReader& reader,
                                                     bool keep_games) {
  const absl::Time start = absl::Now();
  const RecordFileHeader& header = reader.header();
  SimulationResult result;
  result.game = header.config.game;
  result.players = header.config.players;
  result.seed = header.config.seed;
  result.requested = header.config.games;
  result.features = header.features;
  result.action_kinds = header.config.action_kinds;
  result.counts = make_counts_for(header.config);
  RecordCounter counter(header.config.players,
                        static_cast<int>(header.features.size()),
                        static_cast<int>(header.config.action_kinds.size()));
  if (absl::Status status = for_each_record(
          reader,
          [&](const GameRecord& record) {
            if (keep_games) {
              result.games.push_back(
                  {record.game_index, record.seed, record.status,
                   static_cast<std::uint32_t>(record.decisions.size()),
                   record.winners});
            }
            return counter.add(record, result.counts);
          });
      !status.ok()) {
    return status;
  }
  if (result.counts.games > result.requested) {
    return absl::DataLossError(
        absl::StrCat("the file holds ", result.counts.games,
                     " games of a run of ", result.requested));
  }
  result.cancelled = result.requested - result.counts.games;
  // The timing of the recount, so that a summary's timing line says how fast
  // the file was read rather than showing zeros.
  result.timing.wall_s = absl::ToDoubleSeconds(absl::Now() - start);
  result.timing.threads = 1;
  result.timing.games_per_s =
      result.timing.wall_s > 0 ? result.counts.games / result.timing.wall_s : 0;
  return result;
}

}  // namespace selfplay
