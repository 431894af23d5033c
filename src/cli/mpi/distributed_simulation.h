// A simulation spread over the ranks of an MPI job, each running its share of
// the games in its own oneTBB arena, with the result a single process would
// produce for the same options.
//
//   // on every rank, with the same options:
//   absl::StatusOr<SimulationResult> result =
//       mpi::run_distributed_simulation(game, features, options);
//   if (mpi::rank() == 0) write(*result);
//
// How: the ranks first check that they were started with the same
// configuration. Rank r plays the block-cyclic chunks r, r + ranks, ... of
// [0, games) (chunk size: default_chunk_size, or the environment variable
// SELFPLAY_MPI_CHUNK) on a worker thread, while its main thread joins a
// nonblocking MPI_Iallreduce of (games finished, ranks running, stop
// requested) every progress interval: rank 0 reports the global count, and a
// stop request on any rank stops them all. Then the integer tallies are
// summed with one MPI_Allreduce and failures and game summaries gathered on
// rank 0 (MPI_Gatherv), where they are merged as SimulationCounts::merge does.
//
// A rank whose configuration differs or whose run fails (an error status or
// an exception) is reported on stderr by rank 0 with its rank and message,
// and the job is aborted with exit code 1: this function then does not
// return. Must be called from the main thread (MPI_THREAD_FUNNELED), inside
// an MPI job (mpi::in_job()).
#ifndef SELFPLAY_CLI_MPI_DISTRIBUTED_SIMULATION_H_
#define SELFPLAY_CLI_MPI_DISTRIBUTED_SIMULATION_H_

#include "absl/status/statusor.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"

namespace selfplay::cli::mpi {

// The whole result on rank 0. Other ranks get the same tallies in `counts`
// but neither the failure list nor the game summaries. `timing` on rank 0:
// wall time of the whole distributed run, threads of all ranks together,
// rank 0's batch size, cache figures of all ranks. `options.ranges` must be
// empty: the ranks split [0, games) themselves.
[[nodiscard]] absl::StatusOr<SimulationResult> run_distributed_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

}  // namespace selfplay::cli::mpi

#endif  // SELFPLAY_CLI_MPI_DISTRIBUTED_SIMULATION_H_
