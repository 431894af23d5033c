// `selfplay play`: a trained model's player against a baseline, seats
// alternated, with win/draw/loss rates, Wilson 95% intervals and Elo.
//
//   selfplay play --game connect-four --model model.json --vs random
//       --games 1000
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/common_flags.h"
#include "cli/player_flag.h"
#include "selfplay/evaluation.h"
#include "selfplay/model.h"
#include "selfplay/players.h"

// Shared with `simulate` (defined in simulate_command.cc).
ABSL_DECLARE_FLAG(int, threads);
ABSL_DECLARE_FLAG(std::uint64_t, seed);
ABSL_DECLARE_FLAG(int, max_actions);

ABSL_FLAG(std::string, model, "", "the model file written by selfplay train");
ABSL_FLAG(std::string, player, "greedy",
          "the model's player: greedy or objective-mcts:N[:D] (or a baseline "
          "such as mcts:N, to measure baselines against each other)");
ABSL_FLAG(std::string, vs, "random",
          "the opponent: random or mcts:N, or a model's player (greedy, "
          "objective-mcts:N[:D]) driven by --vs-model");
ABSL_FLAG(std::string, vs_model, "",
          "the model of the opponent's player (default: --model), to play two "
          "models against each other");
// Typed as --games (see kPlayCommand.renamed_flags).
ABSL_FLAG(std::uint64_t, play_games, 1000,
          "games, seats alternated in blocks that share a seed (1..10^9)");

namespace selfplay::cli {
namespace {

absl::StatusOr<MatchOptions> options_from_flags(const Game& game) {
  MatchOptions options;
  absl::StatusOr<int> players = selected_players(game);
  if (!players.ok()) return players.status();
  options.players = *players;
  options.games = absl::GetFlag(FLAGS_play_games);
  if (options.games < 1 || options.games > 1'000'000'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--games must be 1..10^9, not ", options.games));
  }
  options.threads = absl::GetFlag(FLAGS_threads);
  if (options.threads < 0 || options.threads > 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--threads must be 0 (all cores) to 4096, not ", options.threads));
  }
  options.max_actions = absl::GetFlag(FLAGS_max_actions);
  if (options.max_actions < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max-actions must be at least 1, not ", options.max_actions));
  }
  options.seed = absl::GetFlag(FLAGS_seed);
  return options;
}

void print_rate(const char* label, std::uint64_t count, const Interval& rate) {
  std::printf("  %-6s %8llu  %5.1f%%  [%5.1f%%, %5.1f%%]\n", label,
              static_cast<unsigned long long>(count), 100 * rate.value,
              100 * rate.low, 100 * rate.high);
}

void print_match(const Game& game, const MatchResult& match) {
  std::printf("%s: %s vs %s, %llu games, seats alternated\n",
              game.name().c_str(), match.player.c_str(), match.opponent.c_str(),
              static_cast<unsigned long long>(match.games));
  std::printf("  %-6s %8s  %6s  %s\n", "", "games", "rate",
              "Wilson 95% interval");
  print_rate("won", match.wins, match.win_rate());
  print_rate("drew", match.draws, match.draw_rate());
  print_rate("lost", match.losses, match.loss_rate());
  const Interval score = match.score();
  const Interval elo = match.elo();
  std::printf("  score %.3f [%.3f, %.3f], Elo %+.0f [%+.0f, %+.0f]\n",
              score.value, score.low, score.high, elo.value, elo.low, elo.high);
  if (match.truncated > 0) {
    std::printf("  %llu games truncated by --max-actions (counted as draws)\n",
                static_cast<unsigned long long>(match.truncated));
  }
  if (match.failed > 0) {
    std::printf("  %llu games failed (first: %s)\n",
                static_cast<unsigned long long>(match.failed),
                match.first_error.c_str());
  }
}

int run_play(const std::vector<std::string>&) {
  const Command& command = kPlayCommand;
  absl::StatusOr<const Game*> game = selected_game();
  if (!game.ok()) return usage_error(command, game.status());
  absl::StatusOr<MatchOptions> options = options_from_flags(**game);
  if (!options.ok()) return usage_error(command, options.status());
  absl::StatusOr<PlayerSpec> player =
      parse_player_flag("player", absl::GetFlag(FLAGS_player));
  if (!player.ok()) return usage_error(command, player.status());
  absl::StatusOr<PlayerSpec> opponent =
      parse_player_flag("vs", absl::GetFlag(FLAGS_vs));
  if (!opponent.ok()) return usage_error(command, opponent.status());
  const std::string path = absl::GetFlag(FLAGS_model);
  if (path.empty()) {
    return usage_error(
        command, absl::InvalidArgumentError("--model must name a model file"));
  }
  absl::StatusOr<Model> model = Model::load(path, **game);
  if (!model.ok()) return usage_error(command, model.status());
  const std::string vs_path = absl::GetFlag(FLAGS_vs_model);
  absl::StatusOr<Model> vs_model =
      vs_path.empty() ? model : Model::load(vs_path, **game);
  if (!vs_model.ok()) return usage_error(command, vs_model.status());
  absl::StatusOr<std::unique_ptr<Policy>> player_policy =
      make_player(*player, &*model);
  if (!player_policy.ok()) return usage_error(command, player_policy.status());
  absl::StatusOr<std::unique_ptr<Policy>> opponent_policy =
      make_player(*opponent, &*vs_model);
  if (!opponent_policy.ok()) {
    return usage_error(command, opponent_policy.status());
  }
  absl::StatusOr<MatchResult> match =
      play_match(**game, **player_policy, **opponent_policy, *options);
  if (!match.ok()) return usage_error(command, match.status());
  print_match(**game, *match);
  return match->failed > 0 ? kExitFailure : kExitOk;
}

}  // namespace

const Command kPlayCommand = {
    .name = "play",
    .summary =
        "play a trained model against a baseline: win/draw/loss with Wilson "
        "intervals and Elo",
    .flags = {"game", "game_lib", "players", "model", "player", "vs",
              "vs_model", "play_games", "threads", "seed", "max_actions",
              "search_threads"},
    .run = run_play,
    .renamed_flags = {{"games", "play_games"}},
};

}  // namespace selfplay::cli
