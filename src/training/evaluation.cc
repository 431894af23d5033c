#include "selfplay/evaluation.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "training/match_games.h"

namespace selfplay {

absl::StatusOr<MatchResult> play_match(const Game& game, const Policy& player,
                                       const Policy& opponent,
                                       const MatchOptions& options) {
  absl::StatusOr<int> players = check_match_options(game, options);
  if (!players.ok()) return players.status();
  const MatchGames games = play_match_games(game, player, opponent, options,
                                            *players, {{0, options.games}});
  if (games.played < options.games) {
    return absl::CancelledError(absl::StrCat("match interrupted after ",
                                             games.played, " of ",
                                             options.games, " games"));
  }
  MatchResult result;
  result.player = player.name();
  result.opponent = opponent.name();
  for (const MatchGameResult& played : games.results) {
    add_match_game(played, result);
  }
  return result;
}

}  // namespace selfplay
