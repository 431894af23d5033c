#include "cli/player_flag.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(int, search_threads, 1,
          "root-parallel MCTS: each MCTS player's iterations are shared by "
          "this many trees, searched as nested tasks in the same thread pool "
          "(the same as writing mcts:N/T); the result depends on T, never on "
          "--threads");

namespace selfplay::cli {

absl::StatusOr<PlayerSpec> parse_player_flag(const std::string& flag,
                                             const std::string& text) {
  absl::StatusOr<PlayerSpec> spec = parse_player_spec(text);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", spec.status().message()));
  }
  const int trees = absl::GetFlag(FLAGS_search_threads);
  if (spec->is_mcts() && text.find('/') == std::string::npos && trees != 1) {
    if (trees < 1 || trees > spec->iterations) {
      return absl::InvalidArgumentError(
          absl::StrCat("--search-threads must be 1..", spec->iterations,
                       " for --", flag, " ", text, ", not ", trees));
    }
    spec->search_threads = trees;
  }
  return spec;
}

}  // namespace selfplay::cli
