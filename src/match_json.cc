#include "match_json.h"

#include <cmath>

namespace selfplay {

using Json = nlohmann::ordered_json;

Json finite_number(double value) {
  return std::isfinite(value) ? Json(value) : Json(nullptr);
}

Json interval_json(const Interval& interval) {
  return {{"value", finite_number(interval.value)},
          {"low", finite_number(interval.low)},
          {"high", finite_number(interval.high)}};
}

Json match_result_json(const MatchResult& match) {
  Json json = {{"player", match.player},       {"opponent", match.opponent},
               {"games", match.games},         {"wins", match.wins},
               {"draws", match.draws},         {"losses", match.losses},
               {"truncated", match.truncated}, {"failed", match.failed}};
  if (match.failed > 0) json["first_error"] = match.first_error;
  json["win_rate"] = interval_json(match.win_rate());
  json["draw_rate"] = interval_json(match.draw_rate());
  json["loss_rate"] = interval_json(match.loss_rate());
  json["score"] = interval_json(match.score());
  json["elo"] = interval_json(match.elo());
  return json;
}

}  // namespace selfplay
