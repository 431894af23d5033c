// `selfplay simulate`: self-play games in parallel, then the statistics.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cli/command.h"
#include "cli/execution.h"
#include "cli/progress_bar.h"
#include "io/output_file.h"
#include "selfplay/features.h"
#include "selfplay/interrupt.h"
#include "selfplay/long_run.h"
#include "selfplay/model.h"
#include "selfplay/mpi_launcher.h"
#include "selfplay/players.h"
#include "selfplay/policy.h"
#include "selfplay/result_output.h"
#include "selfplay/simulation.h"

namespace selfplay::cli {
namespace {

constexpr std::string_view kCommand = "simulate";

struct SimulateFlags {
  GameFlags game;
  SimulationOptions options;
  std::int64_t timeout_ms = 0;
  ResultFiles files;
  bool features = true;
  bool progress = true;
  int isolate = 0;
  LongRunOptions long_run;
  std::string policy = "random";
  std::string policy_model;
  int search_threads = 1;
};

// The players of --policy, which own what options.policies points at.
struct SeatPolicies {
  std::optional<Model> model;
  SeatPlayers seats;
};

absl::Status set_players(const Game& game, const SimulateFlags& flags,
                         SimulationOptions& options, SeatPolicies& players) {
  if (!flags.policy_model.empty()) {
    absl::StatusOr<Model> model = Model::load(flags.policy_model, game);
    if (!model.ok()) return model.status();
    players.model = *std::move(model);
  }
  std::vector<PlayerSpec> specs;
  for (const std::string& text :
       std::vector<std::string>(absl::StrSplit(flags.policy, ','))) {
    absl::StatusOr<PlayerSpec> spec =
        parse_player_flag("policy", text, flags.search_threads);
    if (!spec.ok()) return spec.status();
    if (spec->needs_model() && !players.model) {
      return absl::InvalidArgumentError(
          absl::StrCat("--policy ", spec->to_string(),
                       " plays a model's objectives: give --policy-model"));
    }
    specs.push_back(*spec);
  }
  absl::StatusOr<SeatPlayers> seats = make_seat_players(
      specs, options.players, players.model ? &*players.model : nullptr);
  if (!seats.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--policy: ", seats.status().message()));
  }
  players.seats = *std::move(seats);
  options.policies = players.seats.policies();
  return absl::OkStatus();
}

// After an interrupted run: where the checkpoint is and the command that
// resumes it; empty without a checkpoint.
std::string resume_hint(const LongRun& run, const Game& game,
                        const SimulateFlags& flags,
                        const SimulationOptions& options) {
  if (run.checkpoint_path().empty()) return "";
  std::string command =
      absl::StrCat("selfplay simulate --game ", game.name(), " --players ",
                   options.players, " --games ", options.games, " --seed ",
                   options.seed, " --max-actions ", options.max_actions);
  if (flags.timeout_ms != 0) {
    absl::StrAppend(&command, " --timeout-ms ", flags.timeout_ms);
  }
  if (!flags.features) absl::StrAppend(&command, " --nofeatures");
  if (!flags.game.libraries.empty()) {
    absl::StrAppend(&command, " --game-lib ",
                    absl::StrJoin(flags.game.libraries, ","));
  }
  absl::StrAppend(&command, " --resume ", run.checkpoint_path());
  return absl::StrCat("the first ", run.saved_games(), " games are saved in ",
                      run.checkpoint_path(), "; resume with\n  ", command,
                      "\n");
}

int run_simulate(const SimulateFlags& flags) {
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return usage_error(kCommand, game.status());
  SimulationOptions options = flags.options;
  absl::StatusOr<int> players = selected_players(**game, flags.game.players);
  if (!players.ok()) return usage_error(kCommand, players.status());
  options.players = *players;
  options.game_timeout = absl::Milliseconds(flags.timeout_ms);
  SeatPolicies seats;
  if (absl::Status status = set_players(**game, flags, options, seats);
      !status.ok()) {
    return usage_error(kCommand, status);
  }
  const ResultFiles& files = flags.files;
  // Only the output process writes them: under MPI the paths need not exist
  // on the other ranks' machines.
  if (is_output_process()) {
    if (absl::Status status = check_result_files(files); !status.ok()) {
      return usage_error(kCommand, status);
    }
  }
  // One file for two outputs would lose one of them. Only --checkpoint and
  // --resume may be one file: the checkpoint is read before it is rewritten.
  const LongRunOptions& kept = flags.long_run;
  for (const NamedPath& checkpoint :
       {NamedPath{"--checkpoint", kept.checkpoint},
        NamedPath{"--resume", kept.resume}}) {
    if (absl::Status status =
            check_distinct_outputs({{"--json", files.json},
                                    {"--report", files.report},
                                    {"--records", kept.records},
                                    checkpoint});
        !status.ok()) {
      return usage_error(kCommand, status);
    }
  }
  FeatureSet features;
  if (flags.features) {
    absl::StatusOr<FeatureSet> generated =
        generate_candidate_features((*game)->structure());
    if (!generated.ok()) return usage_error(kCommand, generated.status());
    features = *std::move(generated);
  }
  if ((!kept.records.empty() || !kept.checkpoint.empty() ||
       !kept.resume.empty()) &&
      (flags.isolate > 0 || detect_mpi_launcher().detected)) {
    return usage_error(kCommand,
                       absl::InvalidArgumentError(
                           "--records, --checkpoint and --resume need the run "
                           "in this one process: not with --isolate or under "
                           "MPI"));
  }
  absl::StatusOr<std::unique_ptr<LongRun>> long_run =
      LongRun::start(**game, features, kept, options);
  if (!long_run.ok()) return usage_error(kCommand, long_run.status());
  if (std::optional<std::uint64_t> next = (*long_run)->resumed_at()) {
    std::fprintf(stderr,
                 "selfplay simulate: resuming %s at game %llu of %llu\n",
                 kept.resume.c_str(), static_cast<unsigned long long>(*next),
                 static_cast<unsigned long long>(options.games));
  }

  StopToken stop;
  options.stop = &stop;
  ProgressBar progress(flags.progress && shows_progress());
  options.progress = progress.callback();

  absl::StatusOr<SimulationResult> result;
  {
    // Ctrl-C: the run stops cleanly, reports what was played and saves a
    // checkpoint.
    InterruptHandler interrupt(stop);
    result = execute_simulation(**game, features, options, flags.isolate,
                                flags.game.libraries);
  }
  progress.finish();
  if (!result.ok() && !(*long_run)->caused(result.status())) {
    return usage_error(kCommand, result.status());
  }
  if (absl::Status status =
          result.ok() ? (*long_run)->finish(*result) : result.status();
      !status.ok()) {
    return run_error(kCommand, status);
  }
  if (!is_output_process()) return kExitOk;

  std::fputs(result_summary(*result, files.top).c_str(), stdout);
  if (absl::Status status = write_result_files(*result, files); !status.ok()) {
    return run_error(kCommand, status);
  }
  if (result->cancelled > 0) {
    std::fprintf(stderr,
                 "selfplay simulate: interrupted; %llu of %llu games played\n",
                 static_cast<unsigned long long>(result->counts.games),
                 static_cast<unsigned long long>(result->requested));
    std::fputs(resume_hint(**long_run, **game, flags, options).c_str(), stderr);
    return interrupt_exit_code();
  }
  return kExitOk;
}

}  // namespace

CommandRun add_simulate_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "simulate",
      "play self-play games in parallel and report which features win");
  auto flags = std::make_shared<SimulateFlags>();
  SimulationOptions& options = flags->options;
  options.games = 10000;
  options.seed = 1;
  add_game_flags(*command, flags->game);
  command->add_option("--games", options.games, "number of games")
      ->check(within(limits::kGames))
      ->capture_default_str();
  add_run_flags(*command, options.seed, options.max_actions, &options.threads);
  command
      ->add_option("--timeout-ms", flags->timeout_ms,
                   "per-game wall-clock limit in ms; 0 = none (a timed-out "
                   "game breaks determinism and is flagged)")
      ->check(within(Limit<std::int64_t>{0, std::int64_t{1} << 40}))
      ->capture_default_str();
  command->add_option("--json", flags->files.json,
                      "write the full result as JSON to this file");
  command->add_option("--report", flags->files.report,
                      "write a self-contained HTML page of the result (plots "
                      "of the top features, seats, lengths and action kinds) "
                      "to this file");
  command
      ->add_option("--top", flags->files.top,
                   "features to show, strongest |phi| first")
      ->check(within(Limit<int>{0, 1 << 20}))
      ->capture_default_str();
  command->add_flag("--features,!--nofeatures", flags->features,
                    "evaluate the candidate features (default: on)");
  command
      ->add_option("--cache-entries", options.feature_cache_entries,
                   "per-thread feature cache entries; 0 = no cache")
      ->check(within(limits::kFeatureCacheEntries))
      ->capture_default_str();
  command->add_flag("--keep-games", options.keep_game_summaries,
                    "keep a summary of every game (written to --json)");
  command->add_flag("--progress,!--noprogress", flags->progress,
                    "draw a progress bar when stderr is a terminal (default: "
                    "on)");
  command
      ->add_option("--isolate", flags->isolate,
                   "run the games in this many worker processes, so that a "
                   "game that crashes or hangs (no result within "
                   "--timeout-ms, else 10 s) is recorded as failed instead of "
                   "ending the run; 0 = in this process")
      ->check(within(Limit<int>{0, limits::kIsolatedWorkers.max}))
      ->capture_default_str();
  command->add_option("--records", flags->long_run.records,
                      "write every game's record (decisions, features, "
                      "actions) to this file in game order while the run "
                      "goes on; see docs/records.md");
  command->add_option("--checkpoint", flags->long_run.checkpoint,
                      "save the run's state to this file atomically every "
                      "--checkpoint-every games and when interrupted, so "
                      "that --resume can continue it");
  command
      ->add_option("--checkpoint-every", flags->long_run.checkpoint_every,
                   "games between checkpoints (with --checkpoint)")
      ->check(within(limits::kGames))
      ->capture_default_str();
  command->add_option("--resume", flags->long_run.resume,
                      "continue the run saved in this checkpoint; --game, "
                      "--players, --games, --seed, --max-actions, "
                      "--timeout-ms, --features and --policy must be the "
                      "checkpoint's");
  command
      ->add_option("--policy", flags->policy,
                   "the players: one for every seat, or one per seat "
                   "separated by commas (mcts:200,random); each random, "
                   "mcts:N[/T], greedy[:2][:q] or "
                   "objective-mcts:N[:D[:q[Q]][:decisive]][/T] "
                   "(the last two play --policy-model's objectives)")
      ->capture_default_str();
  command->add_option("--policy-model", flags->policy_model,
                      "the model file (from selfplay train) of greedy and "
                      "objective-mcts players in --policy");
  add_search_threads_flag(*command, flags->search_threads);
  return [flags] { return run_simulate(*flags); };
}

}  // namespace selfplay::cli
