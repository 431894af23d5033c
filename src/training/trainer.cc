#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "selfplay/evaluation.h"
#include "selfplay/limits.h"
#include "selfplay/logistic_model.h"
#include "selfplay/objective_players.h"
#include "selfplay/random.h"
#include "selfplay/statistics.h"
#include "selfplay/training.h"

namespace selfplay {
namespace {

// Names the seed's stream for the evaluation games.
constexpr std::uint64_t kEvaluationStream = 21;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

absl::Status validate(const TrainingOptions& options) {
  for (absl::Status status :
       {check_limit("iterations", options.iterations, limits::kIterations),
        check_limit("games_per_iteration", options.games_per_iteration,
                    limits::kGamesPerIteration),
        check_limit("max_features", options.max_features, limits::kMaxFeatures),
        check_limit("min_correlation", options.min_correlation,
                    limits::kMinCorrelation),
        check_limit("evaluation_games", options.evaluation_games,
                    limits::kEvaluationGames)}) {
    if (!status.ok()) return status;
  }
  if (!(options.l2 >= 0) || !std::isfinite(options.l2)) {
    return absl::InvalidArgumentError(
        absl::StrCat("l2 must be finite and >= 0, not ", options.l2));
  }
  if (options.compare_iterations) {
    if (absl::Status status =
            validate_sprt_options(*options.compare_iterations);
        !status.ok()) {
      return status;
    }
  }
  if (options.equal_time < absl::ZeroDuration() ||
      options.equal_time > kMaxTimePerMove) {
    return absl::InvalidArgumentError(absl::StrCat(
        "equal_time must be in [0, ", absl::FormatDuration(kMaxTimePerMove),
        "], not ", absl::FormatDuration(options.equal_time)));
  }
  if ((options.compare_iterations ||
       options.equal_time > absl::ZeroDuration() || !options.ladder.empty()) &&
      options.evaluation_games == 0) {
    return absl::InvalidArgumentError(
        "comparing models (compare_iterations, equal_time, ladder) needs "
        "evaluation_games > 0");
  }
  if (!options.ladder.empty() && !options.ladder_player.needs_model()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ladder player must use the model, not ",
                     options.ladder_player.to_string()));
  }
  if (options.oracle.needs_model()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the oracle ", options.oracle.to_string(),
                     " needs a model, and training starts without one"));
  }
  return absl::OkStatus();
}

// The largest weight either kind of objective gets, as correlation_to_weight
// clamps phi's.
constexpr double kMaxWeight = 20;
// The clustered p-value below which a logistic coefficient can become an
// objective.
constexpr double kLogisticSignificance = 0.05;

std::vector<Objective> phi_objectives(const SimulationResult& result,
                                      const TrainingOptions& options) {
  std::vector<Objective> objectives;
  for (const FeatureStatistics& feature :
       select_top_features(feature_statistics(result), options.min_correlation,
                           options.max_features)) {
    objectives.push_back({.feature = feature.info.id,
                          .description = feature.info.description,
                          .weight = correlation_to_weight(feature.phi),
                          .correlation = feature.phi,
                          .p_value = feature.p_value});
  }
  return objectives;
}

absl::StatusOr<std::vector<Objective>> logistic_objectives(
    const SimulationResult& result, const LogisticData& data,
    const TrainingOptions& options) {
  absl::StatusOr<LogisticFit> fit =
      fit_logistic(static_cast<int>(result.features.size()),
                   [&](GameVisitor visit) { return data.replay(visit); },
                   {.l2 = options.l2});
  if (!fit.ok()) return fit.status();
  std::vector<int> chosen;
  for (std::size_t f = 0; f < fit->features.size(); ++f) {
    if (fit->features[f].p_value < kLogisticSignificance) {
      chosen.push_back(static_cast<int>(f));
    }
  }
  // Largest |coefficient| first; ties by index, for a fixed order.
  std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) {
    return std::abs(fit->features[a].coefficient) >
           std::abs(fit->features[b].coefficient);
  });
  if (chosen.size() > static_cast<std::size_t>(options.max_features)) {
    chosen.resize(options.max_features);
  }
  const std::vector<FeatureStatistics> statistics = feature_statistics(result);
  std::vector<Objective> objectives;
  for (int f : chosen) {
    const LogisticCoefficient& c = fit->features[f];
    objectives.push_back(
        {.feature = statistics[f].info.id,
         .description = statistics[f].info.description,
         .weight = std::clamp(kDefaultObjectiveTemperature * c.coefficient,
                              -kMaxWeight, kMaxWeight),
         .correlation = statistics[f].phi,
         .p_value = c.p_value});
  }
  return objectives;
}

std::vector<ActionPreference> preferences_from(const SimulationResult& result,
                                               const TrainingOptions& options) {
  std::vector<ActionPreference> preferences;
  const std::vector<ActionStatistics> actions = action_statistics(result);
  for (std::size_t k = 0; k < actions.size(); ++k) {
    const ActionStatistics& kind = actions[k];
    const double difference = kind.win_rate_taken - kind.win_rate_not_taken;
    // NaN (a kind never taken, or never passed over) fails the test too.
    if (!(std::abs(difference) >= options.min_preference_difference)) continue;
    preferences.push_back(
        {.action_kind = kind.kind,
         .weight = correlation_to_weight(phi(result.counts.actions[k])),
         .win_rate_taken = kind.win_rate_taken,
         .win_rate_not_taken = kind.win_rate_not_taken});
  }
  return preferences;
}

// An evaluation's progress line: rates, Elo, and the sequential test.
std::string evaluation_line(const MatchResult& result) {
  const Interval wins = result.win_rate();
  const Interval elo = result.elo();
  std::string line = absl::StrFormat(
      "%s vs %s: won %.1f%% [%.1f, %.1f] drew %.1f%% of %d; Elo %+.0f "
      "[%+.0f, %+.0f]",
      result.player, result.opponent, 100 * wins.value, 100 * wins.low,
      100 * wins.high, 100 * result.draw_rate().value, result.games, elo.value,
      elo.low, elo.high);
  if (result.sprt) {
    absl::StrAppendFormat(&line, "; SPRT %s, LLR %.3f in [%.3f, %.3f]: %s",
                          sprt_options_text(result.sprt->options),
                          result.sprt->llr, result.sprt->lower,
                          result.sprt->upper,
                          sprt_decision_name(result.sprt->decision));
  }
  return line;
}

class Trainer {
 public:
  Trainer(const Game& game, const TrainingOptions& options,
          const Policy& oracle, std::vector<EvaluationPairing> pairings)
      : game_(game),
        options_(options),
        oracle_(oracle),
        pairings_(std::move(pairings)) {}

  absl::StatusOr<Model> run() {
    absl::StatusOr<FeatureSet> features =
        generate_candidate_features(game_.structure());
    if (!features.ok()) return features.status();
    if (options_.weights == ObjectiveWeights::kLogistic) {
      logistic_data_.emplace(features->size());
    }
    std::optional<SimulationResult> total;
    std::optional<Model> model;
    int first = 1;
    std::uint64_t played = 0;  // games of iteration `first` already played
    if (options_.resume != nullptr) {
      absl::StatusOr<std::optional<Model>> resumed =
          restore(*options_.resume, *features, total);
      if (!resumed.ok()) return resumed.status();
      model = *std::move(resumed);
      first = options_.resume->iterations + 1;
      played = options_.resume->games_into_next;
    }
    for (int iteration = first; iteration <= options_.iterations; ++iteration) {
      absl::Status status = simulate(iteration, iteration == first ? played : 0,
                                     *features, total, model);
      if (status.ok()) status = check_stop(iteration, "before its analysis");
      if (!status.ok()) return status;
      absl::StatusOr<Model> analysed = analyse(iteration, *total);
      if (!analysed.ok()) return analysed.status();
      std::optional<Model> previous = std::move(model);
      model = *std::move(analysed);
      if (iteration == 1 && options_.equal_time > absl::ZeroDuration()) {
        first_ = *model;
      }
      status = evaluate(iteration, "iteration", *model);
      if (status.ok() && previous)
        status = compare(iteration, *model, *previous);
      if (status.ok()) status = save(iteration, 0, total->counts, &*model);
      if (status.ok()) status = check_stop(iteration, "");
      if (!status.ok()) return status;
    }
    if (options_.evolution) {
      absl::Status status =
          check_stop(options_.iterations, "before the evolution");
      if (!status.ok()) return status;
      absl::StatusOr<Model> evolved = evolve(*model);
      if (absl::IsCancelled(evolved.status())) {
        return absl::CancelledError(absl::StrCat(
            "training interrupted after iteration ", options_.iterations,
            " of ", options_.iterations, ", during its evolution (",
            evolved.status().message(), ")"));
      }
      if (!evolved.ok()) return evolved.status();
      model = *std::move(evolved);
      status = evaluate(0, "evolution", *model);
      if (!status.ok()) return status;
    }
    if (absl::Status status = play_equal_time(*model); !status.ok()) {
      return status;
    }
    if (absl::Status status = play_final_ladder(*model); !status.ok()) {
      return status;
    }
    return finished(*std::move(model), total->counts.games);
  }

 private:
  // Cancelled when a stop was requested: the training ends at a stage
  // boundary, `where` in iteration `iteration` (empty: after it).
  absl::Status check_stop(int iteration, const std::string& where) const {
    if (options_.stop == nullptr || !options_.stop->stop_requested()) {
      return absl::OkStatus();
    }
    return absl::CancelledError(
        where.empty()
            ? absl::StrCat("training interrupted after iteration ", iteration,
                           " of ", options_.iterations)
            : absl::StrCat("training interrupted in iteration ", iteration,
                           " of ", options_.iterations, ", ", where));
  }

  // `model` with what the training adds at the end: the evaluations so far
  // and the run record.
  Model finished(Model model, std::uint64_t games) const {
    model.evaluations = all_evaluations_;
    model.run.command_line = options_.command_line;
    model.run.threads = threads_;
    model.run.seconds = stage_seconds_;
    model.run.self_play_games_per_s =
        simulate_seconds_ > 0 ? games / simulate_seconds_ : 0;
    model.run.equal_time = equal_time_;
    model.run.ladder = ladder_;
    return model;
  }

  // Passes the state after `iterations` iterations and the first
  // `games_into_next` games of the next, whose tallies are `counts`, to the
  // checkpoint; `model` is the last iteration's (null before the first).
  absl::Status save(int iterations, std::uint64_t games_into_next,
                    const SimulationCounts& counts, const Model* model) const {
    if (!options_.checkpoint) return absl::OkStatus();
    TrainingState state;
    state.iterations = iterations;
    state.games_into_next = games_into_next;
    state.counts = counts;
    if (model != nullptr) {
      state.model_json = finished(*model, counts.games).to_json();
    }
    if (logistic_data_) state.logistic_data = logistic_data_->serialize();
    if (first_ && options_.equal_time > absl::ZeroDuration()) {
      state.first_model_json = first_->to_json();
    }
    return options_.checkpoint(state);
  }

  // Takes up `state`, which must be one this training's save() made: the
  // games' tallies (as `total`), the fit data, the evaluations and the run
  // record; returns the model of its last iteration (none before the first).
  absl::StatusOr<std::optional<Model>> restore(
      const TrainingState& state, const FeatureSet& features,
      std::optional<SimulationResult>& total) {
    const auto refused = [](const std::string& why) {
      return absl::DataLossError(
          absl::StrCat("the training state to resume ", why));
    };
    const bool complete = state.iterations == options_.iterations;
    if (state.iterations < 0 || state.iterations > options_.iterations ||
        state.games_into_next >= options_.games_per_iteration ||
        (complete && state.games_into_next > 0) ||
        (state.iterations == 0 && state.games_into_next == 0)) {
      return refused(absl::StrCat("is after iteration ", state.iterations,
                                  " and ", state.games_into_next,
                                  " games of the next, not within ",
                                  options_.iterations, " iterations of ",
                                  options_.games_per_iteration, " games"));
    }
    const GameStructure& structure = game_.structure();
    const int players =
        options_.players == 0 ? structure.default_players : options_.players;
    const std::uint64_t games = static_cast<std::uint64_t>(state.iterations) *
                                    options_.games_per_iteration +
                                state.games_into_next;
    const SimulationCounts& counts = state.counts;
    if (counts.games != games ||
        counts.seats.size() != static_cast<std::size_t>(players) ||
        counts.features.size() != static_cast<std::size_t>(features.size()) ||
        counts.actions.size() != structure.action_kinds.size() ||
        counts.failure_cap != SimulationOptions().failure_cap) {
      return refused(absl::StrCat("holds tallies of ", counts.games,
                                  " games shaped for another training"));
    }
    if (logistic_data_) {
      absl::StatusOr<LogisticData> data = LogisticData::parse(
          state.logistic_data, static_cast<int>(features.size()));
      if (!data.ok()) {
        return refused(absl::StrCat("has fit data that does not hold: ",
                                    data.status().message()));
      }
      if (data->games() != games) {
        return refused(absl::StrCat("holds fit data of ", data->games(),
                                    " games, not ", games));
      }
      logistic_data_ = *std::move(data);
    } else if (!state.logistic_data.empty()) {
      return refused("holds fit data, which phi weights do not use");
    }
    std::optional<Model> model;
    if (state.iterations > 0) {
      absl::StatusOr<Model> parsed = Model::parse(state.model_json, game_);
      if (!parsed.ok()) {
        return refused(absl::StrCat("has a model that does not read: ",
                                    parsed.status().message()));
      }
      if (parsed->training.iterations != state.iterations) {
        return refused("holds the model of another iteration");
      }
      model = *std::move(parsed);
    } else if (!state.model_json.empty()) {
      return refused("holds a model before the first iteration");
    }
    if (options_.equal_time > absl::ZeroDuration() && state.iterations > 0) {
      if (state.first_model_json.empty()) {
        return refused(
            "holds no first-iteration model for the equal-time comparison "
            "(it was saved without one)");
      }
      absl::StatusOr<Model> parsed =
          Model::parse(state.first_model_json, game_);
      if (!parsed.ok()) {
        return refused(
            absl::StrCat("has a first-iteration model that does "
                         "not read: ",
                         parsed.status().message()));
      }
      first_ = *std::move(parsed);
    }
    // As run_simulations shapes the first iteration's result, which the
    // later ones merge into.
    total.emplace();
    total->game = game_.name();
    total->players = players;
    total->seed = options_.seed;
    total->requested = options_.games_per_iteration;
    total->features = features.infos();
    total->action_kinds = structure.action_kinds;
    total->counts = counts;
    if (model) {
      all_evaluations_ = model->evaluations;
      stage_seconds_ = model->run.seconds;
      threads_ = model->run.threads;
      for (const auto& [stage, seconds] : stage_seconds_) {
        if (stage == "simulate") simulate_seconds_ = seconds;
      }
    }
    return model;
  }

  void report(int iteration, const std::string& stage, std::string message,
              double seconds) {
    bool found = false;
    for (auto& [name, total] : stage_seconds_) {
      if (name == stage) {
        total += seconds;
        found = true;
      }
    }
    if (!found) stage_seconds_.emplace_back(stage, seconds);
    if (options_.on_stage) {
      options_.on_stage({iteration, stage, std::move(message), seconds});
    }
  }

  // Plays iteration `iteration`'s games from its `played`-th on and adds
  // them to `total`. Stopped, it saves the games it finished (a prefix) with
  // `model`, the last iteration's, and returns Cancelled.
  absl::Status simulate(int iteration, std::uint64_t played,
                        const FeatureSet& features,
                        std::optional<SimulationResult>& total,
                        const std::optional<Model>& model) {
    const auto start = Clock::now();
    SimulationOptions simulation;
    const std::uint64_t first = static_cast<std::uint64_t>(iteration - 1) *
                                options_.games_per_iteration;
    simulation.ranges = {
        {first + played, first + options_.games_per_iteration}};
    // With a checkpoint callback the games are played in index order, and a
    // stop leaves every game below some index played and none above: the
    // callback's last call has those games' tallies.
    std::optional<SimulationCounts> prefix;
    std::uint64_t prefix_end = first + played;
    if (options_.checkpoint) {
      simulation.checkpoint = [&](const SimulationCounts& so_far,
                                  std::uint64_t next_game_index) {
        prefix = so_far;
        prefix_end = next_game_index;
        return absl::OkStatus();
      };
    }
    simulation.threads = options_.threads;
    simulation.seed = options_.seed;
    simulation.players = options_.players;
    simulation.max_actions = options_.max_actions;
    simulation.progress = options_.simulation_progress;
    simulation.stop = options_.stop;
    if (logistic_data_) simulation.records = &*logistic_data_;
    const int players = options_.players == 0
                            ? game_.structure().default_players
                            : options_.players;
    simulation.policies.assign(players, &oracle_);
    absl::StatusOr<SimulationResult> result =
        options_.run_simulation
            ? options_.run_simulation(game_, features, simulation)
            : run_simulations(game_, features, simulation);
    if (!result.ok()) return result.status();
    if (result->cancelled > 0) {
      if (prefix && prefix_end > first + played) {
        SimulationCounts counts = total ? total->counts : *prefix;
        if (total) counts.merge(*prefix);
        if (absl::Status status = save(iteration - 1, prefix_end - first,
                                       counts, model ? &*model : nullptr);
            !status.ok()) {
          return status;
        }
      }
      return absl::CancelledError(absl::StrCat(
          "training interrupted in iteration ", iteration, " of ",
          options_.iterations, ", during its self-play (", prefix_end - first,
          " of ", options_.games_per_iteration, " games finished in order)"));
    }
    threads_ = result->timing.threads;
    const double seconds = seconds_since(start);
    simulate_seconds_ += seconds;
    std::string message = absl::StrFormat(
        "%d games with %s, %d decisions, %.0f games/s", result->counts.games,
        oracle_.name(), result->counts.states,
        result->counts.games / std::max(seconds, 1e-9));
    if (result->counts.failed > 0) {
      absl::StrAppend(&message, "; ", result->counts.failed,
                      " failed (first: ", result->counts.failures[0].error,
                      ")");
    }
    if (total) {
      total->counts.merge(result->counts);
    } else {
      total = *std::move(result);
    }
    report(iteration, "simulate", std::move(message), seconds);
    return absl::OkStatus();
  }

  absl::StatusOr<Model> analyse(int iteration, const SimulationResult& total) {
    const auto start = Clock::now();
    absl::StatusOr<std::vector<Objective>> objectives =
        logistic_data_ ? logistic_objectives(total, *logistic_data_, options_)
                       : phi_objectives(total, options_);
    if (!objectives.ok()) return objectives.status();
    absl::StatusOr<Model> model = Model::create(
        game_, *std::move(objectives), preferences_from(total, options_));
    if (!model.ok()) return model.status();
    model->training = {.iterations = iteration,
                       .games_per_iteration = options_.games_per_iteration,
                       .games = total.counts.games,
                       .states = total.counts.states,
                       .seed = options_.seed,
                       .oracle = options_.oracle.to_string(),
                       .weights = objective_weights_name(options_.weights),
                       .max_features = options_.max_features,
                       .min_correlation = options_.min_correlation,
                       .l2 = logistic_data_ ? options_.l2 : 0.0};
    std::string message =
        absl::StrCat(model->objectives().size(), " objectives from ",
                     total.counts.games, " games");
    if (!model->objectives().empty()) {
      const Objective& top = model->objectives().front();
      absl::StrAppend(
          &message,
          absl::StrFormat("; strongest %s (phi %+.3f, weight %+.2f, %s)",
                          top.feature, top.correlation, top.weight,
                          objective_weights_name(options_.weights)));
    }
    absl::StrAppend(&message, "; ", model->preferences().size(),
                    " action preferences");
    report(iteration, "analyse", std::move(message), seconds_since(start));
    return model;
  }

  // The options of every evaluation match: the same games for each.
  MatchOptions evaluation_match() const {
    MatchOptions match;
    match.games = options_.evaluation_games;
    match.seed = training_evaluation_seed(options_.seed);
    match.players = options_.players;
    match.max_actions = options_.max_actions;
    match.threads = options_.threads;
    match.stop = options_.stop;
    return match;
  }

  // Cancelled when a stop was requested, during the evaluation after
  // `iteration` (0: after the evolution).
  absl::Status check_evaluation_stop(int iteration) const {
    return check_stop(iteration == 0 ? options_.iterations : iteration,
                      iteration == 0
                          ? "after the evolution, during its evaluation"
                          : "during its evaluation");
  }

  // A side of a match: a player on a model (for the kinds that need one),
  // and the name the result gives it (empty: the policy's).
  struct Side {
    const PlayerSpec& spec;
    const Model& model;
    std::string name;
  };

  // Plays `player` against `opponent`, reports it as stage `stage` and
  // returns the result; `distributed` lets options.run_match play it.
  absl::StatusOr<MatchResult> play(int iteration, const std::string& stage,
                                   const Side& player, const Side& opponent,
                                   const MatchOptions& match,
                                   bool distributed) {
    if (absl::Status status = check_evaluation_stop(iteration); !status.ok()) {
      return status;
    }
    const auto start = Clock::now();
    absl::StatusOr<std::unique_ptr<Policy>> first =
        make_player(player.spec, &player.model);
    if (!first.ok()) return first.status();
    absl::StatusOr<std::unique_ptr<Policy>> second =
        make_player(opponent.spec, &opponent.model);
    if (!second.ok()) return second.status();
    absl::StatusOr<MatchResult> result =
        distributed && options_.run_match
            ? options_.run_match(game_, **first, **second, match)
            : play_match(game_, **first, **second, match);
    if (absl::IsCancelled(result.status())) {
      return absl::CancelledError(
          absl::StrCat("training interrupted in iteration ",
                       iteration == 0 ? options_.iterations : iteration, " of ",
                       options_.iterations, ", during its evaluation (",
                       result.status().message(), ")"));
    }
    if (!result.ok()) return result.status();
    if (!player.name.empty()) result->player = player.name;
    if (!opponent.name.empty()) result->opponent = opponent.name;
    report(iteration, stage, evaluation_line(*result), seconds_since(start));
    return result;
  }

  absl::Status evaluate(int iteration, const std::string& stage,
                        const Model& model) {
    if (options_.evaluation_games == 0) return absl::OkStatus();
    for (const EvaluationPairing& pairing : pairings_) {
      absl::StatusOr<MatchResult> result =
          play(iteration, "evaluate", {pairing.player, model, ""},
               {pairing.opponent, model, ""}, evaluation_match(),
               /*distributed=*/true);
      if (!result.ok()) return result.status();
      all_evaluations_.push_back({iteration, stage, *std::move(result)});
    }
    return absl::OkStatus();
  }

  // The distinct model players of the pairings, in order.
  std::vector<PlayerSpec> model_players() const {
    std::vector<PlayerSpec> specs;
    for (const EvaluationPairing& pairing : pairings_) {
      if (pairing.player.needs_model() &&
          std::find(specs.begin(), specs.end(), pairing.player) ==
              specs.end()) {
        specs.push_back(pairing.player);
      }
    }
    return specs;
  }

  // options.compare_iterations: iteration `iteration`'s players against the
  // previous iteration's.
  absl::Status compare(int iteration, const Model& model,
                       const Model& previous) {
    if (!options_.compare_iterations) return absl::OkStatus();
    MatchOptions match = evaluation_match();
    match.sprt = options_.compare_iterations;
    for (const PlayerSpec& spec : model_players()) {
      // A distributed match has no sequential test; every process plays
      // this one alike.
      absl::StatusOr<MatchResult> result = play(
          iteration, "compare",
          {spec, model, absl::StrCat(spec.to_string(), "@", iteration)},
          {spec, previous, absl::StrCat(spec.to_string(), "@", iteration - 1)},
          match, /*distributed=*/false);
      if (!result.ok()) return result.status();
      all_evaluations_.push_back(
          {iteration, "previous-iteration", *std::move(result)});
    }
    return absl::OkStatus();
  }

  // options.equal_time: the final model's objective MCTS with a time budget
  // against the first iteration's and against plain MCTS, into the run
  // record (they vary between runs).
  absl::Status play_equal_time(const Model& model) {
    if (options_.equal_time == absl::ZeroDuration()) return absl::OkStatus();
    const PlayerSpec player = {.kind = PlayerSpec::Kind::kObjectiveMcts,
                               .iterations = kTimedIterationCap,
                               .time_per_move = options_.equal_time,
                               .rollout_depth = kDefaultObjectiveRolloutDepth};
    const PlayerSpec mcts = {.kind = PlayerSpec::Kind::kMcts,
                             .iterations = kTimedIterationCap,
                             .time_per_move = options_.equal_time};
    const MatchOptions match = evaluation_match();
    const std::string name = player.to_string();
    absl::StatusOr<MatchResult> result =
        play(0, "equal-time", {player, model, name + "@final"},
             {player, *first_, name + "@1"}, match, /*distributed=*/false);
    if (!result.ok()) return result.status();
    equal_time_.push_back({0, "equal-time", *std::move(result)});
    result = play(0, "equal-time", {player, model, ""}, {mcts, model, ""},
                  match, /*distributed=*/false);
    if (!result.ok()) return result.status();
    equal_time_.push_back({0, "equal-time", *std::move(result)});
    return absl::OkStatus();
  }

  // options.ladder: the final model's player against the rungs, into the
  // run record (a rung may be time-budgeted).
  absl::Status play_final_ladder(const Model& model) {
    if (options_.ladder.empty()) return absl::OkStatus();
    if (absl::Status status = check_stop(options_.iterations, "");
        !status.ok()) {
      return status;
    }
    const auto start = Clock::now();
    absl::StatusOr<std::unique_ptr<Policy>> player =
        make_player(options_.ladder_player, &model);
    if (!player.ok()) return player.status();
    std::vector<std::unique_ptr<Policy>> policies;
    std::vector<LadderRung> rungs;
    for (const TrainingLadderRung& rung : options_.ladder) {
      absl::StatusOr<std::unique_ptr<Policy>> policy =
          make_player(rung.spec, rung.model != nullptr ? rung.model : &model);
      if (!policy.ok()) return policy.status();
      rungs.push_back({policy->get(), rung.name});
      policies.push_back(*std::move(policy));
    }
    absl::StatusOr<LadderResult> ladder =
        play_ladder(game_, **player, rungs, evaluation_match());
    if (absl::IsCancelled(ladder.status())) {
      return absl::CancelledError(absl::StrCat(
          "training interrupted after iteration ", options_.iterations, " of ",
          options_.iterations, ", during its ladder (",
          ladder.status().message(), ")"));
    }
    if (!ladder.ok()) return ladder.status();
    report(
        0, "ladder",
        absl::StrFormat(
            "%s against %d rungs: %s", (*player)->name(), rungs.size(),
            ladder->ratings.empty()
                ? absl::StrCat("no Elo ratings (", ladder->ratings_error, ")")
                : absl::StrFormat(
                      "Elo %+.0f [%+.0f, %+.0f]", ladder->ratings[0].value,
                      ladder->ratings[0].low, ladder->ratings[0].high)),
        seconds_since(start));
    ladder_ = *std::move(ladder);
    return absl::OkStatus();
  }

  absl::StatusOr<Model> evolve(const Model& model) {
    EvolutionOptions evolution = *options_.evolution;
    evolution.seed = options_.seed;
    evolution.players = options_.players;
    evolution.max_actions = options_.max_actions;
    evolution.threads = options_.threads;
    evolution.stop = options_.stop;
    // Each generation reports its own time: report() sums a stage's times.
    auto generation_start = Clock::now();
    evolution.progress = [&](int generation, double best, double mean) {
      report(0, "evolve",
             absl::StrFormat("generation %d: best fitness %.3f, mean %.3f",
                             generation, best, mean),
             seconds_since(generation_start));
      generation_start = Clock::now();
    };
    absl::StatusOr<EvolutionResult> evolved =
        evolve_weights(game_, model, evolution);
    if (!evolved.ok()) return evolved.status();
    absl::StatusOr<Model> result = model.with_weights(evolved->weights);
    if (!result.ok()) return result.status();
    result->evolution = evolved->record;
    return result;
  }

  const Game& game_;
  const TrainingOptions& options_;
  const Policy& oracle_;
  const std::vector<EvaluationPairing> pairings_;
  // The games so far, for the logistic fit (kLogistic only).
  std::optional<LogisticData> logistic_data_;
  std::vector<EvaluationRecord> all_evaluations_;
  // The first iteration's model, for options.equal_time.
  std::optional<Model> first_;
  std::vector<EvaluationRecord> equal_time_;
  std::optional<LadderResult> ladder_;
  std::vector<std::pair<std::string, double>> stage_seconds_;
  double simulate_seconds_ = 0;
  int threads_ = 0;
};

}  // namespace

std::uint64_t training_evaluation_seed(std::uint64_t seed) {
  return derive_seed(seed, kEvaluationStream);
}

const char* objective_weights_name(ObjectiveWeights weights) {
  return weights == ObjectiveWeights::kLogistic ? "logistic" : "phi";
}

std::vector<EvaluationPairing> default_evaluations(const PlayerSpec& oracle) {
  std::vector<EvaluationPairing> pairings = {
      {{.kind = PlayerSpec::Kind::kGreedy},
       {.kind = PlayerSpec::Kind::kRandom}}};
  if (oracle.kind == PlayerSpec::Kind::kMcts) {
    pairings.push_back({{.kind = PlayerSpec::Kind::kObjectiveMcts,
                         .iterations = oracle.iterations,
                         .time_per_move = oracle.time_per_move,
                         .rollout_depth = kDefaultObjectiveRolloutDepth},
                        oracle});
  }
  return pairings;
}

absl::StatusOr<Model> train(const Game& game, const TrainingOptions& options) {
  if (absl::Status status = validate(options); !status.ok()) return status;
  absl::StatusOr<std::unique_ptr<Policy>> oracle = make_player(options.oracle);
  if (!oracle.ok()) return oracle.status();
  Trainer trainer(game, options, **oracle,
                  options.evaluations.empty()
                      ? default_evaluations(options.oracle)
                      : options.evaluations);
  return trainer.run();
}

}  // namespace selfplay
