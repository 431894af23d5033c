// Training: models that round-trip through JSON and reject bad files with a
// clear error, a summary that names objectives by feature id, Wilson intervals
// and Elo against independent computations, evolution and whole trainings that
// are the same for any thread count, player specs that read back, a two-ply
// greedy player that sees a threat, and a greedy objective player that beats
// random after a tiny training.
#include "selfplay/training.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "games/connect_four.h"
#include "games/tic_tac_toe.h"
#include "nlohmann/json.hpp"
#include "selfplay/evaluation.h"
#include "selfplay/evolution.h"
#include "selfplay/model.h"
#include "selfplay/objective_players.h"
#include "selfplay/players.h"
#include "selfplay/sprt.h"

namespace selfplay {
namespace {

using ::testing::HasSubstr;

// The first `count` candidate feature ids of `game`.
std::vector<std::string> feature_ids(const Game& game, int count) {
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features(game.structure());
  EXPECT_TRUE(features.ok()) << features.status();
  std::vector<std::string> ids;
  for (int i = 0; i < count && i < features->size(); ++i) {
    ids.push_back(features->infos()[i].id);
  }
  return ids;
}

Objective objective(const std::string& feature, double weight) {
  Objective made;
  made.feature = feature;
  made.weight = weight;
  return made;
}

// A model with every record filled, the numbers chosen to need all 17
// significant digits.
Model full_model(const Game& game) {
  const std::vector<std::string> ids = feature_ids(game, 2);
  absl::StatusOr<Model> model =
      Model::create(game,
                    {{.feature = ids[0],
                      .description = "",
                      .weight = 1.0 / 3,
                      .correlation = 0.1234567890123,
                      .p_value = 1e-300},
                     {.feature = ids[1],
                      .description = "",
                      .weight = -2.5,
                      .correlation = -0.05,
                      .p_value = 0.25}},
                    {{.action_kind = game.structure().action_kinds[0],
                      .weight = 0.7,
                      .win_rate_taken = 0.6,
                      .win_rate_not_taken = 0.4}});
  EXPECT_TRUE(model.ok()) << model.status();
  model->training = {.iterations = 3,
                     .games_per_iteration = 5000,
                     .games = 15000,
                     .states = 123456789012ULL,
                     .seed = 18446744073709551615ULL,
                     .oracle = "mcts:50",
                     .max_features = 20,
                     .min_correlation = 0.01};
  model->evaluations.push_back({.iteration = 3,
                                .stage = "iteration",
                                .match = {.player = "greedy",
                                          .opponent = "random",
                                          .games = 200,
                                          .wins = 150,
                                          .draws = 10,
                                          .losses = 39,
                                          .truncated = 2,
                                          .failed = 1,
                                          .first_error = "boom"}});
  // A sequential test decided after some blocks, as a comparison of
  // iterations keeps it.
  SprtState sprt({.elo0 = 0, .elo1 = 30}, /*block_games=*/2);
  for (int half_points : {4, 3, 4, 2, 4, 4, 1, 4}) sprt.add_block(half_points);
  model->evaluations.push_back({.iteration = 3,
                                .stage = "previous-iteration",
                                .match = {.player = "greedy@3",
                                          .opponent = "greedy@2",
                                          .games = 16,
                                          .wins = 11,
                                          .draws = 4,
                                          .losses = 1,
                                          .first_error = "",
                                          .sprt = sprt}});
  model->evolution = EvolutionRecord{.mu = 5,
                                     .lambda = 20,
                                     .generations = 2,
                                     .sigma = 1,
                                     .games_per_candidate = 100,
                                     .opponent = "random",
                                     .best_fitness = {0.5, 0.625, 0.75},
                                     .mean_fitness = {0.25, 0.5, 0.625}};
  model->run = {
      .command_line = "selfplay train --game x",
      .threads = 2,
      .seconds = {{"simulate", 1.5}, {"analyse", 0.25}},
      .self_play_games_per_s = 1234.5,
      .equal_time = {{.iteration = 0,
                      .stage = "equal-time",
                      .match = {.player = "objective-mcts:5ms:4",
                                .opponent = "mcts:5ms",
                                .games = 10,
                                .wins = 7,
                                .losses = 3,
                                .first_error = ""}}},
      .ladder = LadderResult{
          .rungs = {{.player = "greedy",
                     .opponent = "random",
                     .games = 20,
                     .wins = 17,
                     .draws = 2,
                     .losses = 1,
                     .first_error = ""},
                    {.player = "greedy",
                     .opponent = "mcts:5ms",
                     .games = 20,
                     .wins = 5,
                     .draws = 3,
                     .losses = 12,
                     .first_error = ""}},
          .links = {{.player = "random",
                     .opponent = "mcts:5ms",
                     .games = 20,
                     .wins = 1,
                     .draws = 0,
                     .losses = 19,
                     .first_error = ""}},
          .ratings = {{1.0 / 3, -0.1, 2.0 / 3}, {0, 0, 0}, {123.25, 50.5, 196}},
          .ratings_error = ""}};
  return *std::move(model);
}

void expect_same_model(const Model& a, const Model& b) {
  EXPECT_EQ(a.game(), b.game());
  EXPECT_EQ(a.objectives(), b.objectives());
  EXPECT_EQ(a.preferences(), b.preferences());
  EXPECT_EQ(a.training, b.training);
  EXPECT_EQ(a.evaluations, b.evaluations);
  EXPECT_EQ(a.evolution, b.evolution);
  EXPECT_EQ(a.run, b.run);
}

class ModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            absl::StrCat(
                "selfplay_training_test_", ::getpid(), "_",
                ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                ".json");
  }
  void TearDown() override { std::filesystem::remove(path_); }

  void write(const std::string& text) { std::ofstream(path_) << text; }
  // The full model's JSON with `edit` applied.
  std::string edited(const Game& game,
                     const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json json = nlohmann::json::parse(full_model(game).to_json());
    edit(json);
    return json.dump();
  }
  absl::Status load_error(const Game& game, const std::string& text) {
    write(text);
    absl::StatusOr<Model> model = Model::load(path_.string(), game);
    return model.status();
  }

  std::filesystem::path path_;
};

TEST_F(ModelFile, RoundTripsEveryFieldThroughLoad) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const Model model = full_model(*game);
  write(model.to_json());
  absl::StatusOr<Model> loaded = Model::load(path_.string(), *game);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  expect_same_model(model, *loaded);
  EXPECT_EQ(loaded->to_json(), model.to_json());
}

TEST_F(ModelFile, TheLoadedModelScoresPositionsLikeTheOriginal) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const Model model = full_model(*game);
  absl::StatusOr<Model> loaded = Model::parse(model.to_json(), *game);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ObjectiveScratch scratch;
  std::unique_ptr<State> state = game->new_initial_state(1, 2);
  std::vector<Action> actions;
  Rng rng(5);
  for (int ply = 0; ply < 12 && !state->is_terminal(); ++ply) {
    for (int player = 0; player < 2; ++player) {
      EXPECT_EQ(loaded->score(*state, player, scratch),
                model.score(*state, player, scratch));
    }
    state->legal_actions(actions);
    state->apply_action(actions[rng.uniform(actions.size())]);
  }
}

TEST_F(ModelFile, AMissingFieldIsNamed) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const absl::Status status =
      load_error(*game, edited(*game, [](nlohmann::json& json) {
        json["objectives"][1].erase("weight");
      }));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("objectives[1].weight is missing"));
  EXPECT_THAT(status.message(), HasSubstr(path_.string()));

  EXPECT_THAT(
      load_error(
          *game,
          edited(*game, [](nlohmann::json& json) { json.erase("objectives"); }))
          .message(),
      HasSubstr("objectives is missing"));
  EXPECT_THAT(load_error(*game, edited(*game,
                                       [](nlohmann::json& json) {
                                         json["evaluations"][0].erase("wins");
                                       }))
                  .message(),
              HasSubstr("evaluations[0].wins is missing"));
}

TEST_F(ModelFile, AMistypedFieldIsNamed) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  EXPECT_THAT(load_error(*game, edited(*game,
                                       [](nlohmann::json& json) {
                                         json["objectives"][0]["weight"] =
                                             "heavy";
                                       }))
                  .message(),
              HasSubstr("objectives[0].weight is not a number"));
  EXPECT_THAT(load_error(*game, edited(*game,
                                       [](nlohmann::json& json) {
                                         json["training"]["games"] = -3;
                                       }))
                  .message(),
              HasSubstr("training.games is not a non-negative integer"));
}

TEST_F(ModelFile, AnUnknownFeatureIdIsNotFoundAndNamed) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const absl::Status status =
      load_error(*game, edited(*game, [](nlohmann::json& json) {
        json["objectives"][0]["feature"] = "no-such-feature";
      }));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("'no-such-feature'"));
  EXPECT_THAT(status.message(), HasSubstr("connect-four"));
}

TEST_F(ModelFile, AnUnknownActionKindIsNotFound) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const absl::Status status =
      load_error(*game, edited(*game, [](nlohmann::json& json) {
        json["action_preferences"][0]["action_kind"] = "castle";
      }));
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("'castle'"));
}

TEST_F(ModelFile, AModelOfAnotherGameIsRejected) {
  const std::unique_ptr<Game> tic_tac_toe = make_tic_tac_toe_game();
  const std::unique_ptr<Game> connect_four = make_connect_four_game();
  const absl::Status status =
      load_error(*connect_four, full_model(*tic_tac_toe).to_json());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("the model is for tic-tac-toe, not connect-four"));
}

TEST_F(ModelFile, NotJsonAndAMissingFileAreClearErrors) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  EXPECT_THAT(load_error(*game, "{\"format\": ").message(),
              HasSubstr("not valid JSON"));
  EXPECT_THAT(load_error(*game, "{\"format\": \"other\"}").message(),
              HasSubstr("format is 'other'"));
  absl::StatusOr<Model> missing =
      Model::load((path_.parent_path() / "no_such_model.json").string(), *game);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST(Model, RejectsDuplicateFeaturesAndNonFiniteWeights) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const std::vector<std::string> ids = feature_ids(*game, 1);
  EXPECT_EQ(Model::create(*game, {objective(ids[0], 1), objective(ids[0], 2)})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Model::create(*game, {objective(ids[0], NAN)}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The Wilson interval is the set of proportions p that a two-sided score test
// at level z accepts: |p_hat - p| <= z * sqrt(p (1 - p) / n). Its ends are
// where equality holds, so each end is checked against that definition, and
// against values computed separately (Python, solving the quadratic).
TEST(Wilson, EndsAreWhereTheScoreTestIsOnTheEdge) {
  for (const auto& [successes, trials] :
       std::vector<std::pair<double, std::uint64_t>>{
           {8, 10}, {1, 20}, {950, 1000}, {30.5, 61}}) {
    const Interval interval = wilson_interval(successes, trials);
    const double p_hat = successes / static_cast<double>(trials);
    EXPECT_DOUBLE_EQ(interval.value, p_hat);
    for (double p : {interval.low, interval.high}) {
      EXPECT_NEAR(std::abs(p_hat - p),
                  kZ95 * std::sqrt(p * (1 - p) / static_cast<double>(trials)),
                  1e-12)
          << successes << "/" << trials;
    }
  }
  const Interval eight_of_ten = wilson_interval(8, 10);
  EXPECT_NEAR(eight_of_ten.low, 0.4901625, 1e-7);
  EXPECT_NEAR(eight_of_ten.high, 0.9433178, 1e-7);
}

TEST(Wilson, ExtremeCountsStayInsideZeroToOne) {
  const Interval none = wilson_interval(0, 50);
  EXPECT_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.0713476, 1e-7);  // z^2 / (n + z^2)
  const Interval all = wilson_interval(50, 50);
  EXPECT_NEAR(all.low, 1 - 0.0713476, 1e-7);
  EXPECT_EQ(all.high, 1);
  const Interval empty = wilson_interval(0, 0);
  EXPECT_EQ(empty.low, 0);
  EXPECT_EQ(empty.high, 1);
}

TEST(Elo, MatchesTheLogisticFormula) {
  EXPECT_DOUBLE_EQ(elo_difference(0.5), 0);
  EXPECT_NEAR(elo_difference(0.75), 190.848501887865, 1e-9);  // 400 lg 3
  EXPECT_NEAR(elo_difference(0.1), -381.697003775730, 1e-9);  // -400 lg 9
  EXPECT_EQ(elo_difference(1), std::numeric_limits<double>::infinity());
  EXPECT_EQ(elo_difference(0), -std::numeric_limits<double>::infinity());
}

TEST(Elo, AMatchCountsADrawAsHalfAWin) {
  MatchResult match;
  match.games = 100;
  match.wins = 60;
  match.draws = 30;
  match.losses = 10;
  EXPECT_DOUBLE_EQ(match.score().value, 0.75);
  const Interval elo = match.elo();
  EXPECT_NEAR(elo.value, 190.848501887865, 1e-9);
  EXPECT_NEAR(elo.low, elo_difference(wilson_interval(75, 100).low), 1e-9);
  EXPECT_LT(elo.low, elo.value);
  EXPECT_GT(elo.high, elo.value);
}

TEST(TrainingSummary, NamesEachObjectiveByItsFeatureIdAndDescription) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features(game->structure());
  ASSERT_TRUE(features.ok()) << features.status();
  const FeatureInfo& first = features->infos()[0];
  const FeatureInfo& second = features->infos()[1];
  // full_model leaves the descriptions empty: Model::create fills them in.
  const std::string summary = training_summary(full_model(*game));
  EXPECT_THAT(summary,
              HasSubstr(absl::StrCat("    +0.33  phi +0.123  ", first.id, ": ",
                                     first.description, "\n")));
  EXPECT_THAT(summary,
              HasSubstr(absl::StrCat("    -2.50  phi -0.050  ", second.id, ": ",
                                     second.description, "\n")));
}

TrainingOptions tiny_training() {
  TrainingOptions options;
  options.iterations = 2;
  options.games_per_iteration = 150;
  options.oracle = {.kind = PlayerSpec::Kind::kMcts, .iterations = 8};
  options.evaluation_games = 40;
  options.seed = 3;
  return options;
}

std::string without_run(Model model) {
  model.run = {};
  return model.to_json();
}

TEST(Training, TheModelIsTheSameForOneAndTwoThreads) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  std::vector<std::string> models;
  for (int threads : {1, 2}) {
    TrainingOptions options = tiny_training();
    options.threads = threads;
    absl::StatusOr<Model> model = train(*game, options);
    ASSERT_TRUE(model.ok()) << model.status();
    EXPECT_FALSE(model->objectives().empty());
    EXPECT_EQ(model->training.games, 300u);
    // greedy vs random and objective-mcts:8 vs mcts:8, after each iteration.
    EXPECT_EQ(model->evaluations.size(), 4u);
    models.push_back(without_run(*std::move(model)));
  }
  EXPECT_EQ(models[0], models[1]);
}

TEST(Training, ReportsEveryStageOfEveryIteration) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  TrainingOptions options = tiny_training();
  options.evaluations = {{{.kind = PlayerSpec::Kind::kGreedy},
                          {.kind = PlayerSpec::Kind::kRandom}}};
  std::vector<std::string> stages;
  options.on_stage = [&](const TrainingProgress& progress) {
    stages.push_back(absl::StrCat(progress.iteration, " ", progress.stage));
  };
  ASSERT_TRUE(train(*game, options).ok());
  EXPECT_THAT(stages,
              ::testing::ElementsAre("1 simulate", "1 analyse", "1 evaluate",
                                     "2 simulate", "2 analyse", "2 evaluate"));
}

// Trains `options` with a stop requested once iteration `stop_after` is
// saved, as Ctrl-C at that moment would; returns the last state saved.
TrainingState stopped_after(const Game& game, TrainingOptions options,
                            int stop_after) {
  StopToken stop;
  TrainingState saved;
  options.stop = &stop;
  options.checkpoint = [&](const TrainingState& state) {
    saved = state;
    if (state.iterations == stop_after) stop.request_stop();
    return absl::OkStatus();
  };
  absl::StatusOr<Model> model = train(game, options);
  EXPECT_EQ(model.status().code(), absl::StatusCode::kCancelled);
  EXPECT_THAT(std::string(model.status().message()),
              HasSubstr(absl::StrCat("interrupted after iteration ", stop_after,
                                     " of ", options.iterations)));
  EXPECT_EQ(saved.iterations, stop_after);
  return saved;
}

TEST(Training, ResumedAfterAnyIterationItEndsWithTheUninterruptedModel) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  for (ObjectiveWeights weights :
       {ObjectiveWeights::kLogistic, ObjectiveWeights::kPhi}) {
    TrainingOptions options = tiny_training();
    options.weights = weights;
    options.evolution.emplace();
    options.evolution->mu = 2;
    options.evolution->lambda = 3;
    options.evolution->generations = 1;
    options.evolution->games_per_candidate = 10;
    absl::StatusOr<Model> whole = train(*game, options);
    ASSERT_TRUE(whole.ok()) << whole.status();
    // Stopped after the first iteration, and after the last (before the
    // evolution); resumed on one thread or two.
    for (int stop_after : {1, 2}) {
      for (int threads : {1, 2}) {
        SCOPED_TRACE(absl::StrCat(objective_weights_name(weights), ", after ",
                                  stop_after, ", ", threads, " threads"));
        options.threads = threads;
        const TrainingState saved = stopped_after(*game, options, stop_after);
        EXPECT_EQ(saved.counts.games, 150u * stop_after);
        EXPECT_EQ(saved.logistic_data.empty(),
                  weights == ObjectiveWeights::kPhi);
        TrainingOptions resumed = options;
        resumed.resume = &saved;
        std::vector<std::string> stages;
        resumed.on_stage = [&](const TrainingProgress& progress) {
          stages.push_back(
              absl::StrCat(progress.iteration, " ", progress.stage));
        };
        absl::StatusOr<Model> model = train(*game, resumed);
        ASSERT_TRUE(model.ok()) << model.status();
        ASSERT_FALSE(stages.empty());
        // Only what was not saved is done again.
        EXPECT_EQ(stages.front(), stop_after == 1 ? "2 simulate" : "0 evolve");
        EXPECT_EQ(without_run(*model), without_run(*whole));
      }
    }
  }
}

TEST(Training, StoppedDuringSelfPlayItKeepsTheGamesFinishedAndResumes) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  constexpr std::uint64_t kGames = 4000;
  for (ObjectiveWeights weights :
       {ObjectiveWeights::kLogistic, ObjectiveWeights::kPhi}) {
    TrainingOptions options;
    options.iterations = 2;
    options.games_per_iteration = kGames;
    options.oracle = {.kind = PlayerSpec::Kind::kRandom};
    options.evaluation_games = 20;
    options.weights = weights;
    options.threads = 2;
    absl::StatusOr<Model> whole = train(*game, options);
    ASSERT_TRUE(whole.ok()) << whole.status();
    // Stopped once the self-play of the first, then of the second
    // iteration has finished games (its first progress report comes after
    // the first batch, long before the last of 4000 games).
    for (int stop_in : {1, 2}) {
      SCOPED_TRACE(absl::StrCat(objective_weights_name(weights),
                                ", stopped in iteration ", stop_in));
      StopToken stop;
      TrainingState saved;
      int simulating = 1;
      TrainingOptions stopped = options;
      stopped.stop = &stop;
      stopped.on_stage = [&](const TrainingProgress& progress) {
        if (progress.stage == "evaluate") simulating = progress.iteration + 1;
      };
      stopped.simulation_progress = [&](std::uint64_t finished, std::uint64_t) {
        if (simulating == stop_in && finished > 0) stop.request_stop();
      };
      stopped.checkpoint = [&](const TrainingState& state) {
        saved = state;
        return absl::OkStatus();
      };
      const absl::Status status = train(*game, stopped).status();
      EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
      EXPECT_THAT(std::string(status.message()),
                  HasSubstr(absl::StrCat("in iteration ", stop_in,
                                         " of 2, during its self-play")));
      EXPECT_EQ(saved.iterations, stop_in - 1);
      EXPECT_GT(saved.games_into_next, 0u);
      EXPECT_LT(saved.games_into_next, kGames);
      EXPECT_EQ(saved.counts.games,
                (stop_in - 1) * kGames + saved.games_into_next);
      EXPECT_EQ(saved.model_json.empty(), stop_in == 1);
      TrainingOptions resumed = options;
      resumed.threads = 1;
      resumed.resume = &saved;
      absl::StatusOr<Model> model = train(*game, resumed);
      ASSERT_TRUE(model.ok()) << model.status();
      EXPECT_EQ(without_run(*model), without_run(*whole));
    }
  }
}

TEST(Training, AStopDuringAnEvaluationOrTheEvolutionEndsItThere) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  TrainingOptions options = tiny_training();
  options.evolution.emplace();
  options.evolution->mu = 2;
  options.evolution->lambda = 3;
  options.evolution->generations = 2;
  options.evolution->games_per_candidate = 10;
  const absl::StatusOr<Model> whole = train(*game, options);
  ASSERT_TRUE(whole.ok()) << whole.status();
  // Requested when a stage is reported: the analysis of iteration 2 (the
  // evaluation comes next), the first generation of the evolution.
  for (const auto& [at, message] :
       std::vector<std::pair<std::string, std::string>>{
           {"2 analyse", "in iteration 2 of 2, during its evaluation"},
           {"0 evolve",
            "after iteration 2 of 2, during its evolution (evolution "
            "interrupted in generation 1 of 2)"}}) {
    SCOPED_TRACE(at);
    StopToken stop;
    TrainingState saved;
    TrainingOptions stopped = options;
    stopped.stop = &stop;
    stopped.on_stage = [&](const TrainingProgress& progress) {
      if (absl::StrCat(progress.iteration, " ", progress.stage) == at) {
        stop.request_stop();
      }
    };
    stopped.checkpoint = [&](const TrainingState& state) {
      saved = state;
      return absl::OkStatus();
    };
    const absl::Status status = train(*game, stopped).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kCancelled);
    EXPECT_THAT(std::string(status.message()), HasSubstr(message));
    TrainingOptions resumed = options;
    resumed.resume = &saved;
    absl::StatusOr<Model> model = train(*game, resumed);
    ASSERT_TRUE(model.ok()) << model.status();
    EXPECT_EQ(without_run(*model), without_run(*whole));
  }
  // A match and an evolution asked to stop before they start play nothing.
  StopToken stop;
  stop.request_stop();
  const std::unique_ptr<Policy> random =
      *make_player({.kind = PlayerSpec::Kind::kRandom});
  MatchOptions match;
  match.games = 10;
  match.stop = &stop;
  const absl::Status halted =
      play_match(*game, *random, *random, match).status();
  EXPECT_EQ(halted.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(halted.message(), "match interrupted after 0 of 10 games");
  EvolutionOptions evolution = *options.evolution;
  evolution.stop = &stop;
  EXPECT_EQ(evolve_weights(*game, *whole, evolution).status().code(),
            absl::StatusCode::kCancelled);
}

TEST(Training, AStateToResumeThatDoesNotFitTheTrainingIsDataLoss) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  const TrainingOptions options = tiny_training();
  const TrainingState saved = stopped_after(*game, options, 1);
  const auto resume = [&](void (*edit)(TrainingState&),
                          TrainingOptions with = tiny_training()) {
    TrainingState state = saved;
    edit(state);
    with.resume = &state;
    return train(*game, with).status();
  };
  EXPECT_TRUE(resume([](TrainingState&) {}).ok());
  for (void (*edit)(TrainingState&) : {
           +[](TrainingState& state) { state.iterations = 3; },
           +[](TrainingState& state) { state.iterations = 0; },
           +[](TrainingState& state) { state.counts.games += 1; },
           // Games of the next iteration the tallies do not hold.
           +[](TrainingState& state) { state.games_into_next = 5; },
           +[](TrainingState& state) { state.games_into_next = 150; },
           +[](TrainingState& state) { state.counts.seats.pop_back(); },
           +[](TrainingState& state) { state.logistic_data.pop_back(); },
           +[](TrainingState& state) { state.logistic_data.clear(); },
           // Its first byte, "{": not JSON.
           +[](TrainingState& state) { state.model_json.resize(1); },
           +[](TrainingState& state) {
             // The model of another iteration.
             nlohmann::json json = nlohmann::json::parse(state.model_json);
             json["training"]["iterations"] = 2;
             state.model_json = json.dump();
           },
       }) {
    const absl::Status status = resume(edit);
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
    EXPECT_THAT(std::string(status.message()),
                HasSubstr("the training state to resume"));
  }
  // Fit data where phi weights keep none.
  TrainingOptions phi = tiny_training();
  phi.weights = ObjectiveWeights::kPhi;
  EXPECT_EQ(resume([](TrainingState&) {}, phi).code(),
            absl::StatusCode::kDataLoss);
}

// A ladder of iteration-budgeted rungs, one of them the first iteration's
// model: at any thread count it is play_ladder of the final model's player on
// the evaluation seeds, and the model itself is the one trained without it.
TEST(Training, TheLadderIsPlayLadderOnTheFinalModelForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  TrainingOptions first_options = tiny_training();
  first_options.iterations = 1;
  absl::StatusOr<Model> first = train(*game, first_options);
  ASSERT_TRUE(first.ok()) << first.status();
  const PlayerSpec greedy = {.kind = PlayerSpec::Kind::kGreedy};
  const PlayerSpec mcts = {.kind = PlayerSpec::Kind::kMcts, .iterations = 8};
  absl::StatusOr<Model> plain = train(*game, tiny_training());
  ASSERT_TRUE(plain.ok()) << plain.status();
  std::vector<LadderResult> ladders;
  for (int threads : {1, 2, 4}) {
    TrainingOptions options = tiny_training();
    options.threads = threads;
    options.ladder = {{.spec = {.kind = PlayerSpec::Kind::kRandom}, .name = ""},
                      {.spec = mcts, .name = ""},
                      {.spec = greedy, .model = &*first, .name = "greedy@1"}};
    std::vector<std::string> stages;
    options.on_stage = [&](const TrainingProgress& progress) {
      stages.push_back(progress.stage);
    };
    absl::StatusOr<Model> model = train(*game, options);
    ASSERT_TRUE(model.ok()) << model.status();
    ASSERT_TRUE(model->run.ladder.has_value());
    EXPECT_EQ(stages.back(), "ladder");
    EXPECT_EQ(without_run(*model), without_run(*plain));
    ladders.push_back(*model->run.ladder);
    if (threads > 1) continue;
    // The same ladder played here on the trained model.
    absl::StatusOr<std::unique_ptr<Policy>> player =
        make_player(greedy, &*model);
    absl::StatusOr<std::unique_ptr<Policy>> old = make_player(greedy, &*first);
    absl::StatusOr<std::unique_ptr<Policy>> searcher = make_player(mcts);
    ASSERT_TRUE(player.ok() && old.ok() && searcher.ok());
    const RandomPolicy random;
    absl::StatusOr<LadderResult> expected = play_ladder(
        *game, **player,
        {{&random, ""}, {searcher->get(), ""}, {old->get(), "greedy@1"}},
        {.games = 40,
         .seed = training_evaluation_seed(tiny_training().seed),
         .threads = 1});
    ASSERT_TRUE(expected.ok()) << expected.status();
    EXPECT_EQ(*model->run.ladder, *expected);
    ASSERT_EQ(expected->rungs.size(), 3u);
    EXPECT_EQ(expected->rungs[2].opponent, "greedy@1");
    EXPECT_EQ(expected->ratings.size(), 4u) << expected->ratings_error;
  }
  EXPECT_EQ(ladders[1], ladders[0]);
  EXPECT_EQ(ladders[2], ladders[0]);
}

TEST(Training, RejectsOptionsThatCannotTrain) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  TrainingOptions options = tiny_training();
  options.iterations = 0;
  EXPECT_EQ(train(*game, options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = tiny_training();
  options.oracle = {.kind = PlayerSpec::Kind::kGreedy};
  EXPECT_THAT(train(*game, options).status().message(),
              HasSubstr("needs a model"));
  options = tiny_training();
  options.min_correlation = 1.5;
  EXPECT_EQ(train(*game, options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = tiny_training();
  options.ladder = {{.spec = {.kind = PlayerSpec::Kind::kRandom}, .name = ""}};
  options.evaluation_games = 0;
  EXPECT_THAT(train(*game, options).status().message(),
              HasSubstr("needs evaluation_games > 0"));
  options.evaluation_games = 40;
  options.ladder_player = {.kind = PlayerSpec::Kind::kRandom};
  EXPECT_THAT(train(*game, options).status().message(),
              HasSubstr("the ladder player must use the model, not random"));
}

TEST(Training, GreedyObjectivesBeatRandomAfterATinyTraining) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  TrainingOptions options;
  options.iterations = 1;
  options.games_per_iteration = 400;
  options.oracle = {.kind = PlayerSpec::Kind::kRandom};
  options.evaluation_games = 0;
  options.seed = 11;
  absl::StatusOr<Model> model = train(*game, options);
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_FALSE(model->objectives().empty());
  absl::StatusOr<std::unique_ptr<Policy>> greedy =
      make_player({.kind = PlayerSpec::Kind::kGreedy}, &*model);
  ASSERT_TRUE(greedy.ok());
  const RandomPolicy random;
  absl::StatusOr<MatchResult> match =
      play_match(*game, **greedy, random, {.games = 300, .seed = 4});
  ASSERT_TRUE(match.ok()) << match.status();
  EXPECT_EQ(match->games, 300u);
  EXPECT_EQ(match->failed, 0u);
  EXPECT_GT(match->wins, match->losses);
  EXPECT_GT(match->win_rate().low, 0.5);
}

TEST(Players, SpecsReadBackFromTheirText) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  absl::StatusOr<Model> tic_tac_toe_model = Model::create(*game, {});
  ASSERT_TRUE(tic_tac_toe_model.ok());
  for (const char* text :
       {"random", "mcts:50", "greedy", "greedy:2", "objective-mcts:50:4",
        "mcts:50/4", "objective-mcts:50:4/2", "mcts:5ms", "mcts:250us/2",
        "objective-mcts:1.5s:6", "mcts-cheat:50", "mcts-cheat:50/2",
        "objective-mcts:50:0", "objective-mcts:5ms:0:decisive",
        "objective-mcts:50:4:decisive/2"}) {
    absl::StatusOr<PlayerSpec> spec = parse_player_spec(text);
    ASSERT_TRUE(spec.ok()) << text << ": " << spec.status();
    EXPECT_EQ(spec->to_string(), text);
    // Records name a player one way: the policy as the spec.
    absl::StatusOr<std::unique_ptr<Policy>> player =
        make_player(*spec, &*tic_tac_toe_model);
    ASSERT_TRUE(player.ok()) << text << ": " << player.status();
    EXPECT_EQ((*player)->name(), text);
  }
  EXPECT_EQ(parse_player_spec("objective-mcts:50")->rollout_depth,
            kDefaultObjectiveRolloutDepth);
  EXPECT_EQ(parse_player_spec("mcts:50/4")->search_threads, 4);
  const PlayerSpec timed = *parse_player_spec("objective-mcts:5ms");
  EXPECT_EQ(timed.time_per_move, absl::Milliseconds(5));
  EXPECT_EQ(timed.iterations, kTimedIterationCap);
  EXPECT_EQ(timed.rollout_depth, kDefaultObjectiveRolloutDepth);
  EXPECT_FALSE(timed.reproducible());
  EXPECT_TRUE(parse_player_spec("mcts:50")->reproducible());
  EXPECT_EQ(parse_player_spec("mcts-cheat:50")->kind,
            PlayerSpec::Kind::kCheatingMcts);
  EXPECT_TRUE(
      parse_player_spec("objective-mcts:50:0:decisive")->decisive_moves);
  EXPECT_FALSE(parse_player_spec("objective-mcts:50:0")->decisive_moves);
  for (const char* text : {"greedy:3",
                           "greedy:0",
                           "mcts",
                           "mcts:0",
                           "alpha",
                           "mcts:4/5",
                           "mcts:4/0",
                           "mcts:4/x",
                           "random/2",
                           "greedy/2",
                           "mcts:0s",
                           "mcts:-5ms",
                           "mcts:61s",
                           "mcts:5xs",
                           "greedy:5ms",
                           "mcts-cheat",
                           "mcts-cheat:0",
                           "mcts-cheat:5:2",
                           "objective-mcts:50:-1",
                           "objective-mcts:50:4:x",
                           "objective-mcts:50:decisive",
                           "mcts:50:decisive"}) {
    EXPECT_EQ(parse_player_spec(text).status().code(),
              absl::StatusCode::kInvalidArgument)
        << text;
  }
}

TEST(Players, GreedyWithALookaheadOfTwoBlocksAThreatOneFromTheEnd) {
  // X: 0 _ _     X to move; O wins with 5 unless X takes it. Without
  //    O O _     objectives every non-winning move of a one-ply player is
  //    _ X _     worth 0; two plies see O's win after any move but 5.
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  absl::StatusOr<Model> empty = Model::create(*game, {});
  ASSERT_TRUE(empty.ok());
  TicTacToeState state;
  for (Action action : {0, 3, 7, 4}) state.apply_action(action);
  std::vector<Action> legal;
  state.legal_actions(legal);
  const GreedyObjectivePolicy one_ply(*empty), two_ply(*empty, 2);
  EXPECT_EQ(two_ply.name(), "greedy:2");
  std::set<Action> one_ply_choices;
  for (int i = 0; i < 40; ++i) {
    Rng rng(seed_for(1, i));
    EXPECT_EQ(two_ply.choose_action(state, legal, rng), 5);
    Rng same(seed_for(1, i));
    one_ply_choices.insert(one_ply.choose_action(state, legal, same));
  }
  EXPECT_GT(one_ply_choices.size(), 1u);
}

TEST(Evaluation, AMatchIsTheSameForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  absl::StatusOr<std::unique_ptr<Policy>> mcts =
      make_player({.kind = PlayerSpec::Kind::kMcts, .iterations = 10});
  ASSERT_TRUE(mcts.ok());
  const RandomPolicy random;
  std::vector<MatchResult> results;
  for (int threads : {1, 2, 3}) {
    absl::StatusOr<MatchResult> match = play_match(
        *game, **mcts, random, {.games = 60, .seed = 2, .threads = threads});
    ASSERT_TRUE(match.ok()) << match.status();
    results.push_back(*match);
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_EQ(results[0], results[2]);
  EXPECT_EQ(results[0].decided(), 60u);
}

EvolutionOptions small_evolution(int threads) {
  EvolutionOptions options;
  options.mu = 2;
  options.lambda = 4;
  options.generations = 2;
  options.games_per_candidate = 24;
  options.seed = 8;
  options.threads = threads;
  return options;
}

TEST(Evolution, TheSameSeedEvolvesTheSameWeightsOnAnyThreadCount) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  const std::vector<std::string> ids = feature_ids(*game, 3);
  absl::StatusOr<Model> model = Model::create(
      *game,
      {objective(ids[0], 1), objective(ids[1], -1), objective(ids[2], 0.5)});
  ASSERT_TRUE(model.ok()) << model.status();
  std::vector<EvolutionResult> results;
  for (int threads : {1, 2, 2}) {
    absl::StatusOr<EvolutionResult> evolved =
        evolve_weights(*game, *model, small_evolution(threads));
    ASSERT_TRUE(evolved.ok()) << evolved.status();
    results.push_back(*std::move(evolved));
  }
  for (const EvolutionResult& result : results) {
    EXPECT_EQ(result.weights, results[0].weights);
    EXPECT_EQ(result.fitness, results[0].fitness);
    EXPECT_EQ(result.record, results[0].record);
  }
  const EvolutionRecord& record = results[0].record;
  ASSERT_EQ(record.best_fitness.size(), 3u);  // the start and 2 generations
  // (mu + lambda) keeps the best: the best fitness never falls.
  EXPECT_LE(record.best_fitness[0], record.best_fitness[1]);
  EXPECT_LE(record.best_fitness[1], record.best_fitness[2]);
  EXPECT_EQ(results[0].fitness, record.best_fitness.back());
  for (double weight : results[0].weights) EXPECT_LE(std::abs(weight), 20);

  EvolutionOptions reseeded = small_evolution(1);
  reseeded.seed = 9;
  absl::StatusOr<EvolutionResult> other =
      evolve_weights(*game, *model, reseeded);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->weights, results[0].weights);
}

TEST(Evolution, RejectsAPlayerWithoutObjectivesAndAnEmptyModel) {
  const std::unique_ptr<Game> game = make_tic_tac_toe_game();
  absl::StatusOr<Model> empty = Model::create(*game, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_THAT(
      evolve_weights(*game, *empty, small_evolution(1)).status().message(),
      HasSubstr("no objectives"));
  const std::vector<std::string> ids = feature_ids(*game, 1);
  absl::StatusOr<Model> model = Model::create(*game, {objective(ids[0], 1)});
  EvolutionOptions options = small_evolution(1);
  options.player = {.kind = PlayerSpec::Kind::kRandom};
  EXPECT_EQ(evolve_weights(*game, *model, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace selfplay
