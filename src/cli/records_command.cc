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
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "io/output_file.h"
#include "selfplay/logistic_model.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"
#include "selfplay/result_output.h"

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

int run_export(const RecordsFlags& flags) {
  if (!flags.csv) {
    return usage_error(kCommand, absl::InvalidArgumentError(
                                     "records export needs a format: --csv"));
  }
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(flags.file);
  if (!reader.ok()) return usage_error(kCommand, reader.status());
  const absl::Status status = write_decisions_csv(*reader, std::cout);
  if (!status.ok() && !absl::IsUnavailable(status)) {
    return usage_error(kCommand, status);  // the file is corrupt
  }
  if (!std::cout.flush() || !status.ok()) {
    return run_error(kCommand,
                     absl::UnavailableError("cannot write to stdout"));
  }
  return kExitOk;
}

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
  LogisticOptions options;
  options.l2 = flags.l2;
  absl::StatusOr<LogisticFit> fit = fit_records(path, options);
  if (!fit.ok()) return usage_error(kCommand, fit.status());
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
  if (!reader.ok()) return usage_error(kCommand, reader.status());
  const RecordFileHeader& header = reader->header();
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
