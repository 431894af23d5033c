#include "cli/execution.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "selfplay/isolated_run.h"
#include "selfplay/mpi_launcher.h"
#ifdef SELFPLAY_HAVE_MPI
#include "selfplay/distributed.h"
#endif

namespace selfplay::cli {

#ifdef SELFPLAY_HAVE_MPI
absl::Status start_execution(int& argc, char**& argv) {
  if (!detect_mpi_launcher().detected) return absl::OkStatus();
  return mpi::join_job(argc, argv);
}

int finish_execution(int exit_code) { return mpi::leave_job(exit_code); }
#else
absl::Status start_execution(int&, char**&) {
  const MpiLauncher launcher = detect_mpi_launcher();
  if (launcher.processes > 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this selfplay was built without MPI, so each of the ",
        launcher.processes,
        " processes the MPI launcher started would play the whole run alone; "
        "rebuild with MPI (apt-get install libopenmpi-dev openmpi-bin, cmake "
        "-DSELFPLAY_WITH_MPI=ON) or run it without the launcher"));
  }
  return absl::OkStatus();
}

int finish_execution(int exit_code) { return exit_code; }
#endif

absl::StatusOr<SimulationResult> execute_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options, int isolate,
    const std::vector<std::string>& game_libraries) {
#ifdef SELFPLAY_HAVE_MPI
  if (mpi::in_job() && isolate > 0) {
    return absl::InvalidArgumentError(
        "--isolate runs on one machine: it cannot be combined with MPI");
  }
  if (mpi::in_job()) {
    return mpi::run_distributed_simulation(game, features, options);
  }
#endif
  if (isolate > 0) {
    isolation::IsolationOptions isolation;
    isolation.workers = isolate;
    // The workers load the same game plugins, to know the game by its name.
    isolation.game_libraries = game_libraries;
    return isolation::run_isolated(game, features, options, isolation);
  }
  return run_simulations(game, features, options);
}

void distribute_training([[maybe_unused]] const Game& game,
                         [[maybe_unused]] const FeatureSet& features,
                         [[maybe_unused]] TrainingOptions& options) {
#ifdef SELFPLAY_HAVE_MPI
  if (mpi::in_job()) {
    mpi::check_same_training(game, features, options);
    options.run_simulation = mpi::run_simulation_on_every_rank;
    options.run_match = mpi::play_distributed_match;
  }
#endif
}

bool is_output_process() {
#ifdef SELFPLAY_HAVE_MPI
  return !mpi::in_job() || mpi::rank() == 0;
#else
  return true;
#endif
}

bool shows_progress() {
#ifdef SELFPLAY_HAVE_MPI
  if (mpi::in_job()) return mpi::rank() == 0 && isatty(STDOUT_FILENO);
#endif
  return isatty(STDERR_FILENO);
}

}  // namespace selfplay::cli
