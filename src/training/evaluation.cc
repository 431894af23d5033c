#include "selfplay/evaluation.h"

#include <atomic>
#include <vector>

#include "absl/strings/str_cat.h"
#include "selfplay/limits.h"
#include "tbb/blocked_range.h"
#include "tbb/info.h"
#include "tbb/parallel_for.h"
#include "tbb/task_arena.h"
#include "training/match_games.h"

namespace selfplay {

absl::StatusOr<MatchResult> play_match(const Game& game, const Policy& player,
                                       const Policy& opponent,
                                       const MatchOptions& options) {
  const GameStructure& structure = game.structure();
  const int players =
      options.players == 0 ? structure.default_players : options.players;
  if (players < structure.min_players || players > structure.max_players) {
    return absl::InvalidArgumentError(
        absl::StrCat(game.name(), " takes ", structure.min_players, " to ",
                     structure.max_players, " players, not ", players));
  }
  for (absl::Status status :
       {check_limit("games", options.games, limits::kMatchGames),
        check_limit("threads", options.threads, limits::kThreads),
        check_limit("max_actions", options.max_actions, limits::kMaxActions)}) {
    if (!status.ok()) return status;
  }
  std::vector<MatchGameResult> games(options.games);
  std::atomic<std::uint64_t> played = 0;
  tbb::task_arena arena(options.threads == 0 ? tbb::info::default_concurrency()
                                             : options.threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::uint64_t>(0, options.games),
        [&](const tbb::blocked_range<std::uint64_t>& range) {
          std::vector<Action> actions;
          for (std::uint64_t i = range.begin(); i != range.end(); ++i) {
            if (options.stop != nullptr && options.stop->stop_requested()) {
              return;
            }
            games[i] =
                play_match_game(game, players, options.max_actions, player,
                                opponent, options.seed, i, actions);
            played.fetch_add(1, std::memory_order_relaxed);
          }
        });
  });
  if (played.load() < options.games) {
    return absl::CancelledError(absl::StrCat("match interrupted after ",
                                             played.load(), " of ",
                                             options.games, " games"));
  }
  MatchResult result;
  result.player = player.name();
  result.opponent = opponent.name();
  for (const MatchGameResult& played : games) add_match_game(played, result);
  return result;
}

}  // namespace selfplay
