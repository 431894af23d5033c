#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "scaling/child_process.h"
#include "scaling/schedulers.h"
#include "scaling/spin_work_game.h"
#include "selfplay/scaling.h"

namespace selfplay {
namespace {

using Clock = std::chrono::steady_clock;
using scaling::Spread;

constexpr Experiment kAllExperiments[] = {
    Experiment::kStrong, Experiment::kWeak, Experiment::kGranularity,
    Experiment::kSchedulers, Experiment::kMemory};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What one timed run reports.
struct Sample {
  double seconds = 0;
  std::optional<double> imbalance;
};

// A point waiting to be measured: its description and how to run it with a
// given number of games.
struct PendingPoint {
  PointResult result;
  std::vector<double> imbalances;
  std::function<absl::StatusOr<Sample>(std::uint64_t games)> run;
};

// Every run of the same number of games must give the same counts, whatever
// the threads, scheduler or work knob: the determinism the engine promises.
class CountsCheck {
 public:
  absl::Status check(std::uint64_t games, const SimulationCounts& counts,
                     const std::string& what) {
    auto [it, inserted] = first_.try_emplace(games, counts);
    if (!inserted && !(it->second == counts)) {
      return absl::InternalError(absl::StrCat("counts of ", games,
                                              " games differ between runs (",
                                              what, "): a determinism bug"));
    }
    return absl::OkStatus();
  }

 private:
  std::map<std::uint64_t, SimulationCounts> first_;
};

std::string describe(Experiment experiment, const PointResult& point) {
  std::string text =
      absl::StrCat(experiment_name(experiment), " ", point.variant, " threads ",
                   point.threads, ", ", point.games, " games");
  if (point.work_per_action) {
    absl::StrAppend(&text, ", work ", *point.work_per_action);
  }
  return text;
}

// The warm-up round, then `repeat` timed rounds over all points.
absl::Status measure(Experiment experiment, std::vector<PendingPoint>& points,
                     const ScaleSettings& settings) {
  for (PendingPoint& point : points) {
    const std::uint64_t warm_up =
        std::max<std::uint64_t>(1, point.result.games / 10);
    if (absl::StatusOr<Sample> sample = point.run(warm_up); !sample.ok()) {
      return sample.status();
    }
  }
  for (int round = 1; round <= settings.repeat; ++round) {
    for (PendingPoint& point : points) {
      absl::StatusOr<Sample> sample = point.run(point.result.games);
      if (!sample.ok()) return sample.status();
      point.result.seconds.push_back(sample->seconds);
      if (sample->imbalance) point.imbalances.push_back(*sample->imbalance);
      if (settings.log) {
        settings.log(absl::StrFormat("%s: run %d/%d %.4f s",
                                     describe(experiment, point.result), round,
                                     settings.repeat, sample->seconds));
      }
    }
  }
  for (PendingPoint& point : points) {
    PointResult& result = point.result;
    result.time = scaling::spread_of(result.seconds);
    result.games_per_s =
        result.time.median > 0 ? result.games / result.time.median : 0;
    result.oversubscribed = result.threads > settings.available_threads;
    if (!point.imbalances.empty()) {
      result.imbalance = scaling::spread_of(point.imbalances);
    }
  }
  return absl::OkStatus();
}

// Speedup of `point` over a baseline median time, scaled by `work_ratio`
// (the point's work over the baseline's: 1 for a fixed total).
Spread speedup_over(double baseline_s, const PointResult& point,
                    double work_ratio) {
  return {work_ratio * baseline_s / point.time.median,
          work_ratio * baseline_s / point.time.max,
          work_ratio * baseline_s / point.time.min};
}

std::vector<PointResult> results_of(std::vector<PendingPoint>& points) {
  std::vector<PointResult> results;
  for (PendingPoint& point : points) results.push_back(std::move(point.result));
  return results;
}

SimulationOptions options_for(const ScaleSettings& settings, int threads,
                              std::uint64_t games) {
  SimulationOptions options = settings.base;
  options.threads = threads;
  options.games = games;
  return options;
}

// A run of the engine, timed around the call alone.
absl::StatusOr<Sample> timed_engine_run(const Game& game,
                                        const FeatureSet& features,
                                        const SimulationOptions& options,
                                        CountsCheck& check,
                                        const std::string& what) {
  const Clock::time_point start = Clock::now();
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  const double seconds = seconds_since(start);
  if (!result.ok()) return result.status();
  if (absl::Status status = check.check(options.games, result->counts, what);
      !status.ok()) {
    return status;
  }
  return Sample{seconds, std::nullopt};
}

absl::StatusOr<ExperimentResult> strong_or_weak(Experiment experiment,
                                                const ScaleSettings& settings) {
  const bool weak = experiment == Experiment::kWeak;
  CountsCheck check;
  std::vector<PendingPoint> points;
  for (int threads : settings.threads) {
    PendingPoint point;
    point.result.variant = "work-stealing";
    point.result.threads = threads;
    point.result.games =
        weak ? settings.games_per_thread * threads : settings.games;
    point.run = [&settings, &check, threads](std::uint64_t games) {
      return timed_engine_run(*settings.game, settings.features,
                              options_for(settings, threads, games), check,
                              absl::StrCat(threads, " threads"));
    };
    points.push_back(std::move(point));
  }
  if (absl::Status status = measure(experiment, points, settings);
      !status.ok()) {
    return status;
  }
  ExperimentResult result;
  result.experiment = experiment;
  result.points = results_of(points);
  const PointResult& base = result.points.front();
  std::vector<scaling::ThreadTime> fit_points;
  for (PointResult& point : result.points) {
    // Weak scaling: p threads do p / p0 times the baseline's work.
    const double work_ratio =
        weak ? static_cast<double>(point.threads) / base.threads : 1.0;
    point.speedup = speedup_over(base.time.median, point, work_ratio);
    point.efficiency = point.speedup->median * base.threads / point.threads;
    if (!weak && base.threads == 1) {
      point.karp_flatt =
          scaling::karp_flatt(point.speedup->median, point.threads);
    }
    if (!weak && !point.oversubscribed) {
      fit_points.push_back({point.threads, point.time.median});
    }
  }
  if (absl::StatusOr<scaling::AmdahlFit> fit = scaling::fit_amdahl(fit_points);
      fit.ok()) {
    result.amdahl = *fit;
  }
  return result;
}

absl::StatusOr<ExperimentResult> schedulers(const ScaleSettings& settings) {
  CountsCheck check;
  std::vector<PendingPoint> points;
  for (int threads : settings.threads) {
    for (scaling::Scheduler scheduler : scaling::kAllSchedulers) {
      PendingPoint point;
      point.result.variant = scaling::scheduler_name(scheduler);
      point.result.threads = threads;
      point.result.games = settings.games;
      point.run = [&settings, &check, threads,
                   scheduler](std::uint64_t games) -> absl::StatusOr<Sample> {
        absl::StatusOr<scaling::ScheduledRun> run =
            scaling::run_scheduled(scheduler, *settings.game, settings.features,
                                   options_for(settings, threads, games));
        if (!run.ok()) return run.status();
        if (absl::Status status =
                check.check(games, run->counts,
                            absl::StrCat(scaling::scheduler_name(scheduler),
                                         ", ", threads, " threads"));
            !status.ok()) {
          return status;
        }
        return Sample{run->wall_s, run->imbalance()};
      };
      points.push_back(std::move(point));
    }
  }
  if (absl::Status status = measure(Experiment::kSchedulers, points, settings);
      !status.ok()) {
    return status;
  }
  ExperimentResult result;
  result.experiment = Experiment::kSchedulers;
  result.points = results_of(points);
  // Everything against the engine at the fewest threads.
  const PointResult& base = result.points.front();
  for (PointResult& point : result.points) {
    point.speedup = speedup_over(base.time.median, point, 1.0);
    point.efficiency = point.speedup->median * base.threads / point.threads;
  }
  return result;
}

// Nanoseconds per iteration of the work knob, on one thread.
double spin_ns_per_iteration() {
  constexpr std::int64_t kIterations = 20'000'000;
  const Clock::time_point start = Clock::now();
  scaling::spin(kIterations);
  return seconds_since(start) * 1e9 / kIterations;
}

// Seconds per game of `game` on one thread, from runs that grow until they
// last 50 ms (or reach `max_games`).
absl::StatusOr<double> seconds_per_game(const Game& game,
                                        const ScaleSettings& settings,
                                        std::uint64_t max_games) {
  std::uint64_t games = 1;
  while (true) {
    SimulationOptions options = options_for(settings, 1, games);
    options.batch_size = 1;
    const Clock::time_point start = Clock::now();
    absl::StatusOr<SimulationResult> result =
        run_simulations(game, settings.features, options);
    const double seconds = seconds_since(start);
    if (!result.ok()) return result.status();
    if (seconds >= 0.05 || games >= max_games) return seconds / games;
    games = std::min(max_games, games * 4);
  }
}

absl::StatusOr<ExperimentResult> granularity(const ScaleSettings& settings) {
  ExperimentResult result;
  result.experiment = Experiment::kGranularity;
  result.spin_ns_per_iteration = spin_ns_per_iteration();
  const std::uint64_t min_games =
      16 * static_cast<std::uint64_t>(settings.threads.back());
  CountsCheck check;
  for (std::int64_t work : settings.work_per_action) {
    const scaling::SpinWorkGame game(*settings.game, work);
    absl::StatusOr<double> per_game =
        seconds_per_game(game, settings, settings.games);
    if (!per_game.ok()) return per_game.status();
    const std::uint64_t games =
        std::min(settings.games,
                 std::max(min_games, static_cast<std::uint64_t>(std::llround(
                                         settings.point_seconds / *per_game))));
    std::vector<PendingPoint> points;
    for (int batch : {0, 1}) {
      for (int threads : settings.threads) {
        PendingPoint point;
        point.result.variant =
            batch == 0 ? "adaptive-batches" : "one-game-per-task";
        point.result.threads = threads;
        point.result.games = games;
        point.result.work_per_action = work;
        point.run = [&settings, &check, &game, threads, batch,
                     work](std::uint64_t run_games) {
          SimulationOptions options = options_for(settings, threads, run_games);
          options.batch_size = batch;
          return timed_engine_run(
              game, settings.features, options, check,
              absl::StrCat("work ", work, ", ", threads, " threads"));
        };
        points.push_back(std::move(point));
      }
    }
    if (absl::Status status =
            measure(Experiment::kGranularity, points, settings);
        !status.ok()) {
      return status;
    }
    // Against adaptive batches at the fewest threads, for both variants, so
    // that one game per task shows its overhead even on one thread.
    const PointResult base = points.front().result;
    const double per_game_us = base.time.median * base.threads / games * 1e6;
    for (PointResult& point : results_of(points)) {
      point.speedup = speedup_over(base.time.median, point, 1.0);
      point.efficiency = point.speedup->median * base.threads / point.threads;
      point.per_game_us = per_game_us;
      result.points.push_back(std::move(point));
    }
  }
  return result;
}

absl::StatusOr<MemoryProbe> parse_probe(const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() ||
      !json.contains("peak_rss_kb") || !json.contains("wall_s")) {
    return absl::InternalError(
        absl::StrCat("unreadable memory probe output: ", text));
  }
  return MemoryProbe{json.value("start_rss_kb", std::int64_t{0}),
                     json["peak_rss_kb"].get<std::int64_t>(),
                     json["wall_s"].get<double>(),
                     json.value("games", std::uint64_t{0})};
}

absl::StatusOr<ExperimentResult> memory(const ScaleSettings& settings) {
  ExperimentResult result;
  result.experiment = Experiment::kMemory;
  const int threads = settings.threads.back();
  for (std::uint64_t games : settings.memory_games) {
    for (const char* variant : {"summaries-dropped", "summaries-kept"}) {
      std::vector<std::string> argv = settings.memory_probe_command;
      argv.push_back(absl::StrCat("--games=", games));
      argv.push_back(absl::StrCat(
          "--memory-probe=",
          std::string_view(variant) == "summaries-kept" ? "kept" : "dropped"));
      absl::StatusOr<ChildResult> child = run_child(argv);
      if (!child.ok()) return child.status();
      if (child->exit_code != 0) {
        return absl::InternalError(
            absl::StrCat("memory probe for ", games, " games failed (exit ",
                         child->exit_code, "): ", child->err));
      }
      absl::StatusOr<MemoryProbe> probe = parse_probe(child->out);
      if (!probe.ok()) return probe.status();
      PointResult point;
      point.variant = variant;
      point.threads = threads;
      point.games = games;
      point.oversubscribed = threads > settings.available_threads;
      point.seconds = {probe->wall_s};
      point.time = scaling::spread_of(point.seconds);
      point.games_per_s = probe->wall_s > 0 ? games / probe->wall_s : 0;
      point.peak_rss_kb = probe->peak_rss_kb;
      if (settings.log) {
        settings.log(absl::StrFormat("%s: peak RSS %d kB, %.3f s",
                                     describe(Experiment::kMemory, point),
                                     probe->peak_rss_kb, probe->wall_s));
      }
      result.points.push_back(std::move(point));
    }
  }
  // Points alternate dropped, kept for increasing game counts.
  const std::size_t n = result.points.size();
  if (n >= 2) {
    const PointResult& dropped = result.points[n - 2];
    const PointResult& kept = result.points[n - 1];
    result.kept_bytes_per_game =
        1024.0 * (*kept.peak_rss_kb - *dropped.peak_rss_kb) / kept.games;
  }
  if (n >= 4) {
    const PointResult& first = result.points[0];
    const PointResult& last = result.points[n - 2];
    result.dropped_bytes_per_game =
        1024.0 * (*last.peak_rss_kb - *first.peak_rss_kb) /
        static_cast<double>(last.games - first.games);
  }
  return result;
}

// A "VmXXX:   1234 kB" line of /proc/self/status, in kB; 0 when missing.
std::int64_t proc_status_kb(const std::string& key) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::int64_t kb = 0;
    const std::vector<absl::string_view> fields =
        absl::StrSplit(absl::string_view(line).substr(key.size() + 1),
                       absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (!fields.empty() && absl::SimpleAtoi(fields[0], &kb)) return kb;
  }
  return 0;
}

}  // namespace

const char* experiment_name(Experiment experiment) {
  switch (experiment) {
    case Experiment::kStrong:
      return "strong";
    case Experiment::kWeak:
      return "weak";
    case Experiment::kGranularity:
      return "granularity";
    case Experiment::kSchedulers:
      return "schedulers";
    case Experiment::kMemory:
      return "memory";
  }
  return "unknown";
}

absl::StatusOr<std::vector<Experiment>> parse_experiments(
    std::string_view spec) {
  if (spec == "all") {
    return std::vector<Experiment>(std::begin(kAllExperiments),
                                   std::end(kAllExperiments));
  }
  std::vector<Experiment> experiments;
  for (absl::string_view name :
       absl::StrSplit(absl::string_view(spec.data(), spec.size()), ',')) {
    const auto known = std::find_if(
        std::begin(kAllExperiments), std::end(kAllExperiments),
        [name](Experiment e) { return name == experiment_name(e); });
    if (known == std::end(kAllExperiments)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown experiment '", std::string(name),
          "' (known: strong, weak, granularity, schedulers, memory, all)"));
    }
    if (std::find(experiments.begin(), experiments.end(), *known) ==
        experiments.end()) {
      experiments.push_back(*known);
    }
  }
  return experiments;
}

absl::StatusOr<ExperimentResult> run_experiment(Experiment experiment,
                                                const ScaleSettings& settings) {
  switch (experiment) {
    case Experiment::kStrong:
    case Experiment::kWeak:
      return strong_or_weak(experiment, settings);
    case Experiment::kGranularity:
      return granularity(settings);
    case Experiment::kSchedulers:
      return schedulers(settings);
    case Experiment::kMemory:
      return memory(settings);
  }
  return absl::InvalidArgumentError("unknown experiment");
}

absl::StatusOr<MemoryProbe> probe_memory(const Game& game,
                                         const FeatureSet& features,
                                         const SimulationOptions& options) {
  MemoryProbe probe;
  probe.start_rss_kb = proc_status_kb("VmRSS");
  const Clock::time_point start = Clock::now();
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  probe.wall_s = seconds_since(start);
  if (!result.ok()) return result.status();
  probe.games = result->counts.games;
  probe.peak_rss_kb = proc_status_kb("VmHWM");
  return probe;
}

std::string memory_probe_json(const MemoryProbe& probe, int threads,
                              bool summaries_kept) {
  const nlohmann::ordered_json json = {
      {"games", probe.games},
      {"threads", threads},
      {"summaries", summaries_kept ? "kept" : "dropped"},
      {"start_rss_kb", probe.start_rss_kb},
      {"peak_rss_kb", probe.peak_rss_kb},
      {"wall_s", probe.wall_s}};
  return json.dump();
}

}  // namespace selfplay
