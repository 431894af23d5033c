#include "simulation/game_tally.h"

#include <algorithm>

namespace selfplay {

std::uint64_t outcome_half_units(const std::vector<int>& winners, int player) {
  if (winners.empty()) return 1;
  for (int winner : winners) {
    if (winner == player) return winners.size() == 1 ? 2 : 1;
  }
  return 0;
}

GameTally::GameTally(int players, int features, int action_kinds)
    : players_(players),
      features_(features),
      action_kinds_(action_kinds),
      decisions_(players),
      words_((features + 63) / 64),
      feature_true_(static_cast<std::size_t>(players) * features),
      planes_(static_cast<std::size_t>(players) * words_ * kPlanes),
      unflushed_(players),
      kind_taken_(static_cast<std::size_t>(players) * action_kinds),
      kind_not_taken_(static_cast<std::size_t>(players) * action_kinds),
      half_units_(players) {}

void GameTally::reset() {
  std::fill(decisions_.begin(), decisions_.end(), 0);
  std::fill(feature_true_.begin(), feature_true_.end(), 0);
  std::fill(planes_.begin(), planes_.end(), 0);
  std::fill(unflushed_.begin(), unflushed_.end(), 0);
  std::fill(kind_taken_.begin(), kind_taken_.end(), 0);
  std::fill(kind_not_taken_.begin(), kind_not_taken_.end(), 0);
}

void GameTally::flush_features(int player) {
  std::uint32_t* feature_true = feature_true_.data() + player * features_;
  std::uint64_t* planes = planes_.data() + player * words_ * kPlanes;
  for (int w = 0; w < words_; ++w) {
    for (int k = 0; k < kPlanes; ++k, ++planes) {
      for (std::uint64_t word = *planes; word != 0; word &= word - 1) {
        feature_true[w * 64 + std::countr_zero(word)] += 1u << k;
      }
      *planes = 0;
    }
  }
  unflushed_[player] = 0;
}

void GameTally::add_completed_game(const std::vector<int>& winners,
                                   SimulationCounts& counts) {
  std::uint64_t* half_units = half_units_.data();
  for (int p = 0; p < players_; ++p) {
    half_units[p] = outcome_half_units(winners, p);
    SeatCounts& seat = counts.seats[p];
    (half_units[p] == 2   ? seat.wins
     : half_units[p] == 1 ? seat.draws
                          : seat.losses)++;
  }
  for (int p = 0; p < players_; ++p) flush_features(p);
  // All seats' decisions of the game together: the game is the cluster.
  for (int f = 0; f < features_; ++f) {
    std::uint64_t n1 = 0, n0 = 0, w1 = 0, w0 = 0;
    for (int p = 0; p < players_; ++p) {
      const std::uint64_t held = feature_true_[p * features_ + f];
      const std::uint64_t not_held = decisions_[p] - held;
      n1 += held;
      n0 += not_held;
      w1 += held * half_units[p];
      w0 += not_held * half_units[p];
    }
    counts.features[f].add_game(n1, n0, w1, w0);
  }
  for (int k = 0; k < action_kinds_; ++k) {
    std::uint64_t n1 = 0, n0 = 0, w1 = 0, w0 = 0;
    for (int p = 0; p < players_; ++p) {
      const std::uint64_t taken = kind_taken_[p * action_kinds_ + k];
      const std::uint64_t not_taken = kind_not_taken_[p * action_kinds_ + k];
      n1 += taken;
      n0 += not_taken;
      w1 += taken * half_units[p];
      w0 += not_taken * half_units[p];
    }
    counts.actions[k].add_game(n1, n0, w1, w0);
  }
}

void GameTally::add_game(GameStatus status, std::uint32_t actions,
                         const std::vector<int>& winners,
                         SimulationCounts& counts) {
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
