// octapawn_selfplay: the walkthrough of docs/api.md as one program.
//   octapawn_selfplay features            the candidate features of the game
//   octapawn_selfplay simulate [games]    random self-play, the top features
//   octapawn_selfplay train MODEL         train a model, write it to MODEL
//   octapawn_selfplay play MODEL [games]  the model's greedy player against
//                                         random, in this program's own loop
// MODEL may equally come from `selfplay train --game-lib liboctapawn.so`.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "octapawn.h"
#include "selfplay/features.h"
#include "selfplay/model.h"
#include "selfplay/objective_players.h"
#include "selfplay/policy.h"
#include "selfplay/random.h"
#include "selfplay/simulation.h"
#include "selfplay/statistics.h"
#include "selfplay/training.h"

namespace {

int fail(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", status.ToString().c_str());
  return 1;
}

int list_features(const selfplay::Game& game) {
  absl::StatusOr<selfplay::FeatureSet> features =
      selfplay::generate_candidate_features(game.structure());
  if (!features.ok()) return fail(features.status());
  for (const selfplay::FeatureInfo& info : features->infos()) {
    std::printf("%-32s %-12s %s\n", info.id.c_str(), info.category.c_str(),
                info.description.c_str());
  }
  return 0;
}

int simulate(const selfplay::Game& game, std::uint64_t games) {
  absl::StatusOr<selfplay::FeatureSet> features =
      selfplay::generate_candidate_features(game.structure());
  if (!features.ok()) return fail(features.status());
  selfplay::SimulationOptions options;
  options.games = games;
  options.seed = 1;
  absl::StatusOr<selfplay::SimulationResult> result =
      selfplay::run_simulations(game, *features, options);
  if (!result.ok()) return fail(result.status());
  std::printf("%llu games, seat 0 won %llu\n",
              static_cast<unsigned long long>(result->counts.games),
              static_cast<unsigned long long>(result->counts.seats[0].wins));
  for (const selfplay::FeatureStatistics& f : selfplay::select_top_features(
           selfplay::feature_statistics(*result), 0.01, 8)) {
    std::printf("%-32s phi %+.3f\n", f.info.id.c_str(), f.phi);
  }
  return 0;
}

int train(const selfplay::Game& game, const std::string& path) {
  selfplay::TrainingOptions options;
  options.iterations = 2;
  options.games_per_iteration = 2000;
  options.oracle = *selfplay::parse_player_spec("mcts:20");
  options.evaluation_games = 100;
  absl::StatusOr<selfplay::Model> model = selfplay::train(game, options);
  if (!model.ok()) return fail(model.status());
  // The library writes no files: saving is the program's.
  std::ofstream(path) << model->to_json();
  std::printf("%zu objectives written to %s\n", model->objectives().size(),
              path.c_str());
  return 0;
}

int play(const selfplay::Game& game, const std::string& path,
         std::uint64_t games) {
  absl::StatusOr<selfplay::Model> model = selfplay::Model::load(path, game);
  if (!model.ok()) return fail(model.status());
  const selfplay::GreedyObjectivePolicy greedy(*model);
  const selfplay::RandomPolicy random;
  std::uint64_t wins = 0;
  std::vector<selfplay::Action> legal;
  for (std::uint64_t i = 0; i < games; ++i) {
    // The model's player takes seat i % 2; any policy chooses the same way.
    const selfplay::Policy* seats[2] = {&greedy, &random};
    if (i % 2 == 1) std::swap(seats[0], seats[1]);
    selfplay::Rng rng(selfplay::seed_for(7, i));
    std::unique_ptr<selfplay::State> state = game.new_initial_state(i, 2);
    while (!state->is_terminal()) {
      state->legal_actions(legal);
      state->apply_action(
          seats[state->current_player()]->choose_action(*state, legal, rng));
    }
    wins += state->winners() == std::vector<int>{static_cast<int>(i % 2)};
  }
  std::printf("%s won %llu of %llu games against random\n",
              greedy.name().c_str(), static_cast<unsigned long long>(wins),
              static_cast<unsigned long long>(games));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::unique_ptr<selfplay::Game> game = octapawn::make_octapawn_game();
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::uint64_t games = 1000;
  const bool games_ok =
      args.size() < 2 || absl::SimpleAtoi(args.back(), &games);
  if (args.size() == 1 && args[0] == "features") return list_features(*game);
  if (args.size() <= 2 && !args.empty() && args[0] == "simulate" && games_ok) {
    return simulate(*game, args.size() == 2 ? games : 20000);
  }
  if (args.size() == 2 && args[0] == "train") return train(*game, args[1]);
  if ((args.size() == 2 || args.size() == 3) && args[0] == "play" &&
      (args.size() == 2 || games_ok)) {
    return play(*game, args[1], games);
  }
  std::fprintf(stderr,
               "usage: octapawn_selfplay features | simulate [games] | train "
               "MODEL | play MODEL [games]\n");
  return 2;
}
