// library_tour PLUGIN [DIRECTORY]: what the `selfplay` CLI does for long,
// isolated and plugin runs, done by a program of its own through the
// library's public headers alone, checking each result on the way:
//   1. a long run of connect-four keeps its games in a records file and
//      saves checkpoints; it is stopped part-way, resumed from its checkpoint
//      by a new LongRun, and the finished result equals an uninterrupted
//      run's, as do the games read back from the records file;
//   2. PLUGIN (examples/nim's libnim.so) is loaded at run time and its game
//      played in two worker processes (this program, started again), with
//      the result of playing it in this process;
//   3. on the way, the documented JSON (README.md, "JSON schema") of each
//      run is written, parsed back and compared with its twin's.
// Files go to DIRECTORY (default: library_tour_files). Exits 1, naming the
// check, when one fails; 2 on a usage error.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "selfplay/counts.h"
#include "selfplay/features.h"
#include "selfplay/isolated_run.h"
#include "selfplay/long_run.h"
#include "selfplay/plugin_loader.h"
#include "selfplay/record_file.h"
#include "selfplay/records.h"
#include "selfplay/registry.h"
#include "selfplay/result_output.h"
#include "selfplay/run_config.h"
#include "selfplay/simulation.h"

namespace {

namespace fs = std::filesystem;

// The tour stops at the first step that fails or check that does not hold.
class TourFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void ok_or_fail(const absl::Status& status, const std::string& doing) {
  if (!status.ok()) {
    throw TourFailed(absl::StrCat(doing, ": ", status.ToString()));
  }
}

template <typename T>
T value_or_fail(absl::StatusOr<T> result, const std::string& doing) {
  ok_or_fail(result.status(), doing);
  return *std::move(result);
}

void expect(bool holds, const std::string& check) {
  if (!holds) throw TourFailed(absl::StrCat("check failed: ", check));
  std::printf("   ok: %s\n", check.c_str());
}

// Writes `result` as the documented JSON, reads the file back and returns
// it without "timing", the one part that differs between equal runs.
nlohmann::json written_json(const selfplay::SimulationResult& result,
                            const fs::path& path) {
  ok_or_fail(selfplay::write_result_json(result, path.string()),
             "writing the JSON");
  std::ifstream in(path);
  nlohmann::json json = nlohmann::json::parse(in, nullptr,
                                              /*allow_exceptions=*/false);
  expect(json.is_object() &&
             json.value("schema_version", 0) == selfplay::kJsonSchemaVersion &&
             json.value("games", std::uint64_t{0}) == result.requested &&
             json["features"].size() == result.features.size() &&
             json["seat_results"].size() ==
                 static_cast<std::size_t>(result.players),
         absl::StrCat(path.filename().string(), " parses, has schema_version ",
                      selfplay::kJsonSchemaVersion,
                      " and the run's games, features and seats"));
  json.erase("timing");
  return json;
}

// Step 1's run. Each session of a long run must use the same settings
// (LongRun::start refuses a checkpoint of other ones).
constexpr std::uint64_t kGames = 20000;
constexpr std::uint64_t kCheckpointEvery = 1000;
constexpr std::uint64_t kStopAt = 5000;  // the first checkpoint at or past it

selfplay::SimulationOptions connect_four_options() {
  selfplay::SimulationOptions options;
  options.games = kGames;
  options.seed = 7;
  options.threads = 2;  // any count gives the same counts
  return options;
}

void stop_and_resume(const selfplay::Game& game, const fs::path& directory) {
  std::printf(
      "1. %llu games of %s with records and checkpoints, stopped and "
      "resumed\n",
      static_cast<unsigned long long>(kGames), game.name().c_str());
  const selfplay::FeatureSet features = value_or_fail(
      selfplay::generate_candidate_features(game.structure()), "features");

  // The reference: the same games in one go.
  const selfplay::SimulationResult whole = value_or_fail(
      selfplay::run_simulations(game, features, connect_four_options()),
      "the uninterrupted run");

  // The first session, stopped once a checkpoint has saved kStopAt games, as
  // Ctrl-C stops the CLI (its signal handler calls request_stop). The stop
  // lets the games in flight finish, then saves a last checkpoint.
  const fs::path records = directory / "connect-four.sprec";
  const fs::path checkpoint = directory / "connect-four.ckpt";
  selfplay::LongRunOptions files;
  files.records = records.string();
  files.checkpoint = checkpoint.string();
  files.checkpoint_every = kCheckpointEvery;
  selfplay::SimulationOptions first = connect_four_options();
  selfplay::StopToken stop;
  first.stop = &stop;
  const std::unique_ptr<selfplay::LongRun> first_run =
      value_or_fail(selfplay::LongRun::start(game, features, files, first),
                    "starting the long run");
  // LongRun::start set the callback that writes the checkpoints; wrap it.
  selfplay::CheckpointCallback save = std::move(first.checkpoint);
  first.checkpoint = [&save, &stop](const selfplay::SimulationCounts& so_far,
                                    std::uint64_t next_game_index) {
    absl::Status saved = save(so_far, next_game_index);
    if (next_game_index >= kStopAt) stop.request_stop();
    return saved;
  };
  selfplay::SimulationResult stopped = value_or_fail(
      selfplay::run_simulations(game, features, first), "the first session");
  ok_or_fail(first_run->finish(stopped), "closing the records file");
  expect(
      stopped.cancelled > 0 &&
          stopped.counts.games + stopped.cancelled == kGames,
      absl::StrCat("the first session stopped part-way: ", stopped.counts.games,
                   " games played, ", stopped.cancelled, " not"));
  expect(first_run->saved_games() == stopped.counts.games,
         "its last checkpoint saved every game it played");

  // The second session: a new LongRun continues the checkpoint and the
  // records file it names, and plays the remaining games.
  selfplay::LongRunOptions continued;
  continued.checkpoint_every = kCheckpointEvery;
  continued.resume = checkpoint.string();  // later checkpoints go there too
  selfplay::SimulationOptions second = connect_four_options();
  const std::unique_ptr<selfplay::LongRun> second_run =
      value_or_fail(selfplay::LongRun::start(game, features, continued, second),
                    "resuming the long run");
  expect(second_run->resumed_at() == stopped.counts.games,
         absl::StrCat("resumed at game ", stopped.counts.games));
  selfplay::SimulationResult resumed = value_or_fail(
      selfplay::run_simulations(game, features, second), "the second session");
  ok_or_fail(second_run->finish(resumed), "closing the records file");
  expect(resumed.requested == kGames && resumed.cancelled == 0 &&
             resumed.counts == whole.counts,
         "the resumed run's counts equal the uninterrupted run's");

  // The records of both sessions: every game once, in order, and the counts
  // recomputed from them are the uninterrupted run's.
  selfplay::RecordFileReader reader = value_or_fail(
      selfplay::RecordFileReader::open(records.string()), "opening records");
  const selfplay::RunConfig& config = reader.header().config;
  expect(config ==
             selfplay::run_config_for(game, features, connect_four_options()),
         "the records file names the run's settings");
  selfplay::SimulationCounts recounted = selfplay::make_counts_for(config);
  selfplay::RecordCounter counter(config.players,
                                  static_cast<int>(config.features.size()),
                                  static_cast<int>(config.action_kinds.size()));
  selfplay::GameRecord record;
  std::uint64_t games_read = 0;
  while (value_or_fail(reader.next(record), "reading the records")) {
    if (record.game_index != games_read) {
      throw TourFailed(absl::StrCat("check failed: record ", games_read,
                                    " is game ", record.game_index));
    }
    ok_or_fail(counter.add(record, recounted), "counting a record");
    ++games_read;
  }
  expect(games_read == kGames,
         absl::StrCat("the records file holds games 0 to ", kGames - 1));
  expect(recounted == whole.counts,
         "counted again from the records, they give the same counts");

  expect(written_json(resumed, directory / "connect-four-resumed.json") ==
             written_json(whole, directory / "connect-four-whole.json"),
         "the resumed run's JSON equals the uninterrupted run's");
  std::fputs(selfplay::result_summary(resumed, /*top=*/3).c_str(), stdout);
}

// Step 2.
void plugin_in_workers(selfplay::GameRegistry& registry,
                       const std::string& plugin, const fs::path& directory) {
  std::printf("2. The game of the plugin %s in two worker processes\n",
              plugin.c_str());
  ok_or_fail(selfplay::load_game_plugin(plugin, registry),
             "loading the plugin");
  const selfplay::Game& nim =
      *value_or_fail(registry.find("nim"), "finding the plugin's game");
  // Workers compute the game's candidate features, so the run uses those.
  const selfplay::FeatureSet features = value_or_fail(
      selfplay::generate_candidate_features(nim.structure()), "features");
  selfplay::SimulationOptions options;
  options.games = 5000;
  options.seed = 3;
  options.threads = 2;  // one per worker

  const selfplay::SimulationResult in_process = value_or_fail(
      selfplay::run_simulations(nim, features, options), "the in-process run");
  // The workers are this program (serve_isolated_worker in main), told to
  // load the plugin too.
  selfplay::isolation::IsolationOptions isolation;
  isolation.workers = 2;
  isolation.game_libraries = {plugin};
  selfplay::isolation::IsolationStats stats;
  const selfplay::SimulationResult isolated =
      value_or_fail(selfplay::isolation::run_isolated(nim, features, options,
                                                      isolation, &stats),
                    "the isolated run");
  expect(stats.worker_deaths == 0, "no worker died");
  expect(isolated.counts == in_process.counts,
         absl::StrCat("the isolated run's counts (", isolated.counts.games,
                      " games) equal the in-process run's"));
  expect(written_json(isolated, directory / "nim-isolated.json") ==
             written_json(in_process, directory / "nim-in-process.json"),
         "so do their JSON documents");
}

}  // namespace

int main(int argc, char** argv) {
  // Isolated runs start this program again as their workers: a worker's
  // arguments say so, and it serves its supervisor instead of the tour.
  selfplay::GameRegistry registry =
      selfplay::GameRegistry::with_bundled_games();
  if (std::optional<int> exit_code =
          selfplay::isolation::serve_isolated_worker(argc, argv, registry)) {
    return *exit_code;
  }
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr,
                 "usage: library_tour PLUGIN [DIRECTORY]\n"
                 "  PLUGIN: examples/nim's libnim.so\n");
    return 2;
  }
  const std::string plugin = argv[1];
  const fs::path directory = argc == 3 ? argv[2] : "library_tour_files";
  try {
    fs::create_directories(directory);
    stop_and_resume(
        *value_or_fail(registry.find("connect-four"), "finding connect-four"),
        directory);
    plugin_in_workers(registry, plugin, directory);
  } catch (const std::exception& failure) {
    // TourFailed, or a file system error.
    std::fprintf(stderr, "library_tour: %s\n", failure.what());
    return 1;
  }
  std::printf("library_tour: every check passed; files in %s\n",
              directory.c_str());
  return 0;
}
