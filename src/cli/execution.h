// Where a simulation runs: in this process on oneTBB threads, or spread over
// other processes (MPI ranks, isolated workers) that produce the same result.
// The subcommands call this one function so that each way of running is added
// in one place.
#ifndef SELFPLAY_CLI_EXECUTION_H_
#define SELFPLAY_CLI_EXECUTION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"
#include "selfplay/training.h"

namespace selfplay::cli {

// Call first in main. In a build with MPI, joins the MPI job when an MPI
// launcher started this process (then execute_simulation spreads the games
// over the ranks). In a build without MPI, FailedPrecondition when a launcher
// started several processes: each would run the whole job alone.
[[nodiscard]] absl::Status start_execution(int& argc, char**& argv);

// Call with main's exit code; returns the code main returns. Leaves the MPI
// job: a failure on one of several ranks aborts the whole job, so that no
// rank waits for it forever.
int finish_execution(int exit_code);

// The simulation on this process's threads, over the MPI job's ranks, or,
// with `isolate` > 0, in that many worker processes that load
// `game_libraries` to know the game (selfplay/isolated_run.h).
// InvalidArgument for isolation under MPI.
[[nodiscard]] absl::StatusOr<SimulationResult> execute_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options, int isolate = 0,
    const std::vector<std::string>& game_libraries = {});

// Under an MPI job, checks that every rank trains with the settings of rank
// 0 (or ends the job naming the first that differs) and has `options`
// spread each self-play run and evaluation match over the ranks, so that
// every rank ends with the same model; otherwise leaves them alone.
void distribute_training(const Game& game, const FeatureSet& features,
                         TrainingOptions& options);

// Whether this process prints and writes output (false on MPI ranks > 0).
bool is_output_process();

// Whether this process draws the progress bar: the output process, when a
// person watches it (stderr is a terminal; under an MPI launcher, which
// forwards stderr through a pipe, stdout is).
bool shows_progress();

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_EXECUTION_H_
