// The MPI job this process belongs to when an MPI launcher started it: joining
// it, this process's rank, and leaving it without leaving the others waiting.
//
//   if (absl::Status joined = mpi::join_job(argc, argv); !joined.ok()) ...
//   if (mpi::in_job() && mpi::rank() == 0) ...  // rank 0 writes the output
//   return mpi::leave_job(exit_code);
//
// MPI is initialised with MPI_THREAD_FUNNELED: only the main thread may call
// MPI, never a oneTBB worker. MPI errors use MPI's default handler, which
// aborts the whole job with a message. Compiled only in builds with MPI.
#ifndef SELFPLAY_CLI_MPI_MPI_JOB_H_
#define SELFPLAY_CLI_MPI_MPI_JOB_H_

#include <string>

#include "absl/status/status.h"

namespace selfplay::cli::mpi {

// MPI_Init_thread. FailedPrecondition when the MPI library cannot provide
// MPI_THREAD_FUNNELED. Call once, first thing in main.
[[nodiscard]] absl::Status join_job(int& argc, char**& argv);

// Whether join_job succeeded and the job has not been left.
bool in_job();
// This process's rank in MPI_COMM_WORLD and the number of ranks (0 and 1
// outside a job).
int rank();
int ranks();

// A line that rank 0 prints on stderr when the job ends well (the figures of
// a distributed run, printed after the progress bar and the output).
void set_closing_note(std::string note);

// Leaves the job and returns `exit_code` for main. MPI_Finalize after success
// or on a single rank; MPI_Abort(exit_code) when one of several ranks fails,
// because the others may be waiting for this one in a collective operation.
int leave_job(int exit_code);

// Ends every rank of the job with `exit_code`; rank 0 calls it after printing
// why.
[[noreturn]] void abort_job(int exit_code);

}  // namespace selfplay::cli::mpi

#endif  // SELFPLAY_CLI_MPI_MPI_JOB_H_
