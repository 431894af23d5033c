#include "training/match_games.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "selfplay/limits.h"
#include "selfplay/random.h"
#include "simulation/game_loop.h"
#include "tbb/blocked_range.h"
#include "tbb/info.h"
#include "tbb/parallel_for.h"
#include "tbb/task_arena.h"

namespace selfplay {
namespace {

MatchOutcome outcome_for(const std::vector<int>& winners, int seat) {
  if (winners.empty()) return MatchOutcome::kDraw;
  bool won = false;
  for (int winner : winners) won = won || winner == seat;
  if (!won) return MatchOutcome::kLoss;
  return winners.size() == 1 ? MatchOutcome::kWin : MatchOutcome::kDraw;
}

}  // namespace

MatchGameResult play_match_game(const Game& game, int players, int max_actions,
                                const Policy& player, const Policy& opponent,
                                std::uint64_t seed, std::uint64_t index,
                                std::vector<Action>& actions) {
  const int seat = static_cast<int>(index % players);
  const std::uint64_t game_seed = seed_for(seed, index / players);
  try {
    std::unique_ptr<State> state = game.new_initial_state(game_seed, players);
    Rng rng(derive_seed(game_seed, kPolicyStream));
    std::vector<const Policy*> policies(players, &opponent);
    policies[seat] = &player;
    std::uint32_t played = 0;
    const LoopEnd end = play_game_loop(
        *state, players, {static_cast<std::uint32_t>(max_actions)}, policies,
        rng, actions, played, [](const State&, int, Action) {});
    if (end != LoopEnd::kTerminal) return {MatchOutcome::kTruncated, ""};
    return {outcome_for(checked_winners(*state, players), seat), ""};
  } catch (const std::exception& error) {
    return {MatchOutcome::kFailed, error.what()};
  } catch (...) {
    return {MatchOutcome::kFailed, "unknown exception"};
  }
}

void add_match_game(const MatchGameResult& game, MatchResult& result) {
  ++result.games;
  switch (game.outcome) {
    case MatchOutcome::kWin:
      ++result.wins;
      break;
    case MatchOutcome::kTruncated:
      ++result.truncated;
      [[fallthrough]];
    case MatchOutcome::kDraw:
      ++result.draws;
      break;
    case MatchOutcome::kLoss:
      ++result.losses;
      break;
    case MatchOutcome::kFailed:
      if (result.failed++ == 0) result.first_error = game.error;
      break;
  }
}

absl::StatusOr<int> check_match_options(const Game& game,
                                        const MatchOptions& options) {
  const absl::StatusOr<int> players =
      check_players(game.structure(), options.players);
  if (!players.ok()) return players.status();
  for (absl::Status status :
       {check_limit("games", options.games, limits::kMatchGames),
        check_limit("threads", options.threads, limits::kThreads),
        check_limit("max_actions", options.max_actions, limits::kMaxActions)}) {
    if (!status.ok()) return status;
  }
  return players;
}

MatchGames play_match_games(const Game& game, const Policy& player,
                            const Policy& opponent, const MatchOptions& options,
                            int players,
                            const std::vector<GameIndexRange>& ranges) {
  // ends[r]: the games of ranges [0, r] together, to find a position's game.
  std::vector<std::uint64_t> ends;
  std::uint64_t total = 0;
  for (const GameIndexRange& range : ranges) {
    total += range.end - range.begin;
    ends.push_back(total);
  }
  std::vector<MatchGameResult> games(total);
  std::atomic<std::uint64_t> played = 0;
  tbb::task_arena arena(options.threads == 0 ? tbb::info::default_concurrency()
                                             : options.threads);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::uint64_t>(0, total),
        [&](const tbb::blocked_range<std::uint64_t>& positions) {
          std::vector<Action> actions;
          for (std::uint64_t p = positions.begin(); p != positions.end(); ++p) {
            if (options.stop != nullptr && options.stop->stop_requested()) {
              return;
            }
            const std::size_t r =
                std::upper_bound(ends.begin(), ends.end(), p) - ends.begin();
            const std::uint64_t index =
                ranges[r].end - (ends[r] - p);  // p's game within range r
            games[p] =
                play_match_game(game, players, options.max_actions, player,
                                opponent, options.seed, index, actions);
            played.fetch_add(1, std::memory_order_relaxed);
          }
        });
  });
  return {std::move(games), played.load()};
}

}  // namespace selfplay
