#include "simulation/wire_format.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "simulation/binary_io.h"

namespace selfplay {
namespace {

// Games, completed, truncated, timed out, failed, states.
constexpr std::size_t kTotals = 6;
constexpr std::size_t kWordsPerSeat = 3;
// Index, seed, status, actions, winner count.
constexpr std::size_t kSummaryHeader = 5;

std::size_t fixed_size(const SimulationCounts& shape) {
  return kTotals + kWordsPerSeat * shape.seats.size() +
         kOutcomeTableWords * (shape.features.size() + shape.actions.size());
}

void append_tables(const std::vector<OutcomeTable>& tables,
                   std::vector<std::uint64_t>& words) {
  for (const OutcomeTable& table : tables) {
    for (std::uint64_t OutcomeTable::*field : kOutcomeTableFields) {
      words.push_back(table.*field);
    }
  }
}

// Reads the words in order; the caller has checked there are enough.
class WordReader {
 public:
  explicit WordReader(absl::Span<const std::uint64_t> words) : words_(words) {}
  std::uint64_t next() { return words_[at_++]; }
  void read_tables(std::vector<OutcomeTable>& tables) {
    for (OutcomeTable& table : tables) {
      for (std::uint64_t OutcomeTable::*field : kOutcomeTableFields) {
        table.*field = next();
      }
    }
  }
  absl::Span<const std::uint64_t> rest() const { return words_.subspan(at_); }

 private:
  absl::Span<const std::uint64_t> words_;
  std::size_t at_ = 0;
};

}  // namespace

std::size_t flat_tallies_size(const SimulationCounts& shape,
                              std::size_t histogram_size) {
  return fixed_size(shape) + histogram_size;
}

std::vector<std::uint64_t> flatten_tallies(const SimulationCounts& counts,
                                           std::size_t histogram_size) {
  std::vector<std::uint64_t> words = {counts.games,     counts.completed,
                                      counts.truncated, counts.timed_out,
                                      counts.failed,    counts.states};
  words.reserve(flat_tallies_size(counts, histogram_size));
  for (const SeatCounts& seat : counts.seats) {
    words.insert(words.end(), {seat.wins, seat.losses, seat.draws});
  }
  append_tables(counts.features, words);
  append_tables(counts.actions, words);
  words.insert(words.end(), counts.length_histogram.begin(),
               counts.length_histogram.end());
  words.resize(flat_tallies_size(counts, histogram_size));
  return words;
}

absl::StatusOr<SimulationCounts> unflatten_tallies(
    absl::Span<const std::uint64_t> words, const SimulationCounts& shape) {
  if (words.size() < fixed_size(shape)) {
    return absl::InvalidArgumentError(
        absl::StrCat(words.size(), " words cannot hold counts for ",
                     shape.seats.size(), " seats, ", shape.features.size(),
                     " features and ", shape.actions.size(), " action kinds"));
  }
  SimulationCounts counts =
      make_counts(static_cast<int>(shape.seats.size()),
                  static_cast<int>(shape.features.size()),
                  static_cast<int>(shape.actions.size()), shape.failure_cap);
  WordReader reader(words);
  counts.games = reader.next();
  counts.completed = reader.next();
  counts.truncated = reader.next();
  counts.timed_out = reader.next();
  counts.failed = reader.next();
  counts.states = reader.next();
  for (SeatCounts& seat : counts.seats) {
    seat = {reader.next(), reader.next(), reader.next()};
  }
  reader.read_tables(counts.features);
  reader.read_tables(counts.actions);
  const absl::Span<const std::uint64_t> histogram = reader.rest();
  counts.length_histogram.assign(histogram.begin(), histogram.end());
  return counts;
}

std::string encode_failures(const std::vector<GameFailure>& failures) {
  BinaryWriter writer;
  for (const GameFailure& failure : failures) {
    writer.u64(failure.game_index);
    writer.u64(failure.seed);
    writer.string(failure.error);
  }
  return std::move(writer).bytes();
}

absl::StatusOr<std::vector<GameFailure>> decode_failures(
    std::string_view bytes) {
  std::vector<GameFailure> failures;
  BinaryReader reader(bytes);
  while (!reader.at_end()) {
    GameFailure failure;
    failure.game_index = reader.u64();
    failure.seed = reader.u64();
    failure.error = reader.string();
    if (!reader.ok()) {
      return absl::DataLossError(absl::StrCat("truncated failure record after ",
                                              failures.size(), " failures"));
    }
    failures.push_back(std::move(failure));
  }
  return failures;
}

std::vector<std::uint64_t> encode_summaries(
    const std::vector<GameSummary>& games) {
  std::vector<std::uint64_t> words;
  for (const GameSummary& game : games) {
    words.insert(words.end(), {game.game_index, game.seed,
                               static_cast<std::uint64_t>(game.status),
                               game.actions, game.winners.size()});
    for (int winner : game.winners) {
      words.push_back(static_cast<std::uint64_t>(winner));
    }
  }
  return words;
}

absl::StatusOr<std::vector<GameSummary>> decode_summaries(
    absl::Span<const std::uint64_t> words) {
  std::vector<GameSummary> games;
  std::size_t at = 0;
  while (at < words.size()) {
    if (words.size() - at < kSummaryHeader ||
        words[at + 2] > static_cast<std::uint64_t>(GameStatus::kFailed) ||
        words[at + 3] > std::numeric_limits<std::uint32_t>::max() ||
        words[at + 4] > words.size() - at - kSummaryHeader) {
      return absl::DataLossError(absl::StrCat("malformed game summary after ",
                                              games.size(), " summaries"));
    }
    GameSummary game;
    game.game_index = words[at];
    game.seed = words[at + 1];
    game.status = static_cast<GameStatus>(words[at + 2]);
    game.actions = static_cast<std::uint32_t>(words[at + 3]);
    const std::size_t winners = words[at + 4];
    at += kSummaryHeader;
    for (std::size_t i = 0; i < winners; ++i, ++at) {
      if (words[at] >
          static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
        return absl::DataLossError(
            absl::StrCat("winner ", words[at], " is not a seat"));
      }
      game.winners.push_back(static_cast<int>(words[at]));
    }
    games.push_back(std::move(game));
  }
  return games;
}

}  // namespace selfplay
