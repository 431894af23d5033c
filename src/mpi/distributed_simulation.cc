#include <mpi.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "mpi/collectives.h"
#include "selfplay/distributed.h"
#include "selfplay/run_config.h"
#include "simulation/binary_io.h"
#include "simulation/counts_codec.h"
#include "simulation/index_partition.h"
#include "simulation/run_config_codec.h"

namespace selfplay::mpi {
namespace {

using Clock = std::chrono::steady_clock;

// The fastest progress round: rounds are cheap, but not free.
constexpr auto kShortestRound = std::chrono::milliseconds(10);

// The games a run plays: its ranges, or [0, games) when it names none.
std::vector<GameIndexRange> games_to_play(const SimulationOptions& options) {
  if (options.ranges.empty()) return {{0, options.games}};
  return options.ranges;
}

std::uint64_t count_games(const std::vector<GameIndexRange>& ranges) {
  std::uint64_t games = 0;
  for (const GameIndexRange& range : ranges) games += range.end - range.begin;
  return games;
}

// Collective: compares what must be equal on every rank for the merged
// result to be the one a single process computes with rank 0's: the run
// configuration, the games to play, whether game summaries are kept, and the
// chunk size, which decides who plays which games (0: invalid on this rank).
absl::Status check_same_configuration(const RunConfig& config,
                                      const std::vector<GameIndexRange>& games,
                                      bool keep_game_summaries,
                                      std::uint64_t chunk) {
  BinaryWriter writer;
  write_run_config(config, writer);
  writer.u64(games.size());
  for (const GameIndexRange& range : games) {
    writer.u64(range.begin);
    writer.u64(range.end);
  }
  writer.u8(keep_game_summaries ? 1 : 0);
  writer.u64(chunk);
  std::string root_bytes = writer.bytes();
  broadcast_bytes(root_bytes, "run configuration");
  BinaryReader reader(root_bytes);
  const RunConfig root = read_run_config(reader);
  std::vector<GameIndexRange> root_games(reader.count(16));
  for (GameIndexRange& range : root_games) {
    range.begin = reader.u64();
    range.end = reader.u64();
  }
  const bool root_keeps = reader.u8() == 1;
  const std::uint64_t root_chunk = reader.u64();
  if (!reader.ok() || !reader.at_end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rank 0's configuration is not one this rank reads (another selfplay "
        "build?); ",
        kRankSides.remedy));
  }
  if (absl::Status same = compare_run_configs(root, config, kRankSides);
      !same.ok()) {
    return same;
  }
  const auto yes_no = [](bool value) { return value ? "yes" : "no"; };
  const auto named = [](const std::vector<GameIndexRange>& ranges) {
    std::string text;
    for (const GameIndexRange& range : ranges) {
      absl::StrAppend(&text, text.empty() ? "" : " ", "[", range.begin, ", ",
                      range.end, ")");
    }
    return text;
  };
  if (named(root_games) != named(games)) {
    return setting_differs("the games to play", named(root_games), named(games),
                           kRankSides);
  }
  if (root_keeps != keep_game_summaries) {
    return setting_differs("--keep-games", yes_no(root_keeps),
                           yes_no(keep_game_summaries), kRankSides);
  }
  if (root_chunk != chunk) {
    return setting_differs("the chunk size (SELFPLAY_MPI_CHUNK)",
                           absl::StrCat(root_chunk), absl::StrCat(chunk),
                           kRankSides);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::uint64_t> chunk_size(std::uint64_t games, int parts) {
  const char* value = std::getenv("SELFPLAY_MPI_CHUNK");
  if (value == nullptr || *value == '\0') {
    return default_chunk_size(games, parts);
  }
  std::uint64_t chunk = 0;
  if (!absl::SimpleAtoi(value, &chunk) || chunk == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("SELFPLAY_MPI_CHUNK must be a positive number of games, "
                     "not '",
                     value, "'"));
  }
  return chunk;
}

// Exceptions that escape the runner (out of memory, a oneTBB failure) become
// a status, so that rank 0 can report them.
absl::StatusOr<SimulationResult> run_guarded(const Game& game,
                                             const FeatureSet& features,
                                             const SimulationOptions& share) {
  try {
    return run_simulations(game, features, share);
  } catch (const std::exception& error) {
    return absl::InternalError(absl::StrCat("exception: ", error.what()));
  } catch (...) {
    return absl::InternalError("unknown exception");
  }
}

// Plays this rank's share on a worker thread while the main thread takes part
// in the progress rounds; returns once every rank's share has ended.
absl::StatusOr<SimulationResult> play_share(const Game& game,
                                            const FeatureSet& features,
                                            const SimulationOptions& options,
                                            SimulationOptions share) {
  std::atomic<std::uint64_t> finished{0};
  share.progress = [&finished](std::uint64_t done, std::uint64_t) {
    finished.store(done, std::memory_order_relaxed);
  };
  StopToken stop;
  share.stop = &stop;

  std::mutex mutex;
  std::condition_variable ended;
  bool done = false;
  absl::StatusOr<SimulationResult> result = absl::UnknownError("not run");
  std::thread worker([&] {
    absl::StatusOr<SimulationResult> outcome =
        run_guarded(game, features, share);
    std::lock_guard lock(mutex);
    result = std::move(outcome);
    done = true;
    ended.notify_one();
  });

  const auto round = std::max<std::chrono::nanoseconds>(
      absl::ToChronoNanoseconds(options.progress_interval), kShortestRound);
  std::uint64_t reported = 0;
  for (;;) {
    bool share_done = false;
    {
      std::unique_lock lock(mutex);
      share_done = ended.wait_for(lock, round, [&done] { return done; });
    }
    // Games finished, ranks still playing, ranks asked to stop.
    std::array<std::uint64_t, 3> totals = {
        finished.load(std::memory_order_relaxed), share_done ? 0u : 1u,
        options.stop != nullptr && options.stop->stop_requested() ? 1u : 0u};
    MPI_Request request;
    MPI_Iallreduce(MPI_IN_PLACE, totals.data(), 3, MPI_UINT64_T, MPI_SUM,
                   MPI_COMM_WORLD, &request);
    wait_without_spinning(request);
    if (totals[2] > 0) stop.request_stop();
    const bool everyone_done = totals[1] == 0;
    if (rank() == 0 && options.progress &&
        (totals[0] != reported || everyone_done)) {
      options.progress(totals[0], count_games(games_to_play(options)));
      reported = totals[0];
    }
    if (everyone_done) break;
  }
  worker.join();
  return result;
}

// Agreed with MPI_MAX after the run: sizes, and the longest and (as its
// complement) the shortest run time of a rank.
enum Extent {
  kCountsBytes,
  kSummaryBytes,
  kLongestRunNs,
  kShortestRunNsComplement,
  kExtentCount
};

// Summed over the ranks.
enum Total { kCacheLookups, kCacheHits, kThreads, kRunNs, kTotalCount };

// "4 ranks, 8 threads in all; run time per rank 1.20-1.25 s (imbalance
// 2.1%); reduction 0.35 ms": how evenly the work spread and what the merge
// cost. Imbalance: the slowest rank's run time over the mean, less 1.
std::string distribution_note(const std::vector<std::uint64_t>& extent,
                              const std::uint64_t* totals, double reduction_s) {
  const double longest = extent[kLongestRunNs] / 1e9;
  const double shortest = ~extent[kShortestRunNsComplement] / 1e9;
  const double mean = totals[kRunNs] / 1e9 / ranks();
  const std::uint64_t threads = totals[kThreads];
  return absl::StrFormat(
      "selfplay: %d rank%s, %u thread%s in all; run time per rank "
      "%.3f-%.3f s (imbalance %.1f%%); reduction %.2f ms",
      ranks(), ranks() == 1 ? "" : "s", threads, threads == 1 ? "" : "s",
      shortest, longest, mean > 0 ? 100 * (longest / mean - 1) : 0.0,
      1e3 * reduction_s);
}

// Collective, after every rank's share has ended: the merged result on rank
// 0 (each rank's tallies, failures included, in the counts codec of
// counts_codec.h, merged as SimulationCounts::merge does, so in any order),
// this rank's own share elsewhere; aborts the job if a rank failed. Six
// collective operations: an Allreduce of sizes, one of totals, then a gather
// of sizes and one of bytes for the counts and for the game summaries.
SimulationResult combine(absl::StatusOr<SimulationResult> played,
                         const SimulationOptions& options,
                         Clock::time_point everyone_done) {
  std::string counts;
  std::string summaries;
  std::vector<std::uint64_t> extent(kExtentCount, 0);
  if (played.ok()) {
    counts = serialize_counts(played->counts);
    summaries = serialize_summaries(played->games);
    const auto run_ns = static_cast<std::uint64_t>(played->timing.wall_s * 1e9);
    extent = {counts.size(), summaries.size(), run_ns, ~run_ns};
  }
  extent = max_everywhere(played.status(), std::move(extent));
  SimulationResult result = *std::move(played);

  std::array<std::uint64_t, kTotalCount> totals;
  totals[kCacheLookups] = result.timing.cache_lookups;
  totals[kCacheHits] = result.timing.cache_hits;
  totals[kThreads] = static_cast<std::uint64_t>(result.timing.threads);
  totals[kRunNs] = static_cast<std::uint64_t>(result.timing.wall_s * 1e9);
  MPI_Allreduce(MPI_IN_PLACE, totals.data(), kTotalCount, MPI_UINT64_T, MPI_SUM,
                MPI_COMM_WORLD);

  std::vector<std::uint64_t> counts_bytes, summary_bytes;
  const std::string all_counts = gather_bytes(counts, counts_bytes, "tallies");
  const std::string all_summaries =
      gather_bytes(summaries, summary_bytes, "game summaries");
  result.games.clear();
  result.requested = count_games(games_to_play(options));
  if (rank() != 0) {
    result.cancelled = result.requested - result.counts.games;
    return result;
  }

  SimulationCounts merged =
      make_counts(static_cast<int>(result.counts.seats.size()),
                  static_cast<int>(result.counts.features.size()),
                  static_cast<int>(result.counts.actions.size()),
                  result.counts.failure_cap);
  std::size_t at = 0;
  for (std::uint64_t bytes : counts_bytes) {
    // Written by serialize_counts on a rank of this job: it parses.
    merged.merge(*parse_counts(std::string_view(all_counts).substr(at, bytes)));
    at += bytes;
  }
  result.counts = std::move(merged);
  result.cancelled = result.requested - result.counts.games;
  at = 0;
  for (std::uint64_t bytes : summary_bytes) {
    std::vector<GameSummary> games =
        *parse_summaries(std::string_view(all_summaries).substr(at, bytes));
    result.games.insert(result.games.end(), games.begin(), games.end());
    at += bytes;
  }
  std::sort(result.games.begin(), result.games.end(),
            [](const GameSummary& a, const GameSummary& b) {
              return a.game_index < b.game_index;
            });
  result.timing.threads = static_cast<int>(totals[kThreads]);
  result.timing.cache_lookups = totals[kCacheLookups];
  result.timing.cache_hits = totals[kCacheHits];
  set_closing_note(distribution_note(
      extent, totals.data(),
      std::chrono::duration<double>(Clock::now() - everyone_done).count()));
  return result;
}

}  // namespace

absl::StatusOr<SimulationResult> run_distributed_simulation(
    const Game& game, const FeatureSet& features,
    const SimulationOptions& options) {
  const auto start = Clock::now();
  const std::vector<GameIndexRange> games = games_to_play(options);
  const absl::StatusOr<std::uint64_t> chunk =
      chunk_size(count_games(games), ranks());
  absl::Status ready = check_same_configuration(
      run_config_for(game, features, options), games,
      options.keep_game_summaries, chunk.ok() ? *chunk : 0);
  if (!chunk.ok()) ready = chunk.status();
  for (std::size_t i = 0; i < games.size(); ++i) {
    if (games[i].end < games[i].begin ||
        (i > 0 && games[i].begin < games[i - 1].end)) {
      ready = absl::InvalidArgumentError(
          "game index ranges must be sorted, disjoint and non-decreasing");
    }
  }
  max_everywhere(ready, {});

  SimulationOptions share = options;
  share.ranges = block_cyclic_ranges(games, ranks(), rank(), *chunk);
  // An empty list would mean all games: this rank has none to play.
  if (share.ranges.empty()) share.ranges.push_back({0, 0});
  absl::StatusOr<SimulationResult> played =
      play_share(game, features, options, share);
  SimulationResult result =
      combine(std::move(played), options, /*everyone_done=*/Clock::now());
  if (rank() == 0) {
    const auto end = Clock::now();
    result.timing.wall_s = std::chrono::duration<double>(end - start).count();
    result.timing.games_per_s = result.timing.wall_s > 0
                                    ? result.counts.games / result.timing.wall_s
                                    : 0;
  }
  return result;
}

}  // namespace selfplay::mpi
