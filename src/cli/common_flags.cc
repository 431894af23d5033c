#include "cli/common_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, game, "checkers", "game to play (see `selfplay games`)");
ABSL_FLAG(int, players, 0, "number of players; 0 = the game's default");

namespace selfplay::cli {

const GameRegistry& game_registry() {
  static const GameRegistry registry = GameRegistry::with_bundled_games();
  return registry;
}

absl::StatusOr<const Game*> selected_game() {
  return game_registry().find(absl::GetFlag(FLAGS_game));
}

absl::StatusOr<int> selected_players(const Game& game) {
  const int players = absl::GetFlag(FLAGS_players);
  const GameStructure& structure = game.structure();
  if (players == 0) return structure.default_players;
  if (players < structure.min_players || players > structure.max_players) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--players ", players, " is outside ", game.name(), "'s range ",
        structure.min_players, "..", structure.max_players));
  }
  return players;
}

}  // namespace selfplay::cli
