// Outputs that must not change by accident: for fixed seeds, what the CLI
// writes (the statistics JSON without its timing, records files,
// checkpoints, records stats and fit, a trained model without its run
// block) is compared byte for byte with files committed in tests/golden/,
// so that a refactoring that changes any of them fails here. A deliberate
// change of format or meaning regenerates them, with
// SELFPLAY_REGENERATE_GOLDEN=1 set for this test (`selfplay_tests
// --gtest_filter='GoldenFiles.*'`), and the diff of tests/golden/ goes into
// the commit that explains it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using testing::ScratchDirectory;

const std::filesystem::path kGolden = SELFPLAY_GOLDEN_DIR;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

bool regenerating() {
  const char* value = std::getenv("SELFPLAY_REGENERATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

// Runs `selfplay <arguments>` in `directory`, so that the paths a
// checkpoint stores are the relative ones given here.
void run_in(const std::filesystem::path& directory,
            const std::string& arguments) {
  const int status = std::system(absl::StrCat("cd ", directory.string(), " && ",
                                              SELFPLAY_CLI_PATH, " ", arguments,
                                              " >/dev/null 2>&1")
                                     .c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << arguments;
}

// `bytes` against golden file `name` (or written there when regenerating).
void expect_golden(const std::string& name, const std::string& bytes) {
  const std::filesystem::path golden = kGolden / name;
  if (regenerating()) {
    std::ofstream(golden, std::ios::binary) << bytes;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(golden)) << golden;
  EXPECT_TRUE(read_bytes(golden) == bytes)
      << name << " differs from " << golden << " (" << bytes.size()
      << " bytes against " << std::filesystem::file_size(golden) << ")";
}

// A JSON output without the parts that differ between runs by design.
void expect_golden_json(const std::filesystem::path& file,
                        const std::string& name, const char* volatile_key) {
  nlohmann::json document = nlohmann::json::parse(read_bytes(file));
  ASSERT_TRUE(document.contains(volatile_key)) << file;
  document.erase(volatile_key);
  expect_golden(name, document.dump(2) + "\n");
}

class GoldenFiles : public ::testing::Test {
 protected:
  ScratchDirectory scratch_{"golden"};
  const std::filesystem::path& dir() { return scratch_.path(); }
};

TEST_F(GoldenFiles, SimulationStatistics) {
  struct Run {
    const char* name;
    const char* arguments;
  };
  for (const Run& run :
       {Run{"tic-tac-toe", "--game tic-tac-toe --games 3000 --seed 5"},
        Run{"checkers", "--game checkers --games 200 --seed 7"},
        Run{"hex-9", "--game hex-9 --games 300 --seed 8"},
        Run{"connect-four-mcts",
            "--game connect-four --games 60 --seed 3 --policy "
            "mcts:8,random"}}) {
    SCOPED_TRACE(run.name);
    const std::string json = absl::StrCat(run.name, ".json");
    run_in(dir(), absl::StrCat("simulate ", run.arguments,
                               " --threads 2 --noprogress --json ", json));
    expect_golden_json(dir() / json, json, "timing");
  }
}

TEST_F(GoldenFiles, RecordsCheckpointsAndWhatIsReadFromThem) {
  run_in(dir(),
         "simulate --game connect-four --games 1000 --seed 6 --threads 2 "
         "--records c4.sprec --checkpoint c4.ckpt --json c4.json --noprogress");
  expect_golden_json(dir() / "c4.json", "c4.json", "timing");
  expect_golden("c4.sprec", read_bytes(dir() / "c4.sprec"));
  expect_golden("c4.ckpt", read_bytes(dir() / "c4.ckpt"));
  run_in(dir(), "records stats c4.sprec --json c4-stats.json");
  expect_golden_json(dir() / "c4-stats.json", "c4-stats.json", "timing");
  run_in(dir(), "records fit c4.sprec --json c4-fit.json");
  expect_golden("c4-fit.json", read_bytes(dir() / "c4-fit.json"));
  run_in(dir(),
         "simulate --game go-fish --players 4 --games 300 --seed 9 "
         "--threads 1 --checkpoint gf.ckpt --json gf.json --noprogress");
  expect_golden_json(dir() / "gf.json", "gf.json", "timing");
  expect_golden("gf.ckpt", read_bytes(dir() / "gf.ckpt"));
}

TEST_F(GoldenFiles, TrainedModel) {
  run_in(dir(),
         "train --game tic-tac-toe --iterations 2 --games-per-iteration 300 "
         "--oracle mcts:10 --evaluation-games 50 --threads 2 --seed 4 "
         "--out model.json --noprogress");
  expect_golden_json(dir() / "model.json", "model.json", "run");
}

}  // namespace
}  // namespace selfplay
