// `selfplay records`: reads a records file that `simulate --records` wrote.
//
//   selfplay records stats games.sprec [--json out.json] [--report out.html]
//       [--top K]
//       the statistics of the run that wrote it, recomputed from its games:
//       the same summary, JSON and HTML report as simulate (timing aside)
//   selfplay records export games.sprec --csv > decisions.csv
//       one row per decision (RFC 4180: fields quoted where needed)
//   selfplay records fit games.sprec [--json fit.json] [--l2 LAMBDA]
//       the joint logistic model of the outcome on all features, with
//       game-clustered standard errors (the file is read twice, never held
//       in memory)
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "cli/command.h"
#include "io/output_file.h"
#include "selfplay/logistic_model.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"
#include "selfplay/result_output.h"
#include "simulation/game_tally.h"

namespace selfplay::cli {
namespace {

constexpr std::string_view kCommand = "records";

struct RecordsFlags {
  std::string file;
  ResultFiles files;  // stats: --json, --report, --top; fit: --json
  bool keep_games = false;
  bool csv = false;
  double l2 = 1.0;
};

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

int run_stats(const RecordsFlags& flags) {
  const ResultFiles& files = flags.files;
  if (absl::Status status = check_result_files(files); !status.ok()) {
    return usage_error(kCommand, status);
  }
  // An output would replace the records it is computed from.
  if (absl::Status status =
          check_distinct_outputs({{"the records file", flags.file},
                                  {"--json", files.json},
                                  {"--report", files.report}});
      !status.ok()) {
    return usage_error(kCommand, status);
  }
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(flags.file);
  if (!reader.ok()) return usage_error(kCommand, reader.status());
  absl::StatusOr<SimulationResult> result =
      result_from_records(*reader, flags.keep_games);
  if (!result.ok()) return usage_error(kCommand, result.status());
  std::fputs(result_summary(*result, files.top).c_str(), stdout);
  if (absl::Status status = write_result_files(*result, files); !status.ok()) {
    return run_error(kCommand, status);
  }
  return kExitOk;
}

// A CSV field (RFC 4180): quoted, its quotes doubled, when it holds a comma,
// a quote or a line break. Feature ids and action kinds are the game's text.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The deciding player's outcome: 1 win, 0 loss, 0.5 draw or shared win
// (as the statistics count it); empty when the game did not complete.
std::string outcome_of(const GameRecord& record, int player) {
  if (record.status != GameStatus::kCompleted) return "";
  static constexpr const char* kByHalfUnits[] = {"0", "0.5", "1"};
  return kByHalfUnits[outcome_half_units(record.winners, player)];
}

int run_export(const RecordsFlags& flags) {
  if (!flags.csv) {
    return usage_error(kCommand, absl::InvalidArgumentError(
                                     "records export needs a format: --csv"));
  }
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(flags.file);
  if (!reader.ok()) return usage_error(kCommand, reader.status());
  const RecordFileHeader& header = reader->header();
  const std::vector<std::string>& kinds = header.config.action_kinds;
  std::string row =
      "game_index,seed,status,decision,player,outcome,taken,available";
  for (const FeatureInfo& feature : header.features) {
    absl::StrAppend(&row, ",", csv_field(feature.id));
  }
  row += '\n';
  std::fputs(row.c_str(), stdout);
  std::vector<std::string> available;
  const absl::Status status =
      for_each_game(*reader, [&](const GameRecord& record) {
        const std::string game =
            absl::StrCat(record.game_index, ",", record.seed, ",",
                         game_status_name(record.status));
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
          if (std::fwrite(row.data(), 1, row.size(), stdout) != row.size()) {
            return absl::UnavailableError("cannot write to stdout");
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok() && !absl::IsUnavailable(status)) {
    return usage_error(kCommand, status);  // the file is corrupt
  }
  if (std::fflush(stdout) != 0 || !status.ok()) {
    return run_error(kCommand,
                     absl::UnavailableError("cannot write to stdout"));
  }
  return kExitOk;
}

// Each pass opens the file again, so that memory holds one game at a time.
int run_fit(const RecordsFlags& flags) {
  const std::string& path = flags.file;
  const std::string& json_path = flags.files.json;
  if (!json_path.empty()) {
    if (absl::Status status = check_writable(json_path); !status.ok()) {
      return usage_error(kCommand, status);
    }
    if (absl::Status status = check_distinct_outputs(
            {{"the records file", path}, {"--json", json_path}});
        !status.ok()) {
      return usage_error(kCommand, status);
    }
  }
  absl::StatusOr<RecordFileReader> first = RecordFileReader::open(path);
  if (!first.ok()) return usage_error(kCommand, first.status());
  const RecordFileHeader header = first->header();
  LogisticOptions options;
  options.l2 = flags.l2;
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
  if (!fit.ok()) return usage_error(kCommand, fit.status());
  std::fputs(fit_summary(header, *fit).c_str(), stdout);
  if (!json_path.empty()) {
    if (absl::Status status =
            write_file_atomically(json_path, fit_json(header, *fit));
        !status.ok()) {
      return run_error(kCommand, status);
    }
  }
  return kExitOk;
}

CLI::App* add_action(CLI::App& records, const char* name, const char* summary,
                     RecordsFlags& flags) {
  CLI::App* action = records.add_subcommand(name, summary);
  action->add_option("file", flags.file, "the records file")->required();
  return action;
}

}  // namespace

CommandRun add_records_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "records",
      "read a records file: `records stats FILE` recomputes the run's "
      "statistics, `records export FILE --csv` writes its decisions, "
      "`records fit FILE` fits the joint logistic model of the features");
  command->require_subcommand(1);
  auto flags = std::make_shared<RecordsFlags>();
  CLI::App* stats =
      add_action(*command, "stats",
                 "the run's statistics, recomputed from its games", *flags);
  stats->add_option("--json", flags->files.json,
                    "write the full result as JSON to this file");
  stats->add_option("--report", flags->files.report,
                    "write the HTML page of the result to this file");
  stats
      ->add_option("--top", flags->files.top,
                   "features to show, strongest |phi| first")
      ->check(within(Limit<int>{0, 1 << 20}))
      ->capture_default_str();
  stats->add_flag("--keep-games", flags->keep_games,
                  "a summary of every game in --json");
  CLI::App* exported =
      add_action(*command, "export", "the decisions as CSV on stdout", *flags);
  exported->add_flag("--csv", flags->csv,
                     "write CSV, one row per decision, to stdout");
  CLI::App* fit = add_action(
      *command, "fit",
      "the joint logistic model of the outcome on all features", *flags);
  fit->add_option("--json", flags->files.json,
                  "write the fit as JSON to this file");
  fit->add_option("--l2", flags->l2,
                  "the L2 penalty (lambda / 2) * |coefficients|^2 on the "
                  "log-likelihood summed over decisions (the intercept is not "
                  "penalised)")
      ->check(within(Limit<double>{0, 1e12}))
      ->capture_default_str();
  return [stats, exported, flags] {
    if (stats->parsed()) return run_stats(*flags);
    return exported->parsed() ? run_export(*flags) : run_fit(*flags);
  };
}

}  // namespace selfplay::cli
