#include "cli/execution.h"

namespace selfplay::cli {

absl::StatusOr<SimulationResult> execute_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options) {
  return run_simulations(game, features, options);
}

bool is_output_process() { return true; }

}  // namespace selfplay::cli
