// Player flags (--oracle, --vs, ...) read with the library's player specs.
#ifndef SELFPLAY_CLI_PLAYER_FLAG_H_
#define SELFPLAY_CLI_PLAYER_FLAG_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "selfplay/players.h"

ABSL_DECLARE_FLAG(int, search_threads);

namespace selfplay::cli {

// parse_player_spec(text), its error prefixed with the flag ("--vs: ..."),
// with --search-threads applied to an MCTS kind that gives no "/T".
[[nodiscard]] absl::StatusOr<PlayerSpec> parse_player_flag(
    const std::string& flag, const std::string& text);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_PLAYER_FLAG_H_
