#include "records/record_check.h"
#include "selfplay/records.h"
#include "simulation/game_tally.h"

namespace selfplay {

struct RecordCounter::Tally {
  GameTally game;
};

RecordCounter::RecordCounter(int players, int features, int action_kinds)
    : players_(players),
      features_(features),
      action_kinds_(action_kinds),
      tally_(std::make_unique<Tally>(
          Tally{GameTally(players, features, action_kinds)})) {}

RecordCounter::~RecordCounter() = default;

absl::Status RecordCounter::add(const GameRecord& record,
                                SimulationCounts& counts) {
  if (counts.seats.size() != static_cast<std::size_t>(players_) ||
      counts.features.size() != static_cast<std::size_t>(features_) ||
      counts.actions.size() != static_cast<std::size_t>(action_kinds_)) {
    return absl::InvalidArgumentError(
        "the counts are not shaped for this RecordCounter's game");
  }
  if (absl::Status status =
          check_record(record, players_, features_, action_kinds_);
      !status.ok()) {
    return status;
  }
  GameTally& tally = tally_->game;
  tally.reset();
  const int words = record.feature_words;
  for (std::size_t d = 0; d < record.decisions.size(); ++d) {
    const RecordedDecision& decision = record.decisions[d];
    tally.add_decision(decision.player);
    tally.add_kind_taken(decision.player, decision.taken);
    tally.add_kinds_not_taken(
        decision.player,
        decision.available_kinds & ~(std::uint64_t{1} << decision.taken));
    tally.add_features(decision.player, record.feature_bits.data() + d * words);
  }
  if (record.status == GameStatus::kFailed) {
    counts.add_failure({record.game_index, record.seed, record.error});
  }
  tally.add_game(record.status,
                 static_cast<std::uint32_t>(record.decisions.size()),
                 record.winners, counts);
  return absl::OkStatus();
}

}  // namespace selfplay
