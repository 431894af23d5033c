// `selfplay play`: a trained model's player against a baseline, seats
// alternated, with win/draw/loss rates, Wilson 95% intervals and Elo.
//
//   selfplay play --game connect-four --model model.json --vs random
//       --games 1000
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "selfplay/evaluation.h"
#include "selfplay/model.h"
#include "selfplay/players.h"

namespace selfplay::cli {
namespace {

struct PlayFlags {
  GameFlags game;
  std::string model;
  std::string player = "greedy";
  std::string vs = "random";
  std::string vs_model;
  MatchOptions match;
  int search_threads = 1;
};

int run_play(PlayFlags& flags) {
  constexpr std::string_view kCommand = "play";
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return usage_error(kCommand, game.status());
  absl::StatusOr<int> players = selected_players(**game, flags.game.players);
  if (!players.ok()) return usage_error(kCommand, players.status());
  flags.match.players = *players;
  absl::StatusOr<PlayerSpec> player =
      parse_player_flag("player", flags.player, flags.search_threads);
  if (!player.ok()) return usage_error(kCommand, player.status());
  absl::StatusOr<PlayerSpec> opponent =
      parse_player_flag("vs", flags.vs, flags.search_threads);
  if (!opponent.ok()) return usage_error(kCommand, opponent.status());
  if (flags.model.empty()) {
    return usage_error(
        kCommand, absl::InvalidArgumentError("--model must name a model file"));
  }
  absl::StatusOr<Model> model = Model::load(flags.model, **game);
  if (!model.ok()) return usage_error(kCommand, model.status());
  absl::StatusOr<Model> vs_model =
      flags.vs_model.empty() ? model : Model::load(flags.vs_model, **game);
  if (!vs_model.ok()) return usage_error(kCommand, vs_model.status());
  absl::StatusOr<std::unique_ptr<Policy>> player_policy =
      make_player(*player, &*model);
  if (!player_policy.ok()) return usage_error(kCommand, player_policy.status());
  absl::StatusOr<std::unique_ptr<Policy>> opponent_policy =
      make_player(*opponent, &*vs_model);
  if (!opponent_policy.ok()) {
    return usage_error(kCommand, opponent_policy.status());
  }
  absl::StatusOr<MatchResult> match =
      play_match(**game, **player_policy, **opponent_policy, flags.match);
  if (!match.ok()) return usage_error(kCommand, match.status());
  std::fputs(match_summary((*game)->name(), *match).c_str(), stdout);
  return match->failed > 0 ? kExitFailure : kExitOk;
}

}  // namespace

CommandRun add_play_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "play",
      "play a trained model against a baseline: win/draw/loss with Wilson "
      "intervals and Elo");
  auto flags = std::make_shared<PlayFlags>();
  flags->match.games = 1000;
  add_game_flags(*command, flags->game);
  command->add_option("--model", flags->model,
                      "the model file written by selfplay train");
  command
      ->add_option("--player", flags->player,
                   "the model's player: greedy, greedy:2 or "
                   "objective-mcts:N[:D][/T] (or a baseline such as mcts:N, to "
                   "measure baselines against each other)")
      ->capture_default_str();
  command
      ->add_option("--vs", flags->vs,
                   "the opponent: random, mcts:N[/T], or a model's player "
                   "(greedy, greedy:2, objective-mcts:N[:D]) driven by "
                   "--vs-model")
      ->capture_default_str();
  command->add_option("--vs-model", flags->vs_model,
                      "the model of the opponent's player (default: --model), "
                      "to play two models against each other");
  command
      ->add_option("--games", flags->match.games,
                   "games, seats alternated in blocks that share a seed")
      ->check(within(limits::kMatchGames))
      ->capture_default_str();
  add_run_flags(*command, flags->match.seed, flags->match.max_actions,
                &flags->match.threads);
  add_search_threads_flag(*command, flags->search_threads);
  return [flags] { return run_play(*flags); };
}

}  // namespace selfplay::cli
