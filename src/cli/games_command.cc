// `selfplay games`: the table of games.
#include <cstdio>

#include "absl/strings/str_format.h"
#include "cli/command.h"

namespace selfplay::cli {
namespace {

int run_games(const GameFlags& flags) {
  absl::StatusOr<const GameRegistry*> registry = game_registry(flags);
  if (!registry.ok()) return usage_error("games", registry.status());
  std::printf("%-14s %-11s %-9s %s\n", "game", "type", "players",
              "description");
  for (const Game* game : (*registry)->games()) {
    const GameStructure& s = game->structure();
    const std::string players =
        s.min_players == s.max_players
            ? absl::StrFormat("%d", s.min_players)
            : absl::StrFormat("%d-%d (%d)", s.min_players, s.max_players,
                              s.default_players);
    std::printf("%-14s %-11s %-9s %s\n", s.name.c_str(), game_type_name(s.type),
                players.c_str(), s.description.c_str());
  }
  return kExitOk;
}

}  // namespace

CommandRun add_games_command(CLI::App& app) {
  CLI::App* command =
      app.add_subcommand("games", "list the games that can be played");
  auto flags = std::make_shared<GameFlags>();
  command
      ->add_option("--game-lib", flags->libraries,
                   "game plugins to load (comma-separated or repeated)")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  return [flags] { return run_games(*flags); };
}

}  // namespace selfplay::cli
