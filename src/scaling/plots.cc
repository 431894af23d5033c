#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "io/output_file.h"
#include "scaling/child_process.h"
#include "selfplay/scaling_report.h"

namespace selfplay {
namespace {

// A gnuplot double-quoted string ("\n" in it is a line break).
std::string quoted(const std::string& text) {
  std::string result = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') result += '\\';
    if (c == '\n') {
      result += "\\n";
    } else {
      result += c;
    }
  }
  return result + "\"";
}

const ExperimentResult* find(const ScaleRun& run, Experiment experiment) {
  for (const ExperimentResult& result : run.experiments) {
    if (result.experiment == experiment) return &result;
  }
  return nullptr;
}

std::string preamble(const std::string& name, const std::string& title,
                     int width, int height) {
  return absl::StrCat("# Drawn by `selfplay scale`; redraw with: gnuplot ",
                      name, ".gp\n",
                      "if (!exists(\"output_file\")) output_file = \"", name,
                      ".png\"\n", "set terminal pngcairo size ", width, ",",
                      height, " font \"sans,10\" noenhanced\n",
                      "set output output_file\n"
                      "set title ",
                      quoted(title),
                      "\n"
                      "set grid\n"
                      "set key top left box opaque\n"
                      "set bars small\n");
}

// The machine line under every title, so a figure never leaves its context.
std::string machine_line(const ScaleRun& run) {
  return absl::StrFormat(
      "%s, %d logical / %d physical cores; load %.2f before the run; %s %s",
      run.machine.cpu_model, run.machine.logical_cores,
      run.machine.physical_cores, run.load_before[0], run.machine.compiler,
      run.machine.build_type);
}

// The thread axis: labelled at the measured counts, log2 for wide ladders,
// with the oversubscribed region shaded.
std::string thread_axis(const ScaleRun& run) {
  const std::vector<int>& threads = run.settings->threads;
  const int low = threads.front();
  const int high = threads.back();
  const bool log_scale = high >= 8 * low;
  std::vector<std::string> tics;
  for (int count : threads) tics.push_back(absl::StrCat(count));
  std::string axis = absl::StrCat("set xlabel \"threads\"\nset xtics (",
                                  absl::StrJoin(tics, ", "), ")\n");
  if (log_scale) {
    absl::StrAppend(
        &axis, "set logscale x 2\n",
        absl::StrFormat("set xrange [%g:%g]\n", low / 1.3, high * 1.3));
  } else {
    absl::StrAppend(
        &axis, absl::StrFormat("set xrange [%g:%g]\n", low - 0.5, high + 0.5));
  }
  const int available = run.machine.available_threads;
  if (high > available) {
    const double from = log_scale ? available * 1.15 : available + 0.5;
    absl::StrAppend(
        &axis,
        absl::StrFormat("set object 1 rect from %g, graph 0 to graph 1, graph "
                        "1 fc rgb \"#eeeeee\" fs solid noborder behind\n",
                        from),
        absl::StrFormat("set label 1 \"oversubscribed\" at %g, graph 0.95\n",
                        from * (log_scale ? 1.05 : 1.0) + 0.05));
  }
  return axis;
}

// "x median min max" lines of a datablock, for the points `select` keeps.
std::string datablock(
    const std::string& name, const ExperimentResult& experiment,
    const std::function<bool(const PointResult&)>& select,
    const std::function<std::array<double, 4>(const PointResult&)>& values) {
  std::string block = absl::StrCat("$", name, " << EOD\n");
  for (const PointResult& point : experiment.points) {
    if (!select(point)) continue;
    const std::array<double, 4> v = values(point);
    absl::StrAppend(&block, absl::StrFormat("%.6g %.6g %.6g %.6g\n", v[0], v[1],
                                            v[2], v[3]));
  }
  return absl::StrCat(block, "EOD\n");
}

bool any_point(const PointResult&) { return true; }

std::array<double, 4> speedup_values(const PointResult& point) {
  return {static_cast<double>(point.threads), point.speedup->median,
          point.speedup->min, point.speedup->max};
}

// Efficiency = speedup x first / threads, so its bars scale the same way.
std::function<std::array<double, 4>(const PointResult&)> efficiency_values(
    int first_threads) {
  return [first_threads](const PointResult& point) {
    const double scale = static_cast<double>(first_threads) / point.threads;
    return std::array<double, 4>{
        static_cast<double>(point.threads), point.speedup->median * scale,
        point.speedup->min * scale, point.speedup->max * scale};
  };
}

std::string game_line(const ScaleRun& run) {
  return absl::StrCat(run.settings->game->name(), ", ", run.policy, " policy, ",
                      run.settings->features.size(), " features");
}

PlotScript speedup_plot(const ScaleRun& run, const ExperimentResult* strong,
                        const ExperimentResult* weak) {
  const int first = run.settings->threads.front();
  std::string script =
      preamble("speedup",
               absl::StrCat("Speedup: ", game_line(run), "; median of ",
                            run.settings->repeat, " runs, bars min-max\n",
                            machine_line(run)),
               860, 560);
  absl::StrAppend(&script, thread_axis(run), "set ylabel \"speedup over ",
                  first, first == 1 ? " thread" : " threads",
                  "\"\nset yrange [0:*]\n");
  std::vector<std::string> plots = {
      absl::StrCat("x / ", first,
                   ".0 with lines dt 2 lc rgb \"gray40\" "
                   "title \"ideal\"")};
  if (strong != nullptr) {
    absl::StrAppend(&script,
                    datablock("strong", *strong, any_point, speedup_values));
    plots.push_back(absl::StrCat(
        "$strong using 1:2:3:4 with yerrorlines pt 7 lw 2 title \"strong (",
        run.settings->games, " games)\""));
  }
  if (weak != nullptr) {
    absl::StrAppend(&script,
                    datablock("weak", *weak, any_point, speedup_values));
    plots.push_back(absl::StrCat(
        "$weak using 1:2:3:4 with yerrorlines pt 5 lw 2 title \"weak, scaled (",
        run.settings->games_per_thread, " games per thread)\""));
  }
  absl::StrAppend(&script, "plot ", absl::StrJoin(plots, ", \\\n     "), "\n");
  return {"speedup", script};
}

PlotScript efficiency_plot(const ScaleRun& run, const ExperimentResult* strong,
                           const ExperimentResult* weak) {
  const int first = run.settings->threads.front();
  std::string script =
      preamble("efficiency",
               absl::StrCat("Parallel efficiency: ", game_line(run),
                            "; median of ", run.settings->repeat,
                            " runs, bars min-max\n", machine_line(run)),
               860, 560);
  absl::StrAppend(&script, thread_axis(run),
                  "set ylabel \"efficiency\"\nset yrange [0:1.2]\n");
  std::vector<std::string> plots = {
      "1 with lines dt 2 lc rgb \"gray40\" title \"ideal\""};
  if (strong != nullptr) {
    absl::StrAppend(&script, datablock("strong", *strong, any_point,
                                       efficiency_values(first)));
    plots.push_back(
        "$strong using 1:2:3:4 with yerrorlines pt 7 lw 2 title \"strong\"");
  }
  if (weak != nullptr) {
    absl::StrAppend(
        &script, datablock("weak", *weak, any_point, efficiency_values(first)));
    plots.push_back(
        "$weak using 1:2:3:4 with yerrorlines pt 5 lw 2 title \"weak\"");
  }
  absl::StrAppend(&script, "plot ", absl::StrJoin(plots, ", \\\n     "), "\n");
  return {"efficiency", script};
}

PlotScript granularity_plot(const ScaleRun& run,
                            const ExperimentResult& experiment) {
  const int first = run.settings->threads.front();
  const int most = run.settings->threads.back();
  std::string script =
      preamble("granularity",
               absl::StrCat("Granularity: ", game_line(run),
                            " + work knob; efficiency "
                            "at ",
                            most, " threads, median of ", run.settings->repeat,
                            " runs\n", machine_line(run)),
               860, 560);
  absl::StrAppend(&script,
                  "set logscale x 10\n"
                  "set xlabel \"cost of one game on one thread (us)\"\n"
                  "set ylabel \"efficiency at ",
                  most, " threads\"\n", "set yrange [0:1.2]\n");
  const auto values = [first, most](const PointResult& point) {
    const double scale = static_cast<double>(first) / most;
    return std::array<double, 4>{
        *point.per_game_us, point.speedup->median * scale,
        point.speedup->min * scale, point.speedup->max * scale};
  };
  std::vector<std::string> plots = {
      "1 with lines dt 2 lc rgb \"gray40\" title \"ideal\""};
  for (const char* variant : {"adaptive-batches", "one-game-per-task"}) {
    const std::string name = variant[0] == 'a' ? "adaptive" : "pergame";
    absl::StrAppend(&script, datablock(
                                 name, experiment,
                                 [variant, most](const PointResult& point) {
                                   return point.variant == variant &&
                                          point.threads == most;
                                 },
                                 values));
    plots.push_back(absl::StrCat("$", name,
                                 " using 1:2:3:4 with yerrorlines pt 7 lw 2 "
                                 "title \"",
                                 variant, "\""));
  }
  absl::StrAppend(&script, "plot ", absl::StrJoin(plots, ", \\\n     "), "\n");
  return {"granularity", script};
}

PlotScript schedulers_plot(const ScaleRun& run,
                           const ExperimentResult& experiment) {
  // The title goes to the whole page; each panel gets its own.
  const std::string title =
      absl::StrCat("Schedulers: ", game_line(run), ", ", run.settings->games,
                   " games; median of ", run.settings->repeat,
                   " runs, bars min-max\n", machine_line(run));
  std::string script = preamble("schedulers", title, 1200, 540);
  absl::StrAppend(&script, "unset title\nset multiplot layout 1,2 title ",
                  quoted(title), "\n", thread_axis(run));
  const std::vector<const char*> schedulers = {
      "work-stealing", "static-partition", "central-queue"};
  std::vector<std::string> time_plots, imbalance_plots;
  int style = 7;
  for (const char* scheduler : schedulers) {
    const std::string name =
        absl::StrCat("s", static_cast<int>(time_plots.size()));
    const auto selected = [scheduler](const PointResult& point) {
      return point.variant == scheduler;
    };
    absl::StrAppend(&script,
                    datablock(name + "time", experiment, selected,
                              [](const PointResult& point) {
                                return std::array<double, 4>{
                                    static_cast<double>(point.threads),
                                    point.time.median, point.time.min,
                                    point.time.max};
                              }),
                    datablock(name + "imbalance", experiment, selected,
                              [](const PointResult& point) {
                                return std::array<double, 4>{
                                    static_cast<double>(point.threads),
                                    point.imbalance->median,
                                    point.imbalance->min, point.imbalance->max};
                              }));
    time_plots.push_back(
        absl::StrCat("$", name, "time using 1:2:3:4 with yerrorlines pt ",
                     style, " lw 2 title \"", scheduler, "\""));
    imbalance_plots.push_back(
        absl::StrCat("$", name, "imbalance using 1:2:3:4 with yerrorlines pt ",
                     style, " lw 2 title \"", scheduler, "\""));
    style += 2;
  }
  absl::StrAppend(&script,
                  "set title \"run time\"\nset ylabel \"seconds\"\n"
                  "set yrange [0:*]\nplot ",
                  absl::StrJoin(time_plots, ", \\\n     "), "\n",
                  "set title \"load imbalance (max / mean busy time)\"\n"
                  "set ylabel \"imbalance\"\nset yrange [0.95:*]\nplot ",
                  absl::StrJoin(imbalance_plots, ", \\\n     "), "\n",
                  "unset multiplot\n");
  return {"schedulers", script};
}

PlotScript memory_plot(const ScaleRun& run,
                       const ExperimentResult& experiment) {
  std::string script = preamble(
      "memory",
      absl::StrCat("Peak RSS: ", game_line(run), ", ",
                   run.settings->threads.back(),
                   " threads, one process per point\n", machine_line(run)),
      860, 560);
  absl::StrAppend(&script,
                  "set logscale x 10\n"
                  "set xlabel \"games\"\n"
                  "set ylabel \"peak RSS (MiB)\"\n"
                  "set yrange [0:*]\n");
  std::vector<std::string> plots;
  for (const char* variant : {"summaries-dropped", "summaries-kept"}) {
    const std::string name = variant[10] == 'd' ? "dropped" : "kept";
    absl::StrAppend(&script,
                    datablock(
                        name, experiment,
                        [variant](const PointResult& point) {
                          return point.variant == variant;
                        },
                        [](const PointResult& point) {
                          const double mib = *point.peak_rss_kb / 1024.0;
                          return std::array<double, 4>{
                              static_cast<double>(point.games), mib, mib, mib};
                        }));
    plots.push_back(absl::StrCat("$", name,
                                 " using 1:2 with linespoints pt 7 lw 2 "
                                 "title \"",
                                 variant, "\""));
  }
  absl::StrAppend(&script, "plot ", absl::StrJoin(plots, ", \\\n     "), "\n");
  return {"memory", script};
}

}  // namespace

std::vector<PlotScript> plot_scripts(const ScaleRun& run) {
  std::vector<PlotScript> scripts;
  const ExperimentResult* strong = find(run, Experiment::kStrong);
  const ExperimentResult* weak = find(run, Experiment::kWeak);
  if (strong != nullptr || weak != nullptr) {
    scripts.push_back(speedup_plot(run, strong, weak));
    scripts.push_back(efficiency_plot(run, strong, weak));
  }
  if (const ExperimentResult* granularity = find(run, Experiment::kGranularity);
      granularity != nullptr) {
    scripts.push_back(granularity_plot(run, *granularity));
  }
  if (const ExperimentResult* schedulers = find(run, Experiment::kSchedulers);
      schedulers != nullptr) {
    scripts.push_back(schedulers_plot(run, *schedulers));
  }
  if (const ExperimentResult* memory = find(run, Experiment::kMemory);
      memory != nullptr) {
    scripts.push_back(memory_plot(run, *memory));
  }
  return scripts;
}

absl::Status draw_plots(const std::string& gnuplot,
                        const std::string& directory,
                        const std::vector<PlotScript>& scripts) {
  for (const PlotScript& plot : scripts) {
    const std::string temporary = plot.name + ".png.tmp";
    absl::StatusOr<ChildResult> child =
        run_child({gnuplot, "-e", absl::StrCat("output_file='", temporary, "'"),
                   plot.name + ".gp"},
                  directory);
    if (!child.ok()) return child.status();
    const std::filesystem::path from =
        std::filesystem::path(directory) / temporary;
    if (child->exit_code != 0) {
      std::error_code ignored;
      std::filesystem::remove(from, ignored);
      return absl::InternalError(
          absl::StrCat("gnuplot failed on ", plot.name, ".gp: ", child->err));
    }
    std::error_code error;
    std::filesystem::rename(
        from, std::filesystem::path(directory) / (plot.name + ".png"), error);
    if (error) {
      return absl::InternalError(
          absl::StrCat("cannot rename ", from.string(), ": ", error.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> write_scaling_files(
    const ScaleRun& run, const std::string& directory,
    const std::string& gnuplot) {
  const std::filesystem::path folder(directory);
  const std::vector<PlotScript> scripts = plot_scripts(run);
  std::vector<std::pair<std::string, std::string>> files = {
      {"scaling.csv", scaling_csv(run)}, {"scaling.json", scaling_json(run)}};
  for (const PlotScript& plot : scripts) {
    files.push_back({plot.name + ".gp", plot.script});
  }
  std::vector<std::string> written;
  for (const auto& [name, contents] : files) {
    if (absl::Status status =
            write_file_atomically((folder / name).string(), contents);
        !status.ok()) {
      return status;
    }
    written.push_back(name);
  }
  if (gnuplot.empty()) return written;
  if (absl::Status status = draw_plots(gnuplot, directory, scripts);
      !status.ok()) {
    return status;
  }
  for (const PlotScript& plot : scripts) written.push_back(plot.name + ".png");
  return written;
}

}  // namespace selfplay
