#include "selfplay/result_output.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "io/output_file.h"
#include "io/utf8.h"
#include "nlohmann/json.hpp"
#include "selfplay/statistics.h"

namespace selfplay {
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

// A win-rate difference in percentage points.
std::string points(double difference) {
  return std::isnan(difference) ? "-"
                                : absl::StrFormat("%+.1f", 100 * difference);
}

// Below the smallest normal double erfc underflows to 0; say so.
std::string p_text(double p) {
  return p < 1e-300 ? "<1e-300" : absl::StrFormat("%.3g", p);
}

std::string interval(double low, double high) {
  if (std::isnan(low)) return "-";
  return absl::StrCat("[", points(low), ", ", points(high), "]");
}

// "a, b, c and 4 more": at most `shown` ids.
std::string id_list(const std::vector<std::string>& ids, std::size_t shown) {
  std::string text;
  for (std::size_t i = 0; i < ids.size() && i < shown; ++i) {
    absl::StrAppend(&text, i == 0 ? "" : ", ", ids[i]);
  }
  if (ids.size() > shown) {
    absl::StrAppend(&text, " and ", ids.size() - shown, " more");
  }
  return text;
}

// Says which features never or always held: they cannot tell winners from
// losers in this run, whatever their phi of 0 suggests.
std::string constant_features(const std::vector<FeatureStatistics>& features) {
  std::vector<std::string> never, always;
  for (const FeatureStatistics& f : features) {
    if (!f.constant) continue;
    (f.true_won + f.true_lost == 0 ? never : always).push_back(f.info.id);
  }
  if (never.empty() && always.empty()) return "";
  const std::size_t constant = never.size() + always.size();
  std::string text = absl::StrFormat(
      "\n%d of %d features %s constant in this run and say nothing about "
      "winning:\n",
      constant, features.size(), constant == 1 ? "was" : "were");
  if (!never.empty()) {
    absl::StrAppend(&text, "  never true:  ", id_list(never, 12), "\n");
  }
  if (!always.empty()) {
    absl::StrAppend(&text, "  always true: ", id_list(always, 12), "\n");
  }
  return text;
}

// Stands for the game summaries in the document, where write_result_json
// streams them: a key at the top level, so that no string value (where a
// newline is escaped) can contain this text.
constexpr std::string_view kSummariesPlaceholder =
    "\n  \"game_summaries\": null";

// The result as JSON, the game summaries as kSummariesPlaceholder.
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
                        {"p_value", f.p_value},
                        {"p_value_decisions", f.p_value_decisions},
                        {"win_rate_difference", number(f.win_rate_difference)},
                        {"ci_low", number(f.ci_low)},
                        {"ci_high", number(f.ci_high)},
                        {"q_value", f.q_value},
                        {"games_true", f.games_true},
                        {"constant", f.constant}});
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
                       {"win_rate_not_taken", number(a.win_rate_not_taken)},
                       {"p_value", a.p_value},
                       {"p_value_decisions", a.p_value_decisions},
                       {"win_rate_difference", number(a.win_rate_difference)},
                       {"ci_low", number(a.ci_low)},
                       {"ci_high", number(a.ci_high)},
                       {"q_value", a.q_value},
                       {"games_taken", a.games_taken},
                       {"constant", a.constant}});
  }
  json["actions"] = std::move(actions);
  Json failures = Json::array();
  for (const GameFailure& failure : counts.failures) {
    failures.push_back({{"game_index", failure.game_index},
                        {"seed", failure.seed},
                        {"error", failure.error}});
  }
  json["failures"] = std::move(failures);
  if (!result.games.empty()) json["game_summaries"] = nullptr;
  json["timing"] = {{"wall_s", result.timing.wall_s},
                    {"games_per_s", result.timing.games_per_s},
                    {"threads", result.timing.threads},
                    {"batch_size", result.timing.batch_size},
                    {"cache_hit_rate", result.timing.cache_hit_rate()}};
  return json;
}

// The document with the game summaries streamed in place of the
// placeholder.
absl::Status write_document(const SimulationResult& result, OutputFile& out) {
  const std::string document = json_text(result_to_json(result), 2) + "\n";
  const std::size_t at = result.games.empty()
                             ? std::string::npos
                             : document.find(kSummariesPlaceholder);
  if (at == std::string::npos) return out.write(document);
  if (absl::Status status = out.write(document.substr(0, at)); !status.ok()) {
    return status;
  }
  std::string text = "\n  \"game_summaries\": [";
  for (std::size_t i = 0; i < result.games.size(); ++i) {
    const GameSummary& game = result.games[i];
    const Json summary = {{"game_index", game.game_index},
                          {"seed", game.seed},
                          {"status", game_status_name(game.status)},
                          {"actions", game.actions},
                          {"winners", game.winners}};
    // As nested in the document: indented by two levels.
    absl::StrAppend(
        &text, i == 0 ? "\n    " : ",\n    ",
        absl::StrReplaceAll(json_text(summary, 2), {{"\n", "\n    "}}));
    if (absl::Status status = out.write(text); !status.ok()) return status;
    text.clear();
  }
  return out.write(absl::StrCat(
      "\n  ]", document.substr(at + kSummariesPlaceholder.size())));
}

}  // namespace

absl::Status write_result_json(const SimulationResult& result,
                               const std::string& path) {
  absl::StatusOr<OutputFile> out = OutputFile::open(path);
  if (!out.ok()) return out.status();
  if (absl::Status status = write_document(result, *out); !status.ok()) {
    return status;
  }
  return out->commit();
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
  const std::vector<FeatureStatistics> all = feature_statistics(result);
  const std::vector<FeatureStatistics> best =
      select_top_features(all, 0.0, top);
  if (!best.empty()) {
    absl::StrAppendFormat(
        &text,
        "\ntop %d features by |phi|; differences in percentage points, with "
        "95%% intervals and tests that count games, not decisions:\n",
        best.size());
    absl::StrAppendFormat(&text, "  %-34s %8s %8s %9s %7s %16s %9s %9s %7s\n",
                          "feature", "phi", "win|true", "win|false", "diff",
                          "95% interval", "p-value", "q-value", "games");
    for (const FeatureStatistics& f : best) {
      absl::StrAppendFormat(
          &text, "  %-34s %+8.4f %8s %9s %7s %16s %9s %9s %6.1f%%\n", f.info.id,
          f.phi, percent(f.win_rate_true), percent(f.win_rate_false),
          points(f.win_rate_difference), interval(f.ci_low, f.ci_high),
          p_text(f.p_value), p_text(f.q_value),
          counts.completed > 0 ? 100.0 * f.games_true / counts.completed : 0.0);
    }
    absl::StrAppend(&text,
                    "  (games: share of completed games where it held at "
                    "least once)\n");
  }
  // Without a completed game every table is empty: nothing to single out.
  if (counts.completed > 0) absl::StrAppend(&text, constant_features(all));
  absl::StrAppend(&text,
                  "\naction kinds: taken, against available but not taken\n");
  absl::StrAppendFormat(&text, "  %-12s %12s %10s %14s %10s %7s %16s %9s\n",
                        "kind", "taken", "win|taken", "not taken", "win|not",
                        "diff", "95% interval", "p-value");
  for (const ActionStatistics& a : action_statistics(result)) {
    absl::StrAppendFormat(
        &text, "  %-12s %12.0f %10s %14.0f %10s %7s %16s %9s\n", a.kind,
        a.taken_won + a.taken_lost, percent(a.win_rate_taken),
        a.not_taken_won + a.not_taken_lost, percent(a.win_rate_not_taken),
        points(a.win_rate_difference), interval(a.ci_low, a.ci_high),
        p_text(a.p_value));
  }
  if (!counts.failures.empty()) {
    absl::StrAppendFormat(&text, "\nfailures (first %d by game index):\n",
                          counts.failures.size());
    for (const GameFailure& failure : counts.failures) {
      absl::StrAppendFormat(&text, "  game %u (seed %u): %s\n",
                            failure.game_index, failure.seed, failure.error);
    }
  }
  return valid_utf8(text);
}

absl::Status check_result_files(const ResultFiles& files) {
  for (const std::string& path : {files.json, files.report}) {
    if (path.empty()) continue;
    if (absl::Status status = check_writable(path); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status write_result_files(const SimulationResult& result,
                                const ResultFiles& files) {
  if (!files.json.empty()) {
    if (absl::Status status = write_result_json(result, files.json);
        !status.ok()) {
      return status;
    }
  }
  if (!files.report.empty()) {
    return write_file_atomically(files.report,
                                 result_to_html(result, files.top));
  }
  return absl::OkStatus();
}

}  // namespace selfplay
