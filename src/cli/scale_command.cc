// `selfplay scale`: speedup curves and scaling experiments, with plots.
//
//   selfplay scale --game hex --threads 1,2,4,8 --games 50000 --repeat 5
//       --experiment strong --out results/hex
//
// writes results/hex/scaling.csv, scaling.json and the figures; see
// docs/scaling.md for every experiment, the columns and the keys.
#include <cstdio>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "io/output_file.h"
#include "scaling/child_process.h"
#include "scaling/thread_ladder.h"
#include "selfplay/players.h"
#include "selfplay/scaling.h"
#include "selfplay/scaling_report.h"
#include "tbb/info.h"

namespace selfplay::cli {
namespace {

constexpr std::string_view kCommand = "scale";

struct ScaleFlags {
  GameFlags game;
  std::string threads = "auto";
  std::uint64_t games = 20000;
  std::uint64_t games_per_thread = 0;
  int repeat = 3;
  std::string policy = "random";
  std::string experiment = "strong";
  std::string out;
  bool silent = false;
  std::string work_per_action = "0,10,100,1000,10000,100000";
  double point_seconds = 0.5;
  std::string memory_games = "10000,100000,1000000";
  std::string memory_probe;
  std::uint64_t seed = 1;
  int max_actions = 2000;
  bool features = true;
  int cache_entries = kDefaultFeatureCacheEntries;
};

// A comma-separated list of integers in [min, max].
template <typename Integer>
absl::StatusOr<std::vector<Integer>> parse_list(const std::string& flag,
                                                const std::string& text,
                                                Integer min, Integer max) {
  std::vector<Integer> values;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    Integer value = 0;
    if (!absl::SimpleAtoi(item, &value) || value < min || value > max) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", flag, " takes a comma-separated list of numbers ",
                       min, "..", max, ", not '", text, "'"));
    }
    values.push_back(value);
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

absl::Status settings_from_flags(const ScaleFlags& flags,
                                 ScaleSettings& settings) {
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return game.status();
  settings.game = *game;
  absl::StatusOr<int> players = selected_players(**game, flags.game.players);
  if (!players.ok()) return players.status();
  settings.base.players = *players;
  absl::StatusOr<PlayerSpec> policy = parse_player_spec(flags.policy);
  if (!policy.ok()) return policy.status();
  if (policy->needs_model() || !policy->reproducible()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--policy ", policy->to_string(),
                     " needs a model or has a time per move; scale takes "
                     "random or mcts:N"));
  }
  if (policy->kind != PlayerSpec::Kind::kRandom) {
    absl::StatusOr<std::unique_ptr<Policy>> player = make_player(*policy);
    if (!player.ok()) return player.status();
    settings.policy = *std::move(player);
    settings.base.policies.assign(*players, settings.policy.get());
  }
  settings.available_threads = tbb::info::default_concurrency();
  absl::StatusOr<std::vector<int>> threads =
      scaling::parse_thread_counts(flags.threads, settings.available_threads);
  if (!threads.ok()) return threads.status();
  settings.threads = *threads;
  settings.games = flags.games;
  settings.games_per_thread = flags.games_per_thread;
  if (settings.games_per_thread == 0) {
    settings.games_per_thread =
        std::max<std::uint64_t>(1, settings.games / settings.threads.back());
  }
  settings.repeat = flags.repeat;
  absl::StatusOr<std::vector<std::int64_t>> work = parse_list<std::int64_t>(
      "work-per-action", flags.work_per_action, 0, 1'000'000'000);
  if (!work.ok()) return work.status();
  settings.work_per_action = *work;
  settings.point_seconds = flags.point_seconds;
  absl::StatusOr<std::vector<std::uint64_t>> memory_games =
      parse_list<std::uint64_t>("memory-games", flags.memory_games, 1,
                                1'000'000'000);
  if (!memory_games.ok()) return memory_games.status();
  settings.memory_games = *memory_games;

  settings.base.seed = flags.seed;
  settings.base.max_actions = flags.max_actions;
  settings.base.feature_cache_entries = flags.cache_entries;
  if (flags.features) {
    absl::StatusOr<FeatureSet> features =
        generate_candidate_features((*game)->structure());
    if (!features.ok()) return features.status();
    settings.features = *std::move(features);
  }
  settings.memory_probe_command = {
      own_executable(),
      "scale",
      absl::StrCat("--game=", (*game)->name()),
      absl::StrCat("--players=", settings.base.players),
      absl::StrCat("--seed=", settings.base.seed),
      absl::StrCat("--max-actions=", settings.base.max_actions),
      absl::StrCat("--policy=", flags.policy),
      absl::StrCat("--cache-entries=", settings.base.feature_cache_entries),
      flags.features ? "--features" : "--nofeatures",
      absl::StrCat("--threads=", settings.threads.back())};
  return absl::OkStatus();
}

// --memory-probe: one memory point, in this (fresh) process.
int run_memory_probe(const ScaleSettings& settings, const std::string& mode) {
  if (mode != "dropped" && mode != "kept") {
    return usage_error(kCommand,
                       absl::InvalidArgumentError(
                           "--memory-probe must be 'dropped' or 'kept'"));
  }
  SimulationOptions options = settings.base;
  options.games = settings.games;
  options.threads = settings.threads.back();
  options.keep_game_summaries = mode == "kept";
  absl::StatusOr<MemoryProbe> probe =
      probe_memory(*settings.game, settings.features, options);
  if (!probe.ok()) return usage_error(kCommand, probe.status());
  std::printf("%s\n", memory_probe_json(*probe, options.threads,
                                        options.keep_game_summaries)
                          .c_str());
  return kExitOk;
}

// scaling.csv, scaling.json, the plot scripts and, with gnuplot, the plots.
int write_outputs(const ScaleRun& run, const std::string& directory,
                  bool silent) {
  const std::optional<std::string> gnuplot = find_in_path("gnuplot");
  absl::StatusOr<std::vector<std::string>> written =
      write_scaling_files(run, directory, gnuplot.value_or(""));
  if (!written.ok()) return run_error(kCommand, written.status());
  if (!gnuplot) {
    std::fprintf(stderr,
                 "selfplay scale: gnuplot not found (apt-get install "
                 "gnuplot-nox): wrote %s/scaling.csv and scaling.json, no "
                 "plots\n",
                 directory.c_str());
  } else if (!silent) {
    std::printf("\nwrote %s in %s\n", absl::StrJoin(*written, ", ").c_str(),
                directory.c_str());
  }
  return kExitOk;
}

int run_scale(const ScaleFlags& flags) {
  const std::string_view command = kCommand;
  ScaleSettings settings;
  if (absl::Status status = settings_from_flags(flags, settings);
      !status.ok()) {
    return usage_error(command, status);
  }
  const std::string probe = flags.memory_probe;
  if (!probe.empty()) return run_memory_probe(settings, probe);
  absl::StatusOr<std::vector<Experiment>> experiments =
      parse_experiments(flags.experiment);
  if (!experiments.ok()) return usage_error(command, experiments.status());
  const std::string out = flags.out;
  if (!out.empty()) {
    std::error_code error;
    std::filesystem::create_directories(out, error);
    if (absl::Status status = check_writable(
            (std::filesystem::path(out) / "scaling.csv").string());
        !status.ok()) {
      return usage_error(command, status);
    }
  }
  const bool silent = flags.silent;
  if (!silent) {
    settings.log = [](const std::string& line) {
      std::fprintf(stderr, "  %s\n", line.c_str());
    };
  }

  ScaleRun run;
  run.command = selfplay::command_line();  // as typed
  run.started_utc = utc_timestamp();
  run.machine = describe_machine();
  run.load_before = load_average();
  run.policy = flags.policy;
  run.settings = &settings;
  if (!silent) std::fputs(run_header(run).c_str(), stdout);
  std::fflush(stdout);
  for (Experiment experiment : *experiments) {
    absl::StatusOr<ExperimentResult> result =
        run_experiment(experiment, settings);
    if (!result.ok()) return run_error(kCommand, result.status());
    run.experiments.push_back(*std::move(result));
    const std::string text =
        silent ? silent_times(run.experiments.back())
               : experiment_table(run, run.experiments.back());
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
  }
  run.load_after = load_average();
  if (!silent) {
    std::printf("\nload average after: %.2f %.2f %.2f\n", run.load_after[0],
                run.load_after[1], run.load_after[2]);
  }
  return out.empty() ? kExitOk : write_outputs(run, out, silent);
}

}  // namespace

CommandRun add_scale_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "scale",
      "scaling experiments (strong, weak, granularity, schedulers, memory) "
      "with speedup plots");
  auto flags = std::make_shared<ScaleFlags>();
  add_game_flags(*command, flags->game);
  command
      ->add_option("--threads", flags->threads,
                   "thread counts: a list (1,2,4) and ladders LOW:HIGH, "
                   "LOW:HIGH:+STEP, LOW:HIGH:*FACTOR as in oneTBB's examples "
                   "(1:64:*2); auto = 1, 2, 4, ... up to the available cores")
      ->capture_default_str();
  command
      ->add_option("--games", flags->games,
                   "games per run: strong scaling, schedulers, and the most a "
                   "granularity level plays")
      ->check(within(limits::kGames))
      ->capture_default_str();
  command
      ->add_option("--games-per-thread", flags->games_per_thread,
                   "weak scaling: games per thread; 0 = --games / the most "
                   "threads")
      ->check(within(Limit<std::uint64_t>{0, limits::kGames.max}))
      ->capture_default_str();
  command
      ->add_option("--repeat", flags->repeat,
                   "timed runs per point, after one untimed warm-up; the "
                   "median is reported with min-max")
      ->check(within(Limit<int>{1, 1000}))
      ->capture_default_str();
  command
      ->add_option("--policy", flags->policy,
                   "every seat's policy: random, or mcts:N[/T] (UCT with N "
                   "iterations per decision and random rollouts) for games "
                   "of milliseconds")
      ->capture_default_str();
  command
      ->add_option("--experiment", flags->experiment,
                   "strong, weak, granularity, schedulers, memory, a "
                   "comma-separated list of them, or all")
      ->capture_default_str();
  command->add_option("--out", flags->out,
                      "folder for scaling.csv, scaling.json and the plots "
                      "(created if missing); empty = print only");
  command->add_flag("--silent", flags->silent,
                    "print only the times: one line per point with "
                    "experiment, variant, threads, games and median seconds");
  command
      ->add_option("--work-per-action", flags->work_per_action,
                   "granularity: levels of the work knob, iterations of "
                   "arithmetic added to every action (a few ns each)")
      ->capture_default_str();
  command
      ->add_option("--point-seconds", flags->point_seconds,
                   "granularity: each level plays enough games for about this "
                   "many seconds on one thread (at least 16 per thread, at "
                   "most --games)")
      ->check(within(Limit<double>{1e-6, 3600}))
      ->capture_default_str();
  command
      ->add_option("--memory-games", flags->memory_games,
                   "memory: game counts, each measured in a process of its "
                   "own")
      ->capture_default_str();
  command->add_option("--memory-probe", flags->memory_probe,
                      "internal, for --experiment memory: play --games once "
                      "with game summaries 'dropped' or 'kept' and print the "
                      "peak RSS as JSON");
  add_run_flags(*command, flags->seed, flags->max_actions);
  command->add_flag("--features,!--nofeatures", flags->features,
                    "evaluate the candidate features (default: on)");
  command
      ->add_option("--cache-entries", flags->cache_entries,
                   "per-thread feature cache entries; 0 = no cache")
      ->check(within(limits::kFeatureCacheEntries))
      ->capture_default_str();
  return [flags] { return run_scale(*flags); };
}

}  // namespace selfplay::cli
