#include "selfplay/evaluation.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "selfplay/elo_ratings.h"
#include "tbb/info.h"
#include "training/match_games.h"

namespace selfplay {
namespace {

// Blocks per thread in one chunk of a sequentially tested match: enough to
// keep the threads busy, few enough that little is played past a decision.
constexpr std::uint64_t kSprtBlocksPerThread = 4;

// A game's points for the player in half points: a win 2, a draw 1.
int half_points(MatchOutcome outcome) {
  switch (outcome) {
    case MatchOutcome::kWin:
      return 2;
    case MatchOutcome::kDraw:
    case MatchOutcome::kTruncated:
      return 1;
    case MatchOutcome::kLoss:
    case MatchOutcome::kFailed:
      return 0;
  }
  return 0;
}

// Adds the complete blocks of games [begin, end) to `sprt` in index order,
// skipping a block with a failed game (its score is unknown). Returns the
// end of the block that decided the test, or `end`.
std::uint64_t add_blocks(const std::vector<MatchGameResult>& games,
                         std::uint64_t begin, std::uint64_t end,
                         SprtState& sprt) {
  const auto block = static_cast<std::uint64_t>(sprt.block_games);
  for (std::uint64_t first = begin; first + block <= end; first += block) {
    int points = 0;
    bool failed = false;
    for (std::uint64_t i = first; i < first + block; ++i) {
      failed = failed || games[i].outcome == MatchOutcome::kFailed;
      points += half_points(games[i].outcome);
    }
    if (failed) continue;
    sprt.add_block(points);
    if (sprt.decision != SprtDecision::kContinue) return first + block;
  }
  return end;
}

}  // namespace

absl::StatusOr<MatchResult> play_match(const Game& game, const Policy& player,
                                       const Policy& opponent,
                                       const MatchOptions& options) {
  absl::StatusOr<int> players = check_match_options(game, options);
  if (!players.ok()) return players.status();
  std::optional<SprtState> sprt;
  if (options.sprt.has_value()) {
    if (absl::Status valid = validate_sprt_options(*options.sprt);
        !valid.ok()) {
      return valid;
    }
    sprt.emplace(*options.sprt, *players);
  }
  // Without a test, one chunk of every game; with one, whole blocks.
  const int threads =
      options.threads == 0 ? tbb::info::default_concurrency() : options.threads;
  const std::uint64_t chunk =
      sprt.has_value() ? kSprtBlocksPerThread *
                             static_cast<std::uint64_t>(threads * *players)
                       : options.games;
  std::vector<MatchGameResult> games;
  std::uint64_t counted = 0;  // the games of the result: [0, counted)
  while (counted < options.games &&
         (!sprt.has_value() || sprt->decision == SprtDecision::kContinue)) {
    const std::uint64_t end = std::min(options.games, counted + chunk);
    MatchGames played = play_match_games(game, player, opponent, options,
                                         *players, {{counted, end}});
    if (played.played < end - counted) {
      return absl::CancelledError(absl::StrCat("match interrupted after ",
                                               counted + played.played, " of ",
                                               options.games, " games"));
    }
    games.insert(games.end(), std::make_move_iterator(played.results.begin()),
                 std::make_move_iterator(played.results.end()));
    counted = sprt.has_value() ? add_blocks(games, counted, end, *sprt) : end;
  }
  MatchResult result;
  result.player = player.name();
  result.opponent = opponent.name();
  for (std::uint64_t i = 0; i < counted; ++i) add_match_game(games[i], result);
  result.sprt = std::move(sprt);
  return result;
}

absl::StatusOr<LadderResult> play_ladder(const Game& game, const Policy& player,
                                         const std::vector<LadderRung>& rungs,
                                         const MatchOptions& options) {
  if (rungs.empty()) {
    return absl::InvalidArgumentError("a ladder needs at least one rung");
  }
  LadderResult ladder;
  // Players of the fit: 0 the player, 1 + k rung k.
  std::vector<PairScore> scores;
  const auto add_score = [&](int first, int second, const MatchResult& match) {
    scores.push_back({.first = first,
                      .second = second,
                      .score = match.wins + 0.5 * match.draws,
                      .games = match.decided()});
  };
  const auto name = [&](std::size_t k) {
    return rungs[k].name.empty() ? rungs[k].policy->name() : rungs[k].name;
  };
  for (std::size_t k = 0; k < rungs.size(); ++k) {
    absl::StatusOr<MatchResult> match =
        play_match(game, player, *rungs[k].policy, options);
    if (!match.ok()) return match.status();
    match->opponent = name(k);
    add_score(0, static_cast<int>(1 + k), *match);
    ladder.rungs.push_back(*std::move(match));
  }
  for (std::size_t k = 0; k + 1 < rungs.size(); ++k) {
    absl::StatusOr<MatchResult> match =
        play_match(game, *rungs[k].policy, *rungs[k + 1].policy, options);
    if (!match.ok()) return match.status();
    match->player = name(k);
    match->opponent = name(k + 1);
    add_score(static_cast<int>(1 + k), static_cast<int>(2 + k), *match);
    ladder.links.push_back(*std::move(match));
  }
  absl::StatusOr<std::vector<Interval>> ratings =
      fit_elo_ratings(static_cast<int>(1 + rungs.size()), scores, /*anchor=*/1);
  if (ratings.ok()) {
    ladder.ratings = *std::move(ratings);
  } else {
    ladder.ratings_error = std::string(ratings.status().message());
  }
  return ladder;
}

}  // namespace selfplay
