// `selfplay simulate`: self-play games in parallel, then the statistics.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "cli/command.h"
#include "cli/common_flags.h"
#include "cli/execution.h"
#include "cli/interrupt.h"
#include "cli/isolated_execution.h"
#include "cli/mpi_launcher.h"
#include "cli/player_flag.h"
#include "cli/progress_bar.h"
#include "io/output_file.h"
#include "selfplay/features.h"
#include "selfplay/long_run.h"
#include "selfplay/model.h"
#include "selfplay/players.h"
#include "selfplay/policy.h"
#include "selfplay/result_output.h"
#include "selfplay/simulation.h"

ABSL_FLAG(std::uint64_t, games, 10000, "number of games (1..10^12)");
ABSL_FLAG(int, threads, 0, "worker threads; 0 = all cores");
ABSL_FLAG(std::uint64_t, seed, 1, "base seed; game i uses seed_for(seed, i)");
ABSL_FLAG(int, max_actions, 2000,
          "truncate a game after this many actions (>= 1)");
ABSL_FLAG(std::int64_t, timeout_ms, 0,
          "per-game wall-clock limit in ms; 0 = none (a timed-out game breaks "
          "determinism and is flagged)");
ABSL_FLAG(std::string, json, "", "write the full result as JSON to this file");
ABSL_FLAG(std::string, report, "",
          "write a self-contained HTML page of the result (plots of the top "
          "features, seats, lengths and action kinds) to this file");
ABSL_FLAG(int, top, 20, "features to show, strongest |phi| first");
ABSL_FLAG(bool, features, true, "evaluate the candidate features");
ABSL_FLAG(int, cache_entries, selfplay::kDefaultFeatureCacheEntries,
          "per-thread feature cache entries; 0 = no cache");
ABSL_FLAG(bool, keep_games, false,
          "keep a summary of every game (written to --json)");
ABSL_FLAG(bool, progress, true,
          "draw a progress bar when stderr is a terminal");
ABSL_FLAG(std::string, policy, "random",
          "the players: one for every seat, or one per seat separated by "
          "commas (mcts:200,random); each random, mcts:N[/T], greedy[:2] or "
          "objective-mcts:N[:D] (the last two play --policy-model's "
          "objectives)");
ABSL_FLAG(std::string, policy_model, "",
          "the model file (from selfplay train) of greedy and objective-mcts "
          "players in --policy");

ABSL_FLAG(std::string, records, "",
          "write every game's record (decisions, features, actions) to this "
          "file in game order while the run goes on; see docs/records.md");
ABSL_FLAG(std::string, checkpoint, "",
          "save the run's state to this file atomically, so that --resume can "
          "continue it: simulate every --checkpoint-every games and when "
          "interrupted, train after every iteration");
ABSL_FLAG(std::uint64_t, checkpoint_every, 10000,
          "games between checkpoints (with --checkpoint)");
ABSL_FLAG(std::string, resume, "",
          "continue the run saved in this checkpoint; the settings that decide "
          "the result (simulate: --game, --players, --games, --seed, "
          "--max-actions, --timeout-ms, --features; train: every flag that "
          "shapes the model, all but --threads, --out, --progress and "
          "--checkpoint) must be the checkpoint's");

namespace selfplay::cli {
namespace {

// The players of --policy, which own what options.policies points at.
struct SeatPlayers {
  std::optional<Model> model;
  std::vector<std::unique_ptr<Policy>> players;
};

absl::Status players_from_flags(const Game& game, SimulationOptions& options,
                                SeatPlayers& seats) {
  const std::vector<std::string> specs =
      absl::StrSplit(absl::GetFlag(FLAGS_policy), ',');
  if (specs.size() != 1 &&
      specs.size() != static_cast<std::size_t>(options.players)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--policy names ", specs.size(), " players for ", options.players,
        " seats: give one for every seat or one per seat"));
  }
  const std::string model_path = absl::GetFlag(FLAGS_policy_model);
  if (!model_path.empty()) {
    absl::StatusOr<Model> model = Model::load(model_path, game);
    if (!model.ok()) return model.status();
    seats.model = *std::move(model);
  }
  for (int seat = 0; seat < options.players; ++seat) {
    absl::StatusOr<PlayerSpec> spec =
        parse_player_flag("policy", specs[specs.size() == 1 ? 0 : seat]);
    if (!spec.ok()) return spec.status();
    if (spec->needs_model() && !seats.model) {
      return absl::InvalidArgumentError(
          absl::StrCat("--policy ", spec->to_string(),
                       " plays a model's objectives: give --policy-model"));
    }
    absl::StatusOr<std::unique_ptr<Policy>> player =
        make_player(*spec, seats.model ? &*seats.model : nullptr);
    if (!player.ok()) return player.status();
    seats.players.push_back(*std::move(player));
  }
  // Random seats stay null: the engine's own uniform choice, as before.
  options.policies.clear();
  for (const std::unique_ptr<Policy>& player : seats.players) {
    options.policies.push_back(
        player->name() == RandomPolicy().name() ? nullptr : player.get());
  }
  return absl::OkStatus();
}

absl::StatusOr<SimulationOptions> options_from_flags(const Game& game) {
  SimulationOptions options;
  absl::StatusOr<int> players = selected_players(game);
  if (!players.ok()) return players.status();
  options.players = *players;
  options.games = absl::GetFlag(FLAGS_games);
  if (options.games < 1 || options.games > 1'000'000'000'000ULL) {
    return absl::InvalidArgumentError(
        absl::StrCat("--games must be 1..10^12, not ", options.games));
  }
  options.threads = absl::GetFlag(FLAGS_threads);
  if (options.threads < 0 || options.threads > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--threads must be 0 (all cores) to 4096, not ", options.threads));
  }
  options.seed = absl::GetFlag(FLAGS_seed);
  options.max_actions = absl::GetFlag(FLAGS_max_actions);
  if (options.max_actions < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-actions must be at least 1, not ", options.max_actions));
  }
  const std::int64_t timeout_ms = absl::GetFlag(FLAGS_timeout_ms);
  if (timeout_ms < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--timeout-ms must not be negative, not ", timeout_ms));
  }
  options.game_timeout = absl::Milliseconds(timeout_ms);
  options.feature_cache_entries = absl::GetFlag(FLAGS_cache_entries);
  if (options.feature_cache_entries < 0 ||
      options.feature_cache_entries > (1 << 24)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--cache-entries must be 0..16777216, not ",
                     options.feature_cache_entries));
  }
  options.keep_game_summaries = absl::GetFlag(FLAGS_keep_games);
  if (absl::GetFlag(FLAGS_top) < 0) {
    return absl::InvalidArgumentError("--top must not be negative");
  }
  return options;
}

// After an interrupted run: where the checkpoint is and the command that
// resumes it; empty without a checkpoint.
std::string resume_hint(const LongRun& run, const SimulationOptions& options,
                        bool features) {
  if (run.checkpoint_path().empty()) return "";
  std::string command = absl::StrCat(
      "selfplay simulate --game ", absl::GetFlag(FLAGS_game), " --players ",
      options.players, " --games ", options.games, " --seed ", options.seed,
      " --max-actions ", options.max_actions);
  if (options.game_timeout != absl::ZeroDuration()) {
    absl::StrAppend(&command, " --timeout-ms ",
                    absl::ToInt64Milliseconds(options.game_timeout));
  }
  if (!features) absl::StrAppend(&command, " --nofeatures");
  const std::vector<std::string> libraries = absl::GetFlag(FLAGS_game_lib);
  if (!libraries.empty()) {
    absl::StrAppend(&command, " --game-lib ", absl::StrJoin(libraries, ","));
  }
  absl::StrAppend(&command, " --resume ", run.checkpoint_path());
  return absl::StrCat("the first ", run.saved_games(), " games are saved in ",
                      run.checkpoint_path(), "; resume with\n  ", command,
                      "\n");
}

int run_simulate(const std::vector<std::string>&) {
  const Command& command = kSimulateCommand;
  absl::StatusOr<const Game*> game = selected_game();
  if (!game.ok()) return usage_error(command, game.status());
  absl::StatusOr<SimulationOptions> options = options_from_flags(**game);
  if (!options.ok()) return usage_error(command, options.status());
  SeatPlayers seats;
  if (absl::Status status = players_from_flags(**game, *options, seats);
      !status.ok()) {
    return usage_error(command, status);
  }
  const ResultFiles files = {.json = absl::GetFlag(FLAGS_json),
                             .report = absl::GetFlag(FLAGS_report),
                             .top = absl::GetFlag(FLAGS_top)};
  // Only the output process writes them: under MPI the paths need not exist
  // on the other ranks' machines.
  if (is_output_process()) {
    if (absl::Status status = check_result_files(files); !status.ok()) {
      return usage_error(command, status);
    }
  }
  // One file for two outputs would lose one of them. Only --checkpoint and
  // --resume may be one file: the checkpoint is read before it is rewritten.
  const NamedPath json = {"--json", files.json};
  const NamedPath report = {"--report", files.report};
  const NamedPath records = {"--records", absl::GetFlag(FLAGS_records)};
  for (const NamedPath& checkpoint :
       {NamedPath{"--checkpoint", absl::GetFlag(FLAGS_checkpoint)},
        NamedPath{"--resume", absl::GetFlag(FLAGS_resume)}}) {
    if (absl::Status status =
            check_distinct_outputs({json, report, records, checkpoint});
        !status.ok()) {
      return usage_error(command, status);
    }
  }
  FeatureSet features;
  if (absl::GetFlag(FLAGS_features)) {
    absl::StatusOr<FeatureSet> generated =
        generate_candidate_features((*game)->structure());
    if (!generated.ok()) return usage_error(command, generated.status());
    features = *std::move(generated);
  }
  const LongRunOptions files_kept = {
      .records = absl::GetFlag(FLAGS_records),
      .checkpoint = absl::GetFlag(FLAGS_checkpoint),
      .checkpoint_every = absl::GetFlag(FLAGS_checkpoint_every),
      .resume = absl::GetFlag(FLAGS_resume)};
  if ((!files_kept.records.empty() || !files_kept.checkpoint.empty() ||
       !files_kept.resume.empty()) &&
      (isolation_requested() || detect_mpi_launcher().detected)) {
    return usage_error(command,
                       absl::InvalidArgumentError(
                           "--records, --checkpoint and --resume need the run "
                           "in this one process: not with --isolate or under "
                           "MPI"));
  }
  absl::StatusOr<std::unique_ptr<LongRun>> long_run =
      LongRun::start(**game, features, files_kept, *options);
  if (!long_run.ok()) return usage_error(command, long_run.status());
  if (std::optional<std::uint64_t> next = (*long_run)->resumed_at()) {
    std::fprintf(
        stderr, "selfplay simulate: resuming %s at game %llu of %llu\n",
        files_kept.resume.c_str(), static_cast<unsigned long long>(*next),
        static_cast<unsigned long long>(options->games));
  }

  StopToken stop;
  options->stop = &stop;
  ProgressBar progress(absl::GetFlag(FLAGS_progress) && shows_progress());
  options->progress = progress.callback();

  absl::StatusOr<SimulationResult> result;
  {
    // Ctrl-C: the run stops cleanly, reports what was played and saves a
    // checkpoint.
    InterruptHandler interrupt(stop);
    result = execute_simulation(**game, features, *options);
  }
  progress.finish();
  if (!result.ok() && !(*long_run)->caused(result.status())) {
    return usage_error(command, result.status());
  }
  if (absl::Status status =
          result.ok() ? (*long_run)->finish(*result) : result.status();
      !status.ok()) {
    std::fprintf(stderr, "selfplay simulate: %s\n",
                 std::string(status.message()).c_str());
    return kExitFailure;
  }
  if (!is_output_process()) return kExitOk;

  std::fputs(result_summary(*result, absl::GetFlag(FLAGS_top)).c_str(), stdout);
  if (absl::Status status = write_result_files(*result, files); !status.ok()) {
    std::fprintf(stderr, "selfplay simulate: %s\n",
                 std::string(status.message()).c_str());
    return kExitFailure;
  }
  if (result->cancelled > 0) {
    std::fprintf(stderr,
                 "selfplay simulate: interrupted; %llu of %llu games played\n",
                 static_cast<unsigned long long>(result->counts.games),
                 static_cast<unsigned long long>(result->requested));
    std::fputs(resume_hint(**long_run, *options, features.size() > 0).c_str(),
               stderr);
    return interrupt_exit_code();
  }
  return kExitOk;
}

}  // namespace

const Command kSimulateCommand = {
    "simulate",
    "play self-play games in parallel and report which features win",
    {"game",
     "game_lib",
     "players",
     "games",
     "threads",
     "seed",
     "max_actions",
     "timeout_ms",
     "json",
     "report",
     "top",
     "features",
     "cache_entries",
     "keep_games",
     "progress",
     "isolate",
     "records",
     "checkpoint",
     "checkpoint_every",
     "resume",
     "policy",
     "policy_model",
     "search_threads"},
    run_simulate};

}  // namespace selfplay::cli
