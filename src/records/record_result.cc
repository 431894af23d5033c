// result_from_records (selfplay/record_file.h).
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "selfplay/record_file.h"
#include "simulation/game_tally.h"

namespace selfplay {

absl::StatusOr<SimulationResult> result_from_records(RecordFileReader& reader,
                                                     bool keep_games) {
  const absl::Time start = absl::Now();
  const RecordFileHeader& header = reader.header();
  SimulationResult result;
  result.game = header.config.game;
  result.players = header.config.players;
  result.seed = header.config.seed;
  result.requested = header.config.games;
  result.features = header.features;
  result.action_kinds = header.config.action_kinds;
  result.counts = make_counts_for(header.config);
  RecordCounter counter(header.config.players,
                        static_cast<int>(header.features.size()),
                        static_cast<int>(header.config.action_kinds.size()));
  GameRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.next(record);
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (keep_games) {
      result.games.push_back(
          {record.game_index, record.seed, record.status,
           static_cast<std::uint32_t>(record.decisions.size()),
           record.winners});
    }
    if (absl::Status status = counter.add(record, result.counts);
        !status.ok()) {
      return status;
    }
  }
  if (result.counts.games > result.requested) {
    return absl::DataLossError(
        absl::StrCat("the file holds ", result.counts.games,
                     " games of a run of ", result.requested));
  }
  result.cancelled = result.requested - result.counts.games;
  // The timing of the recount, so that a summary's timing line says how fast
  // the file was read rather than showing zeros.
  result.timing.wall_s = absl::ToDoubleSeconds(absl::Now() - start);
  result.timing.threads = 1;
  result.timing.games_per_s =
      result.timing.wall_s > 0 ? result.counts.games / result.timing.wall_s : 0;
  return result;
}

}  // namespace selfplay
