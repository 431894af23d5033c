#include "selfplay/counts.h"

#include <algorithm>

namespace selfplay {
namespace {

void add_tables(std::vector<OutcomeTable>& into,
                const std::vector<OutcomeTable>& from) {
  if (into.size() < from.size()) into.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) {
    for (std::uint64_t OutcomeTable::*field : kOutcomeTableFields) {
      into[i].*field += from[i].*field;
    }
  }
}

bool by_index(const GameFailure& a, const GameFailure& b) {
  return a.game_index < b.game_index;
}

}  // namespace

void OutcomeTable::add_game(std::uint64_t n1, std::uint64_t n0,
                            std::uint64_t w1, std::uint64_t w0) {
  true_won += w1;
  true_lost += 2 * n1 - w1;
  false_won += w0;
  false_lost += 2 * n0 - w0;
  if (n1 + n0 == 0) return;
  ++games;
  games_true += n1 > 0;
  w1w1 += w1 * w1;
  w1n1 += w1 * n1;
  n1n1 += n1 * n1;
  w0w0 += w0 * w0;
  w0n0 += w0 * n0;
  n0n0 += n0 * n0;
  w1w0 += w1 * w0;
  w1n0 += w1 * n0;
  n1w0 += n1 * w0;
  n1n0 += n1 * n0;
}

SimulationCounts make_counts(int players, int features, int action_kinds,
                             std::size_t failure_cap) {
  SimulationCounts counts;
  counts.seats.resize(players);
  counts.features.resize(features);
  counts.actions.resize(action_kinds);
  counts.failure_cap = failure_cap;
  return counts;
}

void SimulationCounts::merge(const SimulationCounts& other) {
  games += other.games;
  completed += other.completed;
  truncated += other.truncated;
  timed_out += other.timed_out;
  failed += other.failed;
  states += other.states;
  if (seats.size() < other.seats.size()) seats.resize(other.seats.size());
  for (std::size_t s = 0; s < other.seats.size(); ++s) {
    seats[s].wins += other.seats[s].wins;
    seats[s].losses += other.seats[s].losses;
    seats[s].draws += other.seats[s].draws;
  }
  if (length_histogram.size() < other.length_histogram.size()) {
    length_histogram.resize(other.length_histogram.size());
  }
  for (std::size_t n = 0; n < other.length_histogram.size(); ++n) {
    length_histogram[n] += other.length_histogram[n];
  }
  add_tables(features, other.features);
  add_tables(actions, other.actions);
  std::vector<GameFailure> merged;
  merged.reserve(failures.size() + other.failures.size());
  std::merge(failures.begin(), failures.end(), other.failures.begin(),
             other.failures.end(), std::back_inserter(merged), by_index);
  if (merged.size() > failure_cap) merged.resize(failure_cap);
  failures = std::move(merged);
}

void SimulationCounts::add_failure(GameFailure failure) {
  auto at =
      std::upper_bound(failures.begin(), failures.end(), failure, by_index);
  if (static_cast<std::size_t>(at - failures.begin()) >= failure_cap) return;
  failures.insert(at, std::move(failure));
  if (failures.size() > failure_cap) failures.pop_back();
}

}  // namespace selfplay
