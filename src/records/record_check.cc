#include "records/record_check.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace selfplay {

absl::Status check_record(const GameRecord& record, int players, int features,
                          int action_kinds) {
  const auto invalid = [&record](const auto&... what) {
    return absl::InvalidArgumentError(
        absl::StrCat("record of game ", record.game_index, ": ", what...));
  };
  if (record.status > GameStatus::kFailed) {
    return invalid("unknown status ", static_cast<int>(record.status));
  }
  if (record.status != GameStatus::kCompleted && !record.winners.empty()) {
    return invalid("winners in a game that did not complete");
  }
  for (int winner : record.winners) {
    if (winner < 0 || winner >= players) {
      return invalid("winner ", winner, " is not one of ", players, " seats");
    }
  }
  if (record.status == GameStatus::kFailed && !record.decisions.empty()) {
    return invalid("decisions in a failed game");
  }
  if (record.decisions.size() > UINT32_MAX)
    return invalid("too many decisions");
  const int words = (features + 63) / 64;
  if (record.feature_words != words ||
      record.feature_bits.size() != record.decisions.size() * words) {
    return invalid("feature bits of ", record.feature_words, " words for ",
                   record.decisions.size(), " decisions; expected ", words,
                   " words each");
  }
  const std::uint64_t unused_bits =
      features % 64 == 0 ? 0 : ~std::uint64_t{0} << (features % 64);
  const std::uint64_t all_kinds = action_kinds == 64
                                      ? ~std::uint64_t{0}
                                      : (std::uint64_t{1} << action_kinds) - 1;
  for (std::size_t d = 0; d < record.decisions.size(); ++d) {
    const RecordedDecision& decision = record.decisions[d];
    if (decision.player < 0 || decision.player >= players) {
      return invalid("decision ", d, " by player ", decision.player);
    }
    if (decision.taken >= action_kinds ||
        (decision.available_kinds & ~all_kinds) != 0 ||
        (decision.available_kinds >> decision.taken & 1) == 0) {
      return invalid("decision ", d, " took kind ", decision.taken,
                     " of available kinds ", decision.available_kinds, " (",
                     action_kinds, " kinds)");
    }
    if (words > 0 && (record.feature_bits[(d + 1) * words - 1] & unused_bits)) {
      return invalid("decision ", d, " sets a feature beyond the last");
    }
  }
  return absl::OkStatus();
}

}  // namespace selfplay
