// `selfplay train`: self-play with an oracle, the strongest features turned
// into weighted objectives, evaluation against baselines, optionally an
// evolution of the weights; the model is written as JSON.
//
//   selfplay train --game connect-four --iterations 3
//       --games-per-iteration 5000 --oracle mcts:50 --out model.json
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "cli/command.h"
#include "cli/common_flags.h"
#include "cli/execution.h"
#include "cli/interrupt.h"
#include "cli/output_file.h"
#include "cli/player_flag.h"
#include "cli/progress_bar.h"
#include "cli/utf8.h"
#include "selfplay/players.h"
#include "selfplay/training.h"

// Shared with `simulate` (defined in simulate_command.cc).
ABSL_DECLARE_FLAG(int, threads);
ABSL_DECLARE_FLAG(std::uint64_t, seed);
ABSL_DECLARE_FLAG(int, max_actions);
ABSL_DECLARE_FLAG(bool, progress);
// Shared with `records fit` (defined in records_command.cc).
ABSL_DECLARE_FLAG(double, l2);

ABSL_FLAG(int, iterations, 3,
          "training iterations; each plays --games-per-iteration more games "
          "and re-derives the objectives from all games so far (1..1000)");
ABSL_FLAG(std::uint64_t, games_per_iteration, 5000,
          "self-play games per iteration (1..10^9)");
ABSL_FLAG(std::string, oracle, "mcts:50",
          "the self-play policy of every seat: random or mcts:N");
ABSL_FLAG(std::string, weights, "logistic",
          "how objectives are chosen and weighted: logistic (the joint L2 "
          "logistic model of the outcome, 2 x coefficient, clustered p < "
          "0.05) or phi (each feature alone, 10 x phi)");
ABSL_FLAG(int, max_features, 20,
          "objectives kept, strongest |phi| (or |coefficient|) first");
ABSL_FLAG(double, min_correlation, 0.01,
          "--weights phi: least |phi| of a feature against winning to become "
          "an objective");
ABSL_FLAG(std::uint64_t, evaluation_games, 200,
          "games per evaluation match after each iteration (greedy vs random; "
          "with an mcts:N oracle also objective-mcts:N vs mcts:N); 0 = none");
// Typed as --out (see kTrainCommand.renamed_flags).
ABSL_FLAG(std::string, train_out, "model.json",
          "the model file (JSON), written atomically at the end");
ABSL_FLAG(bool, evolve, false,
          "after the iterations, evolve the objective weights with a "
          "(mu + lambda) evolution strategy");
ABSL_FLAG(int, evolve_mu, 5, "evolution: parents kept per generation");
ABSL_FLAG(int, evolve_lambda, 20, "evolution: offspring per generation");
ABSL_FLAG(int, evolve_generations, 5, "evolution: generations (0..1000)");
ABSL_FLAG(double, evolve_sigma, 1.0,
          "evolution: initial mutation standard deviation (x0.9 per "
          "generation)");
ABSL_FLAG(std::uint64_t, evolve_games, 200,
          "evolution: games per candidate, the same seeds for every candidate");
ABSL_FLAG(std::string, evolve_player, "greedy",
          "evolution: the player the weights drive, greedy or "
          "objective-mcts:N[:D]");
ABSL_FLAG(std::string, evolve_opponent, "random",
          "evolution: the opponent fitness is measured against");

namespace selfplay::cli {
namespace {

absl::Status check_range(const char* flag, std::int64_t value, std::int64_t min,
                         std::int64_t max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, " must be ", min, "..", max, ", not ", value));
}

absl::StatusOr<EvolutionOptions> evolution_from_flags() {
  EvolutionOptions evolution;
  evolution.mu = absl::GetFlag(FLAGS_evolve_mu);
  evolution.lambda = absl::GetFlag(FLAGS_evolve_lambda);
  evolution.generations = absl::GetFlag(FLAGS_evolve_generations);
  evolution.sigma = absl::GetFlag(FLAGS_evolve_sigma);
  evolution.games_per_candidate = absl::GetFlag(FLAGS_evolve_games);
  for (absl::Status status :
       {check_range("evolve-mu", evolution.mu, 1, 1000),
        check_range("evolve-lambda", evolution.lambda, 1, 10000),
        check_range("evolve-generations", evolution.generations, 0, 1000),
        check_range("evolve-games",
                    static_cast<std::int64_t>(std::min<std::uint64_t>(
                        evolution.games_per_candidate, 1ULL << 40)),
                    1, 1'000'000'000)}) {
    if (!status.ok()) return status;
  }
  if (!(evolution.sigma >= 0 && evolution.sigma <= 100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--evolve-sigma must be 0..100, not ", evolution.sigma));
  }
  absl::StatusOr<PlayerSpec> player =
      parse_player_flag("evolve-player", absl::GetFlag(FLAGS_evolve_player));
  if (!player.ok()) return player.status();
  if (!player->needs_model()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--evolve-player must use the model (greedy or objective-mcts:N), "
        "not ",
        player->to_string()));
  }
  evolution.player = *player;
  absl::StatusOr<PlayerSpec> opponent = parse_player_flag(
      "evolve-opponent", absl::GetFlag(FLAGS_evolve_opponent));
  if (!opponent.ok()) return opponent.status();
  evolution.opponent = *opponent;
  return evolution;
}

absl::StatusOr<TrainingOptions> options_from_flags(const Game& game) {
  TrainingOptions options;
  absl::StatusOr<int> players = selected_players(game);
  if (!players.ok()) return players.status();
  options.players = *players;
  options.iterations = absl::GetFlag(FLAGS_iterations);
  options.games_per_iteration = absl::GetFlag(FLAGS_games_per_iteration);
  options.max_features = absl::GetFlag(FLAGS_max_features);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.max_actions = absl::GetFlag(FLAGS_max_actions);
  options.evaluation_games = absl::GetFlag(FLAGS_evaluation_games);
  for (absl::Status status :
       {check_range("iterations", options.iterations, 1, 1000),
        check_range("games-per-iteration",
                    static_cast<std::int64_t>(std::min<std::uint64_t>(
                        options.games_per_iteration, 1ULL << 40)),
                    1, 1'000'000'000),
        check_range("max-features", options.max_features, 1, 100000),
        check_range("threads", options.threads, 0, 4096),
        check_range("max-actions", options.max_actions, 1, 1'000'000'000),
        check_range("evaluation-games",
                    static_cast<std::int64_t>(std::min<std::uint64_t>(
                        options.evaluation_games, 1ULL << 40)),
                    0, 1'000'000'000)}) {
    if (!status.ok()) return status;
  }
  const std::string weights = absl::GetFlag(FLAGS_weights);
  if (weights == "phi") {
    options.weights = ObjectiveWeights::kPhi;
  } else if (weights == "logistic") {
    options.weights = ObjectiveWeights::kLogistic;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--weights must be phi or logistic, not '", weights, "'"));
  }
  options.l2 = absl::GetFlag(FLAGS_l2);
  if (!(options.l2 >= 0) || !std::isfinite(options.l2)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--l2 must be finite and >= 0, not ", options.l2));
  }
  options.min_correlation = absl::GetFlag(FLAGS_min_correlation);
  if (!(options.min_correlation >= 0 && options.min_correlation <= 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--min-correlation must be 0..1, not ", options.min_correlation));
  }
  absl::StatusOr<PlayerSpec> oracle =
      parse_player_flag("oracle", absl::GetFlag(FLAGS_oracle));
  if (!oracle.ok()) return oracle.status();
  if (oracle->needs_model()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--oracle must be random or mcts:N (training starts "
                     "without a model), not ",
                     oracle->to_string()));
  }
  options.oracle = *oracle;
  options.seed = absl::GetFlag(FLAGS_seed);
  if (absl::GetFlag(FLAGS_evolve)) {
    absl::StatusOr<EvolutionOptions> evolution = evolution_from_flags();
    if (!evolution.ok()) return evolution.status();
    options.evolution = *std::move(evolution);
  }
  return options;
}

// The run as a command line that repeats it: the game, and the flags given
// a value other than their default, as typed.
std::string command_line(const Command& command) {
  std::string line = absl::StrCat("selfplay ", command.name);
  for (const std::string& name : command.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr ||
        (name != "game" && flag->CurrentValue() == flag->DefaultValue())) {
      continue;
    }
    std::string typed = name;
    for (const auto& [as_typed, abseil] : command.renamed_flags) {
      if (abseil == name) typed = as_typed;
    }
    typed = absl::StrReplaceAll(typed, {{"_", "-"}});
    std::string value = flag->CurrentValue();
    if (flag->IsOfType<bool>()) {
      absl::StrAppend(&line, value == "true" ? " --" : " --no", typed);
      continue;
    }
    if (value.empty() || value.find_first_of(" \t'\"") != std::string::npos) {
      value =
          absl::StrCat("'", absl::StrReplaceAll(value, {{"'", "'\\''"}}), "'");
    }
    absl::StrAppend(&line, " --", typed, " ", value);
  }
  return line;
}

void print_stage(const TrainingProgress& progress, int iterations) {
  const std::string when =
      progress.iteration > 0
          ? absl::StrFormat("[%d/%d]", progress.iteration, iterations)
          : std::string("[final]");
  // A failed game's message comes from the game: any bytes.
  std::printf("%s %-8s %s (%.1f s)\n", when.c_str(), progress.stage.c_str(),
              valid_utf8(progress.message).c_str(), progress.seconds);
  std::fflush(stdout);
}

void print_summary(const Model& model, const std::string& path) {
  std::printf(
      "\n%s: %zu objectives, %zu action preferences, from %llu games "
      "(%llu decisions) with %s, %s weights\n",
      model.game().c_str(), model.objectives().size(),
      model.preferences().size(),
      static_cast<unsigned long long>(model.training.games),
      static_cast<unsigned long long>(model.training.states),
      model.training.oracle.c_str(), model.training.weights.c_str());
  for (const Objective& objective : model.objectives()) {
    std::printf("  %+7.2f  phi %+.3f  %s\n", objective.weight,
                objective.correlation, objective.description.c_str());
  }
  for (const ActionPreference& preference : model.preferences()) {
    std::printf("  %+7.2f  action kind %s (won %.3f taken, %.3f not)\n",
                preference.weight, preference.action_kind.c_str(),
                preference.win_rate_taken, preference.win_rate_not_taken);
  }
  for (const EvaluationRecord& record : model.evaluations) {
    const MatchResult& match = record.match;
    if (record.iteration != model.training.iterations &&
        record.stage != "evolution") {
      continue;  // the final evaluations only
    }
    const Interval wins = match.win_rate();
    const Interval elo = match.elo();
    std::printf(
        "%s %s vs %s: won %.1f%% [%.1f, %.1f] of %llu, Elo %+.0f "
        "[%+.0f, %+.0f]\n",
        record.stage.c_str(), match.player.c_str(), match.opponent.c_str(),
        100 * wins.value, 100 * wins.low, 100 * wins.high,
        static_cast<unsigned long long>(match.games), elo.value, elo.low,
        elo.high);
  }
  std::printf("self-play %.1f games/s (%d threads); model written to %s\n",
              model.run.self_play_games_per_s, model.run.threads, path.c_str());
}

int run_train(const std::vector<std::string>&) {
  const Command& command = kTrainCommand;
  absl::StatusOr<const Game*> game = selected_game();
  if (!game.ok()) return usage_error(command, game.status());
  absl::StatusOr<TrainingOptions> options = options_from_flags(**game);
  if (!options.ok()) return usage_error(command, options.status());
  const std::string path = absl::GetFlag(FLAGS_train_out);
  if (path.empty()) {
    return usage_error(
        command, absl::InvalidArgumentError("--out must name the model file"));
  }
  if (absl::Status status = check_writable(path); !status.ok()) {
    return usage_error(command, status);
  }
  options->command_line = command_line(command);
  const int iterations = options->iterations;
  ProgressBar progress(absl::GetFlag(FLAGS_progress) && shows_progress());
  options->simulation_progress = progress.callback();
  options->on_stage = [&](const TrainingProgress& stage) {
    progress.finish();
    print_stage(stage, iterations);
  };
  StopToken stop;
  options->stop = &stop;
  absl::StatusOr<Model> model;
  {
    // Ctrl-C stops the self-play under way; the stages printed are done.
    InterruptHandler interrupt(stop);
    model = train(**game, *options);
  }
  progress.finish();
  if (absl::IsCancelled(model.status())) {
    std::fprintf(stderr, "selfplay train: %s; no model written\n",
                 std::string(model.status().message()).c_str());
    return interrupt_exit_code();
  }
  if (!model.ok()) {
    // The flags were checked above: what fails now is the run itself.
    std::fprintf(stderr, "selfplay train: %s\n",
                 std::string(model.status().message()).c_str());
    return kExitFailure;
  }
  if (absl::Status status = write_file_atomically(path, model->to_json());
      !status.ok()) {
    std::fprintf(stderr, "selfplay train: %s\n",
                 std::string(status.message()).c_str());
    return kExitFailure;
  }
  print_summary(*model, path);
  return kExitOk;
}

}  // namespace

const Command kTrainCommand = {
    .name = "train",
    .summary =
        "train objectives from self-play, evaluate them against baselines "
        "and write the model as JSON",
    .flags = {"game",
              "game_lib",
              "players",
              "iterations",
              "games_per_iteration",
              "oracle",
              "weights",
              "l2",
              "max_features",
              "min_correlation",
              "train_out",
              "threads",
              "seed",
              "max_actions",
              "evaluation_games",
              "evolve",
              "evolve_mu",
              "evolve_lambda",
              "evolve_generations",
              "evolve_sigma",
              "evolve_games",
              "evolve_player",
              "evolve_opponent",
              "progress",
              "search_threads"},
    .run = run_train,
    .renamed_flags = {{"out", "train_out"}},
};

}  // namespace selfplay::cli
