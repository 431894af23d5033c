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

Json sprt_json(const SprtState& sprt) {
  return {{"elo0", sprt.options.elo0},
          {"elo1", sprt.options.elo1},
          {"alpha", sprt.options.alpha},
          {"beta", sprt.options.beta},
          {"block_games", sprt.block_games},
          {"blocks", sprt.blocks},
          {"counts", sprt.counts},
          {"llr", finite_number(sprt.llr)},
          {"lower", sprt.lower},
          {"upper", sprt.upper},
          {"decision", sprt_decision_name(sprt.decision)}};
}

Json match_and_sprt_json(const MatchResult& match) {
  Json json = match_result_json(match);
  json["sprt"] = match.sprt.has_value() ? sprt_json(*match.sprt) : Json();
  return json;
}

Json ladder_json(const LadderResult& ladder) {
  Json rungs = Json::array();
  for (const MatchResult& rung : ladder.rungs) {
    rungs.push_back(match_and_sprt_json(rung));
  }
  Json links = Json::array();
  for (const MatchResult& link : ladder.links) {
    links.push_back(match_and_sprt_json(link));
  }
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

}  // namespace selfplay
