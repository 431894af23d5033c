// `selfplay games`: the table of games.
#include <cstdio>

#include "absl/strings/str_format.h"
#include "cli/command.h"
#include "cli/common_flags.h"

namespace selfplay::cli {
namespace {

int run_games(const std::vector<std::string>&) {
  absl::StatusOr<const GameRegistry*> registry = game_registry();
  if (!registry.ok()) return usage_error(kGamesCommand, registry.status());
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

const Command kGamesCommand = {
    "games", "list the games that can be played", {"game_lib"}, run_games};

}  // namespace selfplay::cli
