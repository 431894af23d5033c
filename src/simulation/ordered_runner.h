// The runner of long runs (SimulationOptions::records or ::checkpoint set):
// games are played in small batches of consecutive indices, several batches
// in flight at once, and each batch is finished (records written, tallies
// added, progress and checkpoints reported) in index order. Memory is bounded
// by the batches in flight, whatever the game count.
#ifndef SELFPLAY_SIMULATION_ORDERED_RUNNER_H_
#define SELFPLAY_SIMULATION_ORDERED_RUNNER_H_

#include <vector>

#include "absl/status/status.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"

namespace selfplay {

// Whether `options` ask for the in-order runner.
bool plays_in_index_order(const SimulationOptions& options);

// Plays `ranges` (validated, sorted) with `players` seats inside the calling
// oneTBB arena and fills `result`'s counts, games (when kept), batch size and
// cache statistics. A stop request ends the run at a batch boundary. Returns
// the first error of the record sink or the checkpoint callback, which also
// stops the run.
[[nodiscard]] absl::Status run_in_index_order(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options, int players,
    const std::vector<GameIndexRange>& ranges, SimulationResult& result);

}  // namespace selfplay

#endif  // SELFPLAY_SIMULATION_ORDERED_RUNNER_H_
