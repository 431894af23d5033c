#include "selfplay/match_output.h"

#include "io/output_file.h"
#include "io/utf8.h"
#include "match_json.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using Json = nlohmann::ordered_json;

Json match_json(const MatchResult& match) {
  Json json = match_result_json(match);
  json["sprt"] = match.sprt.has_value() ? sprt_json(*match.sprt) : Json();
  return json;
}

Json ladder_json(const LadderResult& ladder) {
  Json rungs = Json::array();
  for (const MatchResult& rung : ladder.rungs)
    rungs.push_back(match_json(rung));
  Json links = Json::array();
  for (const MatchResult& link : ladder.links)
    links.push_back(match_json(link));
  Json json = {{"rungs", std::move(rungs)}, {"links", std::move(links)}};
  if (ladder.ratings.empty()) {
    json["ratings"] = nullptr;
    json["ratings_error"] = ladder.ratings_error;
    return json;
  }
  Json ratings = Json::array();
  for (std::size_t i = 0; i < ladder.ratings.size(); ++i) {
    Json rating = {{"name", i == 0 ? ladder.rungs[0].player
                                   : ladder.rungs[i - 1].opponent}};
    rating.update(interval_json(ladder.ratings[i]));
    ratings.push_back(std::move(rating));
  }
  json["anchor"] = ladder.rungs.empty() ? "" : ladder.rungs[0].opponent;
  json["ratings"] = std::move(ratings);
  return json;
}

}  // namespace

std::string play_json(const PlayReport& report) {
  Json json = {{"format", "selfplay-play"},
               {"schema_version", kPlayJsonSchemaVersion},
               {"game", report.game},
               {"players", report.players},
               {"seed", report.seed},
               {"max_games", report.max_games},
               {"max_actions", report.max_actions},
               {"reproducible", report.reproducible}};
  json["match"] = report.match.has_value() ? match_json(*report.match) : Json();
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
