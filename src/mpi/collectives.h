// Collective operations the distributed runs share: agreeing that every rank
// is fine (or ending the job, naming each rank that is not), and moving byte
// strings between ranks. Main thread only, inside a job (distributed.h).
#ifndef SELFPLAY_MPI_COLLECTIVES_H_
#define SELFPLAY_MPI_COLLECTIVES_H_

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "selfplay/run_config.h"

namespace selfplay::mpi {

// The exit code of a job that a failed rank ends.
inline constexpr int kExitFailure = 1;

// How a rank refused for its configuration names the two runs.
inline constexpr RunConfigSides kRankSides = {
    "rank 0's run", "this rank",
    "start every rank with the same flags and environment"};

// Waits for a nonblocking operation without spinning: Open MPI's blocking
// calls spin, and a spinning main thread would take a core from the oneTBB
// workers while other ranks are still playing.
void wait_without_spinning(MPI_Request& request);

// Collective. The element-wise maximum over the ranks of `values`, once
// `status` is OK on every rank; otherwise rank 0 prints each failed rank's
// message and aborts the job. Checking the status costs no extra message.
std::vector<std::uint64_t> max_everywhere(const absl::Status& status,
                                          std::vector<std::uint64_t> values);

// Collective. Every rank's `mine` concatenated in rank order at rank 0
// (nothing elsewhere), with each rank's length there. MPI counts are ints:
// rank 0 aborts the job, naming `what`, when the total does not fit.
std::string gather_bytes(const std::string& mine,
                         std::vector<std::uint64_t>& lengths, const char* what);

// Collective. Every rank's `mine`, in rank order, on every rank; aborts the
// job as gather_bytes does.
std::vector<std::string> all_gather_bytes(const std::string& mine,
                                          const char* what);

// Collective. Rank 0's `bytes` on every rank.
void broadcast_bytes(std::string& bytes, const char* what);

}  // namespace selfplay::mpi

#endif  // SELFPLAY_MPI_COLLECTIVES_H_
