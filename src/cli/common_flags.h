// Flags several subcommands share, and turning them into library objects.
#ifndef SELFPLAY_CLI_COMMON_FLAGS_H_
#define SELFPLAY_CLI_COMMON_FLAGS_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "selfplay/registry.h"

ABSL_DECLARE_FLAG(std::string, game);
ABSL_DECLARE_FLAG(int, players);
ABSL_DECLARE_FLAG(std::vector<std::string>, game_lib);

namespace selfplay::cli {

// The registry of every game the CLI can run: the bundled games and those of
// the --game-lib plugins, loaded on the first call and kept for the process.
// InvalidArgument naming the library when a plugin cannot be loaded.
[[nodiscard]] absl::StatusOr<const GameRegistry*> game_registry();

// The game named by --game; NotFound listing the known games, or
// game_registry()'s error.
[[nodiscard]] absl::StatusOr<const Game*> selected_game();

// --players resolved against the game (0: its default); InvalidArgument when
// outside the game's range.
[[nodiscard]] absl::StatusOr<int> selected_players(const Game& game);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_COMMON_FLAGS_H_
