#include <algorithm>
#include <cmath>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "io/utf8.h"
#include "nlohmann/json.hpp"
#include "selfplay/scaling_report.h"

namespace selfplay {
namespace {

using scaling::Spread;

std::string fixed(double value, int digits) {
  return absl::StrFormat("%.*f", digits, value);
}

template <typename T>
nlohmann::ordered_json or_null(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

nlohmann::ordered_json spread_json(const std::optional<Spread>& spread) {
  if (!spread) return nullptr;
  return {
      {"median", spread->median}, {"min", spread->min}, {"max", spread->max}};
}

std::string spread_text(const Spread& spread, int digits) {
  return absl::StrCat(fixed(spread.median, digits), " (",
                      fixed(spread.min, digits), "-", fixed(spread.max, digits),
                      ")");
}

// Amdahl's bound 1 / f on the speedup of any thread count.
std::string speedup_limit(double serial_fraction) {
  if (serial_fraction <= 0) return "unbounded";
  if (serial_fraction >= 1) return "none (no speedup)";
  return fixed(1 / serial_fraction, 1);
}

std::string load_text(const std::array<double, 3>& load) {
  return absl::StrFormat("%.2f %.2f %.2f", load[0], load[1], load[2]);
}

// Columns padded to their widest cell; the first row is the heading.
std::string aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      absl::StrAppend(&line, "  ", row[c],
                      std::string(widths[c] - row[c].size(), ' '));
    }
    line.erase(line.find_last_not_of(' ') + 1);
    absl::StrAppend(&text, line, "\n");
  }
  return text;
}

std::string experiment_title(const ScaleRun& run,
                             const ExperimentResult& experiment) {
  const ScaleSettings& settings = *run.settings;
  const std::string timing =
      absl::StrCat("median of ", settings.repeat, " runs (min-max)");
  switch (experiment.experiment) {
    case Experiment::kStrong:
      return absl::StrCat("strong scaling: ", settings.games,
                          " games per run, ", timing);
    case Experiment::kWeak:
      return absl::StrCat("weak scaling: ", settings.games_per_thread,
                          " games per thread, ", timing);
    case Experiment::kGranularity:
      return absl::StrFormat(
          "granularity: work knob %.2f ns per iteration, games per level for "
          "about %.2f s on one thread, %s",
          experiment.spin_ns_per_iteration.value_or(0), settings.point_seconds,
          timing);
    case Experiment::kSchedulers:
      return absl::StrCat("schedulers: ", settings.games, " games per run, ",
                          timing, "; imbalance = max/mean busy time");
    case Experiment::kMemory:
      return "memory: peak RSS of one process per point";
  }
  return "";
}

std::vector<std::string> heading(Experiment experiment) {
  switch (experiment) {
    case Experiment::kStrong:
    case Experiment::kWeak:
      return {"threads", "time s",     "games/s",
              "speedup", "efficiency", "Karp-Flatt"};
    case Experiment::kGranularity:
      return {"work",  "us/game", "variant", "threads",
              "games", "time s",  "speedup", "efficiency"};
    case Experiment::kSchedulers:
      return {"scheduler", "threads", "time s",
              "games/s",   "speedup", "imbalance"};
    case Experiment::kMemory:
      return {"games", "summaries", "threads", "peak RSS MiB", "time s"};
  }
  return {};
}

std::vector<std::string> row(Experiment experiment, const PointResult& point) {
  const std::string threads =
      absl::StrCat(point.threads, point.oversubscribed ? "*" : "");
  const std::string speedup =
      point.speedup ? spread_text(*point.speedup, 3) : "-";
  const std::string efficiency =
      point.efficiency ? fixed(*point.efficiency, 3) : "-";
  switch (experiment) {
    case Experiment::kStrong:
    case Experiment::kWeak:
      return {threads,
              spread_text(point.time, 4),
              fixed(point.games_per_s, 0),
              speedup,
              efficiency,
              point.karp_flatt ? fixed(*point.karp_flatt, 4) : "-"};
    case Experiment::kGranularity:
      return {absl::StrCat(point.work_per_action.value_or(0)),
              fixed(point.per_game_us.value_or(0), 2),
              point.variant,
              threads,
              absl::StrCat(point.games),
              spread_text(point.time, 4),
              speedup,
              efficiency};
    case Experiment::kSchedulers:
      return {point.variant,
              threads,
              spread_text(point.time, 4),
              fixed(point.games_per_s, 0),
              speedup,
              point.imbalance ? spread_text(*point.imbalance, 3) : "-"};
    case Experiment::kMemory:
      return {absl::StrCat(point.games), point.variant, threads,
              fixed(point.peak_rss_kb.value_or(0) / 1024.0, 1),
              fixed(point.time.median, 3)};
  }
  return {};
}

std::string experiment_notes(const ScaleRun& run,
                             const ExperimentResult& experiment) {
  std::string notes;
  const ScaleSettings& settings = *run.settings;
  const int first = settings.threads.front();
  if (experiment.experiment == Experiment::kStrong ||
      experiment.experiment == Experiment::kSchedulers ||
      experiment.experiment == Experiment::kGranularity) {
    absl::StrAppend(&notes, "  speedup against ",
                    experiment.experiment == Experiment::kStrong ? "the engine"
                    : experiment.experiment == Experiment::kSchedulers
                        ? "work stealing"
                        : "adaptive batches",
                    " at ", first, first == 1 ? " thread" : " threads",
                    "; efficiency = speedup x ", first, " / threads\n");
  }
  if (experiment.experiment == Experiment::kWeak) {
    absl::StrAppend(&notes, "  efficiency = time at ", first,
                    " threads / time; speedup = efficiency x threads / ", first,
                    "\n");
  }
  if (experiment.experiment == Experiment::kStrong) {
    if (experiment.amdahl) {
      const scaling::AmdahlFit& fit = *experiment.amdahl;
      absl::StrAppend(
          &notes,
          absl::StrFormat("  Amdahl fit over %d points (not oversubscribed): "
                          "serial fraction %.4f, fitted one-thread time %.4f "
                          "s, speedup limit %s\n",
                          fit.points, fit.serial_fraction, fit.one_thread_s,
                          speedup_limit(fit.serial_fraction)));
    } else {
      absl::StrAppend(&notes,
                      "  no Amdahl fit: it needs two thread counts that are "
                      "not oversubscribed\n");
    }
  }
  if (experiment.experiment == Experiment::kMemory) {
    if (experiment.kept_bytes_per_game) {
      absl::StrAppend(&notes,
                      absl::StrFormat("  summaries kept: %.1f bytes per game\n",
                                      *experiment.kept_bytes_per_game));
    }
    if (experiment.dropped_bytes_per_game) {
      absl::StrAppend(
          &notes, absl::StrFormat("  summaries dropped: %.3f bytes per game "
                                  "of growth (flat is 0)\n",
                                  *experiment.dropped_bytes_per_game));
    }
  } else {
    absl::StrAppend(&notes,
                    "  counts identical across all runs of the same games\n");
  }
  if (std::any_of(experiment.points.begin(), experiment.points.end(),
                  [](const PointResult& p) { return p.oversubscribed; })) {
    absl::StrAppend(&notes, "  * oversubscribed: more threads than the ",
                    run.machine.available_threads, " available\n");
  }
  return notes;
}

std::string csv_cell(const std::optional<double>& value) {
  return value ? absl::StrFormat("%.6g", *value) : "";
}

}  // namespace

std::vector<int> oversubscribed_threads(const ScaleRun& run) {
  std::vector<int> threads;
  for (int count : run.settings->threads) {
    if (count > run.machine.available_threads) threads.push_back(count);
  }
  return threads;
}

std::string run_header(const ScaleRun& run) {
  const MachineInfo& machine = run.machine;
  const ScaleSettings& settings = *run.settings;
  std::string header = absl::StrCat(
      "selfplay scale: ", settings.game->name(), ", ", settings.base.players,
      " players, ", run.policy, " policy, ", settings.features.size(),
      " features, seed ", settings.base.seed, "\n",
      "machine: ", machine.cpu_model, ", ", machine.logical_cores,
      " logical / ", machine.physical_cores, " physical cores, ",
      machine.available_threads, " available to this process; ", machine.os,
      "\n", "build: ", machine.compiler, ", ", machine.build_type, ", oneTBB ",
      machine.tbb_version, " (runtime ", machine.tbb_runtime_version, ")\n",
      "load average before: ", load_text(run.load_before),
      " (1, 5, 15 min) at ", run.started_utc, "\n",
      "threads: ", absl::StrJoin(settings.threads, ","), "; ", settings.repeat,
      " timed runs per point after one untimed warm-up\n",
      "command: ", run.command, "\n");
  const std::vector<int> over = oversubscribed_threads(run);
  if (!over.empty()) {
    absl::StrAppend(&header, "warning: oversubscribed (more threads than the ",
                    machine.available_threads,
                    " available): ", absl::StrJoin(over, ","), "\n");
  }
  return header;
}

std::string experiment_table(const ScaleRun& run,
                             const ExperimentResult& experiment) {
  std::vector<std::vector<std::string>> rows = {heading(experiment.experiment)};
  for (const PointResult& point : experiment.points) {
    rows.push_back(row(experiment.experiment, point));
  }
  return absl::StrCat("\n", experiment_title(run, experiment), "\n",
                      aligned(rows), experiment_notes(run, experiment));
}

std::string silent_times(const ExperimentResult& experiment) {
  std::string text;
  for (const PointResult& point : experiment.points) {
    std::string variant = point.variant;
    if (point.work_per_action) {
      absl::StrAppend(&variant, "/work=", *point.work_per_action);
    }
    absl::StrAppend(&text, experiment_name(experiment.experiment), "\t",
                    variant, "\t", point.threads, "\t", point.games, "\t",
                    absl::StrFormat("%.6f", point.time.median), "\n");
  }
  return text;
}

std::string scaling_csv(const ScaleRun& run) {
  std::string csv =
      "experiment,variant,game,threads,games,work_per_action,oversubscribed,"
      "runs,median_s,min_s,max_s,games_per_s,speedup,speedup_min,speedup_max,"
      "efficiency,karp_flatt,imbalance,imbalance_min,imbalance_max,"
      "per_game_us,peak_rss_kb\n";
  for (const ExperimentResult& experiment : run.experiments) {
    for (const PointResult& point : experiment.points) {
      const auto part = [&](const std::optional<Spread>& spread,
                            double Spread::*field) {
        return spread ? std::optional<double>((*spread).*field) : std::nullopt;
      };
      const std::vector<std::string> cells = {
          experiment_name(experiment.experiment),
          point.variant,
          run.settings->game->name(),
          absl::StrCat(point.threads),
          absl::StrCat(point.games),
          point.work_per_action ? absl::StrCat(*point.work_per_action) : "",
          point.oversubscribed ? "true" : "false",
          absl::StrCat(point.seconds.size()),
          csv_cell(point.time.median),
          csv_cell(point.time.min),
          csv_cell(point.time.max),
          csv_cell(point.games_per_s),
          csv_cell(part(point.speedup, &Spread::median)),
          csv_cell(part(point.speedup, &Spread::min)),
          csv_cell(part(point.speedup, &Spread::max)),
          csv_cell(point.efficiency),
          csv_cell(point.karp_flatt),
          csv_cell(part(point.imbalance, &Spread::median)),
          csv_cell(part(point.imbalance, &Spread::min)),
          csv_cell(part(point.imbalance, &Spread::max)),
          csv_cell(point.per_game_us),
          point.peak_rss_kb ? absl::StrCat(*point.peak_rss_kb) : ""};
      absl::StrAppend(&csv, absl::StrJoin(cells, ","), "\n");
    }
  }
  return csv;
}

namespace {

nlohmann::ordered_json scaling_document(const ScaleRun& run) {
  const MachineInfo& machine = run.machine;
  const ScaleSettings& settings = *run.settings;
  nlohmann::ordered_json json;
  json["schema_version"] = kScalingSchemaVersion;
  json["command"] = run.command;
  json["started_utc"] = run.started_utc;
  json["machine"] = {{"cpu_model", machine.cpu_model},
                     {"logical_cores", machine.logical_cores},
                     {"physical_cores", machine.physical_cores},
                     {"available_threads", machine.available_threads},
                     {"hostname", machine.hostname},
                     {"os", machine.os},
                     {"load_average_before", run.load_before},
                     {"load_average_after", run.load_after}};
  json["build"] = {{"compiler", machine.compiler},
                   {"build_type", machine.build_type},
                   {"tbb_version", machine.tbb_version},
                   {"tbb_runtime_version", machine.tbb_runtime_version}};
  json["settings"] = {
      {"game", settings.game->name()},
      {"players", settings.base.players},
      {"policy", run.policy},
      {"features", settings.features.size()},
      {"feature_cache_entries", settings.base.feature_cache_entries},
      {"seed", settings.base.seed},
      {"max_actions", settings.base.max_actions},
      {"threads", settings.threads},
      {"oversubscribed_threads", oversubscribed_threads(run)},
      {"games", settings.games},
      {"games_per_thread", settings.games_per_thread},
      {"repeat", settings.repeat},
      {"warm_up", "one untimed run with a tenth of the games per point"},
      {"work_per_action", settings.work_per_action},
      {"point_seconds", settings.point_seconds},
      {"memory_games", settings.memory_games}};
  nlohmann::ordered_json experiments = nlohmann::ordered_json::array();
  for (const ExperimentResult& experiment : run.experiments) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const PointResult& point : experiment.points) {
      points.push_back({{"variant", point.variant},
                        {"threads", point.threads},
                        {"games", point.games},
                        {"work_per_action", or_null(point.work_per_action)},
                        {"oversubscribed", point.oversubscribed},
                        {"seconds", point.seconds},
                        {"median_s", point.time.median},
                        {"min_s", point.time.min},
                        {"max_s", point.time.max},
                        {"games_per_s", point.games_per_s},
                        {"speedup", spread_json(point.speedup)},
                        {"efficiency", or_null(point.efficiency)},
                        {"karp_flatt", or_null(point.karp_flatt)},
                        {"imbalance", spread_json(point.imbalance)},
                        {"per_game_us", or_null(point.per_game_us)},
                        {"peak_rss_kb", or_null(point.peak_rss_kb)}});
    }
    nlohmann::ordered_json amdahl;
    if (experiment.amdahl) {
      amdahl = {{"serial_fraction", experiment.amdahl->serial_fraction},
                {"one_thread_s", experiment.amdahl->one_thread_s},
                {"points", experiment.amdahl->points}};
    }
    experiments.push_back(
        {{"name", experiment_name(experiment.experiment)},
         {"points", points},
         {"amdahl", amdahl},
         // Checked for every run: a difference fails the command.
         {"counts_identical", experiment.experiment == Experiment::kMemory
                                  ? nlohmann::ordered_json()
                                  : nlohmann::ordered_json(true)},
         {"spin_ns_per_iteration", or_null(experiment.spin_ns_per_iteration)},
         {"kept_bytes_per_game", or_null(experiment.kept_bytes_per_game)},
         {"dropped_bytes_per_game",
          or_null(experiment.dropped_bytes_per_game)}});
  }
  json["experiments"] = experiments;
  return json;
}

}  // namespace

std::string scaling_json(const ScaleRun& run) {
  return json_text(scaling_document(run), 2) + "\n";
}

}  // namespace selfplay
