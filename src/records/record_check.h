// Whether a game record fits a run's shape, checked wherever records cross a
// trust boundary: before they are tallied, written or accepted from a file.
#ifndef SELFPLAY_RECORDS_RECORD_CHECK_H_
#define SELFPLAY_RECORDS_RECORD_CHECK_H_

#include "absl/status/status.h"
#include "selfplay/records.h"

namespace selfplay {

// InvalidArgument naming the game and the problem: an unknown status,
// winners in a game that did not complete or outside the seats, decisions in
// a failed game, a player or action kind out of range, a taken kind that was
// not available, feature bits of another width or beyond the last feature.
[[nodiscard]] absl::Status check_record(const GameRecord& record, int players,
                                        int features, int action_kinds);

}  // namespace selfplay

#endif  // SELFPLAY_RECORDS_RECORD_CHECK_H_
