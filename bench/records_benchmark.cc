// Writing and reading records files: the records of 2000 random checkers
// games (the game's candidate features, as `simulate --records` writes them),
// written to a file in a temporary directory (page cache; the closing
// fdatasync included) and read back. bytes/s counts the file's bytes,
// items/s its games; `decisions` and `file_bytes` give bytes per decision.
// This is the serial part of `simulate --records`: the finishing stage that
// encodes, checksums and writes each game in index order.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include "selfplay/features.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"

namespace selfplay {
namespace {

class CollectingSink final : public GameRecordSink {
 public:
  absl::Status write(const GameRecord& record) override {
    records.push_back(record);
    return absl::OkStatus();
  }
  std::vector<GameRecord> records;
};

struct CheckersRecords {
  RecordFileHeader header;
  std::vector<GameRecord> records;
  std::uint64_t decisions = 0;
};

const CheckersRecords& checkers_records() {
  static const CheckersRecords recorded = [] {
    static const GameRegistry registry = GameRegistry::with_bundled_games();
    const Game& game = **registry.find("checkers");
    const FeatureSet features = *generate_candidate_features(game.structure());
    CollectingSink sink;
    SimulationOptions options;
    options.games = 2000;
    options.records = &sink;
    CheckersRecords out;
    if (!run_simulations(game, features, options).ok()) std::abort();
    out.header = make_record_file_header(game, features, options);
    out.records = std::move(sink.records);
    for (const GameRecord& record : out.records) {
      out.decisions += record.decisions.size();
    }
    return out;
  }();
  return recorded;
}

std::string scratch_file() {
  return (std::filesystem::temp_directory_path() /
          "selfplay_records_benchmark.sprec")
      .string();
}

void write_records(benchmark::State& bench) {
  const CheckersRecords& recorded = checkers_records();
  const std::string path = scratch_file();
  std::uint64_t file_bytes = 0;
  for (auto _ : bench) {
    auto writer = RecordFileWriter::create(path, recorded.header);
    if (!writer.ok()) std::abort();
    for (const GameRecord& record : recorded.records) {
      if (!(*writer)->write(record).ok()) std::abort();
    }
    file_bytes = (*writer)->position().bytes;
    if (!(*writer)->close().ok()) std::abort();
  }
  bench.SetItemsProcessed(bench.iterations() *
                          static_cast<std::int64_t>(recorded.records.size()));
  bench.SetBytesProcessed(bench.iterations() *
                          static_cast<std::int64_t>(file_bytes));
  bench.counters["decisions"] = static_cast<double>(recorded.decisions);
  bench.counters["file_bytes"] = static_cast<double>(file_bytes);
}

void read_records(benchmark::State& bench) {
  const CheckersRecords& recorded = checkers_records();
  const std::string path = scratch_file();
  {
    auto writer = RecordFileWriter::create(path, recorded.header);
    if (!writer.ok()) std::abort();
    for (const GameRecord& record : recorded.records) {
      if (!(*writer)->write(record).ok()) std::abort();
    }
    if (!(*writer)->close().ok()) std::abort();
  }
  const auto file_bytes =
      static_cast<std::int64_t>(std::filesystem::file_size(path));
  GameRecord record;
  for (auto _ : bench) {
    absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(path);
    if (!reader.ok()) std::abort();
    while (*reader->next(record)) benchmark::DoNotOptimize(record);
  }
  bench.SetItemsProcessed(bench.iterations() *
                          static_cast<std::int64_t>(recorded.records.size()));
  bench.SetBytesProcessed(bench.iterations() * file_bytes);
}

BENCHMARK(write_records)->Unit(benchmark::kMillisecond);
BENCHMARK(read_records)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace selfplay
