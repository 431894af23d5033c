// What `selfplay scale` prints and writes: the run header (machine, build,
// load, command line), a table per experiment, the times alone for scripts
// (--silent), and scaling.csv / scaling.json, whose columns and keys
// docs/scaling.md documents.
//
//   ScaleRun run = ...;  // header fields, settings, experiment results
//   std::fputs(run_header(run).c_str(), stdout);
//   std::fputs(experiment_table(run, run.experiments[0]).c_str(), stdout);
//   write_file_atomically(dir + "/scaling.csv", scaling_csv(run));
#ifndef SELFPLAY_CLI_SCALING_REPORT_H_
#define SELFPLAY_CLI_SCALING_REPORT_H_

#include <array>
#include <string>
#include <vector>

#include "cli/machine_info.h"
#include "cli/scaling_experiments.h"
#include "nlohmann/json.hpp"

namespace selfplay::cli {

inline constexpr int kScalingSchemaVersion = 1;

struct ScaleRun {
  std::string command;      // as typed, to reproduce the run
  std::string started_utc;  // ISO 8601
  MachineInfo machine;
  std::array<double, 3> load_before = {-1, -1, -1};
  std::array<double, 3> load_after = {-1, -1, -1};
  std::string policy;
  const ScaleSettings* settings = nullptr;  // not owned
  std::vector<ExperimentResult> experiments;
};

// The thread counts above the available threads.
std::vector<int> oversubscribed_threads(const ScaleRun& run);

// Machine, build, load, settings and command line, and a warning line for
// oversubscribed thread counts.
std::string run_header(const ScaleRun& run);

// One experiment as an aligned table, with its fits and checks below.
std::string experiment_table(const ScaleRun& run,
                             const ExperimentResult& experiment);

// --silent: one line per point, "experiment<TAB>variant<TAB>threads<TAB>
// games<TAB>median seconds"; the variant of a granularity point ends in
// "/work=N".
std::string silent_times(const ExperimentResult& experiment);

// A row per point; empty cells where a column does not apply.
std::string scaling_csv(const ScaleRun& run);

nlohmann::ordered_json scaling_json(const ScaleRun& run);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_SCALING_REPORT_H_
