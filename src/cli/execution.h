// Where a simulation runs: in this process on oneTBB threads, or spread over
// other processes (MPI ranks, isolated workers) that produce the same result.
// The subcommands call this one function so that each way of running is added
// in one place.
#ifndef SELFPLAY_CLI_EXECUTION_H_
#define SELFPLAY_CLI_EXECUTION_H_

#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"

namespace selfplay::cli {

[[nodiscard]] absl::StatusOr<SimulationResult> execute_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

// Whether this process prints and writes output (false on MPI ranks > 0).
bool is_output_process();

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_EXECUTION_H_
