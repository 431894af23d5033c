// `simulate --isolate N`: the games run in N worker processes (this very
// binary, started in its worker mode) under a supervisor in this process,
// so that a game that segfaults, aborts or hangs fails alone instead of
// ending the run. See selfplay/isolated_run.h for how, and README.md ("Crash
// isolation") for what a user sees.
#ifndef SELFPLAY_CLI_ISOLATED_EXECUTION_H_
#define SELFPLAY_CLI_ISOLATED_EXECUTION_H_

#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"

namespace selfplay::cli {

// Whether --isolate asks for worker processes (any value but 0).
bool isolation_requested();

// The simulation in --isolate worker processes. InvalidArgument when
// --isolate is outside 1..256; otherwise as isolation::run_isolated.
[[nodiscard]] absl::StatusOr<SimulationResult> execute_isolated(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_ISOLATED_EXECUTION_H_
