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

#include "absl/flags/marshalling.h"
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
#include "cli/interrupt.h"
#include "cli/progress_bar.h"
#include "io/output_file.h"
#include "io/utf8.h"
#include "records/crc32.h"
#include "records/train_checkpoint.h"
#include "selfplay/players.h"
#include "selfplay/training.h"

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
};

// The options the flags give that their validators cannot check alone.
absl::StatusOr<TrainingOptions> options_from_flags(const Game& game,
                                                   const TrainFlags& flags) {
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
  return options;
}

// The settings that decide the model, as the flags a user types (the
// features and action kinds come from the game), in a fixed order: what a
// resumed training must share with its checkpoint's.
std::vector<TrainSetting> settings_of(const Game& game,
                                      const FeatureSet& features,
                                      const TrainingOptions& options) {
  const GameStructure& structure = game.structure();
  std::vector<std::string> ids;
  for (const FeatureInfo& feature : features.infos()) ids.push_back(feature.id);
  std::vector<TrainSetting> settings = {
      {"--game", game.name()},
      {"--players",
       absl::StrCat(options.players == 0 ? structure.default_players
                                         : options.players)},
      {"--seed", absl::StrCat(options.seed)},
      {"--iterations", absl::StrCat(options.iterations)},
      {"--games-per-iteration", absl::StrCat(options.games_per_iteration)},
      {"--oracle", options.oracle.to_string()},
      {"--weights", objective_weights_name(options.weights)},
      {"--max-features", absl::StrCat(options.max_features)},
      {"--min-correlation", absl::UnparseFlag(options.min_correlation)},
      {"--l2", absl::UnparseFlag(options.l2)},
      {"--max-actions", absl::StrCat(options.max_actions)},
      {"--evaluation-games", absl::StrCat(options.evaluation_games)},
      {absl::StrCat("the action kinds of ", game.name()),
       absl::StrJoin(structure.action_kinds, ",")},
      // A digest: the ids run to kilobytes, too long for a message.
      {absl::StrCat("the candidate features of ", game.name()),
       absl::StrFormat("%d features, CRC-32 %08x", ids.size(),
                       crc32(absl::StrJoin(ids, "\n")))},
      {"--evolve", options.evolution ? "true" : "false"}};
  if (options.evolution) {
    const EvolutionOptions& evolution = *options.evolution;
    settings.insert(
        settings.end(),
        {{"--evolve-mu", absl::StrCat(evolution.mu)},
         {"--evolve-lambda", absl::StrCat(evolution.lambda)},
         {"--evolve-generations", absl::StrCat(evolution.generations)},
         {"--evolve-sigma", absl::UnparseFlag(evolution.sigma)},
         {"--evolve-games", absl::StrCat(evolution.games_per_candidate)},
         {"--evolve-player", evolution.player.to_string()},
         {"--evolve-opponent", evolution.opponent.to_string()}});
  }
  return settings;
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

// What a state holds, for a line: "iterations 1..2", "iterations 1..2 and
// 400 games of iteration 3", "400 games of iteration 1".
std::string saved_games(const TrainingState& state) {
  std::string text;
  if (state.iterations > 0)
    text = absl::StrCat("iterations 1..", state.iterations);
  if (state.games_into_next > 0) {
    absl::StrAppend(&text, state.iterations > 0 ? " and " : "",
                    state.games_into_next, " games of iteration ",
                    state.iterations + 1);
  }
  return text;
}

// `train --checkpoint / --resume`: the checkpoint to continue from, and
// where each iteration is saved.
class TrainingCheckpoints {
 public:
  // With a `resume` path, reads that checkpoint and compares its settings
  // with `settings`; checkpoints go to `checkpoint_path`, or else there. Errors
  // are usage errors (exit code 2).
  absl::Status start(std::vector<TrainSetting> settings,
                     const std::string& checkpoint_path,
                     const std::string& resume) {
    settings_ = std::move(settings);
    path_ = checkpoint_path;
    if (path_.empty()) path_ = resume;
    if (!path_.empty()) {
      if (absl::Status status = check_writable(path_, Streams::kRefused);
          !status.ok()) {
        return status;
      }
    }
    if (resume.empty()) return absl::OkStatus();
    absl::StatusOr<TrainCheckpoint> checkpoint = read_train_checkpoint(resume);
    if (!checkpoint.ok()) return checkpoint.status();
    if (absl::Status status =
            check_same_train_settings(checkpoint->settings, settings_);
        !status.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("--resume ", resume, ": ", status.message()));
    }
    resumed_ = *std::move(checkpoint);
    saved_ = saved_games(resumed_->state);
    return absl::OkStatus();
  }

  // The state to continue from; null without --resume.
  const TrainingState* resumed() const {
    return resumed_ ? &resumed_->state : nullptr;
  }
  // What the checkpoint at path() holds (empty: nothing yet).
  const std::string& saved() const { return saved_; }
  const std::string& path() const { return path_; }

  // Writes `state` atomically (temporary file, fsync, rename, directory
  // fsync): a crash leaves this checkpoint or the one before.
  absl::Status save(const TrainingState& state) {
    absl::Status status = write_file_atomically(
        path_, serialize_train_checkpoint({settings_, state}),
        Streams::kRefused);
    if (status.ok()) saved_ = saved_games(state);
    return status;
  }

 private:
  std::vector<TrainSetting> settings_;
  std::string path_;  // --checkpoint, or else --resume; empty: none
  std::optional<TrainCheckpoint> resumed_;
  std::string saved_;
};

int run_train(const CLI::App& command_app, const TrainFlags& flags) {
  const std::string_view command = kCommand;
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return usage_error(command, game.status());
  absl::StatusOr<TrainingOptions> options = options_from_flags(**game, flags);
  if (!options.ok()) return usage_error(command, options.status());
  const std::string& path = flags.out;
  if (path.empty()) {
    return usage_error(
        command, absl::InvalidArgumentError("--out must name the model file"));
  }
  if (absl::Status status = check_writable(path); !status.ok()) {
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
  TrainingCheckpoints checkpoints;
  if (absl::Status status =
          checkpoints.start(settings_of(**game, *features, *options),
                            flags.checkpoint, flags.resume);
      !status.ok()) {
    return usage_error(command, status);
  }
  options->command_line = command_line(command_app);
  const int iterations = options->iterations;
  ProgressBar progress(flags.progress && shows_progress());
  options->simulation_progress = progress.callback();
  options->on_stage = [&](const TrainingProgress& stage) {
    progress.finish();
    print_stage(stage, iterations);
  };
  if (!checkpoints.path().empty()) {
    options->checkpoint = [&](const TrainingState& state) {
      const absl::Time start = absl::Now();
      absl::Status status = checkpoints.save(state);
      if (!status.ok()) return status;
      options->on_stage(
          {state.iterations + (state.games_into_next > 0), "save",
           absl::StrCat(checkpoints.saved(), " saved to ", checkpoints.path()),
           absl::ToDoubleSeconds(absl::Now() - start)});
      // Not after a stop's own save: a second signal would end the process.
      if (state.iterations == signal_after->first &&
          state.games_into_next == 0) {
        std::raise(signal_after->second);
      }
      return absl::OkStatus();
    };
  }
  options->resume = checkpoints.resumed();
  if (options->resume != nullptr) {
    std::fprintf(stderr,
                 "selfplay train: resuming %s after %s (of %d iterations)\n",
                 flags.resume.c_str(), checkpoints.saved().c_str(), iterations);
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
  if (absl::IsCancelled(model.status())) {
    std::fprintf(stderr, "selfplay train: %s; no model written\n",
                 std::string(model.status().message()).c_str());
    if (!checkpoints.saved().empty()) {
      std::fprintf(stderr,
                   "%s (of %d iterations) saved in %s; resume with\n  "
                   "%s --resume %s\n",
                   checkpoints.saved().c_str(), iterations,
                   checkpoints.path().c_str(),
                   command_line(command_app, "resume").c_str(),
                   checkpoints.path().c_str());
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
  print_summary(*model, path);
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
  command
      ->add_option("--threads", options.threads,
                   "worker threads; 0 = all cores")
      ->check(within(limits::kThreads))
      ->capture_default_str();
  command->add_option("--seed", options.seed, "base seed")
      ->capture_default_str();
  command
      ->add_option("--max-actions", options.max_actions,
                   "truncate a game after this many actions")
      ->check(within(limits::kMaxActions))
      ->capture_default_str();
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
                   "evolution: the player the weights drive, greedy, greedy:2 "
                   "or objective-mcts:N[:D]")
      ->capture_default_str();
  command
      ->add_option("--evolve-opponent", flags->evolve_opponent,
                   "evolution: the opponent fitness is measured against")
      ->capture_default_str();
  command->add_flag("--progress,!--noprogress", flags->progress,
                    "draw a progress bar when stderr is a terminal (default: "
                    "on)");
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
