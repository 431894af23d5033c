// `selfplay train`: self-play with an oracle, the strongest features turned
// into weighted objectives, evaluation against baselines, optionally an
// evolution of the weights; the model is written as JSON.
//
//   selfplay train --game connect-four --iterations 3
//       --games-per-iteration 5000 --oracle mcts:50 --out model.json
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/command.h"
#include "cli/execution.h"
#include "cli/ladder_flag.h"
#include "cli/progress_bar.h"
#include "io/output_file.h"
#include "io/utf8.h"
#include "selfplay/interrupt.h"
#include "selfplay/players.h"
#include "selfplay/sprt.h"
#include "selfplay/training.h"
#include "selfplay/training_run.h"

namespace selfplay::cli {
namespace {

constexpr std::string_view kCommand = "train";

struct TrainFlags {
  GameFlags game;
  TrainingOptions options;
  std::string oracle = "mcts:50";
  std::string weights = "logistic";
  std::string out = "model.json";
  bool evolve = false;
  EvolutionOptions evolution;
  std::string evolve_player = "greedy";
  std::string evolve_opponent = "random";
  bool progress = true;
  int search_threads = 1;
  std::string checkpoint;
  std::string resume;
  std::string compare_iterations;
  std::string equal_time;
  std::string ladder;
  std::string ladder_player = "greedy";
};

// The options the flags give that their validators cannot check alone; the
// ladder's model files are loaded into `models`.
absl::StatusOr<TrainingOptions> options_from_flags(const Game& game,
                                                   const TrainFlags& flags,
                                                   ModelFiles& models) {
  TrainingOptions options = flags.options;
  absl::StatusOr<int> players = selected_players(game, flags.game.players);
  if (!players.ok()) return players.status();
  options.players = *players;
  if (flags.weights == "phi") {
    options.weights = ObjectiveWeights::kPhi;
  } else if (flags.weights == "logistic") {
    options.weights = ObjectiveWeights::kLogistic;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--weights must be phi or logistic, not '", flags.weights, "'"));
  }
  absl::StatusOr<PlayerSpec> oracle =
      parse_player_flag("oracle", flags.oracle, flags.search_threads);
  if (!oracle.ok()) return oracle.status();
  if (oracle->needs_model()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--oracle must be random or mcts:N (training starts "
                     "without a model), not ",
                     oracle->to_string()));
  }
  options.oracle = *oracle;
  if (flags.evolve) {
    EvolutionOptions evolution = flags.evolution;
    absl::StatusOr<PlayerSpec> player = parse_player_flag(
        "evolve-player", flags.evolve_player, flags.search_threads);
    if (!player.ok()) return player.status();
    if (!player->needs_model()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--evolve-player must use the model (greedy or objective-mcts:N), "
          "not ",
          player->to_string()));
    }
    evolution.player = *player;
    absl::StatusOr<PlayerSpec> opponent = parse_player_flag(
        "evolve-opponent", flags.evolve_opponent, flags.search_threads);
    if (!opponent.ok()) return opponent.status();
    evolution.opponent = *opponent;
    options.evolution = evolution;
  }
  if (!flags.compare_iterations.empty()) {
    absl::StatusOr<SprtOptions> sprt =
        parse_sprt_options(flags.compare_iterations);
    if (!sprt.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--compare-iterations ", sprt.status().message()));
    }
    options.compare_iterations = *sprt;
  }
  if (!flags.equal_time.empty()) {
    absl::Duration budget;
    if (!absl::ParseDuration(flags.equal_time, &budget) ||
        budget <= absl::ZeroDuration() || budget > kMaxTimePerMove) {
      return absl::InvalidArgumentError(
          absl::StrCat("--equal-time must be a time per move in (0, ",
                       absl::FormatDuration(kMaxTimePerMove),
                       "] such as 5ms, not '", flags.equal_time, "'"));
    }
    options.equal_time = budget;
  }
  if (!flags.ladder.empty()) {
    absl::StatusOr<PlayerSpec> player =
        parse_player_flag("ladder-player", flags.ladder_player,
                          flags.search_threads, /*time_budgets=*/true);
    if (!player.ok()) return player.status();
    if (!player->needs_model()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--ladder-player must use the model (greedy or objective-mcts:N), "
          "not ",
          player->to_string()));
    }
    options.ladder_player = *player;
    absl::StatusOr<std::vector<OpponentSpec>> rungs =
        parse_ladder_flag(flags.ladder, *player, flags.search_threads);
    if (!rungs.ok()) return rungs.status();
    for (const OpponentSpec& rung : *rungs) {
      const Model* model = nullptr;  // the trained model
      if (!rung.model_file.empty()) {
        absl::StatusOr<const Model*> loaded = models.get(rung.model_file);
        if (!loaded.ok()) return loaded.status();
        model = *loaded;
      }
      options.ladder.push_back({rung.spec, model, rung.name});
    }
  }
  if (options.evaluation_games == 0) {
    for (const auto& [flag, text] :
         {std::pair("--compare-iterations", &flags.compare_iterations),
          std::pair("--equal-time", &flags.equal_time),
          std::pair("--ladder", &flags.ladder)}) {
      if (!text->empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            flag, " plays evaluation games: it needs --evaluation-games > 0"));
      }
    }
  }
  return options;
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

// For the tests: SELFPLAY_TEST_SIGNAL_AFTER_ITERATION=K,S raises signal S
// once iteration K is saved, so that an interruption at a checkpoint can be
// tested without timing. {0, 0} when unset.
absl::StatusOr<std::pair<int, int>> test_signal() {
  const char* value = std::getenv("SELFPLAY_TEST_SIGNAL_AFTER_ITERATION");
  if (value == nullptr || *value == '\0') return std::pair(0, 0);
  const std::vector<std::string> parts = absl::StrSplit(value, ',');
  int iteration = 0;
  int signal = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &iteration) ||
      !absl::SimpleAtoi(parts[1], &signal) ||
      (signal != SIGINT && signal != SIGTERM)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SELFPLAY_TEST_SIGNAL_AFTER_ITERATION must be ITERATION,SIGNAL with "
        "SIGNAL 2 or 15, not '",
        value, "'"));
  }
  return std::pair(iteration, signal);
}

int run_train(const CLI::App& command_app, const TrainFlags& flags) {
  const std::string_view command = kCommand;
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return usage_error(command, game.status());
  // The --ladder rungs' models, read by the training until it ends.
  ModelFiles models(**game);
  absl::StatusOr<TrainingOptions> options =
      options_from_flags(**game, flags, models);
  if (!options.ok()) return usage_error(command, options.status());
  const std::string& path = flags.out;
  if (path.empty()) {
    return usage_error(
        command, absl::InvalidArgumentError("--out must name the model file"));
  }
  // Under MPI every rank trains; rank 0 alone writes and prints.
  const bool output = is_output_process();
  if (absl::Status status = output ? check_writable(path) : absl::OkStatus();
      !status.ok()) {
    return usage_error(command, status);
  }
  // The model would replace the checkpoint, or a checkpoint the model.
  const NamedPath out = {"--out", path};
  for (const NamedPath& checkpoint :
       {NamedPath{"--checkpoint", flags.checkpoint},
        NamedPath{"--resume", flags.resume}}) {
    if (absl::Status status = check_distinct_outputs({out, checkpoint});
        !status.ok()) {
      return usage_error(command, status);
    }
  }
  const absl::StatusOr<std::pair<int, int>> signal_after = test_signal();
  if (!signal_after.ok()) return usage_error(command, signal_after.status());
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features((*game)->structure());
  if (!features.ok()) return usage_error(command, features.status());
  // Every rank resumes from the same file; rank 0 alone saves.
  absl::StatusOr<std::unique_ptr<TrainingRun>> checkpoints = TrainingRun::start(
      **game, *features,
      {.checkpoint = output ? flags.checkpoint : std::string(),
       .resume = flags.resume},
      *options);
  if (!checkpoints.ok()) return usage_error(command, checkpoints.status());
  if (!output) options->checkpoint = nullptr;
  const TrainingRun& saved = **checkpoints;
  distribute_training(**game, *features, *options);
  options->command_line = command_line(command_app);
  const int iterations = options->iterations;
  ProgressBar progress(flags.progress && shows_progress());
  options->simulation_progress = progress.callback();
  if (output) {
    options->on_stage = [&](const TrainingProgress& stage) {
      progress.finish();
      print_stage(stage, iterations);
    };
  }
  if (options->checkpoint) {
    // Said as a stage, and the tests' signal after it.
    options->checkpoint = [&, save = options->checkpoint](
                              const TrainingState& state) {
      const absl::Time start = absl::Now();
      absl::Status status = save(state);
      if (!status.ok()) return status;
      options->on_stage(
          {state.iterations + (state.games_into_next > 0), "save",
           absl::StrCat(saved.saved(), " saved to ", saved.checkpoint_path()),
           absl::ToDoubleSeconds(absl::Now() - start)});
      // Not after a stop's own save: a second signal would end the process.
      if (state.iterations == signal_after->first &&
          state.games_into_next == 0) {
        std::raise(signal_after->second);
      }
      return absl::OkStatus();
    };
  }
  if (options->resume != nullptr && output) {
    std::fprintf(stderr,
                 "selfplay train: resuming %s after %s (of %d iterations)\n",
                 flags.resume.c_str(), saved.saved().c_str(), iterations);
  }
  StopToken stop;
  options->stop = &stop;
  absl::StatusOr<Model> model;
  {
    // Ctrl-C or SIGTERM: the training stops at the next stage boundary (or
    // inside self-play); the iterations saved so far stay saved.
    InterruptHandler interrupt(stop);
    model = train(**game, *options);
  }
  progress.finish();
  if (!output) {
    // Rank 0 trains the same and reports what ended it; a failure ends the
    // job (finish_execution).
    if (absl::IsCancelled(model.status())) return interrupt_exit_code();
    return model.ok() ? kExitOk : kExitFailure;
  }
  if (absl::IsCancelled(model.status())) {
    std::fprintf(stderr, "selfplay train: %s; no model written\n",
                 std::string(model.status().message()).c_str());
    if (!saved.saved().empty()) {
      std::fprintf(stderr,
                   "%s (of %d iterations) saved in %s; resume with\n  "
                   "%s --resume %s\n",
                   saved.saved().c_str(), iterations,
                   saved.checkpoint_path().c_str(),
                   command_line(command_app, "resume").c_str(),
                   saved.checkpoint_path().c_str());
    }
    return interrupt_exit_code();
  }
  if (absl::IsDataLoss(model.status()) && options->resume != nullptr) {
    // A resumed state that does not fit the training: bad input.
    return usage_error(command, absl::DataLossError(absl::StrCat(
                                    "--resume ", flags.resume, ": ",
                                    model.status().message())));
  }
  if (!model.ok()) {
    // The flags were checked above: what fails now is the run itself.
    return run_error(command, model.status());
  }
  if (absl::Status status = write_file_atomically(path, model->to_json());
      !status.ok()) {
    return run_error(command, status);
  }
  std::printf("%s; model written to %s\n", training_summary(*model).c_str(),
              path.c_str());
  return kExitOk;
}

}  // namespace

CommandRun add_train_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "train",
      "train objectives from self-play, evaluate them against baselines and "
      "write the model as JSON");
  auto flags = std::make_shared<TrainFlags>();
  TrainingOptions& options = flags->options;
  EvolutionOptions& evolution = flags->evolution;
  add_game_flags(*command, flags->game);
  command
      ->add_option("--iterations", options.iterations,
                   "training iterations; each plays --games-per-iteration "
                   "more games and re-derives the objectives from all games "
                   "so far")
      ->check(within(limits::kIterations))
      ->capture_default_str();
  command
      ->add_option("--games-per-iteration", options.games_per_iteration,
                   "self-play games per iteration")
      ->check(within(limits::kGamesPerIteration))
      ->capture_default_str();
  command
      ->add_option("--oracle", flags->oracle,
                   "the self-play policy of every seat: random or mcts:N[/T]")
      ->capture_default_str();
  command
      ->add_option("--weights", flags->weights,
                   "how objectives are chosen and weighted: logistic (the "
                   "joint L2 logistic model of the outcome, 2 x coefficient, "
                   "clustered p < 0.05) or phi (each feature alone, 10 x phi)")
      ->capture_default_str();
  command
      ->add_option("--l2", options.l2,
                   "--weights logistic: the L2 penalty on the coefficients")
      ->check(within(Limit<double>{0, 1e12}))
      ->capture_default_str();
  command
      ->add_option("--max-features", options.max_features,
                   "objectives kept, strongest |phi| (or |coefficient|) first")
      ->check(within(limits::kMaxFeatures))
      ->capture_default_str();
  command
      ->add_option("--min-correlation", options.min_correlation,
                   "--weights phi: least |phi| of a feature against winning "
                   "to become an objective")
      ->check(within(limits::kMinCorrelation))
      ->capture_default_str();
  command
      ->add_option("--out", flags->out,
                   "the model file (JSON), written atomically at the end")
      ->capture_default_str();
  add_run_flags(*command, options.seed, options.max_actions, &options.threads);
  command
      ->add_option("--evaluation-games", options.evaluation_games,
                   "games per evaluation match after each iteration (greedy "
                   "vs random; with an mcts:N oracle also objective-mcts:N vs "
                   "mcts:N); 0 = none")
      ->check(within(limits::kEvaluationGames))
      ->capture_default_str();
  command->add_flag("--evolve", flags->evolve,
                    "after the iterations, evolve the objective weights with "
                    "a (mu + lambda) evolution strategy");
  command
      ->add_option("--evolve-mu", evolution.mu,
                   "evolution: parents kept per generation")
      ->check(within(limits::kEvolveMu))
      ->capture_default_str();
  command
      ->add_option("--evolve-lambda", evolution.lambda,
                   "evolution: offspring per generation")
      ->check(within(limits::kEvolveLambda))
      ->capture_default_str();
  command
      ->add_option("--evolve-generations", evolution.generations,
                   "evolution: generations")
      ->check(within(limits::kEvolveGenerations))
      ->capture_default_str();
  command
      ->add_option("--evolve-sigma", evolution.sigma,
                   "evolution: initial mutation standard deviation (x0.9 per "
                   "generation)")
      ->check(within(limits::kEvolveSigma))
      ->capture_default_str();
  command
      ->add_option("--evolve-games", evolution.games_per_candidate,
                   "evolution: games per candidate, the same seeds for every "
                   "candidate")
      ->check(within(limits::kEvolveGames))
      ->capture_default_str();
  command
      ->add_option("--evolve-player", flags->evolve_player,
                   "evolution: the player the weights drive, greedy[:2][:q] "
                   "or objective-mcts:N[:D[:q[Q]]]")
      ->capture_default_str();
  command
      ->add_option("--evolve-opponent", flags->evolve_opponent,
                   "evolution: the opponent fitness is measured against")
      ->capture_default_str();
  command->add_flag("--progress,!--noprogress", flags->progress,
                    "draw a progress bar when stderr is a terminal (default: "
                    "on)");
  command->add_option(
      "--compare-iterations", flags->compare_iterations,
      "after each iteration from the second, play each evaluated model "
      "player against itself on the previous iteration's model under this "
      "sequential test, e.g. elo0=0,elo1=30 (alpha, beta: 0.05), at most "
      "--evaluation-games games; decisions in the summary and the model");
  command->add_option(
      "--equal-time", flags->equal_time,
      "after training, objective-mcts with this wall-clock time per move "
      "(e.g. 5ms) on the final model against the first iteration's model and "
      "against mcts with the same time, --evaluation-games games each; NOT "
      "reproducible, so kept in the model's run record");
  command->add_option(
      "--ladder", flags->ladder,
      "after training, --ladder-player on the final model against these "
      "opponents, comma-separated, as play --ladder: e.g. "
      "random,mcts:50,model:old.json (model:FILE: --ladder-player on that "
      "model); each rung also plays the next, --evaluation-games games each "
      "on the evaluation seeds; Elo ratings fitted to all, the first rung = "
      "0; kept in the model's run record");
  command
      ->add_option("--ladder-player", flags->ladder_player,
                   "the final model's player that --ladder evaluates: "
                   "greedy[:2][:q] or objective-mcts:N[:D[:decisive]]")
      ->capture_default_str();
  add_search_threads_flag(*command, flags->search_threads);
  command->add_option("--checkpoint", flags->checkpoint,
                      "save the training after every iteration to this file "
                      "atomically, so that --resume can continue it");
  command->add_option("--resume", flags->resume,
                      "continue the training saved in this checkpoint; every "
                      "flag that shapes the model (all but --threads, --out, "
                      "--progress and --checkpoint) must be the checkpoint's");
  return [command, flags] { return run_train(*command, *flags); };
}

}  // namespace selfplay::cli
