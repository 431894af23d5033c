// Training: self-play with an oracle policy, the statistics of the games,
// the strongest features turned into weighted objectives, and evaluation of
// the players those objectives make against baselines; optionally followed
// by an evolution of the weights.
//
//   TrainingOptions options;
//   options.iterations = 3;
//   options.games_per_iteration = 5000;
//   options.oracle = *parse_player_spec("mcts:50");
//   absl::StatusOr<Model> model = train(game, options);
//
// Iteration k plays games [(k-1) G, k G) of one self-play run seeded with
// `seed` (G games per iteration), so iterations never repeat a game; the
// statistics, and so the objectives, are those of all games played so far.
// After each iteration the model's players are evaluated on the same
// evaluation games (play_match with MatchOptions::seed =
// training_evaluation_seed(seed)), so iterations compare on equal terms, and
// `selfplay play --training-seed S` plays them again. With
// compare_iterations, each iteration's model players also meet the previous
// iteration's under a sequential test on those seeds (as `selfplay play
// --model NEW --vs-model OLD --training-seed S --sprt ...` would). With a
// ladder, the final model's player climbs it at the end on those seeds (as
// `selfplay play --ladder ... --training-seed S` would). Every step is a pure
// function of the options: the model (less its "run" record, which keeps the
// time-budgeted equal_time matches and the ladder) is the same for any thread
// count, and so is a ladder of iteration-budgeted rungs.
//
// A training can be saved after any iteration and continued later: give
// `checkpoint` a function that keeps the TrainingState it is passed, and
// after an interruption start again with the same options and `resume`
// pointing at the last state kept. The model is then the same as an
// uninterrupted training's (less its "run" record).
//
//   options.checkpoint = [&](const TrainingState& state) { ...save... };
//   options.resume = &saved;  // a TrainingState from a run that stopped
#ifndef SELFPLAY_TRAINING_H_
#define SELFPLAY_TRAINING_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "selfplay/counts.h"
#include "selfplay/evaluation.h"
#include "selfplay/evolution.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/model.h"
#include "selfplay/players.h"
#include "selfplay/simulation.h"
#include "selfplay/sprt.h"

namespace selfplay {

// The seed of the evaluation matches of a training with `seed`.
std::uint64_t training_evaluation_seed(std::uint64_t seed);

// A match to evaluate after each iteration: a model player against a
// baseline.
struct EvaluationPairing {
  PlayerSpec player;
  PlayerSpec opponent;
};

// The pairings `train` evaluates unless told otherwise: greedy against
// random, and, for an MCTS oracle of N iterations, objective-mcts:N against
// mcts:N.
std::vector<EvaluationPairing> default_evaluations(const PlayerSpec& oracle);

// Where a training's self-play simulations and evaluation matches run: in
// this process by default (run_simulations, play_match). Another runner must
// return what that function returns in this process for the same arguments
// (the SimulationResult less its timing; records, when options.records is
// set, delivered to it in index order; it may leave options.checkpoint
// uncalled). A distributed training calls train() on every process with the
// same options and runners that spread each run over them and give every
// process the whole result (selfplay/distributed.h).
using SimulationRunner = std::function<absl::StatusOr<SimulationResult>(
    const Game&, const FeatureSet&, const SimulationOptions&)>;
using MatchRunner = std::function<absl::StatusOr<MatchResult>(
    const Game&, const Policy&, const Policy&, const MatchOptions&)>;

// One finished stage, for a progress line.
struct TrainingProgress {
  int iteration = 0;  // 1-based; 0 after the iterations (evolution)
  std::string stage;  // "simulate", "analyse", "evaluate", "evolve"
  std::string message;
  double seconds = 0;
};

// How objectives are chosen and weighted from the self-play games.
enum class ObjectiveWeights {
  // Each feature alone: the max_features strongest |phi| >= min_correlation,
  // weighted correlation_to_weight(phi). Collinear features each get the
  // weight of the effect they share.
  kPhi,
  // Jointly: the L2-regularised logistic model of the outcome on all
  // features (logistic_model.h); the max_features largest |coefficient|
  // whose game-clustered p-value is below 0.05, weighted
  // kDefaultObjectiveTemperature x coefficient (clamped to [-20, 20]) so
  // that objective MCTS's evaluator reads value differences as the model's
  // log-odds. Keeps each decision's feature bits in memory while training
  // (8 bytes per 64 features, plus 1).
  kLogistic,
};

// "phi" or "logistic".
const char* objective_weights_name(ObjectiveWeights weights);

// A training after its first `iterations` iterations and the first
// `games_into_next` self-play games of the next (a training stopped during
// self-play keeps the games it finished): everything the rest of it depends
// on. The model is kept as Model::to_json() writes it (with the evaluations
// so far and the run record), the fit data as LogisticData::serialize()
// writes it.
struct TrainingState {
  int iterations = 0;
  std::uint64_t games_into_next = 0;
  SimulationCounts counts;  // of every self-play game so far
  // The model after iteration `iterations`; empty before the first.
  std::string model_json;
  // The games so far, for ObjectiveWeights::kLogistic; empty for kPhi.
  std::string logistic_data;
  // The first iteration's model, with TrainingOptions::equal_time (which
  // plays it at the end); empty otherwise.
  std::string first_model_json;
};

// An opponent of TrainingOptions::ladder: a player, on `model` when it needs
// one, named `name` (empty: the policy's; give one to tell apart a player
// kind on two models).
struct TrainingLadderRung {
  PlayerSpec spec;
  const Model* model = nullptr;  // not owned; null: the trained model
  std::string name;
};

struct TrainingOptions {
  int iterations = 3;
  std::uint64_t games_per_iteration = 5000;
  // The self-play policy for every seat; a kind that needs a model is not
  // allowed (there is none before the first iteration).
  PlayerSpec oracle = {.kind = PlayerSpec::Kind::kMcts, .iterations = 50};
  // Logistic by default: its greedy players beat phi's head to head and
  // against MCTS on connect-four and checkers (README.md, "Training").
  ObjectiveWeights weights = ObjectiveWeights::kLogistic;
  int max_features = 20;
  double min_correlation = 0.01;  // kPhi only
  double l2 = 1.0;                // kLogistic only: LogisticOptions::l2
  // An action kind becomes a preference when its win rate taken and not
  // taken differ by at least this much.
  double min_preference_difference = 0.05;
  int players = 0;  // 0: the game's default
  int max_actions = 2000;
  int threads = 0;  // 0: all cores
  std::uint64_t seed = 1;
  // Games per evaluation match after each iteration (0: none).
  std::uint64_t evaluation_games = 200;
  std::vector<EvaluationPairing> evaluations;  // empty: default_evaluations
  // After each iteration from the second on, each evaluation pairing's model
  // player (once per distinct spec) on this iteration's model against the
  // same player on the previous iteration's model, on the evaluation seeds,
  // stopped by this sequential test or after evaluation_games games (stage
  // "previous-iteration", with the test's state). These matches always run in
  // this process: a distributed match has no sequential test. Unset: none.
  std::optional<SprtOptions> compare_iterations;
  // After the training (and its evolution), objective-mcts with this
  // wall-clock budget per move on the final model against the same on the
  // first iteration's model and against mcts with the same budget,
  // evaluation_games games each (stage "equal-time"). Time-budgeted games
  // depend on the machine, so these go in the model's run record
  // (RunRecord::equal_time), in this process. Zero: none.
  absl::Duration equal_time = absl::ZeroDuration();
  // After the training (and its evolution, and equal_time), play_ladder of
  // `ladder_player` on the final model against these rungs, on the
  // evaluation seeds with evaluation_games games per match, as `selfplay
  // play --ladder ... --training-seed S` would play it. A rung may be
  // time-budgeted, so the result goes in the model's run record
  // (RunRecord::ladder), played in this process. Empty: none.
  std::vector<TrainingLadderRung> ladder;
  PlayerSpec ladder_player = {.kind = PlayerSpec::Kind::kGreedy};
  // Evolves the weights after the last iteration (its seed, players,
  // max_actions and threads are taken from these options), then evaluates
  // the evolved model.
  std::optional<EvolutionOptions> evolution;
  // Recorded in the model's run record.
  std::string command_line;
  // Called after each stage, from the calling thread.
  std::function<void(const TrainingProgress&)> on_stage;
  // Progress of each self-play simulation (see SimulationOptions).
  ProgressCallback simulation_progress;
  // Ends the training at the next stage boundary (or inside self-play) with
  // Cancelled; not owned.
  const StopToken* stop = nullptr;
  // Called after each iteration, and when a stop ends self-play after some
  // of its games, from the calling thread, with the state to resume from. An
  // error stops the training, which returns it. Setting it plays self-play
  // games in index order (SimulationOptions::checkpoint).
  std::function<absl::Status(const TrainingState&)> checkpoint;
  // Continues from this state, which a training with the same options passed
  // to `checkpoint` (not owned).
  const TrainingState* resume = nullptr;
  // Empty: run_simulations and play_match. The evolution's matches always
  // run in this process.
  SimulationRunner run_simulation;
  MatchRunner run_match;
};

// InvalidArgument for iterations < 1, games_per_iteration < 1, max_features
// < 1, a min_correlation outside [0, 1], an l2 that is negative or not
// finite, an oracle that needs a model, invalid compare_iterations, an
// equal_time outside [0, kMaxTimePerMove], a comparison or a ladder without
// evaluation_games, a ladder_player that does not use the model, or options
// run_simulations / play_match / evolve_weights reject; DataLoss
// for a `resume` state that does not fit the options (counts or fit data of
// another shape or size, more iterations than the options', a model that
// does not parse); Cancelled when `stop` was requested, its message naming
// the iteration and stage reached. A model may have no objectives (no
// feature reached min_correlation); evolving one is then an InvalidArgument.
[[nodiscard]] absl::StatusOr<Model> train(const Game& game,
                                          const TrainingOptions& options);

// What `selfplay train` prints at its end: the objectives (each as
// "feature-id: description", the id being what the model file and `selfplay
// features` name it by) and action preferences with their weights, the final
// evaluations with Wilson intervals and Elo, and the self-play speed (no final
// newline).
std::string training_summary(const Model& model);

}  // namespace selfplay

#endif  // SELFPLAY_TRAINING_H_
