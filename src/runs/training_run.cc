// A long training (selfplay/training_run.h).
#include "selfplay/training_run.h"

#include <utility>

#include "absl/flags/marshalling.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "io/output_file.h"
#include "records/crc32.h"
#include "records/train_checkpoint.h"

namespace selfplay {
namespace {

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

// What a state holds, for a line: "iterations 1..2", "iterations 1..2 and
// 400 games of iteration 3", "400 games of iteration 1".
std::string saved_games(const TrainingState& state) {
  std::string text;
  if (state.iterations > 0) {
    text = absl::StrCat("iterations 1..", state.iterations);
  }
  if (state.games_into_next > 0) {
    absl::StrAppend(&text, state.iterations > 0 ? " and " : "",
                    state.games_into_next, " games of iteration ",
                    state.iterations + 1);
  }
  return text;
}

}  // namespace

TrainingRun::TrainingRun() = default;
TrainingRun::~TrainingRun() = default;

absl::StatusOr<std::unique_ptr<TrainingRun>> TrainingRun::start(
    const Game& game, const FeatureSet& features, const TrainingRunFiles& files,
    TrainingOptions& options) {
  std::unique_ptr<TrainingRun> run(new TrainingRun());
  run->path_ = files.checkpoint.empty() ? files.resume : files.checkpoint;
  if (run->path_.empty()) return run;
  run->settings_ = settings_of(game, features, options);
  if (absl::Status status = check_writable(run->path_, Streams::kRefused);
      !status.ok()) {
    return status;
  }
  if (!files.resume.empty()) {
    absl::StatusOr<TrainCheckpoint> checkpoint =
        read_train_checkpoint(files.resume);
    if (!checkpoint.ok()) return checkpoint.status();
    if (absl::Status status =
            check_same_train_settings(checkpoint->settings, run->settings_);
        !status.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("--resume ", files.resume, ": ", status.message()));
    }
    run->saved_ = saved_games(checkpoint->state);
    run->resumed_ = std::make_unique<TrainCheckpoint>(*std::move(checkpoint));
    options.resume = &run->resumed_->state;
  }
  options.checkpoint = [run = run.get()](const TrainingState& state) {
    return run->save(state);
  };
  return run;
}

absl::Status TrainingRun::save(const TrainingState& state) {
  // Atomic (temporary file, fsync, rename, directory fsync): a crash leaves
  // this checkpoint or the one before.
  absl::Status status = write_file_atomically(
      path_, serialize_train_checkpoint({settings_, state}), Streams::kRefused);
  if (status.ok()) saved_ = saved_games(state);
  return status;
}

}  // namespace selfplay
