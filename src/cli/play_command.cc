// `selfplay play`: a trained model's player against a baseline or a ladder of
// them, seats alternated, with win/draw/loss rates, Wilson 95% intervals and
// Elo, optionally stopped by a sequential test and written as JSON.
//
//   selfplay play --game connect-four --model model.json --vs random
//       --games 1000
//   selfplay play --game connect-four --model model.json
//       --player objective-mcts:5ms --ladder random,mcts:5ms,mcts:20ms
//       --sprt elo0=0,elo1=50 --json match.json
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/ladder_flag.h"
#include "io/output_file.h"
#include "selfplay/evaluation.h"
#include "selfplay/match_output.h"
#include "selfplay/model.h"
#include "selfplay/players.h"
#include "selfplay/sprt.h"
#include "selfplay/training.h"

namespace selfplay::cli {
namespace {

constexpr std::string_view kCommand = "play";

struct PlayFlags {
  GameFlags game;
  std::string model;
  std::string player = "greedy";
  std::string vs = "random";
  std::string vs_model;
  std::string ladder;
  std::string sprt;
  std::string json;
  std::uint64_t training_seed = 0;
  const CLI::Option* training_seed_flag = nullptr;  // given: its count
  MatchOptions match;
  int search_threads = 1;
};

// --ladder's rungs, or --vs alone.
absl::StatusOr<std::vector<OpponentSpec>> opponent_specs(
    const PlayFlags& flags, const PlayerSpec& player) {
  if (!flags.ladder.empty()) {
    return parse_ladder_flag(flags.ladder, player, flags.search_threads);
  }
  absl::StatusOr<PlayerSpec> vs = parse_player_flag(
      "vs", flags.vs, flags.search_threads, /*time_budgets=*/true);
  if (!vs.ok()) return vs.status();
  return std::vector<OpponentSpec>{{*vs, "", ""}};
}

// make_player with the model `file` names when the spec needs one; usage
// errors for a missing --model.
absl::StatusOr<std::unique_ptr<Policy>> make_policy(const PlayerSpec& spec,
                                                    const std::string& file,
                                                    ModelFiles& models) {
  if (!spec.needs_model()) return make_player(spec);
  if (file.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--model must name a model file (", spec.to_string(),
                     " plays by one)"));
  }
  absl::StatusOr<const Model*> model = models.get(file);
  if (!model.ok()) return model.status();
  return make_player(spec, *model);
}

int run_play(PlayFlags& flags) {
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return usage_error(kCommand, game.status());
  absl::StatusOr<int> players = selected_players(**game, flags.game.players);
  if (!players.ok()) return usage_error(kCommand, players.status());
  flags.match.players = *players;
  if (flags.training_seed_flag->count() > 0) {
    flags.match.seed = training_evaluation_seed(flags.training_seed);
  }
  if (!flags.sprt.empty()) {
    absl::StatusOr<SprtOptions> sprt = parse_sprt_options(flags.sprt);
    if (!sprt.ok()) {
      return usage_error(kCommand, absl::InvalidArgumentError(absl::StrCat(
                                       "--sprt ", sprt.status().message())));
    }
    flags.match.sprt = *sprt;
  }
  if (!flags.json.empty()) {
    if (absl::Status status = check_writable(flags.json); !status.ok()) {
      return usage_error(kCommand, status);
    }
  }
  absl::StatusOr<PlayerSpec> player =
      parse_player_flag("player", flags.player, flags.search_threads,
                        /*time_budgets=*/true);
  if (!player.ok()) return usage_error(kCommand, player.status());
  absl::StatusOr<std::vector<OpponentSpec>> opponents =
      opponent_specs(flags, *player);
  if (!opponents.ok()) return usage_error(kCommand, opponents.status());

  ModelFiles models(**game);
  absl::StatusOr<std::unique_ptr<Policy>> player_policy =
      make_policy(*player, flags.model, models);
  if (!player_policy.ok()) return usage_error(kCommand, player_policy.status());
  std::vector<std::unique_ptr<Policy>> opponent_policies;
  std::vector<LadderRung> rungs;
  bool reproducible = player->reproducible();
  for (const OpponentSpec& opponent : *opponents) {
    absl::StatusOr<std::unique_ptr<Policy>> policy =
        make_policy(opponent.spec,
                    !opponent.model_file.empty() ? opponent.model_file
                    : !flags.vs_model.empty()    ? flags.vs_model
                                                 : flags.model,
                    models);
    if (!policy.ok()) return usage_error(kCommand, policy.status());
    reproducible = reproducible && opponent.spec.reproducible();
    rungs.push_back({policy->get(), opponent.name});
    opponent_policies.push_back(*std::move(policy));
  }

  PlayReport report{.game = (*game)->name(),
                    .players = *players,
                    .seed = flags.match.seed,
                    .max_games = flags.match.games,
                    .max_actions = flags.match.max_actions,
                    .reproducible = reproducible};
  bool failed = false;
  if (flags.ladder.empty()) {
    absl::StatusOr<MatchResult> match =
        play_match(**game, **player_policy, *rungs[0].policy, flags.match);
    if (!match.ok()) return usage_error(kCommand, match.status());
    std::fputs(match_summary((*game)->name(), *match).c_str(), stdout);
    failed = match->failed > 0;
    report.match = *std::move(match);
  } else {
    absl::StatusOr<LadderResult> ladder =
        play_ladder(**game, **player_policy, rungs, flags.match);
    if (!ladder.ok()) return usage_error(kCommand, ladder.status());
    std::fputs(ladder_summary((*game)->name(), *ladder).c_str(), stdout);
    for (const std::vector<MatchResult>* matches :
         {&ladder->rungs, &ladder->links}) {
      for (const MatchResult& match : *matches) {
        failed = failed || match.failed > 0;
      }
    }
    report.ladder = *std::move(ladder);
  }
  if (!reproducible) {
    std::fputs(
        "note: time-budgeted MCTS players search as many iterations as fit in "
        "their time, which depends on this machine, its load and --threads: "
        "this result is not reproducible from the seed\n",
        stdout);
  }
  if (!flags.json.empty()) {
    if (absl::Status status = write_play_json(report, flags.json);
        !status.ok()) {
      return run_error(kCommand, status);
    }
  }
  return failed ? kExitFailure : kExitOk;
}

}  // namespace

CommandRun add_play_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "play",
      "play a trained model against a baseline or a ladder of them: "
      "win/draw/loss with Wilson intervals and Elo");
  auto flags = std::make_shared<PlayFlags>();
  flags->match.games = 1000;
  add_game_flags(*command, flags->game);
  command->add_option("--model", flags->model,
                      "the model file written by selfplay train (needed by "
                      "the players that use a model)");
  command
      ->add_option("--player", flags->player,
                   "the model's player: greedy, greedy:2, greedy:q (captures "
                   "played out before valuing), greedy:2:q or "
                   "objective-mcts:N[:D[:q[Q]][:decisive]][/T] (N iterations, "
                   "or a time per move such as 5ms; D = 0 scores leaves "
                   "without rollouts; q scores them once captures are played "
                   "out, at most 8 (Q) plies; decisive takes wins in one), or "
                   "a baseline such as mcts:N, to measure baselines against "
                   "each other")
      ->capture_default_str();
  CLI::Option* vs =
      command
          ->add_option("--vs", flags->vs,
                       "the opponent: random, mcts:N[/T] (N iterations, or a "
                       "time per move such as mcts:5ms for equal time), "
                       "mcts-cheat:N[/T] (MCTS that sees hidden cards), or a "
                       "model's player (greedy[:2][:q], "
                       "objective-mcts:N[:D[:q[Q]][:decisive]]) driven by "
                       "--vs-model")
          ->capture_default_str();
  command->add_option("--vs-model", flags->vs_model,
                      "the model of the opponent's player (default: --model), "
                      "to play two models against each other");
  command
      ->add_option("--ladder", flags->ladder,
                   "opponents, comma-separated, instead of --vs: e.g. "
                   "random,mcts:50,mcts:200,model:old.json (model:FILE: "
                   "--player on that model). Each rung also plays the next; "
                   "Elo ratings are fitted to all matches, the first rung = 0")
      ->excludes(vs);
  command->add_option("--sprt", flags->sprt,
                      "stop each match once a sequential probability ratio "
                      "test decides: elo0=A,elo1=B[,alpha=X][,beta=Y] "
                      "(defaults 0.05); --games is then the most played");
  command->add_option("--json", flags->json,
                      "also write the result as JSON to this file");
  command
      ->add_option("--games", flags->match.games,
                   "games, seats alternated in blocks that share a seed")
      ->check(within(limits::kMatchGames))
      ->capture_default_str();
  add_run_flags(*command, flags->match.seed, flags->match.max_actions,
                &flags->match.threads);
  flags->training_seed_flag =
      command
          ->add_option("--training-seed", flags->training_seed,
                       "play the evaluation games of `selfplay train --seed S` "
                       "(with its --evaluation-games as --games, its "
                       "--max-actions and --players) instead of --seed's")
          ->excludes("--seed");
  add_search_threads_flag(*command, flags->search_threads);
  return [flags] { return run_play(*flags); };
}

}  // namespace selfplay::cli
