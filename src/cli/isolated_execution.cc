#include "cli/isolated_execution.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/common_flags.h"
#include "selfplay/isolated_run.h"

ABSL_FLAG(int, isolate, 0,
          "run the games in this many worker processes, so that a game that "
          "crashes or hangs (no result within --timeout-ms, else 10 s) is "
          "recorded as failed instead of ending the run; 0 = in this process");

namespace selfplay::cli {
namespace {

constexpr int kMaxWorkers = 256;

}  // namespace

bool isolation_requested() { return absl::GetFlag(FLAGS_isolate) != 0; }

absl::StatusOr<SimulationResult> execute_isolated(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options) {
  isolation::IsolationOptions isolation;
  isolation.workers = absl::GetFlag(FLAGS_isolate);
  if (isolation.workers < 1 || isolation.workers > kMaxWorkers) {
    return absl::InvalidArgumentError(
        absl::StrCat("--isolate must be 0 (in-process) to ", kMaxWorkers,
                     ", not ", isolation.workers));
  }
  // The workers load the same game plugins, to know the game by its name.
  isolation.game_libraries = absl::GetFlag(FLAGS_game_lib);
  return isolation::run_isolated(game, features, options, isolation);
}

}  // namespace selfplay::cli
