// Distributed runs: one simulation spread over the ranks of an MPI job, with
// the result a single process would produce for the same options. Needs the
// optional target selfplay::mpi (built when MPI was found; link it instead
// of selfplay::selfplay) and a program started by an MPI launcher (mpirun,
// srun).
//
//   int main(int argc, char** argv) {
//     if (!selfplay::mpi::join_job(argc, argv).ok()) return 1;
//     // on every rank, with the same options:
//     absl::StatusOr<selfplay::SimulationResult> result =
//         selfplay::mpi::run_distributed_simulation(game, features, options);
//     if (selfplay::mpi::rank() == 0) write(*result);  // rank 0 writes
//     return selfplay::mpi::leave_job(result.ok() ? 0 : 1);
//   }
//
// A training spreads over the ranks the same way: every rank calls train()
// with the same options and the runners below, which give every rank the
// whole result of each self-play run and evaluation match, so that every
// rank computes the model one process would; rank 0 writes it.
//
//   selfplay::mpi::check_same_training(game, features, options);
//   options.run_simulation = selfplay::mpi::run_simulation_on_every_rank;
//   options.run_match = selfplay::mpi::play_distributed_match;
//   absl::StatusOr<Model> model = train(game, options);  // on every rank
//
// How: the ranks first check that they were started with the same run
// configuration (run_config.h) and games to play. Rank r plays the
// block-cyclic chunks r, r + ranks, ... of [0, games), or of the games of
// `options.ranges` (chunk size: default_chunk_size, or the
// environment variable SELFPLAY_MPI_CHUNK) on a worker thread, while its main
// thread joins a nonblocking MPI_Iallreduce of (games finished, ranks running,
// stop requested) every progress interval: rank 0 reports the global count,
// and a stop request on any rank stops them all. Then every rank's tallies,
// in the one counts codec that checkpoints and isolated workers use too, and
// its game summaries are gathered on rank 0 (MPI_Gatherv), where they are
// merged as SimulationCounts::merge does.
//
// A rank whose configuration differs or whose run fails (an error status or
// an exception) is reported on stderr by rank 0 with its rank and message,
// and the job is aborted with exit code 1: run_distributed_simulation then
// does not return. MPI is initialised with MPI_THREAD_FUNNELED: only the main
// thread may call these functions, never a oneTBB worker. MPI errors use
// MPI's default handler, which aborts the whole job with a message.
#ifndef SELFPLAY_DISTRIBUTED_H_
#define SELFPLAY_DISTRIBUTED_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/evaluation.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"
#include "selfplay/training.h"

namespace selfplay::mpi {

// MPI_Init_thread. FailedPrecondition when the MPI library cannot provide
// MPI_THREAD_FUNNELED. Call once, first thing in main.
[[nodiscard]] absl::Status join_job(int& argc, char**& argv);

// Whether join_job succeeded and the job has not been left.
bool in_job();
// This process's rank in MPI_COMM_WORLD and the number of ranks (0 and 1
// outside a job).
int rank();
int ranks();

// The whole result on rank 0. Other ranks get the tallies of their own share
// in `counts` (failures included), not the game summaries. `timing` on rank 0:
// wall time of the whole distributed run, threads of all ranks together,
// rank 0's batch size, cache figures of all ranks. The ranks split the games
// of `options.ranges` ([0, games) when empty) between them; `records` and
// `checkpoint` see only this rank's share. Collective: every rank calls it,
// inside a job.
[[nodiscard]] absl::StatusOr<SimulationResult> run_distributed_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

// For TrainingOptions::run_simulation: run_distributed_simulation, with the
// whole result on every rank (the tallies, failures and game summaries of
// all games; the timing as run_distributed_simulation gives it), and, when
// `options.records` is set, every game's record written to it on every rank
// in game index order, after all games are played. `options.checkpoint` is
// not called: a stop during the run keeps none of its games. Collective.
[[nodiscard]] absl::StatusOr<SimulationResult> run_simulation_on_every_rank(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options);

// For TrainingOptions::run_match: play_match with the games dealt to the
// ranks in block-cyclic chunks, and the whole result on every rank.
// Cancelled on every rank when a stop ended any rank's share early;
// Unimplemented for a match with a sequential test (MatchOptions::sprt).
// Collective: every rank calls it with the same options.
[[nodiscard]] absl::StatusOr<MatchResult> play_distributed_match(
    const Game& game, const Policy& player, const Policy& opponent,
    const MatchOptions& options);

// Collective, before a distributed training: every rank must train with
// the settings that decide the model (those a checkpoint keeps: seed,
// iterations, evaluation games, ...), or the ranks would not even take part
// in the same runs. A rank whose settings differ from rank 0's is reported
// by rank 0 naming the first such setting as its flag, and the job is
// aborted; the function then does not return.
void check_same_training(const Game& game, const FeatureSet& features,
                         const TrainingOptions& options);

// A line that rank 0 prints on stderr when the job ends well.
// run_distributed_simulation sets it to the figures of the run (ranks,
// threads, imbalance, reduction time).
void set_closing_note(std::string note);

// Leaves the job and returns `exit_code` for main. MPI_Finalize after success
// or on a single rank; MPI_Abort(exit_code) when one of several ranks fails,
// because the others may be waiting for this one in a collective operation.
int leave_job(int exit_code);

// Ends every rank of the job with `exit_code`; rank 0 calls it after printing
// why.
[[noreturn]] void abort_job(int exit_code);

}  // namespace selfplay::mpi

#endif  // SELFPLAY_DISTRIBUTED_H_
