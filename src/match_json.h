// A match's or a ladder's outcome as JSON, the one spelling that a model's
// records (model.cc) and `selfplay play --json` (match_output.cc) share.
#ifndef SELFPLAY_MATCH_JSON_H_
#define SELFPLAY_MATCH_JSON_H_

#include "nlohmann/json.hpp"
#include "selfplay/match_result.h"

namespace selfplay {

// JSON has no infinity or NaN: they are written as null (Elo at a score of 0
// or 1, a win rate of an empty row).
nlohmann::ordered_json finite_number(double value);

// {"value", "low", "high"}.
nlohmann::ordered_json interval_json(const Interval& interval);

// player, opponent, games, wins, draws, losses, truncated, failed,
// first_error (only when some failed), then win_rate, draw_rate, loss_rate,
// score and elo as intervals. The SPRT state is not included.
nlohmann::ordered_json match_result_json(const MatchResult& match);

// A sequential test's options and state: elo0, elo1, alpha, beta,
// block_games, blocks, counts, llr, lower, upper, decision
// (sprt_decision_name).
nlohmann::ordered_json sprt_json(const SprtState& sprt);

// match_result_json and "sprt": sprt_json, or null without a test.
nlohmann::ordered_json match_and_sprt_json(const MatchResult& match);

// "rungs" and "links" (match_and_sprt_json each), then "anchor" (rung 0's
// name) and "ratings", [{name, value, low, high}] with the player first; or
// "ratings" null and "ratings_error".
nlohmann::ordered_json ladder_json(const LadderResult& ladder);

}  // namespace selfplay

#endif  // SELFPLAY_MATCH_JSON_H_
