#include "cli/common_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "selfplay/plugin_loader.h"

ABSL_FLAG(std::string, game, "checkers", "game to play (see `selfplay games`)");
ABSL_FLAG(int, players, 0, "number of players; 0 = the game's default");
ABSL_FLAG(std::vector<std::string>, game_lib, {},
          "game plugins to load, comma-separated paths of shared libraries "
          "(see include/selfplay/plugin.h); their games join the bundled ones");

namespace selfplay::cli {

namespace {

absl::StatusOr<GameRegistry> registry_from_flags() {
  GameRegistry registry = GameRegistry::with_bundled_games();
  for (const std::string& path : absl::GetFlag(FLAGS_game_lib)) {
    if (path.empty()) continue;
    if (absl::Status status = load_game_plugin(path, registry); !status.ok()) {
      return status;
    }
  }
  return registry;
}

}  // namespace

absl::StatusOr<const GameRegistry*> game_registry() {
  static const absl::StatusOr<GameRegistry> registry = registry_from_flags();
  if (!registry.ok()) return registry.status();
  return &*registry;
}

absl::StatusOr<const Game*> selected_game() {
  absl::StatusOr<const GameRegistry*> registry = game_registry();
  if (!registry.ok()) return registry.status();
  return (*registry)->find(absl::GetFlag(FLAGS_game));
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
