// Game records: the raw data behind a run's statistics, one record per game
// with every decision, delivered in game-index order while the run goes on.
//
//   class Collect final : public GameRecordSink {
//    public:
//     absl::Status write(const GameRecord& record) override {
//       games_.push_back(record);  // copy: `record` is reused after the call
//       return absl::OkStatus();
//     }
//     std::vector<GameRecord> games_;
//   };
//   Collect sink;
//   options.records = &sink;
//   absl::StatusOr<SimulationResult> result =
//       run_simulations(game, features, options);
//   // sink.games_[i].game_index == i; replaying them through a RecordCounter
//   // gives exactly result->counts.
//
// A decision is what the statistics count: the deciding player, the
// features that held for it, the action kind it took and the kinds it could
// have taken. selfplay/record_file.h stores records in a file.
#ifndef SELFPLAY_RECORDS_H_
#define SELFPLAY_RECORDS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "selfplay/counts.h"
#include "selfplay/game.h"
#include "selfplay/simulation.h"

namespace selfplay {

struct RecordedDecision {
  int player = 0;  // the deciding player, 0-based
  ActionKind taken = 0;
  // Bit k set: a legal action of kind k was available (the taken kind
  // included).
  std::uint64_t available_kinds = 0;

  bool operator==(const RecordedDecision&) const = default;
};

struct GameRecord {
  std::uint64_t game_index = 0;
  std::uint64_t seed = 0;  // seed_for(run seed, game_index)
  GameStatus status = GameStatus::kCompleted;
  std::vector<int> winners;  // completed games; empty: a draw
  std::string error;         // failed games: what the game code threw
  // Every decision of a game that did not fail, in play order (a failed
  // game's decisions are not kept: they are not counted either).
  std::vector<RecordedDecision> decisions;
  // 64-bit words per decision in `feature_bits` (FeatureSet::words()).
  int feature_words = 0;
  // Decision d's feature bits are words [d * feature_words, (d + 1) *
  // feature_words): bit i is feature i, for the deciding player.
  std::vector<std::uint64_t> feature_bits;

  bool operator==(const GameRecord&) const = default;
};

// Receives the records of a run (SimulationOptions::records). write() is
// called from one thread at a time, in game-index order, once per game played;
// the record is reused after it returns. An error stops the run, which
// returns it.
class GameRecordSink {
 public:
  virtual ~GameRecordSink() = default;
  [[nodiscard]] virtual absl::Status write(const GameRecord& record) = 0;
};

// Adds recorded games to SimulationCounts exactly as the run that played them
// did, so that the statistics of a run can be recomputed from its records.
// Not thread-safe: one per thread.
class RecordCounter {
 public:
  RecordCounter(int players, int features, int action_kinds);
  ~RecordCounter();
  RecordCounter(const RecordCounter&) = delete;
  RecordCounter& operator=(const RecordCounter&) = delete;

  // Adds `record` to `counts` (shaped by make_counts for the same players,
  // features and action kinds). InvalidArgument, leaving `counts` unchanged,
  // when the record does not fit that shape (a player, winner or action kind
  // out of range, a taken kind that was not available, feature bits of
  // another width or beyond the last feature).
  [[nodiscard]] absl::Status add(const GameRecord& record,
                                 SimulationCounts& counts);

 private:
  const int players_;
  const int features_;
  const int action_kinds_;
  struct Tally;
  std::unique_ptr<Tally> tally_;
};

}  // namespace selfplay

#endif  // SELFPLAY_RECORDS_H_
