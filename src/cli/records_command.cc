// `selfplay records`: reads a records file that `simulate --records` wrote.
//
//   selfplay records stats games.sprec [--json out.json] [--report out.html]
//       [--top K]
//       the statistics of the run that wrote it, recomputed from its games:
//       the same summary, JSON and HTML report as simulate (timing aside)
//   selfplay records export games.sprec --csv > decisions.csv
//       one row per decision
//   selfplay records fit games.sprec [--json fit.json] [--l2 LAMBDA]
//       the joint logistic model of the outcome on all features, with
//       game-clustered standard errors (the file is read twice, never held
//       in memory)
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/command.h"
#include "cli/logistic_report.h"
#include "io/output_file.h"
#include "io/utf8.h"
#include "selfplay/logistic_model.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"
#include "selfplay/result_output.h"
#include "simulation/game_tally.h"

ABSL_DECLARE_FLAG(std::string, json);
ABSL_DECLARE_FLAG(std::string, report);
ABSL_DECLARE_FLAG(int, top);
ABSL_DECLARE_FLAG(bool, keep_games);
ABSL_FLAG(bool, csv, false,
          "records export: write CSV, one row per decision, to stdout");
ABSL_FLAG(double, l2, 1.0,
          "records fit: the L2 penalty (lambda / 2) * |coefficients|^2 on the "
          "log-likelihood summed over decisions (>= 0; the intercept is not "
          "penalised)");

namespace selfplay::cli {
namespace {

// A file's games read to the end: DataLoss for a corrupt or truncated file.
template <typename Visit>
absl::Status for_each_game(RecordFileReader& reader, Visit visit) {
  GameRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.next(record);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (absl::Status status = visit(record); !status.ok()) return status;
  }
}

// The statistics of the run that wrote the file, recomputed from its games.
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
  if (absl::Status status = for_each_game(
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
  // The timing of the recount, so that the summary's timing line says how
  // fast the file was read rather than showing zeros.
  result.timing.wall_s = absl::ToDoubleSeconds(absl::Now() - start);
  result.timing.threads = 1;
  result.timing.games_per_s =
      result.timing.wall_s > 0 ? result.counts.games / result.timing.wall_s : 0;
  return result;
}

int run_stats(const Command& command, const std::string& records_path,
              RecordFileReader& reader) {
  const ResultFiles files = {.json = absl::GetFlag(FLAGS_json),
                             .report = absl::GetFlag(FLAGS_report),
                             .top = absl::GetFlag(FLAGS_top)};
  if (absl::Status status = check_result_files(files); !status.ok()) {
    return usage_error(command, status);
  }
  // An output would replace the records it is computed from.
  if (absl::Status status =
          check_distinct_outputs({{"the records file", records_path},
                                  {"--json", files.json},
                                  {"--report", files.report}});
      !status.ok()) {
    return usage_error(command, status);
  }
  absl::StatusOr<SimulationResult> result =
      result_from_records(reader, absl::GetFlag(FLAGS_keep_games));
  if (!result.ok()) return usage_error(command, result.status());
  std::fputs(result_summary(*result, absl::GetFlag(FLAGS_top)).c_str(), stdout);
  if (absl::Status status = write_result_files(*result, files); !status.ok()) {
    std::fprintf(stderr, "selfplay records: %s\n",
                 std::string(status.message()).c_str());
    return kExitFailure;
  }
  return kExitOk;
}

// The deciding player's outcome: 1 win, 0 loss, 0.5 draw or shared win
// (as the statistics count it); empty when the game did not complete.
std::string outcome_of(const GameRecord& record, int player) {
  if (record.status != GameStatus::kCompleted) return "";
  static constexpr const char* kByHalfUnits[] = {"0", "0.5", "1"};
  return kByHalfUnits[outcome_half_units(record.winners, player)];
}

int run_export(const Command& command, RecordFileReader& reader) {
  if (!absl::GetFlag(FLAGS_csv)) {
    return usage_error(command, absl::InvalidArgumentError(
                                    "records export needs a format: --csv"));
  }
  const RecordFileHeader& header = reader.header();
  std::string row =
      "game_index,seed,status,decision,player,outcome,taken,available";
  for (const FeatureInfo& feature : header.features) {
    absl::StrAppend(&row, ",", feature.id);
  }
  row += '\n';
  std::fputs(row.c_str(), stdout);
  std::vector<std::string> available;
  const absl::Status status =
      for_each_game(reader, [&](const GameRecord& record) {
        const std::string game =
            absl::StrCat(record.game_index, ",", record.seed, ",",
                         game_status_name(record.status));
        for (std::size_t d = 0; d < record.decisions.size(); ++d) {
          const RecordedDecision& decision = record.decisions[d];
          available.clear();
          for (std::size_t kind = 0; kind < header.config.action_kinds.size();
               ++kind) {
            if (decision.available_kinds >> kind & 1) {
              available.push_back(header.config.action_kinds[kind]);
            }
          }
          row = absl::StrCat(game, ",", d, ",", decision.player, ",",
                             outcome_of(record, decision.player), ",",
                             header.config.action_kinds[decision.taken], ",",
                             absl::StrJoin(available, "|"));
          const std::uint64_t* bits =
              record.feature_bits.data() + d * record.feature_words;
          for (std::size_t f = 0; f < header.features.size(); ++f) {
            row += (bits[f / 64] >> (f % 64) & 1) ? ",1" : ",0";
          }
          row += '\n';
          if (std::fwrite(row.data(), 1, row.size(), stdout) != row.size()) {
            return absl::UnavailableError("cannot write to stdout");
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok() && !absl::IsUnavailable(status)) {
    return usage_error(command, status);  // the file is corrupt
  }
  if (std::fflush(stdout) != 0 || !status.ok()) {
    std::fputs("selfplay records: cannot write to stdout\n", stderr);
    return kExitFailure;
  }
  return kExitOk;
}

// Each pass opens the file again, so that memory holds one game at a time.
int run_fit(const Command& command, const std::string& path,
            const RecordFileHeader& header) {
  const std::string json_path = absl::GetFlag(FLAGS_json);
  if (!json_path.empty()) {
    if (absl::Status status = check_writable(json_path); !status.ok()) {
      return usage_error(command, status);
    }
    if (absl::Status status = check_distinct_outputs(
            {{"the records file", path}, {"--json", json_path}});
        !status.ok()) {
      return usage_error(command, status);
    }
  }
  LogisticOptions options;
  options.l2 = absl::GetFlag(FLAGS_l2);
  const GameReplay replay = [&](GameVisitor visit) -> absl::Status {
    absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
    if (!reader.ok()) return reader.status();
    if (!(reader->header() == header)) {
      return absl::DataLossError(
          absl::StrCat(path, " changed while it was being read"));
    }
    return for_each_game(*reader, visit);
  };
  absl::StatusOr<LogisticFit> fit =
      fit_logistic(static_cast<int>(header.features.size()), replay, options);
  if (!fit.ok()) return usage_error(command, fit.status());
  std::fputs(fit_summary(header, *fit).c_str(), stdout);
  if (!json_path.empty()) {
    if (absl::Status status = write_file_atomically(
            json_path, json_text(fit_to_json(header, *fit), 2) + "\n");
        !status.ok()) {
      std::fprintf(stderr, "selfplay records: %s\n",
                   std::string(status.message()).c_str());
      return kExitFailure;
    }
  }
  return kExitOk;
}

int run_records(const std::vector<std::string>& arguments) {
  const Command& command = kRecordsCommand;
  if (arguments.size() != 2 ||
      (arguments[0] != "stats" && arguments[0] != "export" &&
       arguments[0] != "fit")) {
    return usage_error(command,
                       absl::InvalidArgumentError(
                           "usage: selfplay records stats|export|fit FILE"));
  }
  absl::StatusOr<RecordFileReader> reader =
      RecordFileReader::open(arguments[1]);
  if (!reader.ok()) return usage_error(command, reader.status());
  if (arguments[0] == "fit") {
    return run_fit(command, arguments[1], reader->header());
  }
  return arguments[0] == "stats" ? run_stats(command, arguments[1], *reader)
                                 : run_export(command, *reader);
}

}  // namespace

const Command kRecordsCommand = {
    "records",
    "read a records file: `records stats FILE` recomputes the run's "
    "statistics, `records export FILE --csv` writes its decisions, "
    "`records fit FILE` fits the joint logistic model of the features",
    {"json", "report", "top", "keep_games", "csv", "l2"},
    run_records,
    /*takes_arguments=*/true};

}  // namespace selfplay::cli
