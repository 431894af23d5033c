// A trained model: the learned objectives (weighted features), the action
// preferences, how the model was trained, and how it did against baselines.
// It gives an objective value for any position of its game.
//
//   absl::StatusOr<Model> model = Model::load("model.json", game);
//   ObjectiveScratch scratch;  // one per thread
//   double value = model->score(state, state.current_player(), scratch);
//   std::string json = model->to_json();  // load(...) reads it back
//
// A model belongs to one game: its objectives name features of the game's
// candidate feature set (generate_candidate_features), resolved when the
// model is made or loaded. The JSON document is described in README.md
// ("Training"); its "run" object (command line, threads, timings) is the only
// part that differs between runs of the same training.
#ifndef SELFPLAY_MODEL_H_
#define SELFPLAY_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/match_result.h"

namespace selfplay {

// A feature with a weight: the value of a position for a player adds
// `weight` when the feature holds for that player.
struct Objective {
  std::string feature;  // a candidate feature id of the game
  std::string description;
  double weight = 0;
  double correlation = 0;  // phi of the feature against winning
  // Game-clustered: phi weights' FeatureStatistics::p_value, or logistic
  // weights' coefficient test (LogisticCoefficient::p_value).
  double p_value = 1;

  bool operator==(const Objective&) const = default;
};

// A bonus for choosing an action of a kind.
struct ActionPreference {
  std::string action_kind;  // a name in the game's structure
  double weight = 0;
  double win_rate_taken = 0;
  double win_rate_not_taken = 0;

  bool operator==(const ActionPreference&) const = default;
};

// How a model was trained. Counts are summed over all iterations.
struct TrainingRecord {
  int iterations = 0;
  std::uint64_t games_per_iteration = 0;
  std::uint64_t games = 0;   // self-play games played
  std::uint64_t states = 0;  // decisions in them
  std::uint64_t seed = 0;
  std::string oracle;  // the self-play policy, e.g. "mcts:50"
  // objective_weights_name; "phi" in models written before there was a
  // choice.
  std::string weights = "phi";
  int max_features = 0;
  double min_correlation = 0;
  double l2 = 0;  // logistic weights only

  bool operator==(const TrainingRecord&) const = default;
};

// One evaluation match of a model's player against a baseline.
struct EvaluationRecord {
  int iteration = 0;  // after which iteration; 0: a separate evaluation
  std::string stage;  // "iteration", "evolution", "play"
  MatchResult match;

  bool operator==(const EvaluationRecord&) const = default;
};

// The fitness history of a weight evolution (see evolution.h).
struct EvolutionRecord {
  int mu = 0, lambda = 0, generations = 0;
  double sigma = 0;
  std::uint64_t games_per_candidate = 0;
  std::string opponent;
  // Per generation (0: the initial population): best and mean fitness.
  std::vector<double> best_fitness;
  std::vector<double> mean_fitness;

  bool operator==(const EvolutionRecord&) const = default;
};

// What differs between runs of the same training: not compared.
struct RunRecord {
  std::string command_line;
  int threads = 0;
  // Wall seconds per stage name ("simulate", "evaluate", ...), in order.
  std::vector<std::pair<std::string, double>> seconds;
  double self_play_games_per_s = 0;
  // Matches with a wall-clock budget per move (TrainingOptions::equal_time),
  // which vary between runs.
  std::vector<EvaluationRecord> equal_time;
  // The final model's player against a ladder (TrainingOptions::ladder),
  // which may hold time-budgeted rungs.
  std::optional<LadderResult> ladder;

  bool operator==(const RunRecord&) const = default;
};

// Per-thread buffers for Model::score; not thread-safe, one per thread.
class ObjectiveScratch {
 public:
  ObjectiveScratch() = default;

 private:
  friend class Model;
  FeatureScratch features_;
  std::vector<std::uint64_t> bits_;
};

class Model {
 public:
  // A model for `game` with these objectives and preferences. NotFound for a
  // feature id that is not a candidate feature of the game or an action kind
  // the game does not declare; InvalidArgument for a non-finite weight or a
  // feature listed twice. Descriptions left empty are filled in.
  [[nodiscard]] static absl::StatusOr<Model> create(
      const Game& game, std::vector<Objective> objectives,
      std::vector<ActionPreference> preferences = {});

  // Reads a model written by to_json(). NotFound / PermissionDenied when the
  // file cannot be read; InvalidArgument naming the problem for malformed
  // JSON, a missing or mistyped field, or a model of another game; create()'s
  // errors for unknown features or action kinds.
  [[nodiscard]] static absl::StatusOr<Model> load(const std::string& path,
                                                  const Game& game);
  [[nodiscard]] static absl::StatusOr<Model> parse(std::string_view json,
                                                   const Game& game);
  // The JSON document, indented, ending in a newline.
  std::string to_json() const;

  const std::string& game() const { return game_; }
  const std::vector<Objective>& objectives() const { return objectives_; }
  const std::vector<ActionPreference>& preferences() const {
    return preferences_;
  }
  // The game's action kind names (GameStructure::action_kinds), in order.
  const std::vector<std::string>& action_kinds() const { return action_kinds_; }

  // The weighted sum of the objectives that hold for `player` in `state`
  // (any state of the game, terminal ones included). Thread-safe given one
  // scratch per thread; exceptions from game code propagate.
  double score(const State& state, int player, ObjectiveScratch& scratch) const;
  // The preference weight of `kind` (0 when it has none).
  double preference(ActionKind kind) const {
    return kind < kind_weights_.size() ? kind_weights_[kind] : 0.0;
  }

  // The same model with new objective weights (one per objective, in order);
  // InvalidArgument for a wrong count or a non-finite weight.
  [[nodiscard]] absl::StatusOr<Model> with_weights(
      const std::vector<double>& weights) const;

  TrainingRecord training;
  std::vector<EvaluationRecord> evaluations;
  std::optional<EvolutionRecord> evolution;
  RunRecord run;

 private:
  Model() = default;

  std::string game_;
  std::vector<Objective> objectives_;
  std::vector<ActionPreference> preferences_;
  FeatureSet features_;               // the game's candidate features
  std::vector<int> feature_indices_;  // per objective
  std::vector<std::string> action_kinds_;
  std::vector<double> kind_weights_;  // per action kind
};

}  // namespace selfplay

#endif  // SELFPLAY_MODEL_H_
