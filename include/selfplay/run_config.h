// A run's configuration: every setting that decides its result, and nothing
// that only decides how fast it comes (threads, batch size, feature cache,
// progress). Two runs with equal configurations have equal tallies, so a
// checkpoint, a records file, an isolated worker and the ranks of an MPI job
// keep one and compare it with the run that continues or shares their work.
//
//   RunConfig config = run_config_for(game, features, options);
//   std::string bytes = encode_run_config(config);
//   absl::StatusOr<RunConfig> back = decode_run_config(bytes);
//   absl::Status same = compare_run_configs(
//       *back, config, {"the checkpoint's run", "this command",
//                       "resume with the same settings, or start a new run"});
//   // FailedPrecondition: "--seed: the checkpoint's run used 7, this
//   // command 8; resume with the same settings, or start a new run"
#ifndef SELFPLAY_RUN_CONFIG_H_
#define SELFPLAY_RUN_CONFIG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay {

struct RunConfig {
  std::string game;
  int players = 0;  // resolved: the game's default when the options said 0
  std::uint64_t seed = 0;  // game i plays with seed_for(seed, i)
  std::uint64_t games = 0;
  int max_actions = 0;
  // The game timeout in whole milliseconds; 0: none.
  std::int64_t timeout_ms = 0;
  std::uint64_t failure_cap = 0;
  std::vector<std::string> policies;      // one name per seat
  std::vector<std::string> features;      // ids; empty: features off
  std::vector<std::string> action_kinds;  // the game's, in order

  bool operator==(const RunConfig&) const = default;
};

// The configuration of run_simulations(game, features, options): players 0
// resolved to the game's default, seats without a policy named "random", a
// zero or infinite timeout as none (a finite one cut to whole milliseconds).
RunConfig run_config_for(const Game& game, const FeatureSet& features,
                         const SimulationOptions& options);

// Counts shaped for the run (make_counts with its players, features, action
// kinds and failure cap).
SimulationCounts make_counts_for(const RunConfig& config);

// The bytes of `config`: the settings a simulate checkpoint starts with
// (docs/records.md, "The checkpoint file").
std::string encode_run_config(const RunConfig& config);

// DataLoss when `bytes` are not exactly one configuration, or one out of
// range (players < 1, a policy count other than players, max_actions < 1, a
// negative timeout).
[[nodiscard]] absl::StatusOr<RunConfig> decode_run_config(
    std::string_view bytes);

// How compare_run_configs' message names the two runs and what to do.
struct RunConfigSides {
  const char* then;    // "the checkpoint's run"
  const char* now;     // "this command"
  const char* remedy;  // "resume with the same settings, or ..."
};

// FailedPrecondition naming the first setting in which `now` differs from
// `then`, as the flag a user types: "--seed: <then> used 7, <now> 8;
// <remedy>". OK when they are equal.
[[nodiscard]] absl::Status compare_run_configs(const RunConfig& then,
                                               const RunConfig& now,
                                               const RunConfigSides& sides);

// compare_run_configs' message for one setting, for settings outside the
// configuration that must agree as well.
[[nodiscard]] absl::Status setting_differs(const std::string& setting,
                                           const std::string& then,
                                           const std::string& now,
                                           const RunConfigSides& sides);

}  // namespace selfplay

#endif  // SELFPLAY_RUN_CONFIG_H_
