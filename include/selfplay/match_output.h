// `selfplay play`'s result for programs: one JSON document ("format":
// "selfplay-play", schema_version kPlayJsonSchemaVersion; README.md, "play
// --json", documents it) with the settings, and either the match or the
// ladder: players, games, wins, draws and losses, rates with Wilson 95%
// intervals, score, Elo with its interval, truncated and failed games, the
// sequential test's state and decision, and a ladder's rungs, links and
// fitted ratings.
//
//   PlayReport report{.game = "connect-four", .players = 2, .seed = 1,
//                     .max_games = 1000, .max_actions = 2000};
//   report.match = *play_match(game, player, opponent, options);
//   absl::Status written = write_play_json(report, "match.json");
#ifndef SELFPLAY_MATCH_OUTPUT_H_
#define SELFPLAY_MATCH_OUTPUT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "selfplay/evaluation.h"
#include "selfplay/match_result.h"

namespace selfplay {

inline constexpr int kPlayJsonSchemaVersion = 1;

struct PlayReport {
  std::string game;
  int players = 0;
  std::uint64_t seed = 0;       // MatchOptions::seed
  std::uint64_t max_games = 0;  // MatchOptions::games: fewer with an SPRT
  int max_actions = 0;
  // False when a player has a time budget: the games then depend on the
  // machine and its load, not on the seed alone.
  bool reproducible = true;
  // One of the two.
  std::optional<MatchResult> match = std::nullopt;
  std::optional<LadderResult> ladder = std::nullopt;
};

// The document, indented, with a final newline.
std::string play_json(const PlayReport& report);

// play_json written to `path` atomically (see output_file.h); its errors
// name the path.
[[nodiscard]] absl::Status write_play_json(const PlayReport& report,
                                           const std::string& path);

}  // namespace selfplay

#endif  // SELFPLAY_MATCH_OUTPUT_H_
