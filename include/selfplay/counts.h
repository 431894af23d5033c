// The integer tallies of a simulation: everything the statistics are computed
// from, kept as exact integers so that merging is associative and commutative
// and a run's result is bit-identical whatever the thread or rank count.
//
//   SimulationCounts total = make_counts(players, features, action_kinds);
//   total.merge(per_thread_counts);  // any order, same result
//
// Outcomes are in half-units: a win adds 2 to "won", a loss 2 to "lost", a
// draw or shared win 1 to each; divide by 2 for games.
#ifndef SELFPLAY_COUNTS_H_
#define SELFPLAY_COUNTS_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

namespace selfplay {

// A player's outcome in half-units: 2 sole winner, 1 draw or shared win
// (`winners` empty: a draw), 0 loss.
std::uint64_t outcome_half_units(const std::vector<int>& winners, int player);

// Decisions where something held (or an action kind was taken) against the
// deciding player's final outcome, in half-units; and, for variances that
// treat games as the independent units (all decisions of a game share its
// outcome), sums over games of products of each game's counts.
//
// For one game, over all seats' decisions: n1 = decisions where it held, n0 =
// decisions where it did not, w1 and w0 = the deciders' outcomes summed over
// those decisions in half-units (so w1 <= 2 * n1). Across games the sum of w1
// is true_won and the sum of 2 * n1 is true_won + true_lost. Every field is an
// integer sum over games, so merging is exact in any order. The product sums
// stay exact while games * (decisions per game)^2 < 2^62: 5 * 10^9 games of
// 30,000 decisions each.
struct OutcomeTable {
  std::uint64_t true_won = 0;
  std::uint64_t true_lost = 0;
  std::uint64_t false_won = 0;
  std::uint64_t false_lost = 0;
  std::uint64_t games = 0;       // completed games with n1 + n0 > 0
  std::uint64_t games_true = 0;  // completed games with n1 > 0
  // Sums over games of the products named (w1w1: the sum of w1 * w1, ...).
  std::uint64_t w1w1 = 0, w1n1 = 0, n1n1 = 0;
  std::uint64_t w0w0 = 0, w0n0 = 0, n0n0 = 0;
  std::uint64_t w1w0 = 0, w1n0 = 0, n1w0 = 0, n1n0 = 0;

  // Adds one completed game's n1, n0, w1 and w0 (see above).
  void add_game(std::uint64_t n1, std::uint64_t n0, std::uint64_t w1,
                std::uint64_t w0);

  bool operator==(const OutcomeTable&) const = default;
};

// Every field of OutcomeTable, in the order the codecs write them, so that
// merging and encoding cannot miss one.
inline constexpr std::uint64_t OutcomeTable::*kOutcomeTableFields[] = {
    &OutcomeTable::true_won,  &OutcomeTable::true_lost,
    &OutcomeTable::false_won, &OutcomeTable::false_lost,
    &OutcomeTable::games,     &OutcomeTable::games_true,
    &OutcomeTable::w1w1,      &OutcomeTable::w1n1,
    &OutcomeTable::n1n1,      &OutcomeTable::w0w0,
    &OutcomeTable::w0n0,      &OutcomeTable::n0n0,
    &OutcomeTable::w1w0,      &OutcomeTable::w1n0,
    &OutcomeTable::n1w0,      &OutcomeTable::n1n0};
inline constexpr std::size_t kOutcomeTableWords =
    std::size(kOutcomeTableFields);
static_assert(sizeof(OutcomeTable) ==
                  kOutcomeTableWords * sizeof(std::uint64_t),
              "kOutcomeTableFields must list every field");

struct SeatCounts {
  std::uint64_t wins = 0;
  std::uint64_t losses = 0;
  std::uint64_t draws = 0;  // draws and shared wins

  bool operator==(const SeatCounts&) const = default;
};

struct GameFailure {
  std::uint64_t game_index = 0;
  std::uint64_t seed = 0;
  std::string error;

  bool operator==(const GameFailure&) const = default;
};

struct SimulationCounts {
  std::uint64_t games = 0;      // games played (completed + truncated + failed)
  std::uint64_t completed = 0;  // reached a terminal state
  std::uint64_t truncated = 0;  // stopped at max_actions or the timeout
  std::uint64_t timed_out = 0;  // the part of `truncated` stopped by the clock
  std::uint64_t failed = 0;     // game code threw
  std::uint64_t states = 0;     // decisions in played games that did not fail
  std::vector<SeatCounts> seats;
  // length_histogram[n]: completed games that took n actions.
  std::vector<std::uint64_t> length_histogram;
  // Per feature: feature true/false at a decision vs the decider's outcome.
  std::vector<OutcomeTable> features;
  // Per action kind: "true" = taken, "false" = available but not taken.
  std::vector<OutcomeTable> actions;
  // The failures with the smallest game indices, sorted, at most
  // `failure_cap`; `failed` counts them all.
  std::vector<GameFailure> failures;
  std::size_t failure_cap = 100;

  // Adds `other` (same shape) into this. Order never changes the result.
  void merge(const SimulationCounts& other);
  // Records a failure, keeping only the `failure_cap` smallest indices.
  void add_failure(GameFailure failure);

  bool operator==(const SimulationCounts&) const = default;
};

// Zeroed counts shaped for a game with `players` seats.
SimulationCounts make_counts(int players, int features, int action_kinds,
                             std::size_t failure_cap = 100);

}  // namespace selfplay

#endif  // SELFPLAY_COUNTS_H_
