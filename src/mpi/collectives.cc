#include "mpi/collectives.h"

#include <chrono>
#include <climits>
#include <cstdio>
#include <thread>

#include "selfplay/distributed.h"

namespace selfplay::mpi {
namespace {

// How often a main thread waiting for a nonblocking operation asks MPI about
// it.
constexpr auto kPollInterval = std::chrono::milliseconds(1);

// The MPI counts and displacements of `lengths`, and their total; aborts the
// job, naming `what`, when they do not fit in an int.
std::uint64_t int_layout(const std::vector<std::uint64_t>& lengths,
                         const char* what, std::vector<int>& counts,
                         std::vector<int>& displacements) {
  std::uint64_t total = 0;
  for (std::uint64_t length : lengths) {
    displacements.push_back(static_cast<int>(total));
    counts.push_back(static_cast<int>(length));
    total += length;
  }
  if (total > INT_MAX) {
    std::fprintf(stderr,
                 "selfplay: the %s of all ranks (%llu bytes) exceed what one "
                 "MPI message can hold\n",
                 what, static_cast<unsigned long long>(total));
    abort_job(kExitFailure);
  }
  return total;
}

}  // namespace

void wait_without_spinning(MPI_Request& request) {
  int done = 0;
  MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  while (!done) {
    std::this_thread::sleep_for(kPollInterval);
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
  }
}

std::vector<std::uint64_t> max_everywhere(const absl::Status& status,
                                          std::vector<std::uint64_t> values) {
  values.push_back(status.ok() ? 0 : 1);
  MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()),
                MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
  const bool failed = values.back() != 0;
  values.pop_back();
  if (!failed) return values;
  std::vector<std::uint64_t> lengths;
  const std::string messages =
      gather_bytes(std::string(status.message()), lengths, "error messages");
  if (rank() == 0) {
    std::size_t at = 0;
    for (int r = 0; r < ranks(); ++r) {
      if (lengths[r] > 0) {
        std::fprintf(stderr, "selfplay: rank %d of %d failed: %.*s\n", r,
                     ranks(), static_cast<int>(lengths[r]), &messages[at]);
      }
      at += lengths[r];
    }
  }
  // Rank 0 alone aborts, after printing: the others wait for it here.
  if (rank() != 0) MPI_Barrier(MPI_COMM_WORLD);
  abort_job(kExitFailure);
}

std::string gather_bytes(const std::string& mine,
                         std::vector<std::uint64_t>& lengths,
                         const char* what) {
  std::uint64_t length = mine.size();
  lengths.assign(rank() == 0 ? ranks() : 0, 0);
  MPI_Gather(&length, 1, MPI_UINT64_T, lengths.data(), 1, MPI_UINT64_T, 0,
             MPI_COMM_WORLD);
  std::vector<int> counts, displacements;
  std::string all;
  if (rank() == 0) {
    all.resize(int_layout(lengths, what, counts, displacements));
  }
  MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_CHAR, all.data(),
              counts.data(), displacements.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  return all;
}

std::vector<std::string> all_gather_bytes(const std::string& mine,
                                          const char* what) {
  std::uint64_t length = mine.size();
  std::vector<std::uint64_t> lengths(ranks());
  MPI_Allgather(&length, 1, MPI_UINT64_T, lengths.data(), 1, MPI_UINT64_T,
                MPI_COMM_WORLD);
  std::vector<int> counts, displacements;
  std::string all(int_layout(lengths, what, counts, displacements), '\0');
  MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_CHAR,
                 all.data(), counts.data(), displacements.data(), MPI_CHAR,
                 MPI_COMM_WORLD);
  std::vector<std::string> parts;
  for (int r = 0; r < ranks(); ++r) {
    parts.push_back(all.substr(displacements[r], counts[r]));
  }
  return parts;
}

void broadcast_bytes(std::string& bytes, const char* what) {
  std::uint64_t length = bytes.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  if (length > INT_MAX) {
    // Every rank sees the same length: rank 0 reports it, all stop.
    if (rank() == 0) {
      std::fprintf(stderr,
                   "selfplay: the %s (%llu bytes) exceed what one MPI "
                   "message can hold\n",
                   what, static_cast<unsigned long long>(length));
    }
    if (rank() != 0) MPI_Barrier(MPI_COMM_WORLD);
    abort_job(kExitFailure);
  }
  bytes.resize(length);
  MPI_Bcast(bytes.data(), static_cast<int>(length), MPI_CHAR, 0,
            MPI_COMM_WORLD);
}

}  // namespace selfplay::mpi
