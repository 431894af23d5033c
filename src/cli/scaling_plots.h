// The figures of `selfplay scale`, drawn by gnuplot (pngcairo) from
// self-contained scripts written beside the CSV, so that a figure can be
// redrawn or restyled by running `gnuplot speedup.gp` in the output folder:
//   speedup.png, efficiency.png  strong and weak scaling against threads
//   granularity.png              efficiency against the cost of a game
//   schedulers.png               time and load imbalance per scheduler
//   memory.png                   peak RSS against games played
// Each plots the median of the timed runs with min-max error bars.
//
//   std::vector<PlotScript> scripts = plot_scripts(run);
//   // write each as <directory>/<name>.gp, then:
//   absl::Status drawn = draw_plots("/usr/bin/gnuplot", directory, scripts);
#ifndef SELFPLAY_CLI_SCALING_PLOTS_H_
#define SELFPLAY_CLI_SCALING_PLOTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cli/scaling_report.h"

namespace selfplay::cli {

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

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_SCALING_PLOTS_H_
