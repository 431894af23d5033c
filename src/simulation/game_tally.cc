#include "simulation/game_tally.h"

#include <algorithm>

namespace selfplay {
namespace {

// A player's outcome in half-units: 2 sole winner, 1 draw or shared win.
std::uint64_t outcome_half_units(const std::vector<int>& winners, int player) {
  if (winners.empty()) return 1;
  for (int winner : winners) {
    if (winner == player) return winners.size() == 1 ? 2 : 1;
  }
  return 0;
}

void add_to_table(OutcomeTable& table, std::uint64_t held,
                  std::uint64_t not_held, std::uint64_t half_units) {
  table.true_won += held * half_units;
  table.true_lost += held * (2 - half_units);
  table.false_won += not_held * half_units;
  table.false_lost += not_held * (2 - half_units);
}

}  // namespace

GameTally::GameTally(int players, int features, int action_kinds)
    : players_(players),
      features_(features),
      action_kinds_(action_kinds),
      decisions_(players),
      feature_true_(static_cast<std::size_t>(players) * features),
      kind_taken_(static_cast<std::size_t>(players) * action_kinds),
      kind_not_taken_(static_cast<std::size_t>(players) * action_kinds) {}

void GameTally::reset() {
  std::fill(decisions_.begin(), decisions_.end(), 0);
  std::fill(feature_true_.begin(), feature_true_.end(), 0);
  std::fill(kind_taken_.begin(), kind_taken_.end(), 0);
  std::fill(kind_not_taken_.begin(), kind_not_taken_.end(), 0);
}

void GameTally::add_completed_game(const std::vector<int>& winners,
                                   SimulationCounts& counts) const {
  for (int p = 0; p < players_; ++p) {
    const std::uint64_t half_units = outcome_half_units(winners, p);
    SeatCounts& seat = counts.seats[p];
    (half_units == 2   ? seat.wins
     : half_units == 1 ? seat.draws
                       : seat.losses)++;
    const std::uint64_t decisions = decisions_[p];
    for (int f = 0; f < features_; ++f) {
      const std::uint64_t held = feature_true_[p * features_ + f];
      add_to_table(counts.features[f], held, decisions - held, half_units);
    }
    for (int k = 0; k < action_kinds_; ++k) {
      add_to_table(counts.actions[k], kind_taken_[p * action_kinds_ + k],
                   kind_not_taken_[p * action_kinds_ + k], half_units);
    }
  }
}

void GameTally::add_game(GameStatus status, std::uint32_t actions,
                         const std::vector<int>& winners,
                         SimulationCounts& counts) const {
  ++counts.games;
  switch (status) {
    case GameStatus::kCompleted:
      ++counts.completed;
      counts.states += actions;
      if (counts.length_histogram.size() <= actions) {
        counts.length_histogram.resize(actions + 1);
      }
      ++counts.length_histogram[actions];
      add_completed_game(winners, counts);
      break;
    case GameStatus::kTimedOut:
      ++counts.timed_out;
      [[fallthrough]];
    case GameStatus::kTruncated:
      ++counts.truncated;
      counts.states += actions;
      break;
    case GameStatus::kFailed:
      ++counts.failed;
      break;
  }
}

}  // namespace selfplay
