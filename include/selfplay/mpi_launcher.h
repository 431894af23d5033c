// Whether an MPI launcher (mpirun, mpiexec, srun) started this process, read
// from the environment the launcher sets, before MPI is initialised. Builds
// with MPI join the job only then, so that a plain `selfplay` never waits for
// an MPI runtime; builds without MPI refuse to run as one of many copies.
//
//   if (detect_mpi_launcher().detected) {
//     // join the job (selfplay/distributed.h: mpi::join_job)
//   }
#ifndef SELFPLAY_MPI_LAUNCHER_H_
#define SELFPLAY_MPI_LAUNCHER_H_

namespace selfplay {

struct MpiLauncher {
  // An MPI launcher's variables are set.
  bool detected = false;
  // The process count it announced; 0 when it did not say (PMIx).
  int processes = 0;
};

// Reads OMPI_COMM_WORLD_SIZE (Open MPI's mpirun), PMI_SIZE (MPICH's hydra,
// Slurm's PMI-2) and PMIX_RANK (PMIx launchers such as srun --mpi=pmix).
MpiLauncher detect_mpi_launcher();

}  // namespace selfplay

#endif  // SELFPLAY_MPI_LAUNCHER_H_
