// The report of scaling experiments (selfplay/scaling.h), as `selfplay scale`
// prints and writes it: the run header (machine, build, load, command line),
// a table per experiment, the times alone for scripts (--silent), and
// scaling.csv / scaling.json, whose columns and keys docs/scaling.md
// documents, and the figures, drawn by gnuplot (pngcairo) from
// self-contained scripts written beside the CSV, so that a figure can be
// redrawn or restyled by running `gnuplot speedup.gp` in the output folder:
//   speedup.png, efficiency.png  strong and weak scaling against threads
//   granularity.png              efficiency against the cost of a game
//   schedulers.png               time and load imbalance per scheduler
//   memory.png                   peak RSS against games played
// Each plots the median of the timed runs with min-max error bars.
//
//   ScaleRun run = {.command = command_line(), .started_utc = utc_timestamp(),
//                   .machine = describe_machine()};  // then the results
//   std::fputs(run_header(run).c_str(), stdout);
//   std::fputs(experiment_table(run, run.experiments[0]).c_str(), stdout);
//   std::string csv = scaling_csv(run);
//   std::vector<PlotScript> scripts = plot_scripts(run);
//   // write each as <directory>/<name>.gp, then:
//   absl::Status drawn = draw_plots("/usr/bin/gnuplot", directory, scripts);
#ifndef SELFPLAY_SCALING_REPORT_H_
#define SELFPLAY_SCALING_REPORT_H_

#include <array>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/scaling.h"

namespace selfplay {

inline constexpr int kScalingSchemaVersion = 1;

// What a benchmark result depends on: the processor, the cores this process
// may use, the load other programs put on the machine, and how selfplay was
// built.
struct MachineInfo {
  std::string cpu_model;  // "model name" from /proc/cpuinfo, or "unknown"
  int logical_cores = 0;  // hardware threads of the machine
  // Distinct (physical id, core id) pairs in /proc/cpuinfo; the logical
  // count when the file does not say.
  int physical_cores = 0;
  // Threads oneTBB uses by default: the cores this process's affinity mask
  // allows. More threads than this are oversubscribed.
  int available_threads = 0;
  std::string hostname;
  std::string os;                   // kernel name and release
  std::string compiler;             // "g++ 12.2.0"
  std::string build_type;           // CMake's, e.g. "Release"
  std::string tbb_version;          // the headers compiled against
  std::string tbb_runtime_version;  // the library loaded
};

MachineInfo describe_machine();

// The 1, 5 and 15 minute load averages (/proc/loadavg); -1 when unknown.
std::array<double, 3> load_average();

// UTC now, ISO 8601 ("2024-05-01T12:00:00Z").
std::string utc_timestamp();

// This process's command line from /proc/self/cmdline, each argument quoted
// for a POSIX shell where it needs to be, so that it can be pasted back.
std::string command_line();

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

// The scaling.json document (docs/scaling.md), indented, with a final
// newline.
std::string scaling_json(const ScaleRun& run);

struct PlotScript {
  std::string name;    // "speedup": speedup.gp draws speedup.png
  std::string script;  // gnuplot commands, the data inline
};

// The figures the run's experiments call for (none for an experiment that
// did not run).
std::vector<PlotScript> plot_scripts(const ScaleRun& run);

// Runs `gnuplot` on <directory>/<name>.gp for each script (already written),
// drawing to a temporary file renamed to <name>.png when complete. Internal
// with gnuplot's message when it fails.
[[nodiscard]] absl::Status draw_plots(const std::string& gnuplot,
                                      const std::string& directory,
                                      const std::vector<PlotScript>& scripts);

// Writes scaling.csv, scaling.json and the plot scripts into `directory`
// (atomically, see the CLI's --out), then, when `gnuplot` (a path; empty:
// none) is given, draws the plots. The names of the files written, the
// figures last; the first write error, or draw_plots' error.
[[nodiscard]] absl::StatusOr<std::vector<std::string>> write_scaling_files(
    const ScaleRun& run, const std::string& directory,
    const std::string& gnuplot);

}  // namespace selfplay

#endif  // SELFPLAY_SCALING_REPORT_H_
