#include "cli/player_flag.h"

#include "absl/strings/str_cat.h"

namespace selfplay::cli {

absl::StatusOr<PlayerSpec> parse_player_flag(const std::string& flag,
                                             const std::string& text) {
  absl::StatusOr<PlayerSpec> spec = parse_player_spec(text);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", spec.status().message()));
  }
  return spec;
}

}  // namespace selfplay::cli
