// Loads game plugins (selfplay/plugin.h) at run time into a registry, as the
// CLI's `--game-lib ./libnim.so` does; any program linking the library can.
//
//   GameRegistry registry = GameRegistry::with_bundled_games();
//   absl::Status loaded = load_game_plugin("./libnim.so", registry);
//   absl::StatusOr<const Game*> nim = registry.find("nim");
#ifndef SELFPLAY_PLUGIN_LOADER_H_
#define SELFPLAY_PLUGIN_LOADER_H_

#include <string>

#include "absl/status/status.h"
#include "selfplay/registry.h"

namespace selfplay {

// Opens the shared library at `path` (a file path; the library search path is
// not consulted), checks its plugin API version, runs its registration and
// adds the games it registers to `registry`. The library is never closed: its
// games' code must outlive every use of them.
//
// InvalidArgument, one line naming `path`, when the file does not exist or
// cannot be loaded, lacks an entry point, reports another API version,
// throws from its registration, registers no game, or registers a game that
// `registry.add` refuses (invalid structure, taken name). On such an error,
// games registered before the failing one may already be in `registry`.
// Not thread-safe (it modifies `registry`).
[[nodiscard]] absl::Status load_game_plugin(const std::string& path,
                                            GameRegistry& registry);

}  // namespace selfplay

#endif  // SELFPLAY_PLUGIN_LOADER_H_
