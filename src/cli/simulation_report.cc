#include "cli/simulation_report.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "selfplay/statistics.h"

namespace selfplay::cli {
namespace {

using Json = nlohmann::ordered_json;

// JSON has no NaN: an undefined rate is null.
Json number(double value) { return std::isnan(value) ? Json() : Json(value); }

double mean_actions(const SimulationCounts& counts) {
  const std::uint64_t played = counts.games - counts.failed;
  return played == 0 ? 0.0 : static_cast<double>(counts.states) / played;
}

std::string percent(double rate) {
  return std::isnan(rate) ? "   -  " : absl::StrFormat("%5.1f%%", 100 * rate);
}

}  // namespace

Json result_to_json(const SimulationResult& result) {
  const SimulationCounts& counts = result.counts;
  Json json;
  json["schema_version"] = kJsonSchemaVersion;
  json["game"] = result.game;
  json["players"] = result.players;
  json["seed"] = result.seed;
  json["games"] = result.requested;
  json["completed"] = counts.completed;
  json["truncated"] = counts.truncated;
  json["timed_out"] = counts.timed_out;
  json["failed"] = counts.failed;
  json["cancelled"] = result.cancelled;
  json["total_states"] = counts.states;
  json["mean_actions"] = mean_actions(counts);
  Json seats = Json::array();
  for (std::size_t seat = 0; seat < counts.seats.size(); ++seat) {
    seats.push_back({{"seat", seat},
                     {"wins", counts.seats[seat].wins},
                     {"losses", counts.seats[seat].losses},
                     {"draws", counts.seats[seat].draws}});
  }
  json["seat_results"] = std::move(seats);
  const LengthStatistics length = length_statistics(counts);
  json["length"] = {{"min", length.min},   {"max", length.max},
                    {"mean", length.mean}, {"p50", length.p50},
                    {"p90", length.p90},   {"p99", length.p99}};
  Json features = Json::array();
  for (const FeatureStatistics& f : feature_statistics(result)) {
    features.push_back({{"id", f.info.id},
                        {"description", f.info.description},
                        {"category", f.info.category},
                        {"true_won", f.true_won},
                        {"true_lost", f.true_lost},
                        {"false_won", f.false_won},
                        {"false_lost", f.false_lost},
                        {"win_rate_true", number(f.win_rate_true)},
                        {"win_rate_false", number(f.win_rate_false)},
                        {"phi", f.phi},
                        {"p_value", f.p_value}});
  }
  json["features"] = std::move(features);
  Json actions = Json::array();
  for (const ActionStatistics& a : action_statistics(result)) {
    actions.push_back({{"kind", a.kind},
                       {"taken_won", a.taken_won},
                       {"taken_lost", a.taken_lost},
                       {"not_taken_won", a.not_taken_won},
                       {"not_taken_lost", a.not_taken_lost},
                       {"win_rate_taken", number(a.win_rate_taken)},
                       {"win_rate_not_taken", number(a.win_rate_not_taken)}});
  }
  json["actions"] = std::move(actions);
  Json failures = Json::array();
  for (const GameFailure& failure : counts.failures) {
    failures.push_back({{"game_index", failure.game_index},
                        {"seed", failure.seed},
                        {"error", failure.error}});
  }
  json["failures"] = std::move(failures);
  if (!result.games.empty()) {
    Json games = Json::array();
    for (const GameSummary& game : result.games) {
      games.push_back({{"game_index", game.game_index},
                       {"seed", game.seed},
                       {"status", game_status_name(game.status)},
                       {"actions", game.actions},
                       {"winners", game.winners}});
    }
    json["game_summaries"] = std::move(games);
  }
  json["timing"] = {{"wall_s", result.timing.wall_s},
                    {"games_per_s", result.timing.games_per_s},
                    {"threads", result.timing.threads},
                    {"batch_size", result.timing.batch_size},
                    {"cache_hit_rate", result.timing.cache_hit_rate()}};
  return json;
}

std::string result_summary(const SimulationResult& result, int top) {
  const SimulationCounts& counts = result.counts;
  std::string text = absl::StrFormat(
      "%s, %d players: %u games (%u completed, %u truncated%s, %u failed, %u "
      "cancelled)\n",
      result.game, result.players, result.requested, counts.completed,
      counts.truncated,
      counts.timed_out > 0
          ? absl::StrFormat(" of which %u timed out", counts.timed_out)
          : "",
      counts.failed, result.cancelled);
  absl::StrAppendFormat(&text,
                        "%u decisions, %.1f actions per game; %.0f games/s "
                        "on %d threads (%.3f s)\n",
                        counts.states, mean_actions(counts),
                        result.timing.games_per_s, result.timing.threads,
                        result.timing.wall_s);
  for (std::size_t seat = 0; seat < counts.seats.size(); ++seat) {
    const SeatCounts& s = counts.seats[seat];
    absl::StrAppendFormat(&text, "  seat %d: %u wins, %u losses, %u draws\n",
                          seat, s.wins, s.losses, s.draws);
  }
  const LengthStatistics length = length_statistics(counts);
  absl::StrAppendFormat(&text,
                        "length of completed games: min %u, mean %.1f, p50 "
                        "%u, p90 %u, p99 %u, max %u\n",
                        length.min, length.mean, length.p50, length.p90,
                        length.p99, length.max);
  const std::vector<FeatureStatistics> best =
      select_top_features(feature_statistics(result), 0.0, top);
  if (!best.empty()) {
    absl::StrAppendFormat(&text, "\ntop %d features by |phi|:\n", best.size());
    absl::StrAppendFormat(&text, "  %-40s %8s %10s %8s %8s %12s\n", "feature",
                          "phi", "p-value", "win|true", "win|false",
                          "true share");
    for (const FeatureStatistics& f : best) {
      const double all = f.true_won + f.true_lost + f.false_won + f.false_lost;
      absl::StrAppendFormat(
          &text, "  %-40s %+8.4f %10.3g %8s %8s %11.1f%%\n", f.info.id, f.phi,
          f.p_value, percent(f.win_rate_true), percent(f.win_rate_false),
          all > 0 ? 100 * (f.true_won + f.true_lost) / all : 0.0);
    }
  }
  absl::StrAppend(&text, "\naction kinds:\n");
  absl::StrAppendFormat(&text, "  %-12s %12s %10s %14s %10s\n", "kind", "taken",
                        "win|taken", "not taken", "win|not");
  for (const ActionStatistics& a : action_statistics(result)) {
    absl::StrAppendFormat(&text, "  %-12s %12.0f %10s %14.0f %10s\n", a.kind,
                          a.taken_won + a.taken_lost, percent(a.win_rate_taken),
                          a.not_taken_won + a.not_taken_lost,
                          percent(a.win_rate_not_taken));
  }
  if (!counts.failures.empty()) {
    absl::StrAppendFormat(&text, "\nfailures (first %d by game index):\n",
                          counts.failures.size());
    for (const GameFailure& failure : counts.failures) {
      absl::StrAppendFormat(&text, "  game %u (seed %u): %s\n",
                            failure.game_index, failure.seed, failure.error);
    }
  }
  return text;
}

}  // namespace selfplay::cli
