// Scaling experiments, as `selfplay scale` runs them. Each one times runs of
// the engine (or of another scheduler) over a sweep (thread counts, game costs,
// game counts) and derives speedup, efficiency, load imbalance or memory from
// the times:
//   strong       fixed total games, thread counts swept
//   weak         fixed games per thread, thread counts swept
//   granularity  game cost swept by a synthetic work knob (SpinWorkGame),
//                engine with adaptive batches and with one game per task
//   schedulers   work stealing vs static partition vs central queue
//   memory       peak RSS against game count, summaries dropped and kept,
//                each point in its own process
//
//   ScaleSettings settings = ...;
//   absl::StatusOr<ExperimentResult> strong =
//       run_experiment(Experiment::kStrong, settings);
//
// Measurement: every point first runs once untimed with a tenth of its games
// (warm-up: threads started, memory touched), then `repeat` timed runs; the
// rounds go over all points of an experiment in turn, so that a change in the
// machine's load hits every point alike. Only the run call is timed.
#ifndef SELFPLAY_SCALING_H_
#define SELFPLAY_SCALING_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/policy.h"
#include "selfplay/scaling_model.h"
#include "selfplay/simulation.h"

namespace selfplay {

enum class Experiment { kStrong, kWeak, kGranularity, kSchedulers, kMemory };

const char* experiment_name(Experiment experiment);

// "all", or a comma-separated list of experiment names, in the order given.
// InvalidArgument naming an unknown one.
[[nodiscard]] absl::StatusOr<std::vector<Experiment>> parse_experiments(
    std::string_view spec);

struct ScaleSettings {
  const Game* game = nullptr;
  FeatureSet features;     // empty: features off
  SimulationOptions base;  // players, policies, seed, max_actions, cache
  std::shared_ptr<const Policy> policy;  // every seat's; null: random
  std::vector<int> threads;              // sorted, distinct, >= 1
  int available_threads = 1;
  std::uint64_t games = 0;             // per run: strong, schedulers
  std::uint64_t games_per_thread = 0;  // weak
  int repeat = 1;
  std::vector<std::int64_t> work_per_action;  // granularity levels
  double point_seconds = 0.5;  // granularity: one-thread run time to aim at
  std::vector<std::uint64_t> memory_games;
  // The command that measures one memory point in a fresh process; the
  // experiment appends "--games=N" and "--memory-probe=dropped|kept".
  std::vector<std::string> memory_probe_command;
  // One line per timed run, for a person watching; empty: say nothing.
  std::function<void(const std::string&)> log;
};

// One point of an experiment: the runs of one configuration.
struct PointResult {
  std::string variant;  // scheduler, batching or summaries; see the docs
  int threads = 0;
  std::uint64_t games = 0;                      // per run
  std::optional<std::int64_t> work_per_action;  // granularity
  bool oversubscribed = false;                  // threads > available threads
  std::vector<double> seconds;                  // one per timed run
  scaling::Spread time;
  double games_per_s = 0;  // at the median time
  // Against the experiment's baseline (see docs/scaling.md): median over
  // median, and the baseline's median over this point's max and min times.
  std::optional<scaling::Spread> speedup;
  std::optional<double> efficiency;
  std::optional<double> karp_flatt;
  std::optional<scaling::Spread> imbalance;  // max / mean busy time
  std::optional<double> per_game_us;         // granularity: one-thread cost
  std::optional<std::int64_t> peak_rss_kb;   // memory
};

struct ExperimentResult {
  Experiment experiment = Experiment::kStrong;
  std::vector<PointResult> points;
  // Strong scaling: fitted over the points that are not oversubscribed.
  std::optional<scaling::AmdahlFit> amdahl;
  std::optional<double> spin_ns_per_iteration;  // granularity
  // Memory: extra bytes per game with summaries kept (at the most games),
  // and the growth per game with them dropped (flat: about 0).
  std::optional<double> kept_bytes_per_game;
  std::optional<double> dropped_bytes_per_game;
};

// Every run of the same number of games must give identical counts (any
// thread count, scheduler or work level; the memory experiment excepted):
// Internal when two disagree, or when a child process of the memory
// experiment fails; the engine's errors otherwise.
[[nodiscard]] absl::StatusOr<ExperimentResult> run_experiment(
    Experiment experiment, const ScaleSettings& settings);

// What one memory point measures, in its own process.
struct MemoryProbe {
  std::int64_t start_rss_kb = 0;  // before the run (binary, features)
  std::int64_t peak_rss_kb = 0;   // VmHWM: the process's peak
  double wall_s = 0;
  std::uint64_t games = 0;
};

// Plays `options.games` in this process and reads its peak RSS from
// /proc/self/status. VmHWM, not getrusage's ru_maxrss: a forked child's
// ru_maxrss starts at its parent's resident size, which would hide the
// flat line below the harness's own footprint.
[[nodiscard]] absl::StatusOr<MemoryProbe> probe_memory(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

// The line a memory point's process prints for the experiment that started
// it (one JSON object: games, threads, summaries, start_rss_kb, peak_rss_kb,
// wall_s), which run_experiment reads back.
std::string memory_probe_json(const MemoryProbe& probe, int threads,
                              bool summaries_kept);

}  // namespace selfplay

#endif  // SELFPLAY_SCALING_H_
