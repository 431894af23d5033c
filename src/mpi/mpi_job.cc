#include <mpi.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "selfplay/distributed.h"

namespace selfplay::mpi {
namespace {

struct Job {
  bool joined = false;
  int rank = 0;
  int ranks = 1;
  std::string closing_note;
};

Job& job() {
  static Job current;
  return current;
}

}  // namespace

absl::Status join_job(int& argc, char**& argv) {
  int provided = MPI_THREAD_SINGLE;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    return absl::FailedPreconditionError(
        "the MPI library does not support MPI_THREAD_FUNNELED (MPI calls "
        "from the main thread of a multithreaded process)");
  }
  Job& current = job();
  MPI_Comm_rank(MPI_COMM_WORLD, &current.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &current.ranks);
  current.joined = true;
  return absl::OkStatus();
}

bool in_job() { return job().joined; }
int rank() { return job().rank; }
int ranks() { return job().ranks; }

void set_closing_note(std::string note) {
  job().closing_note = std::move(note);
}

int leave_job(int exit_code) {
  Job& current = job();
  if (!current.joined) return exit_code;
  if (exit_code != 0 && current.ranks > 1) abort_job(exit_code);
  if (current.rank == 0 && !current.closing_note.empty()) {
    std::fprintf(stderr, "%s\n", current.closing_note.c_str());
  }
  MPI_Finalize();
  current.joined = false;
  return exit_code;
}

void abort_job(int exit_code) {
  std::fflush(stdout);
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  // MPI_Abort does not return; this keeps the promise if an MPI did.
  std::_Exit(exit_code);
}

}  // namespace selfplay::mpi
