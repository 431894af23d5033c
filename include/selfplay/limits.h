// The ranges of a run's settings, in one place: the library checks its
// options against them, and the CLI builds its flag validators from them, so
// that a flag accepts exactly what the option it sets accepts.
//
//   if (absl::Status status = check_limit("games", options.games, kGames);
//       !status.ok()) {
//     return status;  // "games must be 1..1000000000000, not 0"
//   }
#ifndef SELFPLAY_LIMITS_H_
#define SELFPLAY_LIMITS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "selfplay/game_structure.h"

namespace selfplay {

template <typename T>
struct Limit {
  T min;
  T max;

  // NaN lies outside every limit.
  bool contains(T value) const { return value >= min && value <= max; }
  std::string text() const { return absl::StrCat(min, "..", max); }
};

namespace limits {

// Simulations (SimulationOptions).
inline constexpr Limit<std::uint64_t> kGames = {1, 1'000'000'000'000};
inline constexpr Limit<int> kThreads = {0, 4096};  // 0: all cores
inline constexpr Limit<int> kMaxActions = {1, 1'000'000'000};
inline constexpr Limit<int> kFeatureCacheEntries = {0, 1 << 24};
// Isolated runs (isolation::IsolationOptions::workers).
inline constexpr Limit<int> kIsolatedWorkers = {1, 256};
// Matches (MatchOptions::games) and evaluations.
inline constexpr Limit<std::uint64_t> kMatchGames = {1, 1'000'000'000};
inline constexpr Limit<std::uint64_t> kEvaluationGames = {0, 1'000'000'000};
// Training (TrainingOptions).
inline constexpr Limit<int> kIterations = {1, 1000};
inline constexpr Limit<std::uint64_t> kGamesPerIteration = {1, 1'000'000'000};
inline constexpr Limit<int> kMaxFeatures = {1, 100000};
inline constexpr Limit<double> kMinCorrelation = {0, 1};
// Evolution (EvolutionOptions).
inline constexpr Limit<int> kEvolveMu = {1, 1000};
inline constexpr Limit<int> kEvolveLambda = {1, 10000};
inline constexpr Limit<int> kEvolveGenerations = {0, 1000};
inline constexpr Limit<std::uint64_t> kEvolveGames = {1, 1'000'000'000};
inline constexpr Limit<double> kEvolveSigma = {0, 100};
// Perft.
inline constexpr Limit<int> kPerftDepth = {1, 20};

}  // namespace limits

// InvalidArgument "<name> must be <min>..<max>, not <value>" when `value`
// lies outside `limit`.
template <typename T>
[[nodiscard]] absl::Status check_limit(std::string_view name, T value,
                                       Limit<T> limit) {
  if (limit.contains(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      std::string(name), " must be ", limit.text(), ", not ", value));
}

// The players a game of `structure` is played with: `players`, or the game's
// default for 0. InvalidArgument "players 3 is outside tic-tac-toe's range
// 2..2" for a count outside the game's range.
[[nodiscard]] inline absl::StatusOr<int> check_players(
    const GameStructure& structure, int players) {
  if (players == 0) return structure.default_players;
  if (players >= structure.min_players && players <= structure.max_players) {
    return players;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "players ", players, " is outside ", structure.name, "'s range ",
      structure.min_players, "..", structure.max_players));
}

}  // namespace selfplay

#endif  // SELFPLAY_LIMITS_H_
