// The text summaries of a training's model and of a match.
#include "absl/strings/str_format.h"
#include "selfplay/evaluation.h"
#include "selfplay/training.h"

namespace selfplay {
namespace {

void append_rate(std::string& text, const char* label, std::uint64_t count,
                 const Interval& rate) {
  absl::StrAppendFormat(&text, "  %-6s %8llu  %5.1f%%  [%5.1f%%, %5.1f%%]\n",
                        label, static_cast<unsigned long long>(count),
                        100 * rate.value, 100 * rate.low, 100 * rate.high);
}

}  // namespace

std::string match_summary(const std::string& game, const MatchResult& match) {
  std::string text;
  absl::StrAppendFormat(&text, "%s: %s vs %s, %llu games, seats alternated\n",
                        game, match.player, match.opponent,
                        static_cast<unsigned long long>(match.games));
  absl::StrAppendFormat(&text, "  %-6s %8s  %6s  %s\n", "", "games", "rate",
                        "Wilson 95% interval");
  append_rate(text, "won", match.wins, match.win_rate());
  append_rate(text, "drew", match.draws, match.draw_rate());
  append_rate(text, "lost", match.losses, match.loss_rate());
  const Interval score = match.score();
  const Interval elo = match.elo();
  absl::StrAppendFormat(
      &text, "  score %.3f [%.3f, %.3f], Elo %+.0f [%+.0f, %+.0f]\n",
      score.value, score.low, score.high, elo.value, elo.low, elo.high);
  if (match.truncated > 0) {
    absl::StrAppendFormat(
        &text, "  %llu games truncated by --max-actions (counted as draws)\n",
        static_cast<unsigned long long>(match.truncated));
  }
  if (match.failed > 0) {
    absl::StrAppendFormat(&text, "  %llu games failed (first: %s)\n",
                          static_cast<unsigned long long>(match.failed),
                          match.first_error);
  }
  if (match.sprt.has_value()) {
    const SprtState& sprt = *match.sprt;
    absl::StrAppendFormat(
        &text, "  SPRT %s: LLR %.3f in [%.3f, %.3f] after %llu blocks: %s\n",
        sprt_options_text(sprt.options), sprt.llr, sprt.lower, sprt.upper,
        static_cast<unsigned long long>(sprt.blocks),
        sprt.decision == SprtDecision::kAcceptH1
            ? absl::StrFormat("H1 accepted (Elo >= %g)", sprt.options.elo1)
        : sprt.decision == SprtDecision::kAcceptH0
            ? absl::StrFormat("H0 accepted (Elo <= %g)", sprt.options.elo0)
            : std::string("no decision within the games"));
  }
  return text;
}

std::string ladder_summary(const std::string& game,
                           const LadderResult& ladder) {
  std::string text;
  const auto line = [&](const MatchResult& match) {
    const Interval score = match.score();
    const Interval elo = match.elo();
    absl::StrAppendFormat(
        &text,
        "  %s vs %s: %llu games, won %llu drew %llu lost %llu, score %.3f "
        "[%.3f, %.3f], Elo %+.0f [%+.0f, %+.0f]%s\n",
        match.player, match.opponent,
        static_cast<unsigned long long>(match.games),
        static_cast<unsigned long long>(match.wins),
        static_cast<unsigned long long>(match.draws),
        static_cast<unsigned long long>(match.losses), score.value, score.low,
        score.high, elo.value, elo.low, elo.high,
        match.sprt.has_value()
            ? absl::StrFormat(", SPRT LLR %.3f: %s", match.sprt->llr,
                              sprt_decision_name(match.sprt->decision))
            : std::string());
  };
  absl::StrAppendFormat(&text, "%s ladder: the player against each rung\n",
                        game);
  for (const MatchResult& rung : ladder.rungs) line(rung);
  if (!ladder.links.empty()) {
    absl::StrAppend(&text, "each rung against the next\n");
    for (const MatchResult& link : ladder.links) line(link);
  }
  if (ladder.ratings.empty()) {
    absl::StrAppendFormat(&text, "Elo ratings: none (%s)\n",
                          ladder.ratings_error);
    return text;
  }
  absl::StrAppendFormat(
      &text,
      "Elo ratings, maximum likelihood over all %zu matches, %s = 0 "
      "(95%% intervals relative to it):\n",
      ladder.rungs.size() + ladder.links.size(), ladder.rungs[0].opponent);
  for (std::size_t i = 0; i < ladder.ratings.size(); ++i) {
    const Interval& rating = ladder.ratings[i];
    absl::StrAppendFormat(
        &text, "  %-24s %+6.0f [%+.0f, %+.0f]%s\n",
        i == 0 ? ladder.rungs[0].player : ladder.rungs[i - 1].opponent,
        rating.value, rating.low, rating.high, i == 0 ? "  (the player)" : "");
  }
  return text;
}

std::string training_summary(const Model& model) {
  std::string text;
  absl::StrAppendFormat(
      &text,
      "\n%s: %zu objectives, %zu action preferences, from %llu games "
      "(%llu decisions) with %s, %s weights\n",
      model.game(), model.objectives().size(), model.preferences().size(),
      static_cast<unsigned long long>(model.training.games),
      static_cast<unsigned long long>(model.training.states),
      model.training.oracle, model.training.weights);
  for (const Objective& objective : model.objectives()) {
    absl::StrAppendFormat(&text, "  %+7.2f  phi %+.3f  %s: %s\n",
                          objective.weight, objective.correlation,
                          objective.feature, objective.description);
  }
  for (const ActionPreference& preference : model.preferences()) {
    absl::StrAppendFormat(
        &text, "  %+7.2f  action kind %s (won %.3f taken, %.3f not)\n",
        preference.weight, preference.action_kind, preference.win_rate_taken,
        preference.win_rate_not_taken);
  }
  const auto line = [&](const EvaluationRecord& record) {
    const MatchResult& match = record.match;
    const Interval wins = match.win_rate();
    const Interval elo = match.elo();
    absl::StrAppendFormat(
        &text,
        "%s %s vs %s: won %.1f%% [%.1f, %.1f] of %llu, Elo %+.0f "
        "[%+.0f, %+.0f]",
        record.stage, match.player, match.opponent, 100 * wins.value,
        100 * wins.low, 100 * wins.high,
        static_cast<unsigned long long>(match.games), elo.value, elo.low,
        elo.high);
    if (match.sprt) {
      const Interval score = match.score();
      absl::StrAppendFormat(
          &text, ", score %.3f [%.3f, %.3f], SPRT %s: %s (LLR %.3f)",
          score.value, score.low, score.high,
          sprt_options_text(match.sprt->options),
          match.sprt->decision == SprtDecision::kAcceptH1 ? "H1, better"
          : match.sprt->decision == SprtDecision::kAcceptH0
              ? "H0, not better"
              : "undecided at the game cap",
          match.sprt->llr);
    }
    absl::StrAppend(&text, "\n");
  };
  for (const EvaluationRecord& record : model.evaluations) {
    // The final evaluations, and every iteration's comparison with the
    // previous one.
    if (record.iteration == model.training.iterations ||
        record.stage == "evolution" || record.stage == "previous-iteration") {
      line(record);
    }
  }
  for (const EvaluationRecord& record : model.run.equal_time) line(record);
  if (model.run.ladder) {
    absl::StrAppend(&text, ladder_summary(model.game(), *model.run.ladder));
  }
  absl::StrAppendFormat(&text, "self-play %.1f games/s (%d threads)",
                        model.run.self_play_games_per_s, model.run.threads);
  return text;
}

}  // namespace selfplay
