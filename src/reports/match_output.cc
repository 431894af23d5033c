#include "selfplay/match_output.h"

#include "io/output_file.h"
#include "io/utf8.h"
#include "match_json.h"
#include "nlohmann/json.hpp"

namespace selfplay {

using Json = nlohmann::ordered_json;

std::string play_json(const PlayReport& report) {
  Json json = {{"format", "selfplay-play"},
               {"schema_version", kPlayJsonSchemaVersion},
               {"game", report.game},
               {"players", report.players},
               {"seed", report.seed},
               {"max_games", report.max_games},
               {"max_actions", report.max_actions},
               {"reproducible", report.reproducible}};
  json["match"] =
      report.match.has_value() ? match_and_sprt_json(*report.match) : Json();
  json["ladder"] =
      report.ladder.has_value() ? ladder_json(*report.ladder) : Json();
  // Error texts come from game code: json_text replaces bad UTF-8.
  return json_text(json, 2) + "\n";
}

absl::Status write_play_json(const PlayReport& report,
                             const std::string& path) {
  return write_file_atomically(path, play_json(report));
}

}  // namespace selfplay
